import Testing
@testable import LinearAlgebra

// The row-scaling kernels: `VectorKernels.uncheckedMultiply`, `MatrixView.rowScaled`, the
// row-scaled Gram matrix (scaled a cache-sized panel at a time into a reused buffer, panel
// Gram matrices accumulated by gemm) and `Matrix.blockedResiduals`.
//
// Exactness arguments:
// - rowScaled and uncheckedMultiply do one multiplication per element: they must equal sᵢ·xᵢⱼ
//   bit for bit.
// - With small integers in X and s every product and partial sum is an integer below 2⁵³, so
//   the row-scaled Gram matrix must equal the naive (DX)ᵀ(DX) exactly, whatever the panel
//   split and summation order; a missed or doubled row shows up as an exact mismatch.
// - With random reals it must equal the naive product to rounding and be bit-identical for
//   1, 2, 3 and 8 threads.
// - blockedResiduals computes the same gemv per block as blockedProduct and subtracts once:
//   the same bits as y − blockedProduct.
@Suite("Row-scaled kernels")
struct RowScaledKernelTests {
    static let threadCounts = [1, 2, 3, 8]

    static func integerMatrix(_ m: Int, _ n: Int, seed: UInt64) -> Matrix {
        var rng = TestRandom(seed: seed)
        return Matrix(rows: m, columns: n) { _, _ in Double(Int.random(in: -9...9, using: &rng)) }
    }

    static func integers(_ n: Int, seed: UInt64) -> [Double] {
        var rng = TestRandom(seed: seed)
        return (0..<n).map { _ in Double(Int.random(in: -5...5, using: &rng)) }
    }

    static func reals(_ n: Int, seed: UInt64) -> [Double] {
        var rng = TestRandom(seed: seed)
        return (0..<n).map { _ in Double.random(in: -2...2, using: &rng) }
    }

    static func naiveScaled(_ x: Matrix, _ s: [Double]) -> Matrix {
        Matrix(rows: x.rows, columns: x.columns) { i, j in s[i] * x[i, j] }
    }

    static func bits(_ m: Matrix) -> [UInt64] { m.storage.map(\.bitPattern) }

    @Test(arguments: Array(0...20) + [1001])
    func multiplyMatchesElementwiseProducts(_ n: Int) {
        let s = Self.reals(n, seed: 1), x = Self.reals(n, seed: 2)
        var out = [Double](repeating: .nan, count: n)
        s.withUnsafeBufferPointer { bs in
            x.withUnsafeBufferPointer { bx in
                out.withUnsafeMutableBufferPointer { bo in
                    if let ps = bs.baseAddress, let px = bx.baseAddress, let po = bo.baseAddress {
                        VectorKernels.uncheckedMultiply(ps, px, into: po, count: n)
                    }
                }
            }
        }
        #expect(out.map(\.bitPattern) == zip(s, x).map { ($0 * $1).bitPattern })
    }

    @Test func rowScaledOfViewsIsExact() {
        // A sub-block (rows 3..<40, columns 1..<4) of a 50×6 matrix, and its transpose.
        let parent = Matrix(rows: 50, columns: 6) { i, j in Double(i) * 0.37 - Double(j) * 1.9 }
        let view = parent.view(rows: 3..<40, columns: 1..<4)
        let s = Self.reals(37, seed: 3)
        let scaled = view.rowScaled(by: s)
        #expect(Self.bits(scaled) == Self.bits(Self.naiveScaled(view.copy(), s)))
        let transposed = view.copy().transposed().view.T
        #expect(Self.bits(transposed.rowScaled(by: s[...])) == Self.bits(scaled))
        #expect(Matrix(rows: 0, columns: 3).view.rowScaled(by: [Double]()).rows == 0)
    }

    /// (rows, columns, blockRows): one panel per block and several (k = 20: 3,264-row panels;
    /// k = 60: 1,088-row panels; k = 100: 640), a short last panel and block, the column panels
    /// of wide X (k ≥ 48), and the default block sizes.
    static let shapes: [(Int, Int, Int?)] = [
        (1, 1, nil), (77, 7, 11), (5_000, 20, nil), (9_000, 20, 4_000), (3_000, 60, 2_500),
        (20_000, 60, nil), (1_500, 100, 1_300), (700, 33, nil),
    ]

    @Test(arguments: shapes)
    func scaledGramIsExactOnIntegers(_ shape: (Int, Int, Int?)) throws {
        let (n, k, blockRows) = shape
        let x = Self.integerMatrix(n, k, seed: UInt64(n * 7 + k))
        let s = Self.integers(n, seed: UInt64(n + k))
        let naive = naiveProduct(Self.naiveScaled(x, s).transposed(), Self.naiveScaled(x, s))
        for threads in [1, 3] {
            let g = try Matrix.gram(x.view, rowScale: s, parallelism: Parallelism(threads: threads), blockRows: blockRows)
            #expect(Self.bits(g) == Self.bits(naive), "threads \(threads)")
        }
    }

    @Test(arguments: shapes)
    func scaledGramIsBitIdenticalForAnyThreadCount(_ shape: (Int, Int, Int?)) throws {
        let (n, k, blockRows) = shape
        var rng = TestRandom(seed: UInt64(n + 31 * k))
        let x = randomMatrix(n, k, &rng)
        let s = Self.reals(n, seed: UInt64(k))
        let serial = try Matrix.gram(x.view, rowScale: s, parallelism: .serial, blockRows: blockRows)
        for threads in Self.threadCounts.dropFirst() {
            let g = try Matrix.gram(x.view, rowScale: s, parallelism: Parallelism(threads: threads), blockRows: blockRows)
            #expect(Self.bits(g) == Self.bits(serial), "threads \(threads)")
        }
        let scaled = Self.naiveScaled(x, s)
        let naive = naiveProduct(scaled.transposed(), scaled)
        #expect(maxAbsDifference(serial, naive) <= 1e-12 * Swift.max(1, maxAbs(naive)))
        // The sign of a scale does not change a bit (the meat of HC variances uses uᵢ, not |uᵢ|).
        let absolute = try Matrix.gram(x.view, rowScale: s.map(Swift.abs), parallelism: .serial, blockRows: blockRows)
        #expect(Self.bits(absolute) == Self.bits(serial))
    }

    @Test func scaledGramOfTransposedAndOffsetViews() throws {
        var rng = TestRandom(seed: 41)
        let x = randomMatrix(2_000, 50, &rng)
        let s = Self.reals(2_000, seed: 42)
        let direct = try Matrix.gram(x.view, rowScale: s, parallelism: .serial)
        let op = EmbeddedOperand(x, transposed: false, rowOffset: 3, columnOffset: 2)
        #expect(Self.bits(try Matrix.gram(op.view, rowScale: s, parallelism: Parallelism(threads: 2))) == Self.bits(direct))
        let transposed = try Matrix.gram(x.transposed().view.T, rowScale: s, parallelism: Parallelism(threads: 2))
        #expect(maxAbsDifference(transposed, direct) <= 1e-12 * maxAbs(direct))
    }

    @Test(arguments: shapes)
    func gramAndTransposedProductInOnePass(_ shape: (Int, Int, Int?)) throws {
        let (n, k, blockRows) = shape
        // Integers: XᵀX and Xᵀv are exact whatever the order.
        let xi = Self.integerMatrix(n, k, seed: UInt64(3 * n + k))
        let vi = Self.integers(n, seed: UInt64(n))
        for threads in [1, 3] {
            let (g, p) = try Matrix.gramAndTransposedProduct(xi.view, vi, parallelism: Parallelism(threads: threads), blockRows: blockRows)
            #expect(Self.bits(g) == Self.bits(naiveProduct(xi.transposed(), xi)))
            #expect(p == naiveProduct(xi.transposed(), vi))
        }
        // Reals: the Gram matrix has `gram`'s bits; both are bit-identical for any thread count.
        var rng = TestRandom(seed: UInt64(n + 7 * k))
        let x = randomMatrix(n, k, &rng)
        let v = Self.reals(n, seed: UInt64(k + 1))
        let (serialGram, serialProduct) = try Matrix.gramAndTransposedProduct(x.view, v, parallelism: .serial, blockRows: blockRows)
        #expect(Self.bits(serialGram) == Self.bits(try Matrix.gram(x.view, parallelism: .serial, blockRows: blockRows)))
        let naive = naiveProduct(x.transposed(), v)
        let size = naive.map(Swift.abs).max() ?? 1
        #expect(zip(serialProduct, naive).allSatisfy { Swift.abs($0 - $1) <= 1e-12 * Swift.max(1, size) })
        for threads in Self.threadCounts.dropFirst() {
            let (g, p) = try Matrix.gramAndTransposedProduct(x.view, v, parallelism: Parallelism(threads: threads), blockRows: blockRows)
            #expect(Self.bits(g) == Self.bits(serialGram), "threads \(threads)")
            #expect(p.map(\.bitPattern) == serialProduct.map(\.bitPattern), "threads \(threads)")
        }
    }

    @Test func gramAndTransposedProductOfTransposedViewsAndBadInput() throws {
        var rng = TestRandom(seed: 77)
        let x = randomMatrix(500, 9, &rng)
        let v = Self.reals(500, seed: 78)
        let (g, p) = try Matrix.gramAndTransposedProduct(x.transposed().view.T, v, parallelism: Parallelism(threads: 2))
        let naive = naiveProduct(x.transposed(), x)
        #expect(maxAbsDifference(g, naive) <= 1e-12 * maxAbs(naive))
        #expect(zip(p, naiveProduct(x.transposed(), v)).allSatisfy { Swift.abs($0 - $1) <= 1e-11 })
        #expect(throws: LinearAlgebraError.self) { try Matrix.gramAndTransposedProduct(x.view, v + [1]) }
        #expect(throws: LinearAlgebraError.self) { try Matrix.gramAndTransposedProduct(x.view, v, blockRows: 0) }
        let (empty, none) = try Matrix.gramAndTransposedProduct(Matrix(rows: 0, columns: 3).view, [])
        #expect(empty.rows == 3 && empty.storage.allSatisfy { $0 == 0 } && none == [0, 0, 0])
    }

    @Test(arguments: shapes)
    func residualsAndScaledGramInOnePass(_ shape: (Int, Int, Int?)) throws {
        let (n, k, blockRows) = shape
        var rng = TestRandom(seed: UInt64(5 * n + k))
        let x = randomMatrix(n, k, &rng)
        let b = Self.reals(k, seed: UInt64(n)), y = Self.reals(n, seed: UInt64(n + 1))
        let (r, g) = try Matrix.residualsAndScaledGram(x.view, y, b, parallelism: .serial, blockRows: blockRows)
        // The Gram matrix has the bits of gram(x, rowScale: r); r is y − Xb to rounding.
        #expect(Self.bits(g) == Self.bits(try Matrix.gram(x.view, rowScale: r, parallelism: .serial, blockRows: blockRows)))
        let reference = try Matrix.blockedResiduals(x.view, y, b)
        #expect(zip(r, reference).allSatisfy { Swift.abs($0 - $1) <= 1e-13 * Swift.max(1, Swift.abs($1)) })
        for threads in Self.threadCounts.dropFirst() {
            let (rt, gt) = try Matrix.residualsAndScaledGram(x.view, y, b, parallelism: Parallelism(threads: threads), blockRows: blockRows)
            #expect(rt.map(\.bitPattern) == r.map(\.bitPattern), "threads \(threads)")
            #expect(Self.bits(gt) == Self.bits(g), "threads \(threads)")
        }
        // Integers: both exact.
        let xi = Self.integerMatrix(n, k, seed: UInt64(n + 2 * k)), bi = Self.integers(k, seed: 9), yi = Self.integers(n, seed: 10)
        let (ri, gi) = try Matrix.residualsAndScaledGram(xi.view, yi, bi, parallelism: Parallelism(threads: 2), blockRows: blockRows)
        let exactR = zip(yi, naiveProduct(xi, bi)).map { $0 - $1 }
        #expect(ri == exactR)
        #expect(Self.bits(gi) == Self.bits(naiveProduct(Self.naiveScaled(xi, exactR).transposed(), Self.naiveScaled(xi, exactR))))
    }

    @Test func residualsAndScaledGramOfTransposedViewsAndBadInput() throws {
        var rng = TestRandom(seed: 79)
        let x = randomMatrix(300, 6, &rng)
        let b = Self.reals(6, seed: 80), y = Self.reals(300, seed: 81)
        let (r, g) = try Matrix.residualsAndScaledGram(x.transposed().view.T, y, b, parallelism: Parallelism(threads: 2))
        let (r0, g0) = try Matrix.residualsAndScaledGram(x.view, y, b)
        #expect(zip(r, r0).allSatisfy { Swift.abs($0 - $1) <= 1e-13 })
        #expect(maxAbsDifference(g, g0) <= 1e-12 * maxAbs(g0))
        #expect(throws: LinearAlgebraError.self) { try Matrix.residualsAndScaledGram(x.view, y + [1], b) }
        #expect(throws: LinearAlgebraError.self) { try Matrix.residualsAndScaledGram(x.view, y, b + [1]) }
        #expect(throws: LinearAlgebraError.self) { try Matrix.residualsAndScaledGram(x.view, y, b, blockRows: 0) }
        let (none, empty) = try Matrix.residualsAndScaledGram(Matrix(rows: 0, columns: 2).view, [], [1, 2])
        #expect(none.isEmpty && empty.rows == 2 && empty.storage.allSatisfy { $0 == 0 })
    }

    @Test func gramPanelRowsDependsOnlyOnTheColumnCount() {
        #expect(Matrix.gramPanelRows(columns: 1) == 65_536)
        #expect(Matrix.gramPanelRows(columns: 20) == 3_264)
        #expect(Matrix.gramPanelRows(columns: 100) == 640)
        #expect(Matrix.gramPanelRows(columns: 5_000) == 64)
    }

    @Test(arguments: [(1, 1), (100, 3), (20_000, 7), (8_193, 20)])
    func blockedResidualsMatchYMinusBlockedProduct(_ shape: (Int, Int)) throws {
        let (n, k) = shape
        var rng = TestRandom(seed: UInt64(n + k))
        let x = randomMatrix(n, k, &rng)
        let b = Self.reals(k, seed: 5), y = Self.reals(n, seed: 6)
        for threads in Self.threadCounts {
            let p = Parallelism(threads: threads)
            let fitted = try Matrix.blockedProduct(x.view, b, parallelism: p)
            let r = try Matrix.blockedResiduals(x.view, y, b, parallelism: p)
            #expect(r.map(\.bitPattern) == (0..<n).map { (y[$0] - fitted[$0]).bitPattern }, "threads \(threads)")
        }
        #expect(try Matrix.blockedResiduals(Matrix(rows: 0, columns: 2).view, [], [1, 2]).isEmpty)
        #expect(throws: LinearAlgebraError.self) { try Matrix.blockedResiduals(x.view, y, b + [1]) }
        #expect(throws: LinearAlgebraError.self) { try Matrix.blockedResiduals(x.view, y + [1], b) }
    }
}
