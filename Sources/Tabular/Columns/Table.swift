/// A table of equally long, uniquely named columns, with an optional row selection.
///
/// Filtering rows records the selected indices instead of copying every column; a
/// column is materialized for the selection only when it is read (`column(named:)`).
public struct Table: Sendable {
    /// All columns of the underlying data, unfiltered.
    public let storedColumns: [Column]
    /// The selected rows of the stored columns (ascending unless built otherwise), or nil for all.
    public let selection: [Int]?
    private let index: [String: Int]

    /// A table over `columns`.
    /// - Throws: `TabularError.duplicateColumn` for a repeated name; `.lengthMismatch` when
    ///   the columns differ in length.
    public init(columns: [Column]) throws {
        var index: [String: Int] = [:]
        for (i, c) in columns.enumerated() {
            if index[c.name] != nil { throw TabularError.duplicateColumn(name: c.name, file: nil) }
            index[c.name] = i
            if let first = columns.first, c.count != first.count {
                throw TabularError.lengthMismatch(column: c.name, expected: first.count, got: c.count)
            }
        }
        self.storedColumns = columns
        self.selection = nil
        self.index = index
    }

    private init(storedColumns: [Column], selection: [Int]?, index: [String: Int]) {
        self.storedColumns = storedColumns
        self.selection = selection
        self.index = index
    }

    /// The number of (selected) rows.
    public var rowCount: Int { selection?.count ?? storedColumns.first?.count ?? 0 }
    /// The column names, in order.
    public var columnNames: [String] { storedColumns.map(\.name) }

    /// The column called `name`, restricted to the selection.
    /// - Throws: `TabularError.unknownColumn` with the closest names as suggestions.
    /// - Complexity: O(1) without a selection, O(selected rows) with one.
    public func column(named name: String) throws -> Column {
        guard let i = index[name] else {
            throw TabularError.unknownColumn(name: name, suggestions: Suggestions.closest(to: name, in: columnNames))
        }
        let c = storedColumns[i]
        guard let selection else { return c }
        return c.selecting(selection)
    }

    /// The rows for which `keep(row)` is true (row indices of this table), without copying columns.
    /// - Complexity: O(rowCount) calls of `keep`.
    public func filter(_ keep: (Int) throws -> Bool) rethrows -> Table {
        var chosen: [Int] = []
        for r in 0..<rowCount where try keep(r) { chosen.append(selection?[r] ?? r) }
        return Table(storedColumns: storedColumns, selection: chosen, index: index)
    }

    /// The given rows of this table (indices into this table's rows), without copying columns.
    /// - Precondition: every index in `0..<rowCount`.
    public func selecting(rows: [Int]) -> Table {
        let mapped = selection.map { sel in rows.map { sel[$0] } } ?? rows
        return Table(storedColumns: storedColumns, selection: mapped, index: index)
    }
}
