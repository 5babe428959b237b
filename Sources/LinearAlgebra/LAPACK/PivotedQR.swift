import CLAPACK
import Foundation

/// The QR factorization with column pivoting A·P = Q·R (LAPACK geqp3).
///
/// The diagonal of R is non-increasing in magnitude, so the numerical rank is the
/// number of |Rᵢᵢ| above a tolerance relative to |R₁₁|. Least-squares solves use
/// Qᵀ (ormqr) and a triangular solve (trtrs) on the leading rank×rank block.
public struct PivotedQR: Sendable {
    /// R in the upper triangle and the Householder vectors below it, as geqp3 returns them.
    public let packed: Matrix
    /// The Householder scalars.
    public let tau: [Double]
    /// 0-based pivots: column j of A·P is column `permutation[j]` of A.
    public let permutation: [Int]

    /// Factors `a` (m×n, any shape), all columns free to pivot.
    /// - Throws: `nonFinite` for NaN/±inf in A, or when a column norm overflows (|a| ≳ 1e154
    ///   entries); `dimensionTooLarge`.
    /// - Complexity: O(2mn² − 2n³/3) for m ≥ n.
    public init(_ a: Matrix) throws {
        try a.requireFinite("PivotedQR", "the matrix")
        let m = try Contiguous.int32(a.rows, "PivotedQR")
        let n = try Contiguous.int32(a.columns, "PivotedQR")
        var work = a
        var jpvt = [Int32](repeating: 0, count: a.columns)
        var tau = [Double](repeating: 0, count: min(a.rows, a.columns))
        if min(m, n) > 0 {
            let info = work.withUnsafeMutableOperand { p, ld in
                jpvt.withUnsafeMutableBufferPointer { pv in
                    tau.withUnsafeMutableBufferPointer { t in
                        LAPACKE_dgeqp3(LAPACK_COL_MAJOR, m, n, p, ld, pv.baseAddress, t.baseAddress)
                    }
                }
            }
            try LAPACKStatus.check(info, "dgeqp3")
            try work.requireFiniteFactors("PivotedQR")
            guard VectorKernels.allFinite(tau) else {
                throw LinearAlgebraError.nonFinite(
                    operation: "PivotedQR", argument: "the Householder scalars (a column norm overflows; rescale the data)")
            }
        } else {
            for j in 0..<a.columns { jpvt[j] = Int32(j + 1) }
        }
        self.packed = work
        self.tau = tau
        self.permutation = jpvt.map { Int($0) - 1 }
    }

    /// Rows of A.
    public var rows: Int { packed.rows }
    /// Columns of A.
    public var columns: Int { packed.columns }

    /// R: the min(m,n)×n upper-triangular factor (columns in pivoted order).
    public var r: Matrix {
        let k = min(rows, columns)
        return Matrix(rows: k, columns: columns) { i, j in i <= j ? packed[i, j] : 0 }
    }

    /// The default rank tolerance: max(m, n)·ε, relative to |R₁₁| (the convention of
    /// numpy's `matrix_rank` and MATLAB's `rank`, applied to R's diagonal).
    public var defaultTolerance: Double { Double(max(rows, columns)) * Double.ulpOfOne }

    /// The numerical rank: the number of |Rᵢᵢ| > tolerance·|R₁₁|.
    /// - Throws: `invalidArgument` for a negative or NaN tolerance.
    /// - Complexity: O(min(m, n)).
    public func rank(tolerance: Double? = nil) throws -> Int {
        if let tolerance, !(tolerance >= 0) {
            throw LinearAlgebraError.invalidArgument(operation: "PivotedQR.rank",
                                                     detail: "tolerance must be non-negative, got \(tolerance)")
        }
        let k = min(rows, columns)
        guard k > 0 else { return 0 }
        let top = Swift.abs(packed[0, 0])
        guard top > 0 else { return 0 }
        let threshold = (tolerance ?? defaultTolerance) * top
        var r = 0
        while r < k && Swift.abs(packed[r, r]) > threshold { r += 1 }
        return r
    }

    /// Qᵀ·B (LAPACK ormqr), B with m rows.
    /// - Throws: `dimensionMismatch`; `nonFinite` for NaN/±inf in B.
    /// - Complexity: O(4·m·n·p) for B of m×p.
    public func applyQTransposed(_ b: Matrix) throws -> Matrix {
        try applyQ(b, transposed: true)
    }

    /// Q·B (LAPACK ormqr), B with m rows.
    public func applyQ(_ b: Matrix) throws -> Matrix {
        try applyQ(b, transposed: false)
    }

    private func applyQ(_ b: Matrix, transposed: Bool) throws -> Matrix {
        guard b.rows == rows else {
            throw LinearAlgebraError.dimensionMismatch(
                operation: "PivotedQR.applyQ", detail: "Q is \(rows)×\(rows), B has \(b.rows) rows")
        }
        try b.requireFinite("PivotedQR.applyQ", "the right-hand side")
        let m = try Contiguous.int32(b.rows, "PivotedQR.applyQ")
        let p = try Contiguous.int32(b.columns, "PivotedQR.applyQ")
        let k = Int32(tau.count)
        var c = b
        if m == 0 || p == 0 || k == 0 { return c }
        let info = packed.view.withUnsafeOperand { pa, lda in
            tau.withUnsafeBufferPointer { t in
                c.withUnsafeMutableOperand { pc, ldc in
                    LAPACKE_dormqr(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), CChar(UInt8(ascii: transposed ? "T" : "N")),
                                   m, p, k, pa, lda, t.baseAddress, pc, ldc)
                }
            }
        }
        try LAPACKStatus.check(info, "dormqr")
        return c
    }

    /// The thin Q (m×min(m,n)) as an explicit matrix (ormqr applied to the identity's leading columns).
    /// - Complexity: O(4·m·n·min(m,n)).
    public func thinQ() throws -> Matrix {
        let k = min(rows, columns)
        let e = Matrix(rows: rows, columns: k) { i, j in i == j ? 1 : 0 }
        return try applyQ(e)
    }

    /// An estimate of 1/κ₁ of the leading rank×rank block of R (LAPACK trcon).
    /// - Complexity: O(rank²).
    public func reciprocalConditionNumber(rank: Int? = nil) throws -> Double {
        let r = try rank ?? self.rank()
        guard r > 0 else { return 0 }
        let n = try Contiguous.int32(r, "PivotedQR.reciprocalConditionNumber")
        var rcond = 0.0
        let info = packed.view(rows: 0..<r, columns: 0..<r).withUnsafeOperand { pa, lda in
            LAPACKE_dtrcon(LAPACK_COL_MAJOR, MatrixNorm.one.lapack, Triangle.upper.lapack, Diagonal.nonUnit.lapack,
                           n, pa, lda, &rcond)
        }
        try LAPACKStatus.check(info, "dtrcon")
        return rcond
    }
}
