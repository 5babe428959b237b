import Foundation
import LinearAlgebra
import Testing
@testable import MonteCarlo

@Suite("Multivariate normal and t from a pivoted Cholesky")
struct MultivariateTests {
    /// Σ = B·Bᵀ for B = [[1, 0], [0.5, 1], [1.5, 1]]: rank 2, third variable = first + second.
    static let covariance = try! Matrix(rowMajor: [[1, 0.5, 1.5], [0.5, 1.25, 1.75], [1.5, 1.75, 3.25]])

    func sampleCovariance(_ xs: [[Double]]) -> ([Double], [[Double]]) {
        let d = xs[0].count, n = Double(xs.count)
        let mean = (0..<d).map { j in xs.reduce(0) { $0 + $1[j] } / n }
        let cov = (0..<d).map { i in (0..<d).map { j in xs.reduce(0) { $0 + ($1[i] - mean[i]) * ($1[j] - mean[j]) } / (n - 1) } }
        return (mean, cov)
    }

    @Test func semidefiniteCovarianceIsReproduced() throws {
        let mvn = try MultivariateNormal(mean: [1, -2, 0.5], covariance: Self.covariance)
        #expect(mvn.rank == 2)
        let xs = (0..<40_000).map { mvn.sample(at: RandomAddress(seed: 99, unit: UInt32($0))) }
        let (mean, cov) = sampleCovariance(xs)
        for i in 0..<3 {
            #expect(Swift.abs(mean[i] - [1, -2, 0.5][i]) < 5 * (Self.covariance[i, i] / 40_000).squareRoot())
            for j in 0..<3 { #expect(Swift.abs(cov[i][j] - Self.covariance[i, j]) < 0.05 * 3.25, "Σ[\(i),\(j)]") }
        }
        // Every draw lies on the support: x₃ − μ₃ = (x₁ − μ₁) + (x₂ − μ₂).
        for x in xs.prefix(100) { #expect(Swift.abs((x[2] - 0.5) - (x[0] - 1) - (x[1] + 2)) < 1e-12) }
        // Pure function of the address.
        let a = RandomAddress(seed: 99, replicate: 4, unit: 5, slot: 6)
        #expect(mvn.sample(at: a) == mvn.sample(at: a))
    }

    @Test func multivariateTScalesByNuOverNuMinusTwo() throws {
        let nu = 6.0
        let mvt = try MultivariateT(degreesOfFreedom: nu, location: [0, 0, 0], scale: Self.covariance)
        let xs = (0..<40_000).map { mvt.sample(at: RandomAddress(seed: 7, unit: UInt32($0))) }
        let (_, cov) = sampleCovariance(xs)
        // Var = ν/(ν − 2)·Σ = 1.5·Σ; the t's heavier tails widen the sampling error.
        #expect(Swift.abs(cov[0][0] - 1.5) < 0.1)
        #expect(Swift.abs(cov[2][2] - 1.5 * 3.25) < 0.35)
        // Each margin is t_ν scaled by √Σᵢᵢ: Kolmogorov–Smirnov on the first coordinate.
        let first = xs.map { $0[0] }
        #expect(ksStatistic(first) { SpecialFunctions.studentTCDF($0, degreesOfFreedom: nu) } < 1.95 / 200)
    }

    @Test func invalidInputsThrow() throws {
        #expect(throws: LinearAlgebraError.self) {
            try MultivariateNormal(mean: [0, 0], covariance: try Matrix(rowMajor: [[1, 2], [2, 1]]))
        }
        #expect(throws: LinearAlgebraError.self) {
            try MultivariateNormal(mean: [0, 0], covariance: try Matrix(rowMajor: [[1, 0.5], [0.4, 1]]))
        }
        #expect(throws: MonteCarloError.self) { try MultivariateNormal(mean: [0], covariance: .identity(2)) }
        #expect(throws: MonteCarloError.self) { try MultivariateNormal(mean: [.nan, 0], covariance: .identity(2)) }
        #expect(throws: MonteCarloError.self) {
            try MultivariateT(degreesOfFreedom: 0, location: [0], scale: .identity(1))
        }
    }
}
