extension Matrix {
    /// The rows `indices` (in that order) as a new matrix.
    /// - Complexity: O(indices.count · columns).
    public func selectingRows(_ indices: [Int]) -> Matrix {
        var result = Matrix(rows: indices.count, columns: columns)
        for j in 0..<columns {
            let column = self.column(j)
            let start = column.startIndex
            for (i, row) in indices.enumerated() { result[i, j] = column[start + row] }
        }
        return result
    }

    /// The columns `indices` (in that order) as a new matrix.
    public func selectingColumns(_ indices: [Int]) -> Matrix {
        // Matrix(rows:columns:columnMajor:) only throws on a count mismatch, impossible here.
        (try? Matrix(rows: rows, columns: indices.count, columnMajor: Array(indices.map { self.column($0) }.joined())))
            ?? Matrix(rows: rows, columns: 0)
    }

    /// [self, other] side by side.
    /// - Precondition: equal row counts.
    public func appendingColumns(_ other: Matrix) -> Matrix {
        precondition(rows == other.rows, "appendingColumns needs equal row counts")
        return (try? Matrix(rows: rows, columns: columns + other.columns, columnMajor: storage + other.storage))
            ?? Matrix(rows: rows, columns: 0)
    }
}
