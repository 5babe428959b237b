import CLAPACK

/// The eigendecomposition A = V·diag(λ)·Vᵀ of a symmetric matrix (LAPACK syevr, MRRR).
public struct SymmetricEigendecomposition: Sendable {
    /// The eigenvalues in ascending order.
    public let eigenvalues: [Double]
    /// Orthonormal eigenvectors, column j for `eigenvalues[j]`.
    public let eigenvectors: Matrix

    /// Decomposes the symmetric matrix `a`, reading only `triangle`.
    /// - Throws: `notSquare`; `nonFinite` for NaN/±inf in the triangle read; `didNotConverge`.
    /// - Complexity: O(n³) (about 9n³ with vectors).
    public init(_ a: Matrix, triangle: Triangle = .lower) throws {
        try a.requireSquare("SymmetricEigendecomposition")
        let n = try Contiguous.int32(a.rows, "SymmetricEigendecomposition")
        var work = a
        work.keepTriangle(triangle)
        try work.requireFinite("SymmetricEigendecomposition", "the matrix")
        var w = [Double](repeating: 0, count: a.rows)
        var z = Matrix(rows: a.rows, columns: a.rows)
        var isuppz = [Int32](repeating: 0, count: 2 * Swift.max(1, a.rows))
        var found: Int32 = 0
        if n > 0 {
            let info = work.withUnsafeMutableOperand { pa, lda in
                w.withUnsafeMutableBufferPointer { pw in
                    z.withUnsafeMutableOperand { pz, ldz in
                        isuppz.withUnsafeMutableBufferPointer { ps in
                            LAPACKE_dsyevr(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "A")),
                                           triangle.lapack, n, pa, lda, 0, 0, 0, 0, 0, &found,
                                           pw.baseAddress, pz, ldz, ps.baseAddress)
                        }
                    }
                }
            }
            try LAPACKStatus.check(info, "dsyevr", .didNotConverge)
        }
        self.eigenvalues = w
        self.eigenvectors = z
    }
}
