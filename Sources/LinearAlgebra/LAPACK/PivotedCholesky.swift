import CLAPACK

/// The pivoted Cholesky factorization Pᵀ·A·P = L·Lᵀ of a symmetric positive *semi*definite
/// matrix (LAPACK pstrf), with the numerical rank it finds.
///
/// Why: covariances from fixed-effect models, or of parameters with exact linear
/// restrictions, are only semidefinite, and `Cholesky` (potrf) rejects them. Complete
/// pivoting takes the largest remaining diagonal at each step and stops when it falls
/// below `tolerance`; the r = `rank` columns of `factor` then reproduce A:
/// A ≈ F·Fᵀ with F = `permutedFactor` (n × r), which is all a sampler needs (x = μ + F·z).
public struct PivotedCholesky: Sendable {
    /// L: n × rank, lower trapezoidal, in pivoted order (row i belongs to variable `pivots[i]`).
    public let factor: Matrix
    /// The permutation: `pivots[i]` is the 0-based index of the variable in pivoted position i.
    public let pivots: [Int]
    /// The numerical rank r: the number of pivots above `tolerance`.
    public let rank: Int
    /// The pivot threshold that was used.
    public let tolerance: Double

    /// Factors the symmetric positive semidefinite matrix `a`.
    ///
    /// - Parameters:
    ///   - a: A square symmetric matrix; both triangles are read to check symmetry.
    ///   - tolerance: Pivots at or below this are treated as zero. `nil` (the default) uses
    ///     LAPACK's choice, n·ε·max(diag A).
    /// - Throws: `notSquare`; `nonFinite` for NaN/±inf; `invalidArgument` if `a` is not
    ///   symmetric (|aᵢⱼ − aⱼᵢ| > 100·n·ε·max|a|), if `tolerance` is negative or NaN, or if `a`
    ///   is not positive semidefinite: a diagonal below −tol or a residual
    ///   max|A − F·Fᵀ| above max(tol, 100·n·ε·max|a|) after the factorization (a negative
    ///   eigenvalue beyond the tolerance leaves such a residual).
    /// - Complexity: O(n²·r) for the factorization and the same for the residual check.
    public init(_ a: Matrix, tolerance: Double? = nil) throws {
        try a.requireSquare("PivotedCholesky")
        try a.requireFinite("PivotedCholesky", "the matrix")
        let n = a.rows
        let n32 = try Contiguous.int32(n, "PivotedCholesky")
        let scale = a.storage.reduce(0) { Swift.max($0, Swift.abs($1)) }
        let roundoff = 100 * Double(Swift.max(n, 1)) * Double.ulpOfOne * scale
        for j in 0..<n {
            for i in (j + 1)..<Swift.max(j + 1, n) where Swift.abs(a[i, j] - a[j, i]) > roundoff {
                throw LinearAlgebraError.invalidArgument(
                    operation: "PivotedCholesky",
                    detail: "the matrix is not symmetric: a[\(i),\(j)] = \(a[i, j]) but a[\(j),\(i)] = \(a[j, i])")
            }
        }
        if let tolerance, !(tolerance >= 0) {
            throw LinearAlgebraError.invalidArgument(
                operation: "PivotedCholesky", detail: "tolerance must be ≥ 0, got \(tolerance)")
        }
        let maxDiagonal = (0..<n).reduce(0.0) { Swift.max($0, a[$1, $1]) }
        let tol = tolerance ?? Double(n) * Double.ulpOfOne * maxDiagonal
        for i in 0..<n where a[i, i] < -Swift.max(tol, roundoff) {
            throw LinearAlgebraError.invalidArgument(
                operation: "PivotedCholesky",
                detail: "the matrix is not positive semidefinite: diagonal \(i) is \(a[i, i]) < 0")
        }
        var work = a
        var piv = [Int32](repeating: 0, count: Swift.max(1, n))
        var rank32: Int32 = 0
        if n > 0 {
            // pstrf's info > 0 only says "rank deficient", which is a result here, not an error.
            let info = work.withUnsafeMutableOperand { p, ld in
                piv.withUnsafeMutableBufferPointer { pp in
                    LAPACKE_dpstrf(LAPACK_COL_MAJOR, Triangle.lower.lapack, n32, p, ld, pp.baseAddress, &rank32,
                                   tolerance ?? -1)
                }
            }
            if info < 0 { try LAPACKStatus.check(info, "dpstrf") }
        }
        let r = Int(rank32)
        var l = Matrix(rows: n, columns: r)
        for j in 0..<r { for i in j..<n { l[i, j] = work[i, j] } }
        try l.requireFiniteFactors("PivotedCholesky")
        self.factor = l
        self.pivots = (0..<n).map { Int(piv[$0]) - 1 }
        self.rank = r
        self.tolerance = tol

        let f = permutedFactor
        let product = r == 0 ? Matrix(rows: n, columns: n) : try Matrix.product(f.view, f.view.T)
        var residual = 0.0
        for j in 0..<n { for i in 0..<n { residual = Swift.max(residual, Swift.abs(product[i, j] - a[i, j])) } }
        if residual > Swift.max(tol, roundoff) {
            throw LinearAlgebraError.invalidArgument(
                operation: "PivotedCholesky",
                detail: "the matrix is not positive semidefinite: after \(r) pivots the residual max|A − F·Fᵀ| "
                    + "is \(residual) > tolerance \(Swift.max(tol, roundoff)) (a negative eigenvalue)")
        }
    }

    /// F = P·L (n × rank) in the original variable order, so that A ≈ F·Fᵀ.
    /// - Complexity: O(n·rank).
    public var permutedFactor: Matrix {
        var f = Matrix(rows: factor.rows, columns: rank)
        for j in 0..<rank { for i in 0..<factor.rows { f[pivots[i], j] = factor[i, j] } }
        return f
    }
}
