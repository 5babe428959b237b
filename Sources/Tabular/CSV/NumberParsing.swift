/// The text of a decimal number split into significand and exponent, before rounding.
///
/// Grammar (what `Double(String)` accepts in decimal form): `[+-]? (d+ [. d*] | . d+)
/// ([eE] [+-]? d+)?`. Hexadecimal floats, `inf` and `nan` are handled by `FieldClassifier`.
struct DecimalNumber {
    /// The first 19 significant digits as an integer.
    var significand: UInt64 = 0
    /// The power of ten that `significand` is scaled by.
    var exponent = 0
    var negative = false
    /// No decimal point and no exponent: an integer literal.
    var isInteger = true
    /// More than 19 significant digits with a non-zero digit dropped: only the fallback
    /// parser can round it correctly.
    var isTruncated = false

    /// The value as `Int` when the text is an integer literal that fits in 64 bits.
    @inline(__always)
    var integerValue: Int? {
        guard isInteger, !isTruncated else { return nil }
        if negative {
            guard significand <= UInt64(Int.max) + 1 else { return nil }
            return significand == UInt64(Int.max) + 1 ? Int.min : -Int(significand)
        }
        guard significand <= UInt64(Int.max) else { return nil }
        return Int(significand)
    }
}

/// Byte-level number kernels: scanning digits eight at a time, and rounding to `Double`.
/// Everything here works on raw bytes (`UInt8`), never on `Character`s.
enum NumberParsing {
    /// Scans the longest number that starts at `p[start]` and ends before `end`.
    /// - Returns: the index just past the number, or −1 when no digit is found.
    /// - Complexity: O(length of the number).
    @inline(__always)
    static func scan(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, into d: inout DecimalNumber) -> Int {
        var i = start
        var negative = false
        if i < end {
            let c = p[i]
            if c == UInt8(ascii: "-") { negative = true; i &+= 1 } else if c == UInt8(ascii: "+") { i &+= 1 }
        }
        let integerStart = i
        var m: UInt64 = 0
        i = digits(p, i, end, &m)
        let integerEnd = i
        var fractionDigits = 0
        var isInteger = true
        if i < end, p[i] == UInt8(ascii: ".") {
            isInteger = false
            i &+= 1
            let fractionStart = i
            i = digits(p, i, end, &m)
            fractionDigits = i &- fractionStart
        }
        let digitCount = (integerEnd &- integerStart) &+ fractionDigits
        if digitCount == 0 { return -1 }
        var exponent = -fractionDigits
        if i < end, p[i] | 0x20 == UInt8(ascii: "e") {
            var k = i &+ 1
            var negativeExponent = false
            if k < end, p[k] == UInt8(ascii: "-") || p[k] == UInt8(ascii: "+") {
                negativeExponent = p[k] == UInt8(ascii: "-")
                k &+= 1
            }
            if k < end, p[k] &- 48 < 10 {
                var e = 0
                while k < end {
                    let digit = p[k] &- 48
                    if digit >= 10 { break }
                    if e < 100_000 { e = e &* 10 &+ Int(digit) }
                    k &+= 1
                }
                exponent &+= negativeExponent ? -e : e
                isInteger = false
                i = k
            }
        }
        d.negative = negative
        d.isInteger = isInteger
        d.isTruncated = false
        if digitCount > 19 {
            // The wrapping accumulation above is exact only for ≤ 19 significant digits.
            significantDigits(p, integerStart, integerEnd, fractionDigits, &m, &exponent, &d.isTruncated)
        }
        d.significand = m
        d.exponent = exponent
        return i
    }

    /// Accumulates decimal digits into `m` (wrapping), eight at a time while eight bytes remain.
    /// - Returns: the index of the first non-digit.
    @inline(__always)
    static func digits(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ m: inout UInt64) -> Int {
        var i = start
        while i &+ 8 <= end {
            let word = UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
            let values = word &- 0x3030_3030_3030_3030
            // High bit of a byte set for a non-digit; exact for the lowest non-digit byte.
            let nonDigit = ((word &+ 0x4646_4646_4646_4646) | values) & 0x8080_8080_8080_8080
            if nonDigit == 0 {
                m = m &* 100_000_000 &+ eightDigits(values)
                i &+= 8
                continue
            }
            let n = nonDigit.trailingZeroBitCount >> 3
            if n != 0 {
                // Shift the n digits to the top: the vacated low bytes read as leading zeros.
                m = m &* NumberTables.shared.smallTens[n] &+ eightDigits(values << UInt64((8 &- n) << 3))
                i &+= n
            }
            return i
        }
        while i < end {
            let digit = p[i] &- 48
            if digit >= 10 { break }
            m = m &* 10 &+ UInt64(digit)
            i &+= 1
        }
        return i
    }

    /// The number formed by eight digit values (byte 0 most significant), as in fast_float.
    @inline(__always)
    static func eightDigits(_ values: UInt64) -> UInt64 {
        let mask: UInt64 = 0x0000_00FF_0000_00FF
        let mul1: UInt64 = 0x000F_4240_0000_0064  // 100 + (1_000_000 << 32)
        let mul2: UInt64 = 0x0000_2710_0000_0001  // 1 + (10_000 << 32)
        var v = values &* 10 &+ (values >> 8)
        v = ((v & mask) &* mul1 &+ ((v >> 16) & mask) &* mul2) >> 32
        return v & 0xFFFF_FFFF
    }

    /// Recomputes the significand from the first 19 significant digits (slow path, > 19 digits).
    static func significantDigits(
        _ p: UnsafePointer<UInt8>, _ integerStart: Int, _ integerEnd: Int, _ fractionDigits: Int,
        _ m: inout UInt64, _ exponent: inout Int, _ truncated: inout Bool
    ) {
        var value: UInt64 = 0
        var taken = 0
        var dropped = 0
        var droppedNonZero = false
        func take(_ digit: UInt8) {
            if taken == 0 && digit == 0 { return }
            if taken < 19 {
                value = value &* 10 &+ UInt64(digit)
                taken += 1
            } else {
                dropped += 1
                if digit != 0 { droppedNonZero = true }
            }
        }
        for k in integerStart..<integerEnd { take(p[k] &- 48) }
        if fractionDigits > 0 {
            let fractionStart = integerEnd + 1  // past the '.'
            for k in fractionStart..<(fractionStart + fractionDigits) { take(p[k] &- 48) }
        }
        m = value
        exponent += dropped
        truncated = droppedNonZero
    }

    /// The `Double` nearest to the scanned number (correctly rounded, as `Double(String)`).
    ///
    /// Clinger's fast path when the significand is at most 2^53 and |exponent| ≤ 22 (one exact
    /// multiplication or division), else Eisel–Lemire, else the standard library on `text`.
    /// - Returns: nil only if the fallback parser rejects `text` (not expected for scanned text).
    @inline(__always)
    static func double(_ d: DecimalNumber, tables: NumberTables, text: UnsafeBufferPointer<UInt8>) -> Double? {
        let m = d.significand
        if m == 0 { return d.negative ? -0.0 : 0.0 }
        if !d.isTruncated {
            let e = d.exponent
            if m <= 1 << 53, e >= -22, e <= 22 {
                let v = e < 0 ? Double(m) / tables.exactTens[-e] : Double(m) * tables.exactTens[e]
                return d.negative ? -v : v
            }
            if let bits = EiselLemire.bits(significand: m, exponent: e, powers: tables.powersOfFive) {
                let v = Double(bitPattern: bits)
                return d.negative ? -v : v
            }
        }
        return Double(String(decoding: text, as: UTF8.self))
    }
}

/// The constant tables of the number kernels behind raw pointers: allocated once, never
/// mutated or freed, so a kernel can hold them for the life of the process.
struct NumberTables: @unchecked Sendable {
    // @unchecked: the pointers are written once in `init` and never mutated or freed.
    /// 10^0 … 10^22 as `Double` (all exact).
    let exactTens: UnsafePointer<Double>
    /// 10^0 … 10^8 as `UInt64`.
    let smallTens: UnsafePointer<UInt64>
    let powersOfFive: PowersOfFive
    /// The byte permutations of the AVX-512 row loop (`parseAllDoubleRowsAVX512`): 32 bytes for
    /// each digit count c in 0…24 and count d in 0…c of digits before the dot, at (25·c + d)·32.
    /// Lane 24 − c + i takes the i-th digit of an unsigned field, which is byte i, or i + 1 once
    /// past the dot (i ≥ d); every other lane holds 32, which selects a zero byte.
    let digitPermutations: UnsafePointer<UInt8>

    /// The process-wide tables.
    static let shared = NumberTables()

    private init() {
        let exact = UnsafeMutablePointer<Double>.allocate(capacity: 23)
        var v = 1.0
        for e in 0...22 {
            exact[e] = v
            v *= 10
        }
        let small = UnsafeMutablePointer<UInt64>.allocate(capacity: 9)
        var u: UInt64 = 1
        for e in 0...8 {
            small[e] = u
            u *= 10
        }
        let permutations = UnsafeMutablePointer<UInt8>.allocate(capacity: 25 * 25 * 32)
        permutations.initialize(repeating: 32, count: 25 * 25 * 32)
        for c in 0...24 {
            for d in 0...c {
                for i in 0..<c { permutations[(25 * c + d) * 32 + 24 - c + i] = UInt8(i < d ? i : i + 1) }
            }
        }
        digitPermutations = UnsafePointer(permutations)
        exactTens = UnsafePointer(exact)
        smallTens = UnsafePointer(small)
        powersOfFive = .shared
    }
}
