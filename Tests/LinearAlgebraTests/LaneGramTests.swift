import Foundation
import Testing
import CPUFeatures
@testable import LinearAlgebra

// The AVX-512 lane kernel behind the Gram products of narrow X (Sources/GramKernelsAVX512):
// - it agrees with the OpenBLAS path within the error bound of a sum of n products, for every
//   tile shape it uses (k = 1…256: 4 × 4 and diagonal tiles, the five-row group of k = 4q + 1,
//   one-row tiles) and for row counts that leave a tail shorter than one register (n mod 8 ≠ 0,
//   n < 8), with and without row weights;
// - its bits do not depend on the thread count, and the fused passes have the bits of the
//   plain ones (XᵀX of `gramAndTransposedProduct` = `gram`; the meat of
//   `residualsAndScaledGram` = `gram(rowScale: residuals)`);
// - a NaN or an infinity in X reaches the Gram matrix (the fit's `.byFit` finite check relies on it);
// - it runs only where it may (untransposed, 1…47 columns, processor support).
// On a processor without AVX-512 only the dispatch tests run.

@Suite("Gram lane kernel (AVX-512) vs OpenBLAS")
struct LaneGramTests {
    static let lanes = GramKernelDispatch.Kernel.avx512
    static let blas = GramKernelDispatch.Kernel.openBLAS

    static func bits(_ m: Matrix) -> [UInt64] { m.storage.map(\.bitPattern) }

    /// |X|ᵀ·diag(|s|²)·|X| scaled by the error bound γ of a sum of n products (two roundings
    /// per term with weights), with a factor of 4 of slack: the tolerance for each entry.
    static func tolerance(_ x: Matrix, scale s: [Double]?) -> Matrix {
        let n = x.rows, k = x.columns
        var bound = Matrix(rows: k, columns: k)
        let gamma = 4 * Double(n + 16) * Double.ulpOfOne
        for i in 0..<k {
            for j in 0..<k {
                var sum = 0.0
                for r in 0..<n { sum += (s.map { $0[r] * $0[r] } ?? 1) * Swift.abs(x[r, i] * x[r, j]) }
                bound[i, j] = gamma * sum + Double.leastNormalMagnitude
            }
        }
        return bound
    }

    static func within(_ a: Matrix, _ b: Matrix, _ bound: Matrix) -> Bool {
        zip(zip(a.storage, b.storage), bound.storage).allSatisfy { pair, limit in Swift.abs(pair.0 - pair.1) <= limit }
    }

    /// (rows, columns): column counts of every residue mod 4 up to the widest (256), ragged row counts.
    static let shapes: [(Int, Int)] = [
        (1, 1), (7, 3), (8, 4), (9, 5), (3, 9), (517, 1), (517, 2), (1_030, 5), (1_030, 8), (2_049, 9),
        (600, 13), (1_100, 16), (1_537, 20), (1_537, 21), (999, 25), (1_024, 29), (700, 33), (517, 47),
        (300, 48), (263, 100), (131, 130), (97, 255), (72, 256),
    ]

    @Test(arguments: shapes)
    func gramAgreesWithOpenBLAS(_ shape: (Int, Int)) throws {
        guard GramKernelDispatch.avx512Supported else { return }
        let (n, k) = shape
        var rng = TestRandom(seed: UInt64(17 * n + k))
        let x = randomMatrix(n, k, &rng)
        #expect(Matrix.usesLaneKernel(x.view, kernel: Self.lanes))
        let lane = try Matrix.gram(x.view, parallelism: Parallelism(threads: 2), kernel: Self.lanes)
        let reference = try Matrix.gram(x.view, parallelism: Parallelism(threads: 2), kernel: Self.blas)
        #expect(Self.within(lane, reference, Self.tolerance(x, scale: nil)))
        // Symmetric by construction (the lower triangle mirrored).
        #expect(lane == lane.transposed())
    }

    @Test(arguments: shapes)
    func weightedAndFusedPassesAgreeWithOpenBLAS(_ shape: (Int, Int)) throws {
        guard GramKernelDispatch.avx512Supported else { return }
        let (n, k) = shape
        var rng = TestRandom(seed: UInt64(29 * n + k))
        let x = randomMatrix(n, k, &rng)
        let s = rng.vector(n)
        let y = rng.vector(n)
        let b = rng.vector(k)
        let bound = Self.tolerance(x, scale: s)
        let lane = try Matrix.gram(x.view, rowScale: s, parallelism: Parallelism(threads: 2), kernel: Self.lanes)
        #expect(Self.within(lane, try Matrix.gram(x.view, rowScale: s, parallelism: .serial, kernel: Self.blas), bound))

        let (laneGram, laneProduct) = try Matrix.gramAndTransposedProduct(x.view, y, parallelism: Parallelism(threads: 2), kernel: Self.lanes)
        let (blasGram, blasProduct) = try Matrix.gramAndTransposedProduct(x.view, y, parallelism: .serial, kernel: Self.blas)
        #expect(Self.within(laneGram, blasGram, Self.tolerance(x, scale: nil)))
        let productBound = 4 * Double(n + 16) * Double.ulpOfOne * Double(n)
        #expect(zip(laneProduct, blasProduct).allSatisfy { Swift.abs($0 - $1) <= productBound })

        let (laneResiduals, laneMeat) = try Matrix.residualsAndScaledGram(x.view, y, b, parallelism: Parallelism(threads: 2), kernel: Self.lanes)
        let (blasResiduals, blasMeat) = try Matrix.residualsAndScaledGram(x.view, y, b, parallelism: .serial, kernel: Self.blas)
        // |u − û| ≤ γₖ·Σⱼ|xⱼβⱼ| + |y| rounding: at most (k + 2)·ε·(k + 1) for entries in [−1, 1).
        let residualBound = 4 * Double(k + 2) * Double(k + 1) * Double.ulpOfOne
        #expect(zip(laneResiduals, blasResiduals).allSatisfy { Swift.abs($0 - $1) <= residualBound })
        #expect(Self.within(laneMeat, blasMeat, Self.tolerance(x, scale: laneResiduals).scaled(by: 2)))
    }

    @Test func fusedPassesHaveThePlainPassesBitsForAnyThreadCount() throws {
        guard GramKernelDispatch.avx512Supported else { return }
        var rng = TestRandom(seed: 2026)
        // Two lane blocks (32,768 rows) and a ragged last panel; k = 21 uses the five-row group.
        for (n, k) in [(70_001, 21), (40_003, 20), (33_000, 6)] {
            let x = randomMatrix(n, k, &rng)
            let y = rng.vector(n), b = rng.vector(k)
            let gram = try Matrix.gram(x.view, parallelism: .serial, kernel: Self.lanes)
            let (residuals, meat) = try Matrix.residualsAndScaledGram(x.view, y, b, parallelism: .serial, kernel: Self.lanes)
            let (fusedGram, product) = try Matrix.gramAndTransposedProduct(x.view, y, parallelism: .serial, kernel: Self.lanes)
            #expect(Self.bits(fusedGram) == Self.bits(gram))
            #expect(Self.bits(try Matrix.gram(x.view, rowScale: residuals, parallelism: .serial, kernel: Self.lanes)) == Self.bits(meat))
            for threads in [2, 3, 8] {
                let p = Parallelism(threads: threads)
                #expect(Self.bits(try Matrix.gram(x.view, parallelism: p, kernel: Self.lanes)) == Self.bits(gram), "threads \(threads)")
                let (r, m) = try Matrix.residualsAndScaledGram(x.view, y, b, parallelism: p, kernel: Self.lanes)
                #expect(r.map(\.bitPattern) == residuals.map(\.bitPattern), "threads \(threads)")
                #expect(Self.bits(m) == Self.bits(meat), "threads \(threads)")
                let (g, v) = try Matrix.gramAndTransposedProduct(x.view, y, parallelism: p, kernel: Self.lanes)
                #expect(Self.bits(g) == Self.bits(gram) && v.map(\.bitPattern) == product.map(\.bitPattern), "threads \(threads)")
            }
        }
    }

    /// The residual-free pass (OLS + HC0/HC1 keeps only Σu² and the meat): the meat has the bits
    /// of the pass that keeps the residuals, Σu² agrees with their sum of squares, both are
    /// bit-identical for any thread count — with either kernel, ragged blocks and panels.
    @Test func residualSumOfSquaresPassMatchesTheResidualsPass() throws {
        var rng = TestRandom(seed: 77)
        let kernels = GramKernelDispatch.avx512Supported ? [Self.blas, Self.lanes] : [Self.blas]
        for (n, k, blockRows) in [(40_003, 21, nil), (5_000, 7, 999), (3, 2, nil), (70_001, 20, nil)] as [(Int, Int, Int?)] {
            let x = randomMatrix(n, k, &rng)
            let y = rng.vector(n), b = rng.vector(k)
            for kernel in kernels {
                let (residuals, meat) = try Matrix.residualsAndScaledGram(x.view, y, b, parallelism: .serial, blockRows: blockRows, kernel: kernel)
                let (rss, fusedMeat) = try Matrix.residualSumOfSquaresAndScaledGram(x.view, y, b, parallelism: .serial, blockRows: blockRows, kernel: kernel)
                #expect(Self.bits(fusedMeat) == Self.bits(meat), "\(kernel) n \(n)")
                let reference = VectorKernels.sumOfSquares(residuals)
                #expect(Swift.abs(rss - reference) <= 1e-13 * reference, "\(kernel) n \(n): \(rss) vs \(reference)")
                for threads in [2, 3] {
                    let (r, m) = try Matrix.residualSumOfSquaresAndScaledGram(x.view, y, b, parallelism: Parallelism(threads: threads),
                                                                             blockRows: blockRows, kernel: kernel)
                    #expect(r.bitPattern == rss.bitPattern && Self.bits(m) == Self.bits(meat), "\(kernel) threads \(threads)")
                }
            }
        }
        // A transposed view takes the residuals' pass; a wrong length is a typed error.
        let x = randomMatrix(300, 4, &rng)
        let y = rng.vector(300), b = rng.vector(4)
        let (rss, _) = try Matrix.residualSumOfSquaresAndScaledGram(x.transposed().view.T, y, b)
        let (residuals, _) = try Matrix.residualsAndScaledGram(x.view, y, b)
        #expect(Swift.abs(rss - VectorKernels.sumOfSquares(residuals)) <= 1e-13 * rss)
        #expect(throws: LinearAlgebraError.self) { try Matrix.residualSumOfSquaresAndScaledGram(x.view, Array(y.dropLast()), b) }
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func nonFiniteValuesReachTheGram(_ bad: Double) throws {
        guard GramKernelDispatch.avx512Supported else { return }
        var rng = TestRandom(seed: 5)
        // The bad value in the tail rows, in a full register and in the five-row group's last column.
        for (n, k, row, column) in [(1_003, 21, 1_001, 20), (1_003, 21, 9, 3), (64, 4, 63, 0)] {
            var x = randomMatrix(n, k, &rng)
            x[row, column] = bad
            let g = try Matrix.gram(x.view, parallelism: Parallelism(threads: 2), kernel: Self.lanes)
            #expect(!g[column, column].isFinite, "n \(n), k \(k), row \(row), column \(column)")
            let (_, meat) = try Matrix.residualsAndScaledGram(x.view, rng.vector(n), rng.vector(k), parallelism: .serial, kernel: Self.lanes)
            #expect(!VectorKernels.allFinite(meat.storage))
        }
    }

    @Test func theLaneKernelRunsOnlyWhereItMay() {
        let narrow = Matrix(rows: 100, columns: 20)
        #expect(Matrix.usesLaneKernel(narrow.view, kernel: Self.lanes))
        #expect(!Matrix.usesLaneKernel(narrow.view, kernel: Self.blas))
        #expect(!Matrix.usesLaneKernel(narrow.transposed().view.T, kernel: Self.lanes))
        #expect(!Matrix.usesLaneKernel(Matrix(rows: 100, columns: 257).view, kernel: Self.lanes))
        #expect(Matrix.usesLaneKernel(Matrix(rows: 100, columns: 256).view, kernel: Self.lanes))
        #expect(!Matrix.usesLaneKernel(Matrix(rows: 100, columns: 0).view, kernel: Self.lanes))
        #expect(Matrix.defaultGramBlockRows(columns: 20, kernel: Self.lanes, transposed: false) == Matrix.laneBlockRows)
        #expect(Matrix.defaultGramBlockRows(columns: 20, kernel: Self.blas, transposed: false) == 2_048)
        // The choice follows the processor (and POLICYLAB_SIMD=baseline, read once per process).
        #expect(GramKernelDispatch.avx512Supported == (policylab_cpu_supports_avx512() != 0))
        if !GramKernelDispatch.avx512Supported { #expect(GramKernelDispatch.active == .openBLAS) }
        if ProcessInfo.processInfo.environment["POLICYLAB_SIMD"] == "baseline" { #expect(GramKernelDispatch.active == .openBLAS) }
    }
}

private extension Matrix {
    func scaled(by factor: Double) -> Matrix {
        Matrix(rows: rows, columns: columns) { i, j in self[i, j] * factor }
    }
}
