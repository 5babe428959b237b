/// Turns scanner faults into `TabularError`s that name the file, line and column and say
/// what to do.
enum CSVErrors {
    /// The error for `fault`, whose offsets are relative to the block starting at `blockStart`.
    static func error(_ fault: CSVFault, blockStart: Int, source: CSVSource, name: String,
                      columnNames: [String]) -> TabularError {
        func at(_ offset: Int, column: Bool = true) -> FileLocation {
            let (line, character) = source.location(of: blockStart + offset)
            return FileLocation(file: name, line: line, column: column ? character : nil)
        }
        func columnName(_ j: Int) -> String { j < columnNames.count ? "'\(columnNames[j])'" : "\(j + 1)" }
        switch fault {
        case let .unterminatedQuote(offset):
            return .file(at(offset), reason: "the quoted field that opens here is never closed; "
                + "end it with \" (a quote inside a quoted field is written \"\")")
        case let .quoteInUnquotedField(offset):
            return .file(at(offset), reason: "a quote inside an unquoted field; enclose the whole field "
                + "in quotes and double the quote (\"\")")
        case let .unexpectedAfterQuote(offset):
            return .file(at(offset), reason: "unexpected text after a closing quote; expected the "
                + "delimiter or the end of the line")
        case let .fieldCount(offset, expected, got):
            return .file(at(offset, column: false), reason: "this row has \(got) field\(got == 1 ? "" : "s") "
                + "where \(expected) \(expected == 1 ? "is" : "are") expected (one per column); "
                + "check for an unquoted delimiter or a missing one")
        case let .invalidUTF8(offset):
            let byte = (try? source.bytes((blockStart + offset)..<(blockStart + offset + 1)).first).flatMap { $0 }
            let hex = byte.map { " 0x" + String($0, radix: 16, uppercase: true) } ?? ""
            return .file(at(offset), reason: "invalid UTF-8 byte\(hex) in a text value; "
                + "re-encode the file as UTF-8")
        case let .wrongType(offset, column, expected, text):
            return .file(at(offset), reason: "column \(columnName(column)) is declared \(expected.rawValue) "
                + "but holds '\(text)'; fix the value, add it to the missing tokens, or declare the column "
                + "\(expected == .double ? "categorical" : "double or categorical")")
        case let .tooManyLevels(offset, column):
            return .file(at(offset), reason: "column \(columnName(column)) has more than 2,147,483,646 "
                + "distinct values; it cannot be categorical")
        case let .internalInconsistency(offset):
            return .file(at(offset), reason: "the rows around here could not be split consistently; "
                + "please report this file")
        }
    }

    /// A UTF-16 or UTF-32 byte-order mark at the start: the reader takes UTF-8 only.
    static func otherEncoding(_ name: String, _ encoding: String) -> TabularError {
        .file(FileLocation(file: name, line: 1, column: 1),
              reason: "the file starts with a \(encoding) byte-order mark; re-encode it as UTF-8 (for example: iconv -f \(encoding) -t UTF-8)")
    }

    /// "file is empty" at line 1.
    static func empty(_ name: String) -> TabularError {
        .file(FileLocation(file: name, line: 1), reason: "the file is empty; expected a header row and data rows")
    }

    /// "header but no data rows" at the line after the header (`dataStart` is where it ends).
    static func headerOnly(_ name: String, source: CSVSource, dataStart: Int) -> TabularError {
        var line = source.location(of: dataStart).line
        let endsWithNewline = dataStart > 0 && (try? source.bytes((dataStart - 1)..<dataStart)) == [10]
        if dataStart >= source.size, !endsWithNewline { line += 1 }
        return .file(FileLocation(file: name, line: line),
                     reason: "the file has a header but no data rows; a table needs at least one row")
    }
}
