import Foundation

/// `policylab describe`: one `ColumnSummary` per column of a table, with text and JSON forms.
public struct TableSummary: Sendable, Codable, Equatable {
    /// Where the table came from (the CSV path).
    public let source: String
    /// Rows in the table.
    public let rows: Int
    /// One summary per column, in column order.
    public let columns: [ColumnSummary]

    /// Summarizes every column of `table`.
    /// - Complexity: O(rows · columns · log rows).
    public init(_ table: Table, source: String, levelLimit: Int = 20) throws {
        self.source = source
        rows = table.rowCount
        columns = try table.columnNames.map { ColumnSummary(try table.column(named: $0), levelLimit: levelLimit) }
    }

    /// An aligned text report: a numeric block (count, missing, mean, std, min, quartiles, max)
    /// and, for categorical and bool columns, their levels with counts.
    public var text: String {
        var lines = ["\(source): \(rows) rows, \(columns.count) columns", ""]
        let width = Swift.max(8, columns.map(\.name.count).max() ?? 0)
        let header = ["column".padding(toLength: width, withPad: " ", startingAt: 0), "type       ", "count", "missing",
                      "mean", "std", "min", "25%", "50%", "75%", "max"]
        lines.append(header.enumerated().map { $0.offset < 2 ? $0.element : Self.cell($0.element) }.joined(separator: " "))
        for c in columns {
            var row = [c.name.padding(toLength: width, withPad: " ", startingAt: 0),
                       c.type.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0),
                       Self.cell("\(c.count)"), Self.cell("\(c.missing)")]
            row += [c.mean, c.std, c.min, c.q25, c.median, c.q75, c.max].map { Self.cell($0.map(Self.number) ?? "") }
            lines.append(row.joined(separator: " "))
        }
        for c in columns {
            guard let levels = c.levels, let distinct = c.distinctLevels else { continue }
            lines.append("")
            lines.append("\(c.name): \(distinct) level\(distinct == 1 ? "" : "s")" + (levels.count < distinct ? " (top \(levels.count))" : ""))
            let total = Double(Swift.max(1, c.count))
            for level in levels {
                lines.append("  " + level.level.padding(toLength: Swift.max(12, level.level.count), withPad: " ", startingAt: 0)
                             + " " + Self.cell("\(level.count)") + String(format: " %6.2f%%", 100 * Double(level.count) / total))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The summary as pretty-printed JSON with sorted keys (byte-stable).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    private static func cell(_ s: String) -> String { s.count >= 12 ? s : String(repeating: " ", count: 12 - s.count) + s }
    private static func number(_ v: Double) -> String { String(format: "%.6g", v) }
}
