extension Matrix {
    /// Xᵀ·v for a tall X, computed in row blocks (one single-threaded gemv each, in parallel)
    /// and summed in block order: the same bits for any `parallelism` and any OpenBLAS thread
    /// count — unlike one multi-threaded gemv, whose kernel split depends on the thread count.
    /// - Throws: `dimensionMismatch` unless `v.count == x.rows`.
    /// - Complexity: O(n·k) flops, one pass over X; O((n / blockRows)·k) extra memory.
    public static func transposedProduct(_ x: MatrixView, _ v: [Double], parallelism: Parallelism = .serial,
                                         blockRows: Int = 8_192) throws -> [Double] {
        guard v.count == x.rows else {
            throw LinearAlgebraError.dimensionMismatch(operation: "Matrix.transposedProduct", detail: "X has \(x.rows) rows, v has \(v.count)")
        }
        let k = x.columns
        let total = try Parallel.reduce(count: x.rows, chunkSize: Swift.max(1, blockRows), parallelism: parallelism) { rows in
            var partial = [Double](repeating: 0, count: k)
            try BLAS.gemv(1, x.view(rows: rows).T, v[rows], 0, &partial)
            return partial
        } combine: { a, b in
            var sum = a
            for j in sum.indices { sum[j] += b[j] }
            return sum
        }
        return total ?? [Double](repeating: 0, count: k)
    }

    /// X·b for a tall X, in row blocks (one single-threaded gemv each, in parallel):
    /// bit-identical for any `parallelism`.
    /// - Throws: `dimensionMismatch` unless `b.count == x.columns`.
    /// - Complexity: O(n·k) flops, one pass over X.
    public static func blockedProduct(_ x: MatrixView, _ b: [Double], parallelism: Parallelism = .serial,
                                      blockRows: Int = 8_192) throws -> [Double] {
        guard b.count == x.columns else {
            throw LinearAlgebraError.dimensionMismatch(operation: "Matrix.blockedProduct", detail: "X has \(x.columns) columns, b has \(b.count)")
        }
        let parts = try Parallel.map(count: x.rows, chunkSize: Swift.max(1, blockRows), parallelism: parallelism) { rows in
            var part = [Double](repeating: 0, count: rows.count)
            try BLAS.gemv(1, x.view(rows: rows), b, 0, &part)
            return part
        }
        return Array(parts.joined())
    }

    /// y − X·b for a tall X, in row blocks: each block's X_b·b is one single-threaded gemv
    /// into a block-sized buffer, subtracted from y straight into the result. The same bits
    /// as `y − blockedProduct(x, b)` (for any `parallelism`) without its two n-length
    /// intermediate arrays.
    /// - Throws: `dimensionMismatch` unless `b.count == x.columns` and `y.count == x.rows`.
    /// - Complexity: O(n·k) flops, one pass over X; O(blockRows) extra memory per block.
    public static func blockedResiduals(_ x: MatrixView, _ y: [Double], _ b: [Double], parallelism: Parallelism = .serial,
                                        blockRows: Int = 8_192) throws -> [Double] {
        guard b.count == x.columns, y.count == x.rows else {
            throw LinearAlgebraError.dimensionMismatch(operation: "Matrix.blockedResiduals",
                                                       detail: "X is \(x.rows)×\(x.columns), b has \(b.count), y has \(y.count)")
        }
        let n = y.count
        return try [Double](unsafeUninitializedCapacity: n) { result, initialized in
            // Each block writes only its own rows of `result`, and `result` is read only after
            // `Parallel.forEach` returns: the writes never overlap.
            nonisolated(unsafe) let target = result
            try Parallel.forEach(count: n, chunkSize: Swift.max(1, blockRows), parallelism: parallelism) { rows in
                var fitted = [Double](repeating: 0, count: rows.count)
                try BLAS.gemv(1, x.view(rows: rows), b, 0, &fitted)
                y.withUnsafeBufferPointer { source in
                    for i in 0..<rows.count { target[rows.lowerBound + i] = source[rows.lowerBound + i] - fitted[i] }
                }
            }
            initialized = n
        }
    }
}
