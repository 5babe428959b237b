import Foundation
import LinearAlgebra
import Testing
@testable import MonteCarlo

// Fixed seeds; moments within ~5 standard errors and Kolmogorov–Smirnov D below the
// α = 0.001 critical value 1.95/√n against exact CDFs (SpecialFunctions). With fixed seeds
// the outcomes are deterministic; the bounds say the draws are not distinguishable from
// the target distribution at this sample size.

let sampleSize = 20_000

func draws(_ d: some UnivariateDistribution, seed: UInt64) throws -> [Double] {
    try d.samples(RandomStream(seed: seed, replicate: 1), count: sampleSize, parallelism: Parallelism(threads: 2))
}

/// The Kolmogorov–Smirnov statistic of `x` against `cdf`.
func ksStatistic(_ x: [Double], _ cdf: (Double) -> Double) -> Double {
    let sorted = x.sorted()
    let n = Double(sorted.count)
    var d = 0.0
    for (i, v) in sorted.enumerated() {
        let f = cdf(v)
        d = Swift.max(d, f - Double(i) / n, Double(i + 1) / n - f)
    }
    return d
}

func moments(_ x: [Double]) -> (mean: Double, variance: Double) {
    let mean = x.reduce(0, +) / Double(x.count)
    let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count - 1)
    return (mean, variance)
}

let ksCritical = 1.95 / Double(sampleSize).squareRoot()

@Suite("Distributions: moments and Kolmogorov–Smirnov")
struct DistributionTests {
    func check(_ x: [Double], mean: Double, variance: Double, cdf: (Double) -> Double, _ label: String) {
        let m = moments(x)
        let se = (variance / Double(x.count)).squareRoot()
        #expect(Swift.abs(m.mean - mean) <= 5 * se, "\(label): mean \(m.mean) vs \(mean)")
        #expect(Swift.abs(m.variance - variance) <= 0.06 * variance, "\(label): variance \(m.variance) vs \(variance)")
        let d = ksStatistic(x, cdf)
        #expect(d < ksCritical, "\(label): KS D = \(d) ≥ \(ksCritical)")
    }

    @Test func uniformAndNormal() throws {
        check(try draws(UniformDistribution(lower: -2, upper: 3), seed: 11), mean: 0.5, variance: 25.0 / 12,
              cdf: { ($0 + 2) / 5 }, "uniform")
        check(try draws(NormalDistribution(mean: 1, standardDeviation: 2), seed: 12), mean: 1, variance: 4,
              cdf: { SpecialFunctions.normalCDF(($0 - 1) / 2) }, "normal")
        // The bulk stream too (every slot position of the 16-slot layout is exercised).
        let z = try RandomStream(seed: 13).fill(.normal, count: sampleSize)
        check(z, mean: 0, variance: 1, cdf: SpecialFunctions.normalCDF, "normal stream")
        for position in 0..<16 {
            let sub = stride(from: position, to: z.count, by: 16).map { z[$0] }
            #expect(ksStatistic(sub, SpecialFunctions.normalCDF) < 1.95 / Double(sub.count).squareRoot(), "position \(position)")
        }
    }

    @Test func logNormal() throws {
        let (mu, sigma) = (0.3, 0.5)
        let mean = Foundation.exp(mu + sigma * sigma / 2)
        let variance = (Foundation.exp(sigma * sigma) - 1) * mean * mean
        check(try draws(LogNormalDistribution(mu: mu, sigma: sigma), seed: 21), mean: mean, variance: variance,
              cdf: { SpecialFunctions.normalCDF((Foundation.log($0) - mu) / sigma) }, "lognormal")
    }

    @Test(arguments: [0.1, 0.7, 1, 3.5, 50])
    func gamma(shape: Double) throws {
        let scale = 2.0
        check(try draws(GammaDistribution(shape: shape, scale: scale), seed: 31), mean: shape * scale,
              variance: shape * scale * scale, cdf: { SpecialFunctions.regularizedGammaP(shape, $0 / scale) }, "gamma \(shape)")
    }

    @Test(arguments: [1.0, 2.5, 7])
    func chiSquare(df: Double) throws {
        check(try draws(ChiSquareDistribution(degreesOfFreedom: df), seed: 41), mean: df, variance: 2 * df,
              cdf: { SpecialFunctions.regularizedGammaP(df / 2, $0 / 2) }, "chi-square \(df)")
    }

    @Test(arguments: [5.0, 12])
    func studentT(df: Double) throws {
        check(try draws(StudentTDistribution(degreesOfFreedom: df), seed: 51), mean: 0, variance: df / (df - 2),
              cdf: { SpecialFunctions.studentTCDF($0, degreesOfFreedom: df) }, "t \(df)")
    }

    @Test func studentTHeavyTailKSOnly() throws {
        let x = try draws(StudentTDistribution(degreesOfFreedom: 1.5), seed: 52)
        #expect(ksStatistic(x) { SpecialFunctions.studentTCDF($0, degreesOfFreedom: 1.5) } < ksCritical)
    }

    @Test(arguments: [(0.5, 0.5), (2.0, 5.0), (30.0, 0.8)])
    func beta(shapes: (Double, Double)) throws {
        let (a, b) = shapes
        check(try draws(BetaDistribution(alpha: a, beta: b), seed: 61), mean: a / (a + b),
              variance: a * b / ((a + b) * (a + b) * (a + b + 1)),
              cdf: { SpecialFunctions.regularizedBeta($0, a, b) }, "beta \(a), \(b)")
    }

    @Test func bernoulliAndCategorical() throws {
        let p = 0.23
        let x = try draws(BernoulliDistribution(probability: p), seed: 71)
        let se = (p * (1 - p) / Double(sampleSize)).squareRoot()
        #expect(Swift.abs(moments(x).mean - p) <= 5 * se)
        #expect(Set(x).isSubset(of: [0, 1]))
        let weights = [1.0, 0, 3, 6]
        let c = try draws(CategoricalDistribution(weights: weights), seed: 72)
        for (k, w) in weights.enumerated() {
            let share = Double(c.filter { $0 == Double(k) }.count) / Double(sampleSize)
            let pk = w / 10
            #expect(Swift.abs(share - pk) <= 5 * (pk * (1 - pk) / Double(sampleSize)).squareRoot() + 1e-12, "category \(k)")
        }
    }

    @Test func invalidParametersThrowTypedErrors() {
        #expect(throws: MonteCarloError.self) { try UniformDistribution(lower: 1, upper: 1) }
        #expect(throws: MonteCarloError.self) { try NormalDistribution(standardDeviation: -1) }
        #expect(throws: MonteCarloError.self) { try GammaDistribution(shape: 0) }
        #expect(throws: MonteCarloError.self) { try GammaDistribution(shape: .nan) }
        #expect(throws: MonteCarloError.self) { try ChiSquareDistribution(degreesOfFreedom: -2) }
        #expect(throws: MonteCarloError.self) { try StudentTDistribution(degreesOfFreedom: .infinity) }
        #expect(throws: MonteCarloError.self) { try BetaDistribution(alpha: 1, beta: 0) }
        #expect(throws: MonteCarloError.self) { try BernoulliDistribution(probability: 1.5) }
        #expect(throws: MonteCarloError.self) { try CategoricalDistribution(weights: []) }
        #expect(throws: MonteCarloError.self) { try CategoricalDistribution(weights: [0, 0]) }
        #expect(throws: MonteCarloError.self) { try CategoricalDistribution(weights: [1, -1]) }
    }
}
