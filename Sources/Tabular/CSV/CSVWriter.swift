import Foundation

/// Writes a table as RFC 4180 CSV: a header, then one line per row; numbers in their shortest
/// round-trip form (so reading the file back gives the same doubles), booleans as true/false,
/// missing values as empty fields, text quoted when it holds a delimiter, quote or line break.
public enum CSVWriter {
    /// The CSV text of `table`.
    /// - Throws: `TabularError.unknownColumn` only if the table cannot read back one of its own columns.
    /// - Complexity: O(cells).
    public static func text(_ table: Table) throws -> String {
        let columns = try table.columnNames.map { try table.column(named: $0) }
        var lines = [table.columnNames.map(field).joined(separator: ",")]
        lines.reserveCapacity(table.rowCount + 1)
        for i in 0..<table.rowCount {
            lines.append(columns.map { column in column.text(at: i).map(field) ?? "" }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes `table` to `path`.
    /// - Throws: `TabularError.file` when the file cannot be written.
    public static func write(_ table: Table, to path: String) throws {
        do {
            try Data(try text(table).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch let error as TabularError {
            throw error
        } catch {
            throw TabularError.file(FileLocation(file: path, line: 0, column: nil), reason: "cannot be written (\(error.localizedDescription))")
        }
    }

    static func field(_ text: String) -> String {
        guard text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r") else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
