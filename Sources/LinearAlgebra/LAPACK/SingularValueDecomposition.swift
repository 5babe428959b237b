import CLAPACK

/// The thin singular value decomposition A = U·diag(s)·Vᵀ (LAPACK gesdd, divide and conquer).
public struct SingularValueDecomposition: Sendable {
    /// m×p left singular vectors, p = min(m, n).
    public let u: Matrix
    /// The p singular values, non-increasing.
    public let singularValues: [Double]
    /// p×n right singular vectors, transposed.
    public let vt: Matrix

    /// Decomposes `a`.
    /// - Throws: `nonFinite` for NaN/±inf; `didNotConverge` if the bidiagonal iteration fails.
    /// - Complexity: O(m·n·min(m,n)) with memory for U and Vᵀ.
    public init(_ a: Matrix) throws {
        let (m, n) = try SingularValueDecomposition.dimensions(a, "SingularValueDecomposition")
        let p = min(a.rows, a.columns)
        var work = a
        var s = [Double](repeating: 0, count: p)
        var u = Matrix(rows: a.rows, columns: p)
        var vt = Matrix(rows: p, columns: a.columns)
        if p > 0 {
            let info = work.withUnsafeMutableOperand { pa, lda in
                s.withUnsafeMutableBufferPointer { ps in
                    u.withUnsafeMutableOperand { pu, ldu in
                        vt.withUnsafeMutableOperand { pvt, ldvt in
                            LAPACKE_dgesdd(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "S")), m, n, pa, lda,
                                           ps.baseAddress, pu, ldu, pvt, ldvt)
                        }
                    }
                }
            }
            try LAPACKStatus.check(info, "dgesdd", .didNotConverge)
        }
        self.u = u
        self.singularValues = s
        self.vt = vt
    }

    /// The singular values alone (cheaper than the full decomposition).
    /// - Throws: `nonFinite`, `didNotConverge`.
    /// - Complexity: O(m·n·min(m,n)).
    public static func singularValues(of a: Matrix) throws -> [Double] {
        let (m, n) = try dimensions(a, "SingularValueDecomposition.singularValues")
        let p = min(a.rows, a.columns)
        var work = a
        var s = [Double](repeating: 0, count: p)
        guard p > 0 else { return s }
        var unusedU = 0.0, unusedVt = 0.0
        let info = work.withUnsafeMutableOperand { pa, lda in
            s.withUnsafeMutableBufferPointer { ps in
                LAPACKE_dgesdd(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), m, n, pa, lda, ps.baseAddress,
                               &unusedU, 1, &unusedVt, 1)
            }
        }
        try LAPACKStatus.check(info, "dgesdd", .didNotConverge)
        return s
    }

    private static func dimensions(_ a: Matrix, _ operation: String) throws -> (Int32, Int32) {
        try a.requireFinite(operation, "the matrix")
        return (try Contiguous.int32(a.rows, operation), try Contiguous.int32(a.columns, operation))
    }
}

extension Matrix {
    /// The numerical rank: the number of singular values above `tolerance`, by default
    /// max(m, n)·ε·σ₁ (numpy's `matrix_rank` convention).
    /// - Throws: `nonFinite`, `didNotConverge`, `invalidArgument` for a negative tolerance.
    /// - Complexity: O(m·n·min(m,n)).
    public func numericalRank(tolerance: Double? = nil) throws -> Int {
        if let tolerance, !(tolerance >= 0) {
            throw LinearAlgebraError.invalidArgument(operation: "Matrix.numericalRank",
                                                     detail: "tolerance must be non-negative, got \(tolerance)")
        }
        let s = try SingularValueDecomposition.singularValues(of: self)
        guard let largest = s.first else { return 0 }
        let threshold = tolerance ?? Double(Swift.max(rows, columns)) * Double.ulpOfOne * largest
        return s.filter { $0 > threshold }.count
    }

    /// The 2-norm condition number σ₁/σₚ (∞ when rank-deficient).
    /// - Throws: `nonFinite`, `didNotConverge`.
    public func conditionNumber() throws -> Double {
        let s = try SingularValueDecomposition.singularValues(of: self)
        guard let largest = s.first, let smallest = s.last else { return 1 }
        return smallest > 0 ? largest / smallest : .infinity
    }
}
