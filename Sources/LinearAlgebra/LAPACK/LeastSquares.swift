import CLAPACK

/// The solution of min ‖A·x − b‖₂ by pivoted QR, with rank-deficient columns dropped.
public struct LeastSquaresSolution: Sendable, Equatable {
    /// One coefficient per column of A, in A's column order; NaN for a dropped column
    /// (as R reports `NA` for an aliased term).
    public let coefficients: [Double]
    /// The numerical rank of A.
    public let rank: Int
    /// 0-based indices of the columns dropped as linearly dependent on the others, ascending.
    public let droppedColumns: [Int]
    /// ‖b − A·x‖₂², from the trailing part of Qᵀb (no second pass over A).
    public let residualSumOfSquares: Double
}

extension PivotedQR {
    /// Solves min ‖A·x − b‖₂ with the columns beyond the numerical rank dropped.
    ///
    /// The kept columns are the first `rank` pivots of geqp3; the coefficients of the
    /// other columns are NaN. The solve is backward stable: the relative error of x is
    /// about κ(A_kept)·ε (plus κ²·ε·‖r‖/‖A‖‖x‖ for large residuals).
    /// - Parameter tolerance: relative threshold on |Rᵢᵢ|/|R₁₁| (default `defaultTolerance`).
    /// - Throws: `dimensionMismatch` unless `b.count == rows`; `nonFinite` for NaN/±inf in b;
    ///   `invalidArgument` for a negative tolerance.
    /// - Complexity: O(m·n + rank²).
    public func solveLeastSquares(_ b: [Double], tolerance: Double? = nil) throws -> LeastSquaresSolution {
        guard b.count == rows else {
            throw LinearAlgebraError.dimensionMismatch(
                operation: "PivotedQR.solveLeastSquares", detail: "A has \(rows) rows, b has \(b.count)")
        }
        let r = try rank(tolerance: tolerance)
        let qtb = try applyQTransposed(Matrix(rows: rows, columns: 1, columnMajor: b)).storage
        var z = Array(qtb.prefix(r))
        if r > 0 {
            let n = try Contiguous.int32(r, "PivotedQR.solveLeastSquares")
            let info = packed.view(rows: 0..<r, columns: 0..<r).withUnsafeOperand { pa, lda in
                Contiguous.withMutableBase(&z) { pz in
                    LAPACKE_dtrtrs(LAPACK_COL_MAJOR, Triangle.upper.lapack, CChar(UInt8(ascii: "N")),
                                   Diagonal.nonUnit.lapack, n, 1, pa, lda, pz, n)
                }
            }
            try LAPACKStatus.check(info, "dtrtrs", .singular)
        }
        var x = [Double](repeating: .nan, count: columns)
        for j in 0..<r { x[permutation[j]] = z[j] }
        let dropped = permutation[r...].sorted()
        var rss = 0.0
        for i in r..<rows { rss += qtb[i] * qtb[i] }
        return LeastSquaresSolution(coefficients: x, rank: r, droppedColumns: dropped, residualSumOfSquares: rss)
    }
}

extension Matrix {
    /// Solves min ‖A·x − b‖₂ by pivoted QR (see `PivotedQR.solveLeastSquares`).
    /// - Throws: `nonFinite`, `dimensionMismatch`, `invalidArgument`.
    /// - Complexity: O(2mn²).
    public func leastSquares(_ b: [Double], tolerance: Double? = nil) throws -> LeastSquaresSolution {
        try PivotedQR(self).solveLeastSquares(b, tolerance: tolerance)
    }
}
