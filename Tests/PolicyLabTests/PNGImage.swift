import Foundation

/// A minimal PNG reader for the report's screenshot test: 8-bit greyscale, grey+alpha, RGB or
/// RGBA, not interlaced (what Chromium writes). Written here, with its own inflate (RFC 1951),
/// because Foundation on Linux exposes no zlib and the test should need nothing beyond the
/// toolchain and Chromium itself.
struct PNGImage {
    /// Pixels per row.
    let width: Int
    /// Rows.
    let height: Int
    /// Row-major RGB triples, alpha composited over white.
    let rgb: [UInt8]

    /// Why a file could not be read.
    struct Failure: Error, CustomStringConvertible {
        /// What went wrong.
        let description: String
    }

    /// Decodes `data`, throwing ``Failure`` for anything this reader does not handle.
    init(_ data: Data) throws {
        let bytes = [UInt8](data)
        guard bytes.count > 8, bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
            throw Failure(description: "not a PNG file")
        }
        var offset = 8
        var header: [UInt8] = []
        var compressed: [UInt8] = []
        func u32(_ at: Int) -> Int {
            Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
        }
        while offset + 8 <= bytes.count {
            let length = u32(offset)
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            guard offset + 12 + length <= bytes.count else { throw Failure(description: "truncated chunk \(type)") }
            let body = Array(bytes[(offset + 8)..<(offset + 8 + length)])
            if type == "IHDR" { header = body }
            if type == "IDAT" { compressed += body }
            offset += 12 + length
            if type == "IEND" { break }
        }
        guard header.count == 13 else { throw Failure(description: "no IHDR chunk") }
        width = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
        height = Int(header[4]) << 24 | Int(header[5]) << 16 | Int(header[6]) << 8 | Int(header[7])
        let depth = header[8], colour = header[9], interlace = header[12]
        let channelsByType: [UInt8: Int] = [0: 1, 2: 3, 4: 2, 6: 4]
        guard depth == 8, interlace == 0, let channels = channelsByType[colour] else {
            throw Failure(description: "unsupported PNG: bit depth \(depth), colour type \(colour), interlace \(interlace)")
        }
        guard compressed.count > 2 else { throw Failure(description: "no image data") }
        var inflater = Inflater(Array(compressed.dropFirst(2)))  // skip the zlib header
        let raw = try inflater.inflate()
        let stride = width * channels
        guard raw.count >= height * (stride + 1) else {
            throw Failure(description: "image data too short: \(raw.count) bytes for \(width)×\(height)")
        }
        // Undo the per-row filters (PNG spec §9).
        var pixels = [UInt8](repeating: 0, count: height * stride)
        for row in 0..<height {
            let filter = raw[row * (stride + 1)]
            let src = row * (stride + 1) + 1
            let dst = row * stride
            for i in 0..<stride {
                let x = raw[src + i]
                let a = i >= channels ? Int(pixels[dst + i - channels]) : 0
                let b = row > 0 ? Int(pixels[dst - stride + i]) : 0
                let c = (row > 0 && i >= channels) ? Int(pixels[dst - stride + i - channels]) : 0
                let predictor: Int
                switch filter {
                case 0: predictor = 0
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                case 4:
                    let p = a + b - c
                    let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    predictor = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c)
                default: throw Failure(description: "bad filter type \(filter) in row \(row)")
                }
                pixels[dst + i] = x &+ UInt8(truncatingIfNeeded: predictor)
            }
        }
        var rgb = [UInt8](repeating: 255, count: width * height * 3)
        for p in 0..<(width * height) {
            let s = p * channels
            let r = pixels[s]
            var g = r, b = r, alpha = 255
            if channels >= 3 { g = pixels[s + 1]; b = pixels[s + 2] }
            if channels == 4 { alpha = Int(pixels[s + 3]) }
            if channels == 2 { alpha = Int(pixels[s + 1]) }
            func over(_ v: UInt8) -> UInt8 { UInt8((Int(v) * alpha + 255 * (255 - alpha)) / 255) }
            rgb[p * 3] = over(r); rgb[p * 3 + 1] = over(g); rgb[p * 3 + 2] = over(b)
        }
        self.rgb = rgb
    }
}

/// Raw DEFLATE decompression (RFC 1951), after the canonical decoder of zlib's puff.c:
/// stored, fixed and dynamic Huffman blocks.
struct Inflater {
    private let input: [UInt8]
    private var position = 0
    private var bitBuffer = 0
    private var bitCount = 0
    private var output: [UInt8] = []

    /// A decoder over `input` (no zlib or gzip header).
    init(_ input: [UInt8]) { self.input = input }

    /// A canonical Huffman code as counts per length and symbols in code order.
    private struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int] = []

        init(lengths: [Int]) throws {
            for l in lengths { counts[l] += 1 }
            var offsets = [Int](repeating: 0, count: 16)
            for l in 1..<15 { offsets[l + 1] = offsets[l] + counts[l] }
            symbols = [Int](repeating: 0, count: lengths.count)
            for (symbol, l) in lengths.enumerated() where l != 0 {
                symbols[offsets[l]] = symbol
                offsets[l] += 1
            }
        }
    }

    private mutating func bits(_ n: Int) throws -> Int {
        while bitCount < n {
            guard position < input.count else { throw PNGImage.Failure(description: "deflate stream ends early") }
            bitBuffer |= Int(input[position]) << bitCount
            position += 1
            bitCount += 8
        }
        let value = bitBuffer & ((1 << n) - 1)
        bitBuffer >>= n
        bitCount -= n
        return value
    }

    private mutating func decode(_ h: Huffman) throws -> Int {
        var code = 0, first = 0, index = 0
        for length in 1...15 {
            code |= try bits(1)
            let count = h.counts[length]
            if code - first < count { return h.symbols[index + code - first] }
            index += count
            first = (first + count) << 1
            code <<= 1
        }
        throw PNGImage.Failure(description: "bad Huffman code")
    }

    private static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    private static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    private mutating func codes(_ literal: Huffman, _ distance: Huffman) throws {
        while true {
            let symbol = try decode(literal)
            if symbol < 256 { output.append(UInt8(symbol)); continue }
            if symbol == 256 { return }
            let l = symbol - 257
            guard l < 29 else { throw PNGImage.Failure(description: "bad length symbol") }
            let length = Self.lengthBase[l] + (try bits(Self.lengthExtra[l]))
            let d = try decode(distance)
            guard d < 30 else { throw PNGImage.Failure(description: "bad distance symbol") }
            let back = Self.distanceBase[d] + (try bits(Self.distanceExtra[d]))
            guard back <= output.count else { throw PNGImage.Failure(description: "distance too far back") }
            let start = output.count - back
            for i in 0..<length { output.append(output[start + i]) }
        }
    }

    /// The decompressed bytes.
    mutating func inflate() throws -> [UInt8] {
        var last = 0
        repeat {
            last = try bits(1)
            switch try bits(2) {
            case 0:
                bitBuffer = 0
                bitCount = 0
                guard position + 4 <= input.count else { throw PNGImage.Failure(description: "stored block ends early") }
                let length = Int(input[position]) | Int(input[position + 1]) << 8
                position += 4
                guard position + length <= input.count else { throw PNGImage.Failure(description: "stored block ends early") }
                output += input[position..<(position + length)]
                position += length
            case 1:
                let fixed = try Huffman(lengths: (0..<288).map { $0 < 144 ? 8 : $0 < 256 ? 9 : $0 < 280 ? 7 : 8 })
                try codes(fixed, try Huffman(lengths: [Int](repeating: 5, count: 30)))
            case 2:
                let literals = try bits(5) + 257, distances = try bits(5) + 1, codeLengths = try bits(4) + 4
                let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
                var lengthLengths = [Int](repeating: 0, count: 19)
                for i in 0..<codeLengths { lengthLengths[order[i]] = try bits(3) }
                let lengthCode = try Huffman(lengths: lengthLengths)
                var lengths: [Int] = []
                while lengths.count < literals + distances {
                    let symbol = try decode(lengthCode)
                    switch symbol {
                    case 0..<16: lengths.append(symbol)
                    case 16:
                        guard let previous = lengths.last else { throw PNGImage.Failure(description: "repeat with no length") }
                        lengths += [Int](repeating: previous, count: 3 + (try bits(2)))
                    case 17: lengths += [Int](repeating: 0, count: 3 + (try bits(3)))
                    default: lengths += [Int](repeating: 0, count: 11 + (try bits(7)))
                    }
                }
                guard lengths.count == literals + distances else { throw PNGImage.Failure(description: "too many code lengths") }
                try codes(try Huffman(lengths: Array(lengths[..<literals])), try Huffman(lengths: Array(lengths[literals...])))
            default:
                throw PNGImage.Failure(description: "bad block type")
            }
        } while last == 0
        return output
    }
}
