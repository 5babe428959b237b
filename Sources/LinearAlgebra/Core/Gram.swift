extension Matrix {
    /// The default number of rows per block in `gram`: large enough that each block's
    /// gemm runs near peak, small enough to balance two or more threads on 10⁵+ rows.
    public static let defaultGramBlockRows = 16_384

    /// XᵀX (k×k, symmetric) for the n×k matrix a view shows, computed in parallel over row blocks.
    ///
    /// Rows are cut into blocks of `blockRows` (independent of the thread count); each block's
    /// X_bᵀX_b is one BLAS gemm into its own buffer, and the blocks are summed in order, so the
    /// result is bit-identical for any `parallelism`. For tall, skinny X this is faster than one
    /// `dsyrk` (which runs far below dgemm's rate for small k in OpenBLAS 0.3.21).
    /// - Throws: `invalidArgument` for `blockRows < 1`; `dimensionTooLarge`.
    /// - Complexity: O(n·k²) flops; O((n / blockRows)·k²) extra memory.
    public static func gram(
        _ x: MatrixView, parallelism: Parallelism = .serial, blockRows: Int = defaultGramBlockRows
    ) throws -> Matrix {
        guard blockRows >= 1 else {
            throw LinearAlgebraError.invalidArgument(operation: "Matrix.gram", detail: "blockRows must be ≥ 1, got \(blockRows)")
        }
        let k = x.columns
        let total = try Parallel.reduce(count: x.rows, chunkSize: blockRows, parallelism: parallelism) { rows in
            var partial = Matrix(rows: k, columns: k)
            let block = x.view(rows: rows)
            try BLAS.gemm(1, block.T, block, 0, &partial)
            return partial
        } combine: { a, b in
            var sum = a
            sum.add(b)
            return sum
        }
        return total ?? Matrix(rows: k, columns: k)
    }

    /// self ← self + other, elementwise.
    /// - Precondition: equal shapes.
    /// - Complexity: O(rows · columns).
    public mutating func add(_ other: Matrix) {
        precondition(rows == other.rows && columns == other.columns, "Matrix.add needs equal shapes")
        other.withUnsafeBufferPointer { src in
            withUnsafeMutableBufferPointer { dst in
                for i in dst.indices { dst[i] += src[i] }
            }
        }
    }
}
