import Testing
@testable import LinearAlgebra

// Every failure that input data can cause is a typed `LinearAlgebraError`, never a trap.
// Each test names the exact error value, so the operation names and messages are pinned too.

typealias LAError = LinearAlgebraError

@Suite("Error paths: dimension mismatch")
struct DimensionMismatchTests {
    static let a23 = rowMajor([[1, 2, 3], [4, 5, 6]])

    @Test func matrixConstruction() throws {
        #expect(throws: LAError.dimensionMismatch(operation: "Matrix(rows:columns:columnMajor:)",
                                                  detail: "5 elements for a 2×3 matrix")) {
            try Matrix(rows: 2, columns: 3, columnMajor: [1, 2, 3, 4, 5])
        }
        // A negative dimension is data, not a programming error, for this initializer.
        #expect(throws: LAError.dimensionMismatch(operation: "Matrix(rows:columns:columnMajor:)",
                                                  detail: "0 elements for a -1×0 matrix")) {
            try Matrix(rows: -1, columns: 0, columnMajor: [])
        }
        #expect(throws: LAError.dimensionMismatch(operation: "Matrix(rowMajor:)", detail: "row 1 has 1 values, row 0 has 2")) {
            try Matrix(rowMajor: [[1, 2], [3]])
        }
        var m = Self.a23
        #expect(throws: LAError.dimensionMismatch(operation: "Matrix.setColumn", detail: "3 values for a column of 2")) {
            try m.setColumn(0, to: [1, 2, 3])
        }
        #expect(m == Self.a23)
    }

    @Test func level1() {
        #expect(throws: LAError.dimensionMismatch(operation: "BLAS.dot", detail: "lengths 2 and 3")) {
            try BLAS.dot([1, 2], [1, 2, 3])
        }
        var y: [Double] = [1, 2, 3]
        #expect(throws: LAError.dimensionMismatch(operation: "BLAS.axpy", detail: "lengths 2 and 3")) {
            try BLAS.axpy(1, [1, 2], &y)
        }
        #expect(y == [1, 2, 3])
    }

    @Test func gemv() {
        var y2: [Double] = [0, 0]
        // x too short for A (2×3).
        #expect(throws: LAError.dimensionMismatch(operation: "BLAS.gemv", detail: "A is 2×3, x has 2, y has 2")) {
            try BLAS.gemv(1, Self.a23.view, [1, 2], 0, &y2)
        }
        // y has the wrong length.
        var y3: [Double] = [0, 0, 0]
        #expect(throws: LAError.dimensionMismatch(operation: "BLAS.gemv", detail: "A is 2×3, x has 3, y has 3")) {
            try BLAS.gemv(1, Self.a23.view, [1, 2, 3], 0, &y3)
        }
        // Through the transpose flag, Aᵀ is 3×2.
        #expect(throws: LAError.dimensionMismatch(operation: "BLAS.gemv", detail: "A is 3×2, x has 3, y has 3")) {
            try BLAS.gemv(1, Self.a23.view.T, [1, 2, 3], 0, &y3)
        }
        #expect(throws: LAError.dimensionMismatch(operation: "BLAS.gemv", detail: "A is 2×3, x has 2, y has 2")) {
            try Matrix.product(Self.a23.view, [1, 2])
        }
    }

    @Test func gemm() {
        let b22 = Matrix.identity(2)
        var c = Matrix(rows: 2, columns: 2)
        // Inner dimensions: A is 2×3, B is 2×2.
        #expect(throws: LAError.dimensionMismatch(operation: "BLAS.gemm", detail: "A is 2×3, B is 2×2, C is 2×2")) {
            try BLAS.gemm(1, Self.a23.view, b22.view, 0, &c)
        }
        // C rows: Aᵀ is 3×2, so C needs 3 rows.
        #expect(throws: LAError.dimensionMismatch(operation: "BLAS.gemm", detail: "A is 3×2, B is 2×2, C is 2×2")) {
            try BLAS.gemm(1, Self.a23.view.T, b22.view, 0, &c)
        }
        // C columns: A (2×3)·Aᵀ (3×2) is 2×2, but C is 2×3.
        var c23 = Matrix(rows: 2, columns: 3)
        #expect(throws: LAError.dimensionMismatch(operation: "BLAS.gemm", detail: "A is 2×3, B is 3×2, C is 2×3")) {
            try BLAS.gemm(1, Self.a23.view, Self.a23.view.T, 0, &c23)
        }
        #expect(throws: LAError.dimensionMismatch(operation: "BLAS.gemm", detail: "A is 2×3, B is 2×3, C is 2×3")) {
            try Matrix.product(Self.a23.view, Self.a23.view)
        }
    }

    @Test func syrk() {
        // A is 2×3, so A·Aᵀ is 2×2; C is 3×3.
        var c = Matrix(rows: 3, columns: 3)
        #expect(throws: LAError.dimensionMismatch(operation: "BLAS.syrk", detail: "A is 2×3, C is 3×3")) {
            try BLAS.syrk(1, Self.a23.view, 0, &c)
        }
        var c2 = Matrix(rows: 3, columns: 2)
        #expect(throws: LAError.dimensionMismatch(operation: "BLAS.syrk", detail: "A is 3×2, C is 3×2")) {
            try BLAS.syrk(1, Self.a23.view.T, 0, &c2)
        }
    }

    @Test func trsvAndTrsm() {
        let l = rowMajor([[2, 0], [1, 4]])
        var x: [Double] = [1, 2, 3]
        #expect(throws: LAError.dimensionMismatch(operation: "BLAS.trsv", detail: "A is 2×2, x has 3")) {
            try BLAS.trsv(l.view, .lower, .nonUnit, &x)
        }
        var b32 = Matrix(rows: 3, columns: 2)
        // Left: B needs 2 rows.
        #expect(throws: LAError.dimensionMismatch(operation: "BLAS.trsm", detail: "A is 2×2, B is 3×2 (side left)")) {
            try BLAS.trsm(.left, l.view, .lower, .nonUnit, 1, &b32)
        }
        // Right: B needs 2 columns.
        var b23 = Matrix(rows: 2, columns: 3)
        #expect(throws: LAError.dimensionMismatch(operation: "BLAS.trsm", detail: "A is 2×2, B is 2×3 (side right)")) {
            try BLAS.trsm(.right, l.view, .lower, .nonUnit, 1, &b23)
        }
    }

    @Test func solves() throws {
        let spd = rowMajor([[4, 2], [2, 3]])
        let b3 = Matrix(rows: 3, columns: 1)
        #expect(throws: LAError.dimensionMismatch(operation: "Cholesky.solve", detail: "A is 2×2, B has 3 rows")) {
            try Cholesky(spd).solve(b3)
        }
        #expect(throws: LAError.dimensionMismatch(operation: "Cholesky.solve", detail: "A is 2×2, B has 3 rows")) {
            try Cholesky(spd).solve([1, 2, 3])
        }
        #expect(throws: LAError.dimensionMismatch(operation: "LU.solve", detail: "A is 2×2, B has 3 rows")) {
            try LUFactorization(spd).solve(b3)
        }
        #expect(throws: LAError.dimensionMismatch(operation: "LU.solve", detail: "A is 2×2, B has 1 rows")) {
            try LUFactorization(spd).solve([1])
        }
        #expect(throws: LAError.dimensionMismatch(operation: "LU.solve", detail: "A is 2×2, B has 3 rows")) {
            try spd.solve(b3)
        }
        let qr = try PivotedQR(Self.a23)
        #expect(throws: LAError.dimensionMismatch(operation: "PivotedQR.applyQ", detail: "Q is 2×2, B has 3 rows")) {
            try qr.applyQ(b3)
        }
        #expect(throws: LAError.dimensionMismatch(operation: "PivotedQR.applyQ", detail: "Q is 2×2, B has 3 rows")) {
            try qr.applyQTransposed(b3)
        }
        #expect(throws: LAError.dimensionMismatch(operation: "PivotedQR.solveLeastSquares", detail: "A has 2 rows, b has 3")) {
            try qr.solveLeastSquares([1, 2, 3])
        }
        #expect(throws: LAError.dimensionMismatch(operation: "PivotedQR.solveLeastSquares", detail: "A has 2 rows, b has 1")) {
            try Self.a23.leastSquares([1])
        }
    }

    @Test func vectorKernels() {
        #expect(throws: LAError.dimensionMismatch(operation: "VectorKernels.dot", detail: "lengths 3 and 2")) {
            try VectorKernels.dot([1, 2, 3], [1, 2])
        }
        #expect(throws: LAError.dimensionMismatch(operation: "VectorKernels.dot", detail: "lengths 1 and 0")) {
            try VectorKernels.weightedSum([1], weights: [])
        }
        #expect(throws: LAError.dimensionMismatch(operation: "VectorKernels.weightedSumOfSquares", detail: "lengths 2 and 3")) {
            try VectorKernels.weightedSumOfSquares([1, 2], weights: [1, 2, 3])
        }
        #expect(throws: LAError.dimensionMismatch(operation: "VectorKernels.weightedDot", detail: "lengths 2, 2 and 1")) {
            try VectorKernels.weightedDot([1, 2], [3, 4], weights: [1])
        }
        #expect(throws: LAError.dimensionMismatch(operation: "VectorKernels.weightedDot", detail: "lengths 2, 1 and 2")) {
            try VectorKernels.weightedDot([1, 2], [3], weights: [1, 2])
        }
    }
}

@Suite("Error paths: not square")
struct NotSquareTests {
    static let a23 = rowMajor([[1, 2, 3], [4, 5, 6]])

    @Test func everyRoutineThatNeedsASquareMatrix() {
        #expect(throws: LAError.notSquare(operation: "Cholesky", rows: 2, columns: 3)) { try Cholesky(Self.a23) }
        #expect(throws: LAError.notSquare(operation: "LU", rows: 2, columns: 3)) { try LUFactorization(Self.a23) }
        #expect(throws: LAError.notSquare(operation: "LU", rows: 2, columns: 3)) { try Self.a23.inverse() }
        #expect(throws: LAError.notSquare(operation: "LU", rows: 2, columns: 3)) { try Self.a23.solve(Matrix(rows: 2, columns: 1)) }
        #expect(throws: LAError.notSquare(operation: "LU", rows: 2, columns: 3)) { try Self.a23.reciprocalConditionNumber() }
        #expect(throws: LAError.notSquare(operation: "SymmetricEigendecomposition", rows: 2, columns: 3)) {
            try SymmetricEigendecomposition(Self.a23)
        }
        var x: [Double] = [1, 2]
        #expect(throws: LAError.notSquare(operation: "BLAS.trsv", rows: 2, columns: 3)) {
            try BLAS.trsv(Self.a23.view, .lower, .nonUnit, &x)
        }
        var b = Matrix(rows: 2, columns: 2)
        #expect(throws: LAError.notSquare(operation: "BLAS.trsm", rows: 3, columns: 2)) {
            try BLAS.trsm(.left, Self.a23.view.T, .lower, .nonUnit, 1, &b)
        }
    }
}

@Suite("Error paths: singular and not positive definite")
struct FactorizationFailureTests {
    @Test func singularPivotIndex() {
        // Columns 1 and 2 equal in every row: after step 1 the rest of column 2 is zero → pivot 2.
        #expect(throws: LAError.singular(pivot: 2)) {
            try LUFactorization(rowMajor([[1, 1, 1], [1, 1, 2], [1, 1, 3]]))
        }
        // Last row a copy of the first: the 4×4 matrix is singular at the last pivot.
        // [2 1 0 0; 1 3 1 0; 0 1 4 1; 2 1 0 0]: rows 1 and 4 are equal, so the last U₄₄ = 0 exactly
        // (elimination subtracts row 1 from row 4 with multiplier 1, leaving an exact zero row).
        #expect(throws: LAError.singular(pivot: 4)) {
            try LUFactorization(rowMajor([[2, 1, 0, 0], [1, 3, 1, 0], [0, 1, 4, 1], [2, 1, 0, 0]]))
        }
        #expect(throws: LAError.singular(pivot: 1)) { try Matrix(rows: 1, columns: 1).inverse() }
    }

    @Test func notPositiveDefiniteMinor() {
        #expect(throws: LAError.notPositiveDefinite(minor: 2)) {
            try Cholesky(rowMajor([[1, 2, 0], [2, 1, 0], [0, 0, 1]]))
        }
        #expect(throws: LAError.notPositiveDefinite(minor: 3)) {
            try Cholesky(diagonal([1, 1, -1, 1]), triangle: .upper)
        }
        #expect(throws: LAError.notPositiveDefinite(minor: 1)) { try Cholesky(Matrix(rows: 2, columns: 2)) }
    }
}

@Suite("Error paths: NaN and ±∞ input to every LAPACK wrapper")
struct NonFiniteInputTests {
    static let badValues: [Double] = [.nan, .infinity, -.infinity]

    /// A well-conditioned 3×3 SPD matrix with `bad` at (row, column) (and its mirror when `symmetric`).
    static func spd(with bad: Double, at index: (Int, Int) = (2, 1), symmetric: Bool = true) -> Matrix {
        var a = rowMajor([[4, 1, 0], [1, 4, 1], [0, 1, 4]])
        a[index.0, index.1] = bad
        if symmetric { a[index.1, index.0] = bad }
        return a
    }

    @Test(arguments: badValues)
    func factorizationsRejectNonFiniteMatrices(_ bad: Double) {
        let a = Self.spd(with: bad)
        #expect(throws: LAError.nonFinite(operation: "Cholesky", argument: "the matrix")) { try Cholesky(a) }
        #expect(throws: LAError.nonFinite(operation: "Cholesky", argument: "the matrix")) { try Cholesky(a, triangle: .upper) }
        #expect(throws: LAError.nonFinite(operation: "LU", argument: "the matrix")) { try LUFactorization(a) }
        #expect(throws: LAError.nonFinite(operation: "LU", argument: "the matrix")) { try a.inverse() }
        #expect(throws: LAError.nonFinite(operation: "LU", argument: "the matrix")) { try a.solve(.identity(3)) }
        #expect(throws: LAError.nonFinite(operation: "LU", argument: "the matrix")) { try a.reciprocalConditionNumber() }
        #expect(throws: LAError.nonFinite(operation: "PivotedQR", argument: "the matrix")) { try PivotedQR(a) }
        #expect(throws: LAError.nonFinite(operation: "PivotedQR", argument: "the matrix")) { try a.leastSquares([1, 2, 3]) }
        #expect(throws: LAError.nonFinite(operation: "SingularValueDecomposition", argument: "the matrix")) {
            try SingularValueDecomposition(a)
        }
        #expect(throws: LAError.nonFinite(operation: "SingularValueDecomposition.singularValues", argument: "the matrix")) {
            try SingularValueDecomposition.singularValues(of: a)
        }
        #expect(throws: LAError.nonFinite(operation: "SingularValueDecomposition.singularValues", argument: "the matrix")) {
            try a.numericalRank()
        }
        #expect(throws: LAError.nonFinite(operation: "SingularValueDecomposition.singularValues", argument: "the matrix")) {
            try a.conditionNumber()
        }
        #expect(throws: LAError.nonFinite(operation: "SymmetricEigendecomposition", argument: "the matrix")) {
            try SymmetricEigendecomposition(a)
        }
        #expect(throws: LAError.nonFinite(operation: "SymmetricEigendecomposition", argument: "the matrix")) {
            try SymmetricEigendecomposition(a, triangle: .upper)
        }
    }

    @Test(arguments: badValues)
    func nonFiniteOnTheDiagonalOrInAFirstOrLastElement(_ bad: Double) {
        // The scan covers every position, not just the interior.
        for index in [(0, 0), (2, 2), (1, 1)] {
            let a = Self.spd(with: bad, at: index, symmetric: false)
            #expect(throws: LAError.nonFinite(operation: "Cholesky", argument: "the matrix")) { try Cholesky(a) }
            #expect(throws: LAError.nonFinite(operation: "LU", argument: "the matrix")) { try LUFactorization(a) }
            #expect(throws: LAError.nonFinite(operation: "PivotedQR", argument: "the matrix")) { try PivotedQR(a) }
            #expect(throws: LAError.nonFinite(operation: "SymmetricEigendecomposition", argument: "the matrix")) {
                try SymmetricEigendecomposition(a)
            }
        }
    }

    @Test(arguments: badValues)
    func symmetricRoutinesIgnoreTheTriangleTheyDoNotRead(_ bad: Double) throws {
        // bad at (0, 2), i.e. in the upper triangle only: the lower-triangle routines never see it.
        let a = Self.spd(with: bad, at: (0, 2), symmetric: false)
        let clean = Self.spd(with: 0, at: (0, 2), symmetric: false)
        #expect(try Cholesky(a, triangle: .lower).factor == (try Cholesky(clean, triangle: .lower).factor))
        #expect(try SymmetricEigendecomposition(a, triangle: .lower).eigenvalues
                == (try SymmetricEigendecomposition(clean, triangle: .lower).eigenvalues))
        #expect(throws: LAError.nonFinite(operation: "Cholesky", argument: "the matrix")) { try Cholesky(a, triangle: .upper) }
    }

    @Test(arguments: badValues)
    func solvesRejectNonFiniteRightHandSides(_ bad: Double) throws {
        let a = Self.spd(with: 1)
        let b: [Double] = [1, bad, 3]
        let bm = try Matrix(rows: 3, columns: 1, columnMajor: b)
        #expect(throws: LAError.nonFinite(operation: "Cholesky.solve", argument: "the right-hand side")) {
            try Cholesky(a).solve(b)
        }
        #expect(throws: LAError.nonFinite(operation: "Cholesky.solve", argument: "the right-hand side")) {
            try Cholesky(a).solve(bm)
        }
        #expect(throws: LAError.nonFinite(operation: "LU.solve", argument: "the right-hand side")) {
            try LUFactorization(a).solve(b)
        }
        #expect(throws: LAError.nonFinite(operation: "LU.solve", argument: "the right-hand side")) {
            try a.solve(bm)
        }
        let qr = try PivotedQR(a)
        #expect(throws: LAError.nonFinite(operation: "PivotedQR.applyQ", argument: "the right-hand side")) {
            try qr.applyQ(bm)
        }
        #expect(throws: LAError.nonFinite(operation: "PivotedQR.applyQ", argument: "the right-hand side")) {
            try qr.applyQTransposed(bm)
        }
        #expect(throws: LAError.nonFinite(operation: "PivotedQR.applyQ", argument: "the right-hand side")) {
            try qr.solveLeastSquares(b)
        }
        #expect(throws: LAError.nonFinite(operation: "PivotedQR.applyQ", argument: "the right-hand side")) {
            try a.leastSquares(b)
        }
    }
}

@Suite("Error paths: invalid arguments")
struct InvalidArgumentTests {
    @Test func negativeOrNaNTolerance() throws {
        let a = rowMajor([[1, 0], [0, 1], [1, 1]])
        #expect(throws: LAError.invalidArgument(operation: "PivotedQR.rank",
                                                detail: "tolerance must be non-negative, got -1.0")) {
            try a.leastSquares([1, 2, 3], tolerance: -1)
        }
        #expect(throws: LAError.invalidArgument(operation: "PivotedQR.rank",
                                                detail: "tolerance must be non-negative, got nan")) {
            try PivotedQR(a).solveLeastSquares([1, 2, 3], tolerance: .nan)
        }
        #expect(throws: LAError.invalidArgument(operation: "PivotedQR.rank",
                                                detail: "tolerance must be non-negative, got -0.5")) {
            try PivotedQR(a).rank(tolerance: -0.5)
        }
        #expect(throws: LAError.invalidArgument(operation: "Matrix.numericalRank",
                                                detail: "tolerance must be non-negative, got -1e-12")) {
            try a.numericalRank(tolerance: -1e-12)
        }
        #expect(throws: LAError.invalidArgument(operation: "Matrix.numericalRank",
                                                detail: "tolerance must be non-negative, got nan")) {
            try a.numericalRank(tolerance: .nan)
        }
        // Zero is a valid tolerance.
        #expect(try a.leastSquares([1, 2, 3], tolerance: 0).rank == 2)
        #expect(try a.numericalRank(tolerance: 0) == 2)
    }

    @Test(arguments: [0, -1, Int.min])
    func gramNeedsPositiveBlockRows(_ blockRows: Int) {
        let x = Matrix(rows: 4, columns: 2, repeating: 1)
        #expect(throws: LAError.invalidArgument(operation: "Matrix.gram", detail: "blockRows must be ≥ 1, got \(blockRows)")) {
            try Matrix.gram(x.view, blockRows: blockRows)
        }
    }
}

@Suite("Error messages")
struct ErrorMessageTests {
    @Test func messagesSayWhatAndWhatToDo() {
        #expect(LAError.singular(pivot: 3).description.contains("pivot 3"))
        #expect(LAError.notPositiveDefinite(minor: 2).description.contains("order 2"))
        #expect(LAError.notSquare(operation: "LU", rows: 2, columns: 3).description == "LU: needs a square matrix, got 2×3")
        #expect(LAError.nonFinite(operation: "LU", argument: "the matrix").description.contains("remove or impute"))
        #expect(LAError.dimensionMismatch(operation: "BLAS.dot", detail: "lengths 1 and 2").description
                == "BLAS.dot: dimension mismatch: lengths 1 and 2")
        #expect(LAError.dimensionTooLarge(operation: "BLAS.gemm", value: 1 << 40).description.contains("\(Int32.max)"))
        #expect(LAError.didNotConverge(routine: "dgesdd", info: 4).description.contains("LAPACK info 4"))
        #expect(LAError.outOfMemory(routine: "dgeqp3").description.contains("dgeqp3"))
        #expect(LAError.invalidArgument(operation: "X", detail: "bad").description == "X: bad")
    }

    @Test func int32NarrowingThrowsDimensionTooLarge() throws {
        // The one check that guards every C call; exercised directly since a 2³¹-row matrix
        // is too large to allocate in a test.
        #expect(throws: LAError.dimensionTooLarge(operation: "op", value: Int(Int32.max) + 1)) {
            try Contiguous.int32(Int(Int32.max) + 1, "op")
        }
        #expect(try Contiguous.int32(Int(Int32.max), "op") == Int32.max)
    }
}

// MARK: - Finite input whose factorization overflows

/// Bug (Sources/LinearAlgebra): finite input whose LU or QR factors overflow to NaN traps the
/// process instead of throwing. LAPACKE checks its array arguments for NaN (LAPACKE_NANCHECK is on
/// by default) and returns a negative `info`, which `LAPACKStatus.check` turns into
/// `preconditionFailure` ("the Swift wrapper failed to validate it").
///
/// Regression tests. Example (measured before the fix): A = [1 0 0 M; 1 1 0 −M; 1 1 1 0; 1 1 1 1] with M = 1e308 is finite and
/// nonsingular; getrf returns factors [… 1e308, −inf, inf, NaN] with info 0, and then
///   LUFactorization.solve → "dgetrs: LAPACK rejected argument 5" (trap),
///   LUFactorization.inverse / Matrix.inverse → "dgetri: LAPACK rejected argument 3" (trap),
///   reciprocalConditionNumber → "dgecon: LAPACK rejected argument 4" (trap).
/// Likewise A = [M 1; M 2; M 3; M 4] (‖column 1‖₂ = 2e308 overflows): geqp3 returns R₁₁ = −inf,
/// NaN in R and tau, and leastSquares → "dormqr: LAPACK rejected argument 7" (trap).
/// Expected: a typed error (e.g. `.nonFinite` naming the overflowing factors) from the
/// factorization itself, by checking `factors.isFinite` / `packed.isFinite` and `tau` after
/// getrf/geqp3 (now done: each factorization checks its output).
@Suite("Overflowing factorizations")
struct OverflowingFactorizationTests {
    static let m = 1e308
    static let luOverflow = rowMajor([[1, 0, 0, m], [1, 1, 0, -m], [1, 1, 1, 0], [1, 1, 1, 1]])
    static let qrOverflow = rowMajor([[m, 1], [m, 2], [m, 3], [m, 4]])

    @Test
    func luWithOverflowingFactorsThrows() {
        #expect(throws: LAError.self) {
            let lu = try LUFactorization(Self.luOverflow)
            _ = try lu.solve([1, 2, 3, 4])
        }
        #expect(throws: LAError.self) { try Self.luOverflow.inverse() }
        #expect(throws: LAError.self) { try Self.luOverflow.reciprocalConditionNumber() }
    }

    @Test
    func qrWithOverflowingColumnNormThrows() throws {
        #expect(throws: LAError.self) { try Self.qrOverflow.leastSquares([1, 2, 3, 4]) }
        #expect(throws: LAError.self) { try PivotedQR(rowMajor([[Self.m, Self.m], [Self.m, Self.m]])) }
    }
}
