/// A read-only, non-copying window on a `Matrix`: a block of rows and columns
/// addressed by an offset and a leading dimension, possibly transposed.
///
/// A view shares the matrix's storage buffer (copy-on-write keeps it valid even
/// if the matrix later changes; the view then still sees the old values). BLAS
/// routines read a view in place: a transposed view is passed as a transpose
/// flag, never copied.
public struct MatrixView: Sendable {
    @usableFromInline let base: [Double]
    /// Index in the storage of the block's first element.
    public let offset: Int
    /// Rows of the stored block (before any transpose).
    public let storedRows: Int
    /// Columns of the stored block (before any transpose).
    public let storedColumns: Int
    /// Distance in the storage between the starts of two stored columns.
    public let leadingDimension: Int
    /// Whether the view shows the transpose of the stored block.
    public let isTransposed: Bool

    init(base: [Double], offset: Int, storedRows: Int, storedColumns: Int, leadingDimension: Int, isTransposed: Bool) {
        self.base = base
        self.offset = offset
        self.storedRows = storedRows
        self.storedColumns = storedColumns
        self.leadingDimension = leadingDimension
        self.isTransposed = isTransposed
    }

    /// Rows of the matrix this view shows.
    public var rows: Int { isTransposed ? storedColumns : storedRows }
    /// Columns of the matrix this view shows.
    public var columns: Int { isTransposed ? storedRows : storedColumns }

    /// The transpose, as a flag: O(1), no copy.
    public var T: MatrixView {
        MatrixView(base: base, offset: offset, storedRows: storedRows, storedColumns: storedColumns,
                   leadingDimension: leadingDimension, isTransposed: !isTransposed)
    }

    /// Element `(row, column)` of the shown matrix.
    /// - Precondition: indices in range.
    @inlinable
    public subscript(row: Int, column: Int) -> Double {
        precondition(row >= 0 && row < rows && column >= 0 && column < columns, "MatrixView index out of range")
        let (i, j) = isTransposed ? (column, row) : (row, column)
        return base[offset + i + j * leadingDimension]
    }

    /// Column `j` of the shown matrix as a slice of the shared storage (no copy) when the view
    /// is not transposed, else as a gathered copy.
    /// - Precondition: `j` in range.
    /// - Complexity: O(1) untransposed, O(rows) transposed.
    public func column(_ j: Int) -> ArraySlice<Double> {
        precondition(j >= 0 && j < columns, "MatrixView column out of range")
        guard !isTransposed else { return ArraySlice((0..<rows).map { self[$0, j] }) }
        let start = offset + j * leadingDimension
        return base[start..<(start + storedRows)]
    }

    /// A sub-block of the shown matrix, still without copying.
    /// - Precondition: ranges inside the view.
    /// - Complexity: O(1).
    public func view(rows rowRange: Range<Int>, columns columnRange: Range<Int>) -> MatrixView {
        precondition(rowRange.lowerBound >= 0 && rowRange.upperBound <= rows, "row range outside the view")
        precondition(columnRange.lowerBound >= 0 && columnRange.upperBound <= columns, "column range outside the view")
        let (storedRowRange, storedColumnRange) = isTransposed ? (columnRange, rowRange) : (rowRange, columnRange)
        return MatrixView(
            base: base, offset: offset + storedRowRange.lowerBound + storedColumnRange.lowerBound * leadingDimension,
            storedRows: storedRowRange.count, storedColumns: storedColumnRange.count,
            leadingDimension: leadingDimension, isTransposed: isTransposed)
    }

    /// The shown rows `range`, all columns. O(1).
    public func view(rows range: Range<Int>) -> MatrixView { view(rows: range, columns: 0..<columns) }
    /// The shown columns `range`, all rows. O(1).
    public func view(columns range: Range<Int>) -> MatrixView { view(rows: 0..<rows, columns: range) }

    /// The shown matrix as a new owned `Matrix`.
    /// - Complexity: O(rows · columns).
    public func copy() -> Matrix {
        Matrix(rows: rows, columns: columns) { i, j in self[i, j] }
    }

    /// Whether every shown element is finite.
    /// - Complexity: O(rows · columns), vectorized per stored column.
    public var isFinite: Bool {
        withStoredColumns { columns in columns.allSatisfy { VectorKernels.allFinite($0) } }
    }

    /// Calls `body` with a pointer to the first stored element and the leading dimension,
    /// in the 32-bit form BLAS/LAPACK take (`ld >= max(1, storedRows)`).
    func withUnsafeOperand<R>(_ body: (UnsafePointer<Double>, Int32) throws -> R) rethrows -> R {
        let ld = Int32(truncatingIfNeeded: max(1, leadingDimension))
        return try base.withUnsafeBufferPointer { buffer in
            if let start = buffer.baseAddress { return try body(start + offset, ld) }
            // An empty base has no address; BLAS never reads it when a dimension is 0.
            var placeholder = 0.0
            return try withUnsafePointer(to: &placeholder) { try body($0, ld) }
        }
    }

    /// Calls `body` with each stored column as a buffer (used by scans such as `isFinite`).
    func withStoredColumns<R>(_ body: ([UnsafeBufferPointer<Double>]) throws -> R) rethrows -> R {
        try base.withUnsafeBufferPointer { buffer in
            var columns: [UnsafeBufferPointer<Double>] = []
            columns.reserveCapacity(storedColumns)
            if let start = buffer.baseAddress {
                for j in 0..<storedColumns {
                    columns.append(UnsafeBufferPointer(start: start + offset + j * leadingDimension, count: storedRows))
                }
            }
            return try body(columns)
        }
    }
}

extension Matrix {
    /// The whole matrix as a non-copying view. O(1).
    public var view: MatrixView {
        MatrixView(base: storage, offset: 0, storedRows: rows, storedColumns: columns,
                   leadingDimension: rows, isTransposed: false)
    }

    /// A non-copying view of a block. O(1).
    /// - Precondition: ranges inside the matrix.
    public func view(rows rowRange: Range<Int>, columns columnRange: Range<Int>) -> MatrixView {
        view.view(rows: rowRange, columns: columnRange)
    }

    /// A non-copying view of some rows (all columns). O(1).
    public func view(rows range: Range<Int>) -> MatrixView { view.view(rows: range) }

    /// A non-copying view of some columns (all rows). O(1).
    public func view(columns range: Range<Int>) -> MatrixView { view.view(columns: range) }

    /// The matrix a view shows, as an owned matrix (a copy unless the view is the whole matrix untransposed).
    public init(_ view: MatrixView) {
        if !view.isTransposed, view.offset == 0, view.leadingDimension == view.storedRows,
           view.base.count == view.storedRows * view.storedColumns {
            self.rows = view.storedRows
            self.columns = view.storedColumns
            self._storage = view.base
        } else {
            self = view.copy()
        }
    }
}
