import CLAPACK
import Foundation

/// The Cholesky factorization A = L·Lᵀ (or Uᵀ·U) of a symmetric positive definite matrix (LAPACK potrf).
public struct Cholesky: Sendable {
    /// The factor: L (lower) or U (upper) in `triangle`, zeros in the other triangle.
    public let factor: Matrix
    /// Which triangle holds the factor.
    public let triangle: Triangle
    /// ‖A‖₁ of the factored matrix, kept for the condition estimate.
    let normOfA: Double

    /// Factors the symmetric matrix `a`, reading only `triangle` of it.
    /// - Throws: `notSquare`; `nonFinite` if the referenced triangle or the factor (overflow) has NaN/±inf;
    ///   `notPositiveDefinite(minor:)` if A is not positive definite.
    /// - Complexity: O(n³/3).
    public init(_ a: Matrix, triangle: Triangle = .lower) throws {
        try a.requireSquare("Cholesky")
        let n = try Contiguous.int32(a.rows, "Cholesky")
        var work = a
        work.keepTriangle(triangle)
        try work.requireFinite("Cholesky", "the matrix")
        var symmetric = work
        symmetric.fillSymmetric(from: triangle)
        let info = work.withUnsafeMutableOperand { p, ld in
            LAPACKE_dpotrf(LAPACK_COL_MAJOR, triangle.lapack, n, p, ld)
        }
        try LAPACKStatus.check(info, "dpotrf", .notPositiveDefinite)
        try work.requireFiniteFactors("Cholesky")
        self.factor = work
        self.triangle = triangle
        self.normOfA = symmetric.norm(.one)
    }

    /// Solves A·X = B for X.
    /// - Throws: `dimensionMismatch` unless B has n rows; `nonFinite` for NaN/±inf in B.
    /// - Complexity: O(n²·p) for p right-hand sides.
    public func solve(_ b: Matrix) throws -> Matrix {
        guard b.rows == factor.rows else {
            throw LinearAlgebraError.dimensionMismatch(
                operation: "Cholesky.solve", detail: "A is \(factor.rows)×\(factor.rows), B has \(b.rows) rows")
        }
        try b.requireFinite("Cholesky.solve", "the right-hand side")
        let n = try Contiguous.int32(factor.rows, "Cholesky.solve")
        let nrhs = try Contiguous.int32(b.columns, "Cholesky.solve")
        var x = b
        if n == 0 || nrhs == 0 { return x }
        let info = factor.view.withUnsafeOperand { pa, lda in
            x.withUnsafeMutableOperand { pb, ldb in
                LAPACKE_dpotrs(LAPACK_COL_MAJOR, triangle.lapack, n, nrhs, pa, lda, pb, ldb)
            }
        }
        try LAPACKStatus.check(info, "dpotrs")
        return x
    }

    /// Solves A·x = b for one right-hand side.
    public func solve(_ b: [Double]) throws -> [Double] {
        try solve(Matrix(rows: b.count, columns: 1, columnMajor: b)).storage
    }

    /// A⁻¹ as a full symmetric matrix (LAPACK potri, then the other triangle filled).
    /// - Complexity: O(n³).
    public func inverse() throws -> Matrix {
        let n = try Contiguous.int32(factor.rows, "Cholesky.inverse")
        var inv = factor
        if n == 0 { return inv }
        let info = inv.withUnsafeMutableOperand { p, ld in
            LAPACKE_dpotri(LAPACK_COL_MAJOR, triangle.lapack, n, p, ld)
        }
        try LAPACKStatus.check(info, "dpotri", .singular)
        inv.fillSymmetric(from: triangle)
        return inv
    }

    /// log det A = 2·Σ log Lᵢᵢ (no overflow for large n).
    /// - Complexity: O(n).
    public var logDeterminant: Double {
        var s = 0.0
        for i in 0..<factor.rows { s += 2 * Foundation.log(factor[i, i]) }
        return s
    }

    /// An estimate of 1/κ₁(A) (LAPACK pocon): near 0 means A is nearly singular.
    /// - Complexity: O(n²).
    public func reciprocalConditionNumber() throws -> Double {
        let n = try Contiguous.int32(factor.rows, "Cholesky.reciprocalConditionNumber")
        if n == 0 { return 1 }
        var rcond = 0.0
        let info = factor.view.withUnsafeOperand { pa, lda in
            LAPACKE_dpocon(LAPACK_COL_MAJOR, triangle.lapack, n, pa, lda, normOfA, &rcond)
        }
        try LAPACKStatus.check(info, "dpocon")
        return rcond
    }
}

extension Matrix {
    /// Zeros every element outside `triangle` (diagonal kept).
    /// - Complexity: O(n²).
    public mutating func keepTriangle(_ triangle: Triangle) {
        let (m, n) = (rows, columns)
        withUnsafeMutableBufferPointer { s in
            for j in 0..<n {
                for i in 0..<m where (triangle == .lower && i < j) || (triangle == .upper && i > j) {
                    s[i + j * m] = 0
                }
            }
        }
    }
}
