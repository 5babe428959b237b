extension Matrix {
    /// The default number of rows per block in `gram` for `columns` columns: 2,048 below 32
    /// columns (the block stays in L2 and OpenBLAS's gemm runs fastest on it: 11 ms instead of
    /// 16 ms for 10⁶ × 20 on 2 threads), 16,384 from 32 columns on (long gemm inner dimension).
    /// It depends only on the shape, never on the thread count, so results stay bit-identical.
    public static func defaultGramBlockRows(columns: Int) -> Int { columns < 32 ? 2_048 : 16_384 }

    /// XᵀX (k×k, symmetric) for the n×k matrix a view shows, computed in parallel over row blocks.
    ///
    /// Rows are cut into blocks of `blockRows` (default `defaultGramBlockRows(columns:)`;
    /// independent of the thread count); each block's
    /// X_bᵀX_b is one BLAS gemm into its own buffer, and the blocks are summed in order, so the
    /// result is bit-identical for any `parallelism`. For tall, skinny X this is faster than one
    /// `dsyrk` (which runs far below dgemm's rate for small k in OpenBLAS 0.3.21).
    /// - Throws: `invalidArgument` for `blockRows < 1`; `dimensionTooLarge`.
    /// - Complexity: O(n·k²) flops; O((n / blockRows)·k²) extra memory (under 1 % of X's size).
    public static func gram(
        _ x: MatrixView, parallelism: Parallelism = .serial, blockRows: Int? = nil
    ) throws -> Matrix {
        let blockRows = blockRows ?? defaultGramBlockRows(columns: x.columns)
        guard blockRows >= 1 else {
            throw LinearAlgebraError.invalidArgument(operation: "Matrix.gram", detail: "blockRows must be ≥ 1, got \(blockRows)")
        }
        let k = x.columns
        let total = try Parallel.reduce(count: x.rows, chunkSize: blockRows, parallelism: parallelism) { rows in
            try blockGram(x.view(rows: rows))
        } combine: { a, b in
            var sum = a
            sum.add(b)
            return sum
        }
        return total ?? Matrix(rows: k, columns: k)
    }

    /// (D·X)ᵀ(D·X) = Xᵀ·diag(s²)·X for D = diag(`rowScale`) — the weighted Gram matrix of weighted
    /// least squares (s = √w) and the meat of heteroskedasticity-robust variances (s = |uᵢ|).
    ///
    /// Same blocking and fixed-order sum as `gram(_:parallelism:blockRows:)`; each block's rows
    /// are scaled into a block-sized buffer first, so no scaled copy of X is ever made.
    /// - Throws: `dimensionMismatch` unless `rowScale.count == x.rows`; `invalidArgument` for
    ///   `blockRows < 1`; `dimensionTooLarge`.
    /// - Complexity: O(n·k²) flops; O(blockRows·k) extra memory per thread.
    public static func gram(
        _ x: MatrixView, rowScale: [Double], parallelism: Parallelism = .serial, blockRows: Int? = nil
    ) throws -> Matrix {
        guard rowScale.count == x.rows else {
            throw LinearAlgebraError.dimensionMismatch(operation: "Matrix.gram", detail: "X has \(x.rows) rows, rowScale has \(rowScale.count)")
        }
        let blockRows = blockRows ?? defaultGramBlockRows(columns: x.columns)
        guard blockRows >= 1 else {
            throw LinearAlgebraError.invalidArgument(operation: "Matrix.gram", detail: "blockRows must be ≥ 1, got \(blockRows)")
        }
        let k = x.columns
        let total = try Parallel.reduce(count: x.rows, chunkSize: blockRows, parallelism: parallelism) { rows in
            try blockGram(x.view(rows: rows).rowScaled(by: rowScale[rows]).view)
        } combine: { a, b in
            var sum = a
            sum.add(b)
            return sum
        }
        return total ?? Matrix(rows: k, columns: k)
    }

    /// Below this many columns a block's XᵀX is one gemm; from it on, lower panels (see `blockGram`).
    static let gramPanelThreshold = 48
    /// Column width of the panels `blockGram` uses for wide X.
    static let gramPanelWidth = 32

    /// X_bᵀX_b of one row block. For k ≥ 48 it computes only the lower trapezoid, one gemm per
    /// column panel [j₀, j₁): G[j₀:, j₀:j₁] = X[:, j₀:]ᵀ·X[:, j₀:j₁], mirrored into the upper
    /// triangle — about 2/3 of a full gemm's flops at nearly gemm's rate (10⁶ × 100 on 2 threads:
    /// 209 ms instead of 246 ms; Debian's OpenBLAS 0.3.21 dsyrk runs at half gemm's rate).
    static func blockGram(_ block: MatrixView) throws -> Matrix {
        let k = block.columns
        var gram = Matrix(rows: k, columns: k)
        guard k >= gramPanelThreshold else {
            try BLAS.gemm(1, block.T, block, 0, &gram)
            return gram
        }
        var j0 = 0
        while j0 < k {
            let j1 = Swift.min(k, j0 + gramPanelWidth)
            var panel = Matrix(rows: k - j0, columns: j1 - j0)
            try BLAS.gemm(1, block.view(columns: j0..<k).T, block.view(columns: j0..<j1), 0, &panel)
            for j in j0..<j1 {
                for i in j..<k {
                    let value = panel[i - j0, j - j0]
                    gram[i, j] = value
                    gram[j, i] = value
                }
            }
            j0 = j1
        }
        return gram
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
