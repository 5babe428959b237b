import CLAPACK
import Foundation

/// The LU factorization P·A = L·U of a square matrix with partial pivoting (LAPACK getrf).
public struct LUFactorization: Sendable {
    /// L (unit lower, below the diagonal) and U (upper) packed as getrf returns them.
    public let factors: Matrix
    /// LAPACK's 1-based row interchanges: row i was swapped with row `pivots[i]`.
    public let pivots: [Int32]
    let normOfA: Double

    /// Factors the square matrix `a`.
    /// - Throws: `notSquare`; `nonFinite` for NaN/±inf in A or in the factors (overflow);
    ///   `singular(pivot:)` when a pivot is exactly zero
    ///   (use `reciprocalConditionNumber` to detect near-singularity).
    /// - Complexity: O(2n³/3).
    public init(_ a: Matrix) throws {
        try a.requireSquare("LU")
        try a.requireFinite("LU", "the matrix")
        let n = try Contiguous.int32(a.rows, "LU")
        var work = a
        var ipiv = [Int32](repeating: 0, count: a.rows)
        let info = work.withUnsafeMutableOperand { p, ld in
            ipiv.withUnsafeMutableBufferPointer { piv in
                LAPACKE_dgetrf(LAPACK_COL_MAJOR, n, n, p, ld, piv.baseAddress)
            }
        }
        try LAPACKStatus.check(info, "dgetrf", .singular)
        try work.requireFiniteFactors("LU")
        self.factors = work
        self.pivots = ipiv
        self.normOfA = a.norm(.one)
    }

    /// Solves A·X = B.
    /// - Throws: `dimensionMismatch` unless B has n rows; `nonFinite` for NaN/±inf in B.
    /// - Complexity: O(n²·p).
    public func solve(_ b: Matrix) throws -> Matrix {
        guard b.rows == factors.rows else {
            throw LinearAlgebraError.dimensionMismatch(
                operation: "LU.solve", detail: "A is \(factors.rows)×\(factors.rows), B has \(b.rows) rows")
        }
        try b.requireFinite("LU.solve", "the right-hand side")
        let n = try Contiguous.int32(factors.rows, "LU.solve")
        let nrhs = try Contiguous.int32(b.columns, "LU.solve")
        var x = b
        if n == 0 || nrhs == 0 { return x }
        let info = factors.view.withUnsafeOperand { pa, lda in
            x.withUnsafeMutableOperand { pb, ldb in
                pivots.withUnsafeBufferPointer { piv in
                    LAPACKE_dgetrs(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), n, nrhs, pa, lda, piv.baseAddress, pb, ldb)
                }
            }
        }
        try LAPACKStatus.check(info, "dgetrs")
        return x
    }

    /// Solves A·x = b for one right-hand side.
    public func solve(_ b: [Double]) throws -> [Double] {
        try solve(Matrix(rows: b.count, columns: 1, columnMajor: b)).storage
    }

    /// A⁻¹ (LAPACK getri).
    /// - Complexity: O(4n³/3).
    public func inverse() throws -> Matrix {
        let n = try Contiguous.int32(factors.rows, "LU.inverse")
        var inv = factors
        if n == 0 { return inv }
        let info = inv.withUnsafeMutableOperand { p, ld in
            pivots.withUnsafeBufferPointer { piv in LAPACKE_dgetri(LAPACK_COL_MAJOR, n, p, ld, piv.baseAddress) }
        }
        try LAPACKStatus.check(info, "dgetri", .singular)
        return inv
    }

    /// det A = ±Π Uᵢᵢ (may overflow for large n; prefer `logAbsDeterminant`).
    public var determinant: Double {
        var d = 1.0
        for i in 0..<factors.rows {
            d *= factors[i, i]
            if pivots[i] != Int32(i + 1) { d = -d }
        }
        return d
    }

    /// log |det A| = Σ log |Uᵢᵢ|.
    public var logAbsDeterminant: Double {
        var s = 0.0
        for i in 0..<factors.rows { s += Foundation.log(Swift.abs(factors[i, i])) }
        return s
    }

    /// An estimate of 1/κ (LAPACK gecon) in the 1-norm.
    /// - Complexity: O(n²).
    public func reciprocalConditionNumber() throws -> Double {
        let n = try Contiguous.int32(factors.rows, "LU.reciprocalConditionNumber")
        if n == 0 { return 1 }
        var rcond = 0.0
        let info = factors.view.withUnsafeOperand { pa, lda in
            LAPACKE_dgecon(LAPACK_COL_MAJOR, MatrixNorm.one.lapack, n, pa, lda, normOfA, &rcond)
        }
        try LAPACKStatus.check(info, "dgecon")
        return rcond
    }
}

extension Matrix {
    /// A⁻¹ through LU with partial pivoting.
    /// - Throws: `notSquare`, `nonFinite`, `singular(pivot:)`.
    /// - Complexity: O(2n³).
    public func inverse() throws -> Matrix { try LUFactorization(self).inverse() }

    /// Solves A·X = B for square A through LU.
    /// - Throws: as `LUFactorization.init` and `solve`.
    public func solve(_ b: Matrix) throws -> Matrix { try LUFactorization(self).solve(b) }

    /// An estimate of 1/κ₁(A) for square A (LU + LAPACK gecon); 0 for an exactly singular matrix.
    /// - Throws: `notSquare`, `nonFinite`.
    /// - Complexity: O(2n³/3).
    public func reciprocalConditionNumber() throws -> Double {
        do {
            return try LUFactorization(self).reciprocalConditionNumber()
        } catch LinearAlgebraError.singular {
            return 0
        }
    }
}
