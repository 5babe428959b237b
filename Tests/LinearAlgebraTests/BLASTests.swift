import Testing
@testable import LinearAlgebra

// BLAS wrappers: hand-worked cases, then every transpose combination on
// sub-block views (leading dimension larger than the rows) against explicit copies
// and a naive loop. The views sit inside a parent filled with NaN, so any element
// read outside the block (a wrong offset or leading dimension) poisons the result.
//
// Tolerance for products: each entry of α·op(A)·op(B) + β·C has a rounding error of at
// most γ_k·(|α|·|A|·|B| + |β|·|C|)ᵢⱼ with γ_k ≈ k·ε (Higham, ch. 3); we allow
// 4·(k + 2)·ε times that scale, elementwise.

/// α·A·B + β·C by the naive loop, and the elementwise error scale |α|·|A|·|B| + |β|·|C|.
func naiveGemm(_ alpha: Double, _ a: Matrix, _ b: Matrix, _ beta: Double, _ c: Matrix) -> (value: Matrix, scale: Matrix) {
    let ab = naiveProduct(a, b)
    let abs = absProduct(a, b)
    let value = Matrix(rows: c.rows, columns: c.columns) { i, j in alpha * ab[i, j] + beta * c[i, j] }
    let scale = Matrix(rows: c.rows, columns: c.columns) { i, j in Swift.abs(alpha) * abs[i, j] + Swift.abs(beta) * Swift.abs(c[i, j]) }
    return (value, scale)
}

/// Whether |actual − expected| ≤ factor·ε·scale elementwise (plus the smallest normal, for zeros).
func withinScaled(_ actual: Matrix, _ expected: Matrix, _ scale: Matrix, factor: Double) -> Bool {
    guard actual.rows == expected.rows, actual.columns == expected.columns else { return false }
    for i in 0..<actual.storage.count {
        let bound = factor * eps * scale.storage[i] + Double.leastNormalMagnitude
        if !(Swift.abs(actual.storage[i] - expected.storage[i]) <= bound) { return false }
    }
    return true
}

@Suite("BLAS level 1")
struct BLASLevel1Tests {
    @Test func dotByHand() throws {
        // 1·4 + 2·5 + 3·6 = 32.
        #expect(try BLAS.dot([1, 2, 3], [4, 5, 6]) == 32)
        // ArraySlice with a non-zero start index (a matrix column).
        let m = try Matrix(rowMajor: [[1, 4], [2, 5], [3, 6]])
        #expect(try BLAS.dot(m.column(0), m.column(1)) == 32)
        // A non-contiguous collection is copied first, same result.
        #expect(try BLAS.dot([3.0, 2, 1].reversed(), [4.0, 5, 6]) == 32)
    }

    @Test func axpyByHand() throws {
        // y ← 2·[1, 2, 3] + [10, 20, 30] = [12, 24, 36].
        var y: [Double] = [10, 20, 30]
        try BLAS.axpy(2, [1, 2, 3], &y)
        #expect(y == [12, 24, 36])
        var z: [Double] = [1, 1]
        try BLAS.axpy(-1, [5.0, 6, 7, 8][1..<3], &z)
        #expect(z == [-5, -6])
    }

    @Test func scalByHand() throws {
        var x: [Double] = [2, 4, -6]
        try BLAS.scal(-0.5, &x)
        #expect(x == [-1, -2, 3])
    }

    @Test func nrm2ByHandAndWithoutOverflow() throws {
        #expect(try BLAS.nrm2([3, 4]) == 5)
        // (1e200)² overflows; the scaled algorithm does not: √2·1e200.
        let big = try BLAS.nrm2([1e200, 1e200])
        #expect(Swift.abs(big / (2.0.squareRoot() * 1e200) - 1) <= 4 * eps)
        let tiny = try BLAS.nrm2([3e-200, 4e-200])
        #expect(Swift.abs(tiny / 5e-200 - 1) <= 4 * eps)
    }

    @Test func level1AgreesWithNaiveLoopsOnRandomVectors() throws {
        var rng = TestRandom(seed: 11)
        for n in [1, 7, 64, 1000] {
            let x = rng.vector(n), y = rng.vector(n)
            var naiveDot = 0.0, absDot = 0.0
            for i in 0..<n { naiveDot += x[i] * y[i]; absDot += Swift.abs(x[i] * y[i]) }
            #expect(Swift.abs(try BLAS.dot(x, y) - naiveDot) <= 2 * Double(n) * eps * absDot)
            #expect(Swift.abs(try BLAS.nrm2(x) - norm2(x)) <= 2 * Double(n) * eps * norm2(x))
            var z = y
            try BLAS.axpy(0.75, x, &z)
            #expect(isClose(z, zip(x, y).map { 0.75 * $0 + $1 }, tolerance: 4 * eps))
        }
    }
}

@Suite("BLAS level 2 and 3, hand-worked")
struct BLASHandTests {
    // A = [1 2 3; 4 5 6].
    static let a = try! Matrix(rowMajor: [[1, 2, 3], [4, 5, 6]])

    @Test func gemvByHand() throws {
        // A·[1, 0, −1] = [1 − 3, 4 − 6] = [−2, −2]; y ← 2·(−2) + 1·1 = −3.
        var y: [Double] = [1, 1]
        try BLAS.gemv(2, Self.a.view, [1, 0, -1], 1, &y)
        #expect(y == [-3, -3])
        // Aᵀ·[1, 1] = [5, 7, 9] through the transpose flag.
        #expect(try Matrix.product(Self.a.view.T, [1, 1]) == [5, 7, 9])
    }

    @Test func gemmByHand() throws {
        // [1 2; 3 4]·[5 6; 7 8] = [19 22; 43 50].
        let a = try Matrix(rowMajor: [[1, 2], [3, 4]])
        let b = try Matrix(rowMajor: [[5, 6], [7, 8]])
        #expect(try Matrix.product(a.view, b.view) == rowMajor([[19, 22], [43, 50]]))
        // Aᵀ·B = [1 3; 2 4]·[5 6; 7 8] = [26 30; 38 44].
        #expect(try Matrix.product(a.view.T, b.view) == rowMajor([[26, 30], [38, 44]]))
        // A·Bᵀ = [1 2; 3 4]·[5 7; 6 8] = [17 23; 39 53].
        #expect(try Matrix.product(a.view, b.view.T) == rowMajor([[17, 23], [39, 53]]))
        // Aᵀ·Bᵀ = (B·A)ᵀ; B·A = [23 34; 31 46] → [23 31; 34 46].
        #expect(try Matrix.product(a.view.T, b.view.T) == rowMajor([[23, 31], [34, 46]]))
        // C ← 2·A·B − 1·C with C = I: [37 44; 86 99].
        var c = Matrix.identity(2)
        try BLAS.gemm(2, a.view, b.view, -1, &c)
        #expect(c == rowMajor([[37, 44], [86, 99]]))
    }

    @Test func syrkByHand() throws {
        // A = [1 2; 3 4]: A·Aᵀ = [5 11; 11 25], AᵀA = [10 14; 14 20].
        let a = try Matrix(rowMajor: [[1, 2], [3, 4]])
        var c = Matrix(rows: 2, columns: 2)
        try BLAS.syrk(1, a.view, 0, &c)
        #expect(c == rowMajor([[5, 11], [11, 25]]))
        try BLAS.syrk(1, a.view.T, 0, &c, triangle: .upper)
        #expect(c == rowMajor([[10, 14], [14, 20]]))
        // Without fill only the lower triangle is written: the 7 above the diagonal stays.
        var d = Matrix(rows: 2, columns: 2, repeating: 7)
        try BLAS.syrk(1, a.view.T, 0, &d, triangle: .lower, fill: false)
        #expect(d == rowMajor([[10, 7], [14, 20]]))
    }

    @Test func trsvByHand() throws {
        // L = [2 0; 1 4], L·x = [2, 9] → x₁ = 1, x₂ = (9 − 1)/4 = 2.
        let l = try Matrix(rowMajor: [[2, 0], [1, 4]])
        var x: [Double] = [2, 9]
        try BLAS.trsv(l.view, .lower, .nonUnit, &x)
        #expect(x == [1, 2])
        // Lᵀ = [2 1; 0 4], Lᵀ·x = [4, 8] → x₂ = 2, x₁ = (4 − 2)/2 = 1.
        var y: [Double] = [4, 8]
        try BLAS.trsv(l.view.T, .upper, .nonUnit, &y)
        #expect(y == [1, 2])
        // Unit diagonal: [1 0; 1 1]·x = [2, 9] → x = [2, 7].
        var z: [Double] = [2, 9]
        try BLAS.trsv(l.view, .lower, .unit, &z)
        #expect(z == [2, 7])
    }

    @Test func trsmByHand() throws {
        // L = [2 0; 1 4], L·X = [2 4; 9 10]: column 1 → [1, 2]; column 2 → x₁ = 2, x₂ = (10 − 2)/4 = 2.
        let l = try Matrix(rowMajor: [[2, 0], [1, 4]])
        var b = try Matrix(rowMajor: [[2, 4], [9, 10]])
        try BLAS.trsm(.left, l.view, .lower, .nonUnit, 1, &b)
        #expect(b == rowMajor([[1, 2], [2, 2]]))
        // α = 2 doubles the solution.
        var b2 = try Matrix(rowMajor: [[2, 4], [9, 10]])
        try BLAS.trsm(.left, l.view, .lower, .nonUnit, 2, &b2)
        #expect(b2 == rowMajor([[2, 4], [4, 4]]))
        // Right side: [a b]·L = [2a + b, 4b] = [4, 8] → b = 2, a = 1.
        var r = try Matrix(rowMajor: [[4, 8]])
        try BLAS.trsm(.right, l.view, .lower, .nonUnit, 1, &r)
        #expect(r == rowMajor([[1, 2]]))
    }
}

@Suite("BLAS on views: every transpose combination")
struct BLASViewTests {
    static let transposeCombinations: [(Bool, Bool)] = [(false, false), (true, false), (false, true), (true, true)]

    @Test(arguments: [(5, 4, 3), (17, 9, 13), (1, 6, 1)])
    func gemmOnSubBlockViewsMatchesCopies(_ shape: (Int, Int, Int)) throws {
        let (m, k, n) = shape
        var rng = TestRandom(seed: UInt64(100 + m * k * n))
        for (ta, tb) in Self.transposeCombinations {
            let a = randomMatrix(m, k, &rng), b = randomMatrix(k, n, &rng), c0 = randomMatrix(m, n, &rng)
            let opA = EmbeddedOperand(a, transposed: ta), opB = EmbeddedOperand(b, transposed: tb)
            #expect(opA.view.leadingDimension > opA.view.storedRows)
            #expect(opA.view.isTransposed == ta && opB.view.isTransposed == tb)
            var viaViews = c0
            try BLAS.gemm(1.5, opA.view, opB.view, -0.5, &viaViews)
            var viaCopies = c0
            try BLAS.gemm(1.5, a.view, b.view, -0.5, &viaCopies)
            // An explicit transposed copy passed with the transpose flag gives the same product too.
            var viaTransposedCopies = c0
            try BLAS.gemm(1.5, ta ? a.transposed().view.T : a.view, tb ? b.transposed().view.T : b.view, -0.5, &viaTransposedCopies)
            let (expected, scale) = naiveGemm(1.5, a, b, -0.5, c0)
            let factor = 4 * Double(k + 2)
            #expect(withinScaled(viaViews, expected, scale, factor: factor), "transA \(ta) transB \(tb)")
            #expect(withinScaled(viaViews, viaCopies, scale, factor: factor), "transA \(ta) transB \(tb)")
            #expect(withinScaled(viaTransposedCopies, viaCopies, scale, factor: factor), "transA \(ta) transB \(tb)")
            #expect(viaViews.isFinite)
        }
    }

    @Test func productOfRowAndColumnViews() throws {
        var rng = TestRandom(seed: 7)
        let x = randomMatrix(12, 6, &rng)
        let rows = x.view(rows: 3..<9)            // 6×6, ld 12
        let columns = x.view(columns: 1..<4)      // 12×3, offset 12
        let p = try Matrix.product(rows, columns.view(rows: 0..<6))
        let expected = naiveProduct(rows.copy(), columns.view(rows: 0..<6).copy())
        let scale = absProduct(rows.copy(), columns.view(rows: 0..<6).copy())
        #expect(withinScaled(p, expected, scale, factor: 32))
        // Xᵀ·X over a block of rows through the transpose flag.
        let g = try Matrix.product(rows.T, rows)
        #expect(withinScaled(g, naiveProduct(rows.copy().transposed(), rows.copy()),
                             absProduct(rows.copy().transposed(), rows.copy()), factor: 32))
    }

    @Test(arguments: [(6, 4), (1, 9), (19, 11)])
    func gemvOnSubBlockViewsMatchesCopies(_ shape: (Int, Int)) throws {
        let (m, n) = shape
        var rng = TestRandom(seed: UInt64(200 + m * n))
        for transposed in [false, true] {
            let a = randomMatrix(m, n, &rng)
            let op = EmbeddedOperand(a, transposed: transposed)
            let x = rng.vector(n), y0 = rng.vector(m)
            var viaView = y0
            try BLAS.gemv(0.5, op.view, x, 2, &viaView)
            var viaCopy = y0
            try BLAS.gemv(0.5, a.view, x, 2, &viaCopy)
            let xm = try Matrix(rows: n, columns: 1, columnMajor: x)
            let (expected, scale) = naiveGemm(0.5, a, xm, 2, try Matrix(rows: m, columns: 1, columnMajor: y0))
            let factor = 4 * Double(n + 2)
            #expect(withinScaled(try Matrix(rows: m, columns: 1, columnMajor: viaView), expected, scale, factor: factor))
            #expect(withinScaled(try Matrix(rows: m, columns: 1, columnMajor: viaView),
                                 try Matrix(rows: m, columns: 1, columnMajor: viaCopy), scale, factor: factor))
        }
    }

    @Test func gemvTakesAMatrixColumnAsX() throws {
        var rng = TestRandom(seed: 8)
        let a = randomMatrix(5, 4, &rng)
        let b = randomMatrix(4, 3, &rng)
        // x = column 2 of B: an ArraySlice starting at index 8.
        let y = try Matrix.product(a.view, b.column(2))
        let expected = naiveProduct(a, Array(b.column(2)))
        #expect(isClose(y, expected, tolerance: 24 * eps))
    }

    @Test(arguments: [Triangle.lower, .upper])
    func syrkOnViewsMatchesGemm(_ triangle: Triangle) throws {
        var rng = TestRandom(seed: triangle == .lower ? 31 : 32)
        for transposed in [false, true] {
            for fill in [true, false] {
                // The view shows an n×k matrix A; syrk computes A·Aᵀ (n×n).
                let (n, k) = (7, 5)
                let a = randomMatrix(n, k, &rng)
                let op = EmbeddedOperand(a, transposed: transposed)
                let c0 = randomSymmetric(n, &rng)
                var c = c0
                try BLAS.syrk(-1, op.view, 0.5, &c, triangle: triangle, fill: fill)
                // The same call on an explicit copy (stored the same way, leading dimension = rows).
                var viaCopy = c0
                try BLAS.syrk(-1, transposed ? a.transposed().view.T : a.view, 0.5, &viaCopy, triangle: triangle, fill: fill)
                let (expected, scale) = naiveGemm(-1, a, a.transposed(), 0.5, c0)
                #expect(withinScaled(c, viaCopy, scale, factor: 4 * Double(k + 2)), "trans \(transposed) fill \(fill)")
                for j in 0..<n {
                    for i in 0..<n {
                        let computed = triangle == .lower ? i >= j : i <= j
                        let bound = 4 * Double(k + 2) * eps * scale[i, j]
                        if computed || fill {
                            #expect(Swift.abs(c[i, j] - expected[i, j]) <= bound, "(\(i), \(j)) trans \(transposed) fill \(fill)")
                        } else {
                            #expect(c[i, j] == c0[i, j], "untouched (\(i), \(j))")
                        }
                    }
                }
                if fill { #expect(c == c.transposed()) }
            }
        }
    }

    /// The shown triangular matrix with the unreferenced parts made explicit (zeros, unit diagonal).
    static func effectiveTriangular(_ t: Matrix, _ triangle: Triangle, _ diagonal: Diagonal) -> Matrix {
        Matrix(rows: t.rows, columns: t.columns) { i, j in
            if i == j { return diagonal == .unit ? 1 : t[i, j] }
            let inside = triangle == .lower ? i > j : i < j
            return inside ? t[i, j] : 0
        }
    }

    static let triangularCases: [(Triangle, Bool, Diagonal)] = [Triangle.lower, .upper].flatMap { tri in
        [false, true].flatMap { tr in [Diagonal.nonUnit, .unit].map { (tri, tr, $0) } }
    }

    @Test(arguments: triangularCases)
    func trsvOnViewsReadsOnlyTheTriangle(_ triangle: Triangle, _ transposed: Bool, _ diagonal: Diagonal) throws {
        var rng = TestRandom(seed: 40)
        let n = 9
        // The other triangle (and, for a unit diagonal, the diagonal) holds NaN: never read.
        var t = randomTriangular(n, triangle, &rng, other: .nan)
        if diagonal == .unit { for i in 0..<n { t[i, i] = .nan } }
        let op = EmbeddedOperand(t, transposed: transposed)
        let effective = Self.effectiveTriangular(t, triangle, diagonal)
        let b = rng.vector(n)
        var x = b
        try BLAS.trsv(op.view, triangle, diagonal, &x)
        var xCopy = b
        try BLAS.trsv(effective.view, triangle, diagonal, &xCopy)
        // Backward error: |T·x − b| ≤ γ_n·|T|·|x| componentwise (Higham, ch. 8); allow 10·n·ε.
        let residual = naiveProduct(effective, x)
        let scale = naiveProduct(Matrix(rows: n, columns: n) { i, j in Swift.abs(effective[i, j]) }, x.map { Swift.abs($0) })
        for i in 0..<n {
            #expect(Swift.abs(residual[i] - b[i]) <= 10 * Double(n) * eps * scale[i], "row \(i)")
        }
        // κ(T) < 3, so the view and copy solutions agree to a few n·ε.
        #expect(isClose(x, xCopy, tolerance: 10 * Double(n) * eps * maxAbs(x)))
    }

    @Test(arguments: triangularCases)
    func trsmOnViewsBothSides(_ triangle: Triangle, _ transposed: Bool, _ diagonal: Diagonal) throws {
        var rng = TestRandom(seed: 50)
        let n = 8, p = 5, alpha = -1.5
        var t = randomTriangular(n, triangle, &rng, other: .nan)
        if diagonal == .unit { for i in 0..<n { t[i, i] = .nan } }
        let op = EmbeddedOperand(t, transposed: transposed)
        let effective = Self.effectiveTriangular(t, triangle, diagonal)
        let absT = Matrix(rows: n, columns: n) { i, j in Swift.abs(effective[i, j]) }
        for side in [Side.left, .right] {
            let b0 = side == .left ? randomMatrix(n, p, &rng) : randomMatrix(p, n, &rng)
            var x = b0
            try BLAS.trsm(side, op.view, triangle, diagonal, alpha, &x)
            var xCopy = b0
            try BLAS.trsm(side, effective.view, triangle, diagonal, alpha, &xCopy)
            let absX = Matrix(rows: x.rows, columns: x.columns) { i, j in Swift.abs(x[i, j]) }
            let product = side == .left ? naiveProduct(effective, x) : naiveProduct(x, effective)
            let scale = side == .left ? naiveProduct(absT, absX) : naiveProduct(absX, absT)
            let target = Matrix(rows: b0.rows, columns: b0.columns) { i, j in alpha * b0[i, j] }
            #expect(withinScaled(product, target, scale, factor: 10 * Double(n)), "side \(side)")
            #expect(isClose(x, xCopy, tolerance: 10 * Double(n) * eps * maxAbs(x)), "side \(side)")
        }
    }
}
