import LinearAlgebra
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file read with `pread` at explicit offsets, from several threads at once.
///
/// The file is read, not memory-mapped: a file truncated while it is being read yields a
/// typed error instead of a bus error, and the reader's memory is its own buffers only.
final class CSVFileHandle: Sendable {
    let descriptor: Int32
    /// The size when opened, in bytes.
    let size: Int
    let path: String

    /// Opens `path` for reading.
    /// - Throws: `TabularError.file` when it cannot be opened or is not a regular file.
    init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Self.failure(path, "cannot be opened: \(Self.systemMessage())") }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw Self.failure(path, "is not a regular file")
        }
        descriptor = fd
        size = Int(info.st_size)
        self.path = path
    }

    deinit { close(descriptor) }

    /// Reads exactly `count` bytes at `offset` into `destination`.
    /// - Throws: `TabularError.file` on a read error or when the file got shorter.
    /// - Complexity: O(count).
    func read(into destination: UnsafeMutableRawPointer, count: Int, at offset: Int) throws {
        var done = 0
        while done < count {
            let n = pread(descriptor, destination + done, count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.failure(path, "read failed: \(Self.systemMessage())")
            }
            if n == 0 { throw Self.failure(path, "ended at byte \(offset + done) while \(size) bytes were expected; was it changed while being read?") }
            done += n
        }
    }

    /// The bytes `range` of the file.
    func bytes(_ range: Range<Int>) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: range.count)
        try out.withUnsafeMutableBytes { b in
            guard let base = b.baseAddress else { return }
            try read(into: base, count: range.count, at: range.lowerBound)
        }
        return out
    }

    static func failure(_ path: String, _ reason: String) -> TabularError {
        .file(FileLocation(file: path, line: 1), reason: reason)
    }

    static func systemMessage() -> String { String(cString: strerror(errno)) }
}

/// Where the CSV bytes come from: an array in memory or a file.
enum CSVSource: Sendable {
    case memory([UInt8])
    case file(CSVFileHandle)

    /// The number of bytes.
    var size: Int {
        switch self {
        case let .memory(bytes): return bytes.count
        case let .file(handle): return handle.size
        }
    }

    /// The bytes `range` (a copy for files; memory sources slice without reading).
    /// - Throws: file read errors.
    func bytes(_ range: Range<Int>) throws -> [UInt8] {
        switch self {
        case let .memory(bytes): return Array(bytes[range])
        case let .file(handle): return try handle.bytes(range)
        }
    }

    /// The 1-based line and character column of byte `offset` (lines end at LF; the column
    /// counts UTF-8 scalars from the line start, a leading byte-order mark excluded).
    /// Used on error paths only: it re-reads the bytes before `offset`.
    /// - Complexity: O(offset).
    func location(of offset: Int) -> (line: Int, column: Int) {
        let piece = 1 << 20
        var line = 1
        var lineStart = 0
        var position = 0
        let target = Swift.min(Swift.max(0, offset), size)
        while position < target {
            let upper = Swift.min(position + piece, target)
            guard let chunk = try? bytes(position..<upper) else { break }
            for (k, b) in chunk.enumerated() where b == 10 {
                line += 1
                lineStart = position + k + 1
            }
            position = upper
        }
        var column = 1
        if let text = try? bytes(lineStart..<target) {
            let skip = lineStart == 0 && text.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            column += text.dropFirst(skip).reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        }
        return (line, column)
    }
}

/// A growable byte buffer that file blocks are read into (owned by one reader).
final class CSVBlockBuffer {
    private(set) var pointer: UnsafeMutableRawPointer
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = Swift.max(16, capacity)
        pointer = Self.allocate(self.capacity)
    }

    /// Makes room for `count` bytes (contents are not preserved).
    func reserve(_ count: Int) {
        guard count > capacity else { return }
        pointer.deallocate()
        capacity = count
        pointer = Self.allocate(count)
    }

    private static func allocate(_ count: Int) -> UnsafeMutableRawPointer {
        let p = UnsafeMutableRawPointer.allocate(byteCount: count, alignment: 64)
        MemoryAdvice.preferHugePages(UnsafeMutableRawBufferPointer(start: p, count: count))
        return p
    }

    deinit { pointer.deallocate() }
}
