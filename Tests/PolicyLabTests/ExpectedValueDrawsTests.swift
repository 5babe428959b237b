import Foundation
import Testing
@testable import PolicyLab

@Suite("Expected values over coefficient draws")
struct ExpectedValueDrawsTests {
    /// n = 1,037 units (not a multiple of the row block), k = 5 with an intercept, and a
    /// covariance of rank 4 (semidefinite, as fixed-effect models give).
    static func model(weights: [Double]? = nil) throws -> ExpectedValueDraws {
        let n = 1_037, k = 5
        let z = try RandomStream(seed: 99).fill(.normal, count: n * k)
        let x = Matrix(rows: n, columns: k) { i, j in j == 0 ? 1 : z[i + j * n] + Double(j) }
        let a = Matrix(rows: k, columns: 4) { i, j in Double((i * 7 + j * 3) % 5) - 2 + (i == j ? 3 : 0) }
        var covariance = Matrix(rows: k, columns: k)
        try BLAS.gemm(0.01, a.view, a.view.T, 0, &covariance)
        return try ExpectedValueDraws(x: x, mean: [2, -1, 0.5, 0.25, 3], covariance: covariance, weights: weights)
    }

    /// The definition, one draw and one unit at a time.
    static func naive(_ model: ExpectedValueDraws, draws: Int, seed: UInt64) -> [Double] {
        let n = model.units, k = model.x.columns
        let w = model.weights ?? [Double](repeating: 1, count: n)
        let total = w.reduce(0, +)
        return (0..<draws).map { r in
            let beta = model.coefficients.sample(at: RandomAddress(seed: seed, replicate: UInt32(r)))
            var sum = 0.0
            for i in 0..<n {
                var prediction = 0.0
                for j in 0..<k { prediction += model.x[i, j] * beta[j] }
                sum += w[i] * prediction
            }
            return sum / total
        }
    }

    @Test func meansMatchTheNaiveLoop() throws {
        let model = try Self.model()
        let draws = 300  // not a multiple of the draw block
        let fast = try model.means(draws: draws, seed: 7, parallelism: Parallelism(threads: 2))
        let slow = Self.naive(model, draws: draws, seed: 7)
        #expect(fast.count == draws)
        let worst = zip(fast, slow).map { abs($0 - $1) / Swift.max(1, abs($1)) }.max() ?? .infinity
        #expect(worst < 1e-13, "largest relative difference \(worst)")
        // The draws vary: this is not the point estimate repeated.
        #expect(Set(fast).count == draws)
    }

    @Test func weightedMeansMatchTheNaiveLoop() throws {
        let weights = (0..<1_037).map { Double($0 % 7) }  // zeros included
        let model = try Self.model(weights: weights)
        let fast = try model.means(draws: 150, seed: 3)
        let slow = Self.naive(model, draws: 150, seed: 3)
        let worst = zip(fast, slow).map { abs($0 - $1) / Swift.max(1, abs($1)) }.max() ?? .infinity
        #expect(worst < 1e-13, "largest relative difference \(worst)")
    }

    @Test func sameBitsForAnyThreadCount() throws {
        let model = try Self.model()
        let reference = try model.means(draws: 700, seed: 11, parallelism: .serial).map(\.bitPattern)
        for threads in [2, 3, 8] {
            let other = try model.means(draws: 700, seed: 11, parallelism: Parallelism(threads: threads)).map(\.bitPattern)
            #expect(other == reference, "\(threads) threads")
        }
        // Small blocks (many tiles, a short last tile in both directions): still one result per cut.
        let small1 = try model.uncheckedMeans(draws: 100, seed: 11, parallelism: .serial, drawBlock: 7, rowBlock: 50)
        let small3 = try model.uncheckedMeans(draws: 100, seed: 11, parallelism: Parallelism(threads: 3), drawBlock: 7, rowBlock: 50)
        #expect(small1.map(\.bitPattern) == small3.map(\.bitPattern))
        for (a, b) in zip(small1, reference.prefix(100).map(Double.init(bitPattern:))) {
            #expect(abs(a - b) <= 1e-13 * Swift.max(1, abs(b)))
        }
    }

    @Test func drawsAreAddressedByReplicate() throws {
        let model = try Self.model()
        let all = try model.coefficientDraws(0..<10, seed: 5)
        let middle = try model.coefficientDraws(4..<7, seed: 5)
        #expect(middle == Matrix(all.view(columns: 4..<7)))
        // Replicate r's β is the one ModelSimulation draws at (seed, r, unit 0, slot 0).
        #expect(Array(all.column(9)) == model.coefficients.sample(at: RandomAddress(seed: 5, replicate: 9, unit: 0, slot: 0)))
        // A later draw does not depend on how many came before it.
        let suffix = try model.means(draws: 10, seed: 5)
        let longer = try model.means(draws: 300, seed: 5)
        #expect(suffix == Array(longer.prefix(10)))
    }

    @Test func averageOfDrawsApproachesThePointPrediction() throws {
        let model = try Self.model()
        let means = try model.means(draws: 4_000, seed: 1, parallelism: Parallelism(threads: 2))
        let n = Double(model.units)
        let xbar = (0..<model.x.columns).map { VectorKernels.sum(model.x.column($0)) / n }
        let point = try VectorKernels.dot(xbar, model.coefficients.mean)
        let average = means.reduce(0, +) / Double(means.count)
        let spread = (means.map { ($0 - average) * ($0 - average) }.reduce(0, +) / Double(means.count - 1)).squareRoot()
        #expect(spread > 0)
        #expect(abs(average - point) < 4 * spread / Double(means.count).squareRoot())
    }

    @Test func badInputsAreErrors() throws {
        let good = try Self.model()
        #expect(throws: PolicyLabError.self) { try good.means(draws: 0, seed: 1) }
        #expect(throws: PolicyLabError.self) { try good.means(draws: Int(UInt32.max) + 2, seed: 1) }
        #expect(throws: PolicyLabError.self) {
            try ExpectedValueDraws(x: Matrix(rows: 3, columns: 4, repeating: 1), coefficients: good.coefficients)
        }
        var nan = good.x
        nan[2, 1] = .nan
        #expect(throws: PolicyLabError.self) { try ExpectedValueDraws(x: nan, coefficients: good.coefficients) }
        #expect(throws: PolicyLabError.self) {
            try ExpectedValueDraws(x: good.x, coefficients: good.coefficients, weights: [1, 2])
        }
        #expect(throws: PolicyLabError.self) {
            try ExpectedValueDraws(x: good.x, coefficients: good.coefficients, weights: [Double](repeating: 0, count: good.units))
        }
        #expect(throws: PolicyLabError.self) {
            try ExpectedValueDraws(x: Matrix(rows: 0, columns: 5), coefficients: good.coefficients)
        }
        let notSymmetric = try Matrix(rowMajor: [[1, 0.5], [0, 1]])
        #expect(throws: (any Error).self) {
            try ExpectedValueDraws(x: Matrix(rows: 3, columns: 2, repeating: 1), mean: [0, 0], covariance: notSymmetric)
        }
    }
}
