import CLAPACK

/// Checked Swift wrappers over the BLAS routines the upper layers need.
///
/// Each wrapper validates dimensions in Swift (throwing
/// `LinearAlgebraError.dimensionMismatch` or `.dimensionTooLarge`) and then
/// calls OpenBLAS through `cblas_*` without copying: matrices are passed by
/// pointer and leading dimension, and a transposed `MatrixView` becomes the
/// transpose flag. BLAS propagates NaN and infinity as IEEE arithmetic does;
/// these wrappers do not scan for them.
public enum BLAS {}

/// Which triangle of a symmetric or triangular matrix is referenced.
public enum Triangle: Sendable, Equatable {
    case lower
    case upper

    var flipped: Triangle { self == .lower ? .upper : .lower }
    var cblas: CBLAS_UPLO { self == .lower ? CblasLower : CblasUpper }
    var lapack: CChar { CChar(UInt8(ascii: self == .lower ? "L" : "U")) }
}

/// Whether a triangular matrix has an implicit unit diagonal.
public enum Diagonal: Sendable, Equatable {
    case nonUnit
    case unit

    var cblas: CBLAS_DIAG { self == .unit ? CblasUnit : CblasNonUnit }
    var lapack: CChar { CChar(UInt8(ascii: self == .unit ? "U" : "N")) }
}

/// The side on which a triangular matrix multiplies in `trsm`.
public enum Side: Sendable, Equatable {
    case left
    case right
}

extension MatrixView {
    var cblasTranspose: CBLAS_TRANSPOSE { isTransposed ? CblasTrans : CblasNoTrans }
}

// MARK: - Level 1

extension BLAS {
    /// xᵀy.
    /// - Throws: `dimensionMismatch` when the lengths differ; `dimensionTooLarge` past Int32.
    /// - Complexity: O(n).
    public static func dot(_ x: some Collection<Double>, _ y: some Collection<Double>) throws -> Double {
        guard x.count == y.count else {
            throw LinearAlgebraError.dimensionMismatch(operation: "BLAS.dot", detail: "lengths \(x.count) and \(y.count)")
        }
        let n = try Contiguous.int32(x.count, "BLAS.dot")
        return Contiguous.withBuffer(x) { bx in
            Contiguous.withBuffer(y) { by in
                Contiguous.withBase(bx) { px in Contiguous.withBase(by) { py in cblas_ddot(n, px, 1, py, 1) } }
            }
        }
    }

    /// y ← αx + y.
    /// - Throws: `dimensionMismatch` when the lengths differ.
    /// - Complexity: O(n).
    public static func axpy(_ alpha: Double, _ x: some Collection<Double>, _ y: inout [Double]) throws {
        guard x.count == y.count else {
            throw LinearAlgebraError.dimensionMismatch(operation: "BLAS.axpy", detail: "lengths \(x.count) and \(y.count)")
        }
        let n = try Contiguous.int32(x.count, "BLAS.axpy")
        Contiguous.withBuffer(x) { bx in
            Contiguous.withBase(bx) { px in Contiguous.withMutableBase(&y) { py in cblas_daxpy(n, alpha, px, 1, py, 1) } }
        }
    }

    /// x ← αx.
    /// - Complexity: O(n).
    public static func scal(_ alpha: Double, _ x: inout [Double]) throws {
        let n = try Contiguous.int32(x.count, "BLAS.scal")
        Contiguous.withMutableBase(&x) { px in cblas_dscal(n, alpha, px, 1) }
    }

    /// ‖x‖₂, computed without overflow or underflow by OpenBLAS's scaled algorithm.
    /// - Complexity: O(n).
    public static func nrm2(_ x: some Collection<Double>) throws -> Double {
        let n = try Contiguous.int32(x.count, "BLAS.nrm2")
        return Contiguous.withBuffer(x) { bx in Contiguous.withBase(bx) { px in cblas_dnrm2(n, px, 1) } }
    }
}

// MARK: - Level 2

extension BLAS {
    /// y ← α·A·x + β·y, where `a` may be a transposed view (passed as a flag).
    /// - Throws: `dimensionMismatch` unless `x.count == a.columns` and `y.count == a.rows`.
    /// - Complexity: O(rows · columns).
    public static func gemv(
        _ alpha: Double, _ a: MatrixView, _ x: some Collection<Double>, _ beta: Double, _ y: inout [Double]
    ) throws {
        guard x.count == a.columns, y.count == a.rows else {
            throw LinearAlgebraError.dimensionMismatch(
                operation: "BLAS.gemv", detail: "A is \(a.rows)×\(a.columns), x has \(x.count), y has \(y.count)")
        }
        let m = try Contiguous.int32(a.storedRows, "BLAS.gemv")
        let n = try Contiguous.int32(a.storedColumns, "BLAS.gemv")
        if a.rows == 0 { return }
        if a.columns == 0 { try scal(beta, &y); return }
        a.withUnsafeOperand { pa, lda in
            Contiguous.withBuffer(x) { bx in
                Contiguous.withBase(bx) { px in
                    Contiguous.withMutableBase(&y) { py in
                        cblas_dgemv(CblasColMajor, a.cblasTranspose, m, n, alpha, pa, lda, px, 1, beta, py, 1)
                    }
                }
            }
        }
    }

    /// Solves op(A)·x = b in place (`x` holds b on entry), A triangular; `triangle` names the
    /// triangle of the matrix the view shows.
    /// - Throws: `notSquare`, `dimensionMismatch`. A zero on the diagonal gives ±inf/NaN, as in BLAS;
    ///   use `LAPACK`-level solvers for a checked singular error.
    /// - Complexity: O(n²).
    public static func trsv(
        _ a: MatrixView, _ triangle: Triangle, _ diagonal: Diagonal = .nonUnit, _ x: inout [Double]
    ) throws {
        guard a.rows == a.columns else {
            throw LinearAlgebraError.notSquare(operation: "BLAS.trsv", rows: a.rows, columns: a.columns)
        }
        guard x.count == a.rows else {
            throw LinearAlgebraError.dimensionMismatch(operation: "BLAS.trsv", detail: "A is \(a.rows)×\(a.columns), x has \(x.count)")
        }
        let n = try Contiguous.int32(a.rows, "BLAS.trsv")
        if n == 0 { return }
        let storedTriangle = a.isTransposed ? triangle.flipped : triangle
        a.withUnsafeOperand { pa, lda in
            Contiguous.withMutableBase(&x) { px in
                cblas_dtrsv(CblasColMajor, storedTriangle.cblas, a.cblasTranspose, diagonal.cblas, n, pa, lda, px, 1)
            }
        }
    }
}

// MARK: - Level 3

extension BLAS {
    /// C ← α·A·B + β·C, where `a` and `b` may be transposed views (passed as flags).
    /// - Throws: `dimensionMismatch` unless A is m×k, B is k×n and C is m×n.
    /// - Complexity: O(m·n·k).
    public static func gemm(
        _ alpha: Double, _ a: MatrixView, _ b: MatrixView, _ beta: Double, _ c: inout Matrix
    ) throws {
        guard a.columns == b.rows, c.rows == a.rows, c.columns == b.columns else {
            throw LinearAlgebraError.dimensionMismatch(
                operation: "BLAS.gemm",
                detail: "A is \(a.rows)×\(a.columns), B is \(b.rows)×\(b.columns), C is \(c.rows)×\(c.columns)")
        }
        let m = try Contiguous.int32(a.rows, "BLAS.gemm")
        let n = try Contiguous.int32(b.columns, "BLAS.gemm")
        let k = try Contiguous.int32(a.columns, "BLAS.gemm")
        if m == 0 || n == 0 { return }
        a.withUnsafeOperand { pa, lda in
            b.withUnsafeOperand { pb, ldb in
                c.withUnsafeMutableOperand { pc, ldc in
                    cblas_dgemm(CblasColMajor, a.cblasTranspose, b.cblasTranspose, m, n, k,
                                alpha, pa, lda, pb, ldb, beta, pc, ldc)
                }
            }
        }
    }

    /// C ← α·A·Aᵀ + β·C for symmetric C, computing only `triangle`; with `fill` the other
    /// triangle is then copied from it so C is a full symmetric matrix. Pass `x.view.T` as `a`
    /// to get XᵀX (the transpose goes to BLAS as a flag).
    /// - Throws: `dimensionMismatch` unless C is n×n with n = a.rows.
    /// - Complexity: O(n²·k) for A of n×k; half of `gemm`'s flops.
    public static func syrk(
        _ alpha: Double, _ a: MatrixView, _ beta: Double, _ c: inout Matrix,
        triangle: Triangle = .lower, fill: Bool = true
    ) throws {
        guard c.rows == a.rows, c.columns == a.rows else {
            throw LinearAlgebraError.dimensionMismatch(
                operation: "BLAS.syrk", detail: "A is \(a.rows)×\(a.columns), C is \(c.rows)×\(c.columns)")
        }
        let n = try Contiguous.int32(a.rows, "BLAS.syrk")
        let k = try Contiguous.int32(a.columns, "BLAS.syrk")
        if n == 0 { return }
        a.withUnsafeOperand { pa, lda in
            c.withUnsafeMutableOperand { pc, ldc in
                cblas_dsyrk(CblasColMajor, triangle.cblas, a.cblasTranspose, n, k, alpha, pa, lda, beta, pc, ldc)
            }
        }
        if fill { c.fillSymmetric(from: triangle) }
    }

    /// Solves op(A)·X = α·B (side `.left`) or X·op(A) = α·B (side `.right`) in place (B holds X on
    /// exit), A triangular; `triangle` names the triangle of the matrix the view shows.
    /// - Throws: `notSquare`, `dimensionMismatch`.
    /// - Complexity: O(n²·p) for B of n×p.
    public static func trsm(
        _ side: Side, _ a: MatrixView, _ triangle: Triangle, _ diagonal: Diagonal = .nonUnit,
        _ alpha: Double = 1, _ b: inout Matrix
    ) throws {
        guard a.rows == a.columns else {
            throw LinearAlgebraError.notSquare(operation: "BLAS.trsm", rows: a.rows, columns: a.columns)
        }
        let needed = side == .left ? b.rows : b.columns
        guard needed == a.rows else {
            throw LinearAlgebraError.dimensionMismatch(
                operation: "BLAS.trsm", detail: "A is \(a.rows)×\(a.columns), B is \(b.rows)×\(b.columns) (side \(side))")
        }
        let m = try Contiguous.int32(b.rows, "BLAS.trsm")
        let n = try Contiguous.int32(b.columns, "BLAS.trsm")
        if m == 0 || n == 0 { return }
        let storedTriangle = a.isTransposed ? triangle.flipped : triangle
        a.withUnsafeOperand { pa, lda in
            b.withUnsafeMutableOperand { pb, ldb in
                cblas_dtrsm(CblasColMajor, side == .left ? CblasLeft : CblasRight, storedTriangle.cblas,
                            a.cblasTranspose, diagonal.cblas, m, n, alpha, pa, lda, pb, ldb)
            }
        }
    }
}

// MARK: - Conveniences

extension Matrix {
    /// Copies `triangle` onto the other triangle so the matrix is exactly symmetric.
    /// - Precondition: square.
    /// - Complexity: O(n²).
    public mutating func fillSymmetric(from triangle: Triangle) {
        precondition(rows == columns, "fillSymmetric needs a square matrix")
        let n = rows
        withUnsafeMutableBufferPointer { s in
            for j in 0..<n {
                for i in (j + 1)..<max(j + 1, n) {
                    if triangle == .lower { s[j + i * n] = s[i + j * n] } else { s[i + j * n] = s[j + i * n] }
                }
            }
        }
    }

    /// The product A·B of two (possibly transposed) views as a new matrix.
    /// - Throws: `dimensionMismatch` unless `a.columns == b.rows`.
    /// - Complexity: O(m·n·k).
    public static func product(_ a: MatrixView, _ b: MatrixView) throws -> Matrix {
        var c = Matrix(rows: a.rows, columns: b.columns)
        try BLAS.gemm(1, a, b, 0, &c)
        return c
    }

    /// The matrix–vector product A·x.
    /// - Throws: `dimensionMismatch` unless `x.count == a.columns`.
    /// - Complexity: O(rows · columns).
    public static func product(_ a: MatrixView, _ x: some Collection<Double>) throws -> [Double] {
        var y = [Double](repeating: 0, count: a.rows)
        try BLAS.gemv(1, a, x, 0, &y)
        return y
    }
}
