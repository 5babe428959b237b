#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A problem found while scanning bytes: what and at which byte offset of the block. The
/// reader turns it into a `TabularError` with file, line and column (`CSVErrors`).
enum CSVFault: Error, Sendable, Equatable {
    /// A quoted field that the block never closes; `at` is the opening quote.
    case unterminatedQuote(at: Int)
    /// A `"` inside an unquoted field.
    case quoteInUnquotedField(at: Int)
    /// Something other than a delimiter or line end right after a closing quote.
    case unexpectedAfterQuote(at: Int)
    /// A row with fewer or more fields than the header; `at` is the row's first byte.
    case fieldCount(at: Int, expected: Int, got: Int)
    /// Bytes that are not UTF-8 in a text field or header; `at` is the first bad byte.
    case invalidUTF8(at: Int)
    /// A present value that is not of the column's declared type; `at` is the field start.
    case wrongType(at: Int, column: Int, expected: ColumnType, text: String)
    /// More distinct levels than an `Int32` code can number.
    case tooManyLevels(at: Int, column: Int)
    /// A range parsed past its end (only if the chunking invariant failed).
    case internalInconsistency(at: Int)
}

/// The field and row boundaries of RFC 4180 text: quoted and unquoted fields, doubled quotes,
/// LF and CRLF line ends. The kernels read raw bytes through a pointer; callers guarantee
/// that `[start, end)` lies inside the buffer.
enum CSVByteScanner {
    /// What ends a field.
    enum Terminator: UInt8, Sendable {
        case delimiter, lineEnd, end
    }

    /// One field: its content bytes (without the enclosing quotes and the CR of a CRLF),
    /// whether it was quoted and holds doubled quotes, and where the next field or row starts.
    struct Field {
        var contentStart: Int
        var contentEnd: Int
        var hasDoubledQuotes: Bool
        var next: Int
        var terminator: Terminator
    }

    /// Scans the field that starts at `start`.
    /// - Throws: `CSVFault.unterminatedQuote`, `.quoteInUnquotedField`, `.unexpectedAfterQuote`.
    /// - Complexity: O(field length); quoted fields jump from quote to quote with `memchr`.
    @inline(__always)
    static func field(_ p: UnsafePointer<UInt8>, at start: Int, end: Int, delimiter: UInt8) throws(CSVFault) -> Field {
        if start < end, p[start] == UInt8(ascii: "\"") { return try quotedField(p, at: start, end: end, delimiter: delimiter) }
        var i = start
        while i < end {
            let b = p[i]
            if b == delimiter {
                return Field(contentStart: start, contentEnd: i, hasDoubledQuotes: false, next: i + 1, terminator: .delimiter)
            }
            if b == 10 {
                let contentEnd = i > start && p[i - 1] == 13 ? i - 1 : i
                return Field(contentStart: start, contentEnd: contentEnd, hasDoubledQuotes: false, next: i + 1, terminator: .lineEnd)
            }
            if b == UInt8(ascii: "\"") { throw .quoteInUnquotedField(at: i) }
            i += 1
        }
        let contentEnd = i > start && p[i - 1] == 13 ? i - 1 : i
        return Field(contentStart: start, contentEnd: contentEnd, hasDoubledQuotes: false, next: end, terminator: .end)
    }

    static func quotedField(_ p: UnsafePointer<UInt8>, at start: Int, end: Int, delimiter: UInt8) throws(CSVFault) -> Field {
        var i = start + 1
        var doubled = false
        while true {
            guard i < end, let found = memchr(p + i, Int32(UInt8(ascii: "\"")), end - i) else {
                throw .unterminatedQuote(at: start)
            }
            let q = i + (UnsafeRawPointer(found) - UnsafeRawPointer(p + i))
            if q + 1 < end, p[q + 1] == UInt8(ascii: "\"") {
                doubled = true
                i = q + 2
                continue
            }
            let after = q + 1
            var field = Field(contentStart: start + 1, contentEnd: q, hasDoubledQuotes: doubled, next: after, terminator: .end)
            if after == end { return field }
            let b = p[after]
            if b == delimiter {
                field.next = after + 1
                field.terminator = .delimiter
            } else if b == 10 {
                field.next = after + 1
                field.terminator = .lineEnd
            } else if b == 13, after + 1 == end || p[after + 1] == 10 {
                field.next = Swift.min(after + 2, end)
                field.terminator = after + 1 == end ? .end : .lineEnd
            } else {
                throw .unexpectedAfterQuote(at: after)
            }
            return field
        }
    }

    /// The content of a field with each doubled quote `""` replaced by one `"`.
    static func unescaped(_ p: UnsafePointer<UInt8>, _ field: Field) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(field.contentEnd - field.contentStart)
        var i = field.contentStart
        while i < field.contentEnd {
            out.append(p[i])
            i += p[i] == UInt8(ascii: "\"") ? 2 : 1
        }
        return out
    }

    /// Whether a row starting at `i` is an empty line (`\n` or `\r\n`); returns its length.
    @inline(__always)
    static func emptyLineLength(_ p: UnsafePointer<UInt8>, at i: Int, end: Int) -> Int {
        let b = p[i]
        if b == 10 { return 1 }
        if b == 13, i + 1 < end, p[i + 1] == 10 { return 2 }
        return 0
    }

    /// The number of fields in the row that starts at `start` (for ragged-row messages),
    /// or nil if the row cannot be scanned.
    static func fieldCount(_ p: UnsafePointer<UInt8>, rowStart start: Int, end: Int, delimiter: UInt8) -> Int? {
        var i = start
        var n = 0
        while true {
            guard let f = try? field(p, at: i, end: end, delimiter: delimiter) else { return nil }
            n += 1
            if f.terminator != .delimiter { return n }
            i = f.next
        }
    }
}
