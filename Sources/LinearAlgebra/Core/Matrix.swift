/// A dense, owned matrix of `Double` in column-major order, as BLAS and LAPACK expect.
///
/// Element `(i, j)` lives at `storage[i + j * rows]`. `Matrix` is a value type
/// with copy-on-write storage; `view` and the range-taking `view(rows:columns:)`
/// give non-copying `MatrixView`s that BLAS routines read through pointers and
/// leading dimensions.
public struct Matrix: Sendable, Equatable, CustomStringConvertible {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// The elements in column-major order; `count == rows * columns`.
    public var storage: [Double] { _storage }
    @usableFromInline var _storage: [Double]

    /// A `rows × columns` matrix with every element equal to `value`.
    /// - Precondition: `rows >= 0`, `columns >= 0` (a programming error otherwise).
    /// - Complexity: O(rows · columns).
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self._storage = Array(repeating: value, count: rows * columns)
    }

    /// A matrix over column-major elements.
    /// - Throws: `LinearAlgebraError.dimensionMismatch` when `columnMajor.count != rows * columns`
    ///   or a dimension is negative.
    /// - Complexity: O(1) beyond taking the array.
    public init(rows: Int, columns: Int, columnMajor: [Double]) throws {
        guard rows >= 0, columns >= 0, columnMajor.count == rows * columns else {
            throw LinearAlgebraError.dimensionMismatch(
                operation: "Matrix(rows:columns:columnMajor:)",
                detail: "\(columnMajor.count) elements for a \(rows)×\(columns) matrix")
        }
        self.rows = rows
        self.columns = columns
        self._storage = columnMajor
    }

    /// A matrix from row-major nested arrays (convenient for small literals in tests and examples).
    /// - Throws: `LinearAlgebraError.dimensionMismatch` when the rows have different lengths.
    /// - Complexity: O(rows · columns).
    public init(rowMajor rowsOfValues: [[Double]]) throws {
        let m = rowsOfValues.count
        let n = rowsOfValues.first?.count ?? 0
        for (index, row) in rowsOfValues.enumerated() where row.count != n {
            throw LinearAlgebraError.dimensionMismatch(
                operation: "Matrix(rowMajor:)", detail: "row \(index) has \(row.count) values, row 0 has \(n)")
        }
        var values = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n { values[i + j * m] = rowsOfValues[i][j] }
        }
        self.rows = m
        self.columns = n
        self._storage = values
    }

    /// A matrix whose element `(i, j)` is `element(i, j)`, filled column by column.
    /// - Complexity: O(rows · columns) calls of `element`.
    public init(rows: Int, columns: Int, _ element: (Int, Int) throws -> Double) rethrows {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        var values = [Double]()
        values.reserveCapacity(rows * columns)
        for j in 0..<columns {
            for i in 0..<rows { values.append(try element(i, j)) }
        }
        self.rows = rows
        self.columns = columns
        self._storage = values
    }

    /// The `n × n` identity matrix.
    /// - Complexity: O(n²).
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m._storage[i + i * n] = 1 }
        return m
    }

    /// Element `(row, column)`.
    /// - Precondition: indices in range (a programming error otherwise).
    @inlinable
    public subscript(row: Int, column: Int) -> Double {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            return _storage[row + column * rows]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            _storage[row + column * rows] = newValue
        }
    }

    /// Column `j` as a non-copying slice of the storage.
    /// - Complexity: O(1).
    public func column(_ j: Int) -> ArraySlice<Double> {
        precondition(j >= 0 && j < columns, "Matrix column out of range")
        return storage[(j * rows)..<((j + 1) * rows)]
    }

    /// Replaces column `j` with `values`.
    /// - Throws: `dimensionMismatch` when `values.count != rows`.
    public mutating func setColumn(_ j: Int, to values: some Collection<Double>) throws {
        precondition(j >= 0 && j < columns, "Matrix column out of range")
        guard values.count == rows else {
            throw LinearAlgebraError.dimensionMismatch(
                operation: "Matrix.setColumn", detail: "\(values.count) values for a column of \(rows)")
        }
        _storage.replaceSubrange((j * rows)..<((j + 1) * rows), with: values)
    }

    /// The transpose as a new matrix. BLAS routines do not need this: pass `view.T` instead.
    /// - Complexity: O(rows · columns) time and memory.
    public func transposed() -> Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for j in 0..<columns {
            for i in 0..<rows { t._storage[j + i * columns] = storage[i + j * rows] }
        }
        return t
    }

    /// Whether every element is finite (neither NaN nor ±infinity).
    /// - Complexity: O(rows · columns), vectorized.
    public var isFinite: Bool { VectorKernels.allFinite(storage) }

    /// Calls `body` with the column-major elements.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with mutable access to the column-major elements.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Double>) throws -> R
    ) rethrows -> R {
        try _storage.withUnsafeMutableBufferPointer(body)
    }

    /// A short textual form (at most 8 rows and columns).
    public var description: String {
        var lines = ["\(rows)×\(columns) Matrix"]
        for i in 0..<min(rows, 8) {
            var cells: [String] = []
            for j in 0..<min(columns, 8) { cells.append("\(self[i, j])") }
            if columns > 8 { cells.append("…") }
            lines.append("  " + cells.joined(separator: "  "))
        }
        if rows > 8 { lines.append("  …") }
        return lines.joined(separator: "\n")
    }
}
