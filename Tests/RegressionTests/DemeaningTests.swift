import LinearAlgebra
import Tabular
import Testing
@testable import Regression

// `AbsorbedEffects.demean` runs the fused buffer kernels of `DemeaningKernels`. They must give
// the same bits as the plain algorithm they replace — sweep in place (sum by group, divide,
// subtract, effect after effect), copy, sweep, Irons–Tuck statistics, extrapolate — which is
// written out below with arrays, for one, two and three effects, with and without weights,
// with 1, 2, 3 and 8 threads; and the same iteration count and non-convergence error.
@Suite("Fixed-effect demeaning kernels")
struct DemeaningTests {
    /// The algorithm before the fused kernels, with arrays.
    static func reference(_ column: [Double], groups: [GroupCodes], weights: [Double]?,
                          tolerance: Double, maxIterations: Int) throws -> ([Double], Int) {
        let n = column.count
        let totals = groups.map { fe -> [Double] in
            var total = [Double](repeating: 0, count: fe.count)
            for i in 0..<n { total[fe.codes[i]] += weights?[i] ?? 1 }
            return total
        }
        func sweep(_ x: inout [Double]) {
            for (q, fe) in groups.enumerated() {
                var sums = [Double](repeating: 0, count: fe.count)
                for i in 0..<n { sums[fe.codes[i]] += weights.map { $0[i] * x[i] } ?? x[i] }
                for g in sums.indices { sums[g] /= totals[q][g] }
                for i in 0..<n { x[i] -= sums[fe.codes[i]] }
            }
        }
        var x0 = column
        sweep(&x0)
        if groups.count <= 1 { return (x0, 1) }
        let scale = 1 + (column.map(Swift.abs).max() ?? 0)
        var iterations = 1
        var change = Double.infinity
        while iterations < maxIterations {
            var x1 = x0
            sweep(&x1)
            var x2 = x1
            sweep(&x2)
            iterations += 2
            change = 0
            var numerator = 0.0, denominator = 0.0
            for i in 0..<n {
                let d1 = x2[i] - x1[i]
                let d2 = x2[i] - 2 * x1[i] + x0[i]
                change = Swift.max(change, Swift.abs(d1))
                numerator += d1 * d2
                denominator += d2 * d2
            }
            if change <= tolerance * scale { return (x2, iterations) }
            if denominator > 0, numerator.isFinite {
                let alpha = numerator / denominator
                for i in 0..<n { x0[i] = x2[i] - alpha * (x2[i] - x1[i]) }
            } else {
                x0 = x2
            }
        }
        throw RegressionError.fixedEffectsNotConverged(iterations: iterations, change: change / scale, tolerance: tolerance)
    }

    /// n rows, effects with the given level counts (every level used), p columns correlated
    /// with the effects, optional positive weights.
    static func data(rows n: Int, levels: [Int], columns p: Int, weighted: Bool, seed: UInt64)
        -> (Matrix, [GroupCodes], [Double]?) {
        var rng = SyntheticData.Generator(state: seed)
        let groups = levels.enumerated().map { q, count in
            GroupCodes(name: "f\(q + 1)", codes: (0..<n).map { $0 < count ? $0 : rng.index(count) },
                       levels: (0..<count).map(String.init))
        }
        let effects = levels.map { count in (0..<count).map { _ in rng.uniform() * 4 - 2 } }
        let x = Matrix(rows: n, columns: p) { i, j in
            var value = rng.uniform() * 2 - 1 + Double(j)
            for (q, fe) in groups.enumerated() { value += effects[q][fe.codes[i]] * Double(j + 1) }
            return value
        }
        let weights = weighted ? (0..<n).map { _ in 0.25 + rng.uniform() } : nil
        return (x, groups, weights)
    }

    static let cases: [(levels: [Int], weighted: Bool)] = [
        ([7], false), ([7], true), ([40, 9], false), ([40, 9], true), ([60, 11, 3], false), ([60, 11, 3], true),
    ]

    @Test(arguments: cases)
    func fusedKernelsGiveTheBitsOfThePlainAlgorithm(_ setup: (levels: [Int], weighted: Bool)) throws {
        let (x, groups, weights) = Self.data(rows: 1_003, levels: setup.levels, columns: 3, weighted: setup.weighted,
                                             seed: UInt64(setup.levels.count * 10 + (setup.weighted ? 1 : 0)))
        let effects = AbsorbedEffects(groups: groups, rows: x.rows, removeSingletons: false)
        let options = FixedEffectOptions(tolerance: 1e-12)
        var expected: [[Double]] = []
        var expectedIterations = 0
        for j in 0..<x.columns {
            let (column, iterations) = try Self.reference(Array(x.column(j)), groups: groups, weights: weights,
                                                          tolerance: options.tolerance, maxIterations: options.maxIterations)
            expected.append(column)
            expectedIterations = Swift.max(expectedIterations, iterations)
        }
        if setup.levels.count > 1 { #expect(expectedIterations > 3) }
        for threads in [1, 2, 3, 8] {
            let (demeaned, iterations) = try effects.demean(x, weights: weights, options: options,
                                                            parallelism: Parallelism(threads: threads))
            #expect(iterations == expectedIterations)
            for j in 0..<x.columns {
                #expect(demeaned.column(j).map(\.bitPattern) == expected[j].map(\.bitPattern), "column \(j), \(threads) threads")
            }
        }
    }

    @Test func nonConvergenceIsTheSameError() throws {
        let (x, groups, weights) = Self.data(rows: 500, levels: [50, 20], columns: 2, weighted: false, seed: 7)
        let effects = AbsorbedEffects(groups: groups, rows: x.rows, removeSingletons: false)
        let options = FixedEffectOptions(tolerance: 1e-15, maxIterations: 3)
        var expected: RegressionError?
        do {
            _ = try Self.reference(Array(x.column(0)), groups: groups, weights: weights, tolerance: 1e-15, maxIterations: 3)
        } catch let error as RegressionError { expected = error }
        let reference = try #require(expected)
        #expect(throws: reference) { try effects.demean(x, weights: weights, options: options, parallelism: .serial) }
    }

    @Test func emptyColumnsAndRows() throws {
        let (x, groups, _) = Self.data(rows: 30, levels: [5, 3], columns: 1, weighted: false, seed: 3)
        let effects = AbsorbedEffects(groups: groups, rows: 30, removeSingletons: false)
        let (none, _) = try effects.demean(Matrix(rows: 30, columns: 0), weights: nil, options: FixedEffectOptions(), parallelism: .serial)
        #expect(none.rows == 30 && none.columns == 0)
        #expect(x.rows == 30)
    }
}
