import Testing
@testable import LinearAlgebra

// Empty dimensions (0×n, n×0, 0×0): no crash, right shapes, and the mathematically
// right values (an empty sum is 0, an empty product is the identity, C ← β·C when k = 0).

@Suite("Empty dimensions")
struct EmptyDimensionTests {
    @Test func matricesAndViews() throws {
        let a = Matrix(rows: 0, columns: 3)
        #expect(a.storage.isEmpty && a.rows == 0 && a.columns == 3)
        #expect(a.transposed().rows == 3 && a.transposed().columns == 0)
        #expect(a.isFinite && a.view.isFinite)
        #expect(a.column(2).isEmpty)
        #expect(try Matrix(rows: 3, columns: 0, columnMajor: []).columns == 0)
        #expect(try Matrix(rowMajor: []).rows == 0)
        #expect(try Matrix(rowMajor: [[], []]).rows == 2)
        let v = a.view.T
        #expect(v.rows == 3 && v.columns == 0)
        #expect(v.copy() == Matrix(rows: 3, columns: 0))
        #expect(Matrix(a.view) == a)
        let b = Matrix(rows: 4, columns: 5, repeating: 1)
        let emptyBlock = b.view(rows: 2..<2, columns: 1..<4)
        #expect(emptyBlock.rows == 0 && emptyBlock.columns == 3)
        #expect(emptyBlock.copy() == Matrix(rows: 0, columns: 3))
        #expect(b.view(columns: 5..<5).copy() == Matrix(rows: 4, columns: 0))
        #expect(Matrix.identity(0) == Matrix(rows: 0, columns: 0))
        #expect(a.description.hasPrefix("0×3 Matrix"))
        var z = Matrix(rows: 0, columns: 0)
        z.fillSymmetric(from: .lower)
        z.keepTriangle(.upper)
        z.add(Matrix(rows: 0, columns: 0))
        #expect(z.storage.isEmpty)
    }

    @Test func level1() throws {
        #expect(try BLAS.dot([], []) == 0)
        #expect(try BLAS.nrm2([]) == 0)
        var y: [Double] = []
        try BLAS.axpy(2, [], &y)
        try BLAS.scal(2, &y)
        #expect(y.isEmpty)
        let m = Matrix(rows: 0, columns: 2)
        #expect(try BLAS.dot(m.column(0), m.column(1)) == 0)
    }

    @Test func gemmShapes() throws {
        // (0×3)·(3×2) = 0×2; (2×3)·(3×0) = 2×0.
        let p1 = try Matrix.product(Matrix(rows: 0, columns: 3).view, Matrix(rows: 3, columns: 2, repeating: 1).view)
        #expect(p1.rows == 0 && p1.columns == 2)
        let p2 = try Matrix.product(Matrix(rows: 2, columns: 3, repeating: 1).view, Matrix(rows: 3, columns: 0).view)
        #expect(p2.rows == 2 && p2.columns == 0)
        // (2×0)·(0×3) = the 2×3 zero matrix (an empty sum), also through transposed views.
        let p3 = try Matrix.product(Matrix(rows: 2, columns: 0).view, Matrix(rows: 0, columns: 3).view)
        #expect(p3 == Matrix(rows: 2, columns: 3))
        let p4 = try Matrix.product(Matrix(rows: 0, columns: 2).view.T, Matrix(rows: 3, columns: 0).view.T)
        #expect(p4 == Matrix(rows: 2, columns: 3))
        // k = 0 with β: C ← α·0 + β·C.
        var c = Matrix(rows: 2, columns: 3, repeating: 4)
        try BLAS.gemm(1, Matrix(rows: 2, columns: 0).view, Matrix(rows: 0, columns: 3).view, 0.5, &c)
        #expect(c == Matrix(rows: 2, columns: 3, repeating: 2))
        // An empty block of a larger matrix (leading dimension 5) behaves the same.
        let big = Matrix(rows: 5, columns: 5, repeating: .nan)
        var d = Matrix(rows: 5, columns: 5, repeating: 3)
        try BLAS.gemm(1, big.view(columns: 0..<0), big.view(rows: 0..<0), 0, &d)
        #expect(d == Matrix(rows: 5, columns: 5))
    }

    @Test func gemvShapes() throws {
        // A is 0×3: y is empty.
        var y0: [Double] = []
        try BLAS.gemv(1, Matrix(rows: 0, columns: 3).view, [1, 2, 3], 0, &y0)
        #expect(y0.isEmpty)
        // A is 3×0: y ← β·y (an empty sum).
        var y: [Double] = [2, 4, 6]
        try BLAS.gemv(1, Matrix(rows: 3, columns: 0).view, [], 0.5, &y)
        #expect(y == [1, 2, 3])
        #expect(try Matrix.product(Matrix(rows: 3, columns: 0).view, [Double]()) == [0, 0, 0])
        #expect(try Matrix.product(Matrix(rows: 0, columns: 3).view.T, [Double]()) == [0, 0, 0])
    }

    @Test func syrkTrsvTrsmShapes() throws {
        // A is 3×0: A·Aᵀ is the 3×3 zero matrix; with β = 2, C ← 2·C.
        var c = Matrix(rows: 3, columns: 3, repeating: 1)
        try BLAS.syrk(1, Matrix(rows: 3, columns: 0).view, 2, &c)
        #expect(c == Matrix(rows: 3, columns: 3, repeating: 2))
        var c0 = Matrix(rows: 0, columns: 0)
        try BLAS.syrk(1, Matrix(rows: 0, columns: 4).view, 0, &c0)
        #expect(c0.rows == 0)
        var x: [Double] = []
        try BLAS.trsv(Matrix(rows: 0, columns: 0).view, .lower, .nonUnit, &x)
        #expect(x.isEmpty)
        // trsm with no right-hand sides (B is 2×0) or an empty system (A 0×0, B 0×3).
        var b = Matrix(rows: 2, columns: 0)
        try BLAS.trsm(.left, Matrix.identity(2).view, .lower, .nonUnit, 1, &b)
        #expect(b.rows == 2 && b.columns == 0)
        var b2 = Matrix(rows: 0, columns: 3)
        try BLAS.trsm(.left, Matrix(rows: 0, columns: 0).view, .upper, .unit, 1, &b2)
        #expect(b2.rows == 0 && b2.columns == 3)
        var b3 = Matrix(rows: 3, columns: 0)
        try BLAS.trsm(.right, Matrix(rows: 0, columns: 0).view, .upper, .nonUnit, 1, &b3)
        #expect(b3.rows == 3)
    }

    @Test func factorizationsOfZeroByZero() throws {
        let e = Matrix(rows: 0, columns: 0)
        let chol = try Cholesky(e)
        #expect(chol.factor == e)
        #expect(chol.logDeterminant == 0)
        #expect(try chol.reciprocalConditionNumber() == 1)
        #expect(try chol.inverse() == e)
        #expect(try chol.solve(Matrix(rows: 0, columns: 2)) == Matrix(rows: 0, columns: 2))
        #expect(try chol.solve([Double]()).isEmpty)

        let lu = try LUFactorization(e)
        #expect(lu.pivots.isEmpty)
        #expect(lu.determinant == 1)       // the empty product
        #expect(lu.logAbsDeterminant == 0)
        #expect(try lu.inverse() == e)
        #expect(try lu.reciprocalConditionNumber() == 1)
        #expect(try lu.solve(Matrix(rows: 0, columns: 3)) == Matrix(rows: 0, columns: 3))
        #expect(try e.inverse() == e)
        #expect(try e.reciprocalConditionNumber() == 1)

        let eig = try SymmetricEigendecomposition(e)
        #expect(eig.eigenvalues.isEmpty && eig.eigenvectors == e)
    }

    @Test func solvesWithZeroRightHandSides() throws {
        let a = rowMajor([[4, 2], [2, 3]])
        #expect(try Cholesky(a).solve(Matrix(rows: 2, columns: 0)) == Matrix(rows: 2, columns: 0))
        #expect(try LUFactorization(a).solve(Matrix(rows: 2, columns: 0)) == Matrix(rows: 2, columns: 0))
        #expect(try PivotedQR(a).applyQ(Matrix(rows: 2, columns: 0)) == Matrix(rows: 2, columns: 0))
    }

    @Test(arguments: [(0, 3), (3, 0), (0, 0)])
    func qrAndLeastSquares(_ shape: (Int, Int)) throws {
        let (m, n) = shape
        let a = Matrix(rows: m, columns: n)
        let qr = try PivotedQR(a)
        #expect(qr.permutation == Array(0..<n))
        #expect(qr.tau.isEmpty)
        #expect(try qr.rank() == 0)
        #expect(qr.r.rows == 0 && qr.r.columns == n)
        let q = try qr.thinQ()
        #expect(q.rows == m && q.columns == 0)
        #expect(try qr.reciprocalConditionNumber() == 0)
        let b = (0..<m).map { Double($0 + 1) }
        let fit = try a.leastSquares(b)
        #expect(fit.rank == 0)
        #expect(fit.coefficients.count == n && fit.coefficients.allSatisfy { $0.isNaN })
        #expect(fit.droppedColumns == Array(0..<n))
        // No columns: the residual is b itself, RSS = Σbᵢ² (1 + 4 + 9 = 14 for m = 3).
        #expect(fit.residualSumOfSquares == b.reduce(0) { $0 + $1 * $1 })
    }

    @Test(arguments: [(0, 3), (3, 0), (0, 0)])
    func svdRankAndCondition(_ shape: (Int, Int)) throws {
        let (m, n) = shape
        let a = Matrix(rows: m, columns: n)
        let svd = try SingularValueDecomposition(a)
        #expect(svd.singularValues.isEmpty)
        #expect(svd.u.rows == m && svd.u.columns == 0)
        #expect(svd.vt.rows == 0 && svd.vt.columns == n)
        #expect(try SingularValueDecomposition.singularValues(of: a).isEmpty)
        #expect(try a.numericalRank() == 0)
        #expect(try a.conditionNumber() == 1)
    }

    @Test func vectorKernels() throws {
        let e: [Double] = []
        #expect(VectorKernels.sum(e) == 0)
        #expect(VectorKernels.sumOfSquares(e) == 0)
        #expect(try VectorKernels.dot(e, e) == 0)
        #expect(try VectorKernels.weightedSum(e, weights: e) == 0)
        #expect(try VectorKernels.weightedSumOfSquares(e, weights: e) == 0)
        #expect(try VectorKernels.weightedDot(e, e, weights: e) == 0)
        #expect(VectorKernels.scaledCopy(3, e).isEmpty)
        var x = e
        VectorKernels.scale(3, &x)
        #expect(x.isEmpty)
        #expect(VectorKernels.allFinite(e))
        #expect(VectorKernels.allFinite([1.0, 2][1..<1]))
    }
}
