/// The column names of a CSV source and the offset of its first data row.
struct CSVHeader: Sendable {
    /// The column names, in file order (`column1`, … without a header, or for an empty cell).
    var names: [String]
    /// The absolute byte offset of the first data row.
    var dataStart: Int

    /// Reads the header row (or, without one, counts the first row's fields), after an
    /// optional UTF-8 byte-order mark and empty lines.
    /// - Throws: `TabularError.file` for an empty file, a malformed or non-UTF-8 header;
    ///   `.duplicateColumn` for a repeated name.
    /// - Complexity: O(length of the first row) (reads a 64 KiB prefix, more if needed).
    static func read(_ source: CSVSource, name: String, options: CSVOptions) throws -> CSVHeader {
        var length = Swift.min(source.size, 64 << 10)
        while true {
            let complete = length == source.size
            var bytes = try source.bytes(0..<length)
            bytes.append(0)  // never empty; the extra byte is past `end` and never read
            let parsed = try bytes.withUnsafeBufferPointer { b -> CSVHeader? in
                guard let p = b.baseAddress else { return nil }
                return try parse(p, end: length, complete: complete, source: source, name: name, options: options)
            }
            if let parsed { return parsed }
            length = Swift.min(source.size, length * 4)
        }
    }

    /// The header from `p[0..<end]`, or nil when the first row does not end within it.
    private static func parse(_ p: UnsafePointer<UInt8>, end: Int, complete: Bool, source: CSVSource,
                              name: String, options: CSVOptions) throws -> CSVHeader? {
        // UTF-32 LE starts like UTF-16 LE (FF FE) and is told apart by its two zero bytes.
        if end >= 4, p[0] == 0xFF, p[1] == 0xFE, p[2] == 0, p[3] == 0 { throw CSVErrors.otherEncoding(name, "UTF-32LE") }
        if end >= 4, p[0] == 0, p[1] == 0, p[2] == 0xFE, p[3] == 0xFF { throw CSVErrors.otherEncoding(name, "UTF-32BE") }
        if end >= 2, p[0] == 0xFF, p[1] == 0xFE { throw CSVErrors.otherEncoding(name, "UTF-16LE") }
        if end >= 2, p[0] == 0xFE, p[1] == 0xFF { throw CSVErrors.otherEncoding(name, "UTF-16BE") }
        var i = end >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0
        while i < end {
            let blank = CSVByteScanner.emptyLineLength(p, at: i, end: end)
            if blank == 0 { break }
            i += blank
        }
        if i >= end {
            if complete { throw CSVErrors.empty(name) }
            return nil
        }
        let recordStart = i
        var cells: [String] = []
        while true {
            let field: CSVByteScanner.Field
            do {
                field = try CSVByteScanner.field(p, at: i, end: end, delimiter: options.delimiter.byte)
            } catch {
                if !complete, case .unterminatedQuote = error { return nil }
                throw CSVErrors.error(error, blockStart: 0, source: source, name: name, columnNames: [])
            }
            if field.terminator == .end, !complete { return nil }
            if let bad = UTF8Validation.firstInvalidByte(p, field.contentStart, field.contentEnd) {
                throw CSVErrors.error(.invalidUTF8(at: bad), blockStart: 0, source: source, name: name, columnNames: [])
            }
            let text = field.hasDoubledQuotes
                ? CSVByteScanner.unescaped(p, field)
                : Array(UnsafeBufferPointer(start: p + field.contentStart, count: field.contentEnd - field.contentStart))
            cells.append(String(decoding: text, as: UTF8.self))
            i = field.next
            if field.terminator != .delimiter { break }
        }
        guard options.hasHeader else {
            return CSVHeader(names: cells.indices.map { "column\($0 + 1)" }, dataStart: recordStart)
        }
        let names = cells.enumerated().map { k, cell in cell.isEmpty ? "column\(k + 1)" : cell }
        var seen = Set<String>()
        for n in names where !seen.insert(n).inserted { throw TabularError.duplicateColumn(name: n, file: name) }
        return CSVHeader(names: names, dataStart: i)
    }

    /// The decoding plan: declared types from `options.columnTypes`, inference elsewhere.
    /// - Throws: `TabularError.unknownColumn` (with suggestions) for a type declared for no column.
    func plan(options: CSVOptions) throws -> CSVPlan {
        for declared in options.columnTypes.keys.sorted() where !names.contains(declared) {
            throw TabularError.unknownColumn(name: declared, suggestions: Suggestions.closest(to: declared, in: names))
        }
        let modes = names.map { n in options.columnTypes[n].map(FieldMode.init) ?? .infer }
        return CSVPlan(columnCount: names.count, modes: modes, delimiter: options.delimiter.byte,
                       classifier: FieldClassifier(options: options))
    }

    /// Whether any data row follows the header (a line that is not empty).
    /// - Complexity: O(bytes up to the first non-empty line).
    func hasDataRows(in source: CSVSource) throws -> Bool {
        var i = dataStart
        let piece = 64 << 10
        while i < source.size {
            let upper = Swift.min(source.size, i + piece + 1)
            let bytes = try source.bytes(i..<upper)
            var k = 0
            while k < bytes.count {
                if bytes[k] == 10 { k += 1; continue }
                if bytes[k] == 13, k + 1 < bytes.count, bytes[k + 1] == 10 { k += 2; continue }
                if bytes[k] == 13, k + 1 == bytes.count, upper < source.size { break }  // look at the next piece
                return true
            }
            i += Swift.max(1, k)
        }
        return false
    }
}
