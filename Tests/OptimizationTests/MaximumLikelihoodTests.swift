import Foundation
import Testing
import LinearAlgebra
@testable import Optimization

/// A logit MLE on simulated data, checked against Newton–IRLS computed here.
@Suite("Maximum likelihood: logit")
struct MaximumLikelihoodTests {
    struct LogitData: Sendable {
        let x: Matrix   // n×k with an intercept column
        let y: [Double]
    }

    static func simulate(n: Int, beta: [Double], seed: UInt64) throws -> LogitData {
        var stream = SearchRandomStream(seed: seed, stream: 1)
        let k = beta.count
        let x = Matrix(rows: n, columns: k) { _, j in j == 0 ? 1 : stream.normal() }
        let y = (0..<n).map { i -> Double in
            var eta = 0.0
            for j in 0..<k { eta += x[i, j] * beta[j] }
            return stream.uniform() < 1 / (1 + Foundation.exp(-eta)) ? 1 : 0
        }
        return LogitData(x: x, y: y)
    }

    /// −log L and its gradient Xᵀ(p − y).
    struct NegativeLogLikelihood: ObjectiveFunction {
        let data: LogitData
        var dimension: Int { data.x.columns }
        var providesGradient: Bool { true }
        func value(at beta: [Double]) -> Double { valueAndGradient(at: beta)?.value ?? .nan }
        func valueAndGradient(at beta: [Double]) -> (value: Double, gradient: [Double])? {
            let n = data.x.rows, k = dimension
            var nll = 0.0
            var g = [Double](repeating: 0, count: k)
            for i in 0..<n {
                var eta = 0.0
                for j in 0..<k { eta += data.x[i, j] * beta[j] }
                // log(1 + e^η) − yη, computed stably.
                nll += (eta > 0 ? eta + Foundation.log1p(Foundation.exp(-eta)) : Foundation.log1p(Foundation.exp(eta))) - data.y[i] * eta
                let p = 1 / (1 + Foundation.exp(-eta))
                for j in 0..<k { g[j] += data.x[i, j] * (p - data.y[i]) }
            }
            return (nll, g)
        }
    }

    /// Newton–IRLS: β ← β + (XᵀWX)⁻¹Xᵀ(y − p) to convergence; SE = √diag((XᵀWX)⁻¹).
    static func irls(_ data: LogitData) throws -> (beta: [Double], se: [Double]) {
        let n = data.x.rows, k = data.x.columns
        var beta = [Double](repeating: 0, count: k)
        var information = Matrix(rows: k, columns: k)
        for _ in 0..<50 {
            information = Matrix(rows: k, columns: k)
            var score = [Double](repeating: 0, count: k)
            for i in 0..<n {
                var eta = 0.0
                for j in 0..<k { eta += data.x[i, j] * beta[j] }
                let p = 1 / (1 + Foundation.exp(-eta)), w = p * (1 - p)
                for a in 0..<k {
                    score[a] += data.x[i, a] * (data.y[i] - p)
                    for b in 0..<k { information[a, b] += w * data.x[i, a] * data.x[i, b] }
                }
            }
            let step = try Cholesky(information).solve(score)
            for j in 0..<k { beta[j] += step[j] }
            if step.map(Swift.abs).max() ?? 0 < 1e-13 { break }
        }
        let covariance = try Cholesky(information).inverse()
        return (beta, (0..<k).map { covariance[$0, $0].squareRoot() })
    }

    @Test func estimatesAndStandardErrorsMatchNewtonIRLS() throws {
        let data = try Self.simulate(n: 2_000, beta: [-0.5, 1.0, -0.75, 0.25, 0.0], seed: 2026)
        let reference = try Self.irls(data)
        let fit = try MaximumLikelihood().fit(negativeLogLikelihood: NegativeLogLikelihood(data: data),
                                              start: [Double](repeating: 0, count: 5))
        #expect(fit.optimization.converged, "\(fit.message)")
        let se = try #require(fit.standardErrors)
        for j in 0..<5 {
            #expect(Swift.abs(fit.estimates[j] - reference.beta[j]) < 1e-6, "β\(j)")
            #expect(Swift.abs(se[j] - reference.se[j]) / reference.se[j] < 1e-5, "SE\(j): \(se[j]) vs \(reference.se[j])")
        }
        #expect(fit.hessianSource.contains("gradient"))
        #expect(fit.covariance?.rows == 5)
    }

    @Test func singularInformationGivesNoStandardErrors() throws {
        // Two identical columns: the likelihood is flat along their difference.
        let base = try Self.simulate(n: 300, beta: [0.2, 0.8], seed: 5)
        let x = Matrix(rows: 300, columns: 3) { i, j in j < 2 ? base.x[i, j] : base.x[i, 1] }
        let fit = try MaximumLikelihood().fit(negativeLogLikelihood: NegativeLogLikelihood(data: LogitData(x: x, y: base.y)),
                                              start: [0, 0, 0])
        #expect(fit.standardErrors == nil)
        #expect(fit.message.contains("not positive definite"))
    }
}
