import Foundation
import Testing
import LinearAlgebra
@testable import Optimization

@Suite("L-BFGS-B")
struct LBFGSBTests {
    static func rosenbrockStart(_ n: Int) -> [Double] { (0..<n).map { $0 % 2 == 0 ? -1.2 : 1 } }

    @Test func rosenbrockUnboundedWithExactGradient() throws {
        let f = try TestFunction(.rosenbrock, dimension: 10)
        let result = try LBFGSB().minimize(f, from: Self.rosenbrockStart(10))
        #expect(result.converged, "\(result.message)")
        #expect(result.value < 1e-9)
        for xi in result.x { #expect(Swift.abs(xi - 1) < 1e-4) }
        #expect(result.gradientEvaluations == result.evaluations)
        #expect(result.history.count == result.iterations)
        #expect(result.gradientNorm.map { $0 < 1e-3 } == true)
    }

    @Test func rosenbrock100DimensionsInFewEvaluations() throws {
        let f = try TestFunction(.rosenbrock, dimension: 100)
        let result = try LBFGSB().minimize(f, from: Self.rosenbrockStart(100))
        #expect(result.converged, "\(result.message)")
        #expect(result.value < 1e-8)
        // scipy 1.17.1's L-BFGS-B needs 613 evaluations (513 iterations) from the same start.
        #expect(result.evaluations < 650)
    }

    @Test func finiteDifferenceGradientWhenNoneIsGiven() throws {
        let f = Objective(dimension: 2) { x in (1 - x[0]) * (1 - x[0]) + 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0]) }
        var solver = LBFGSB()
        solver.parallelism = Parallelism(threads: 2)
        let result = try solver.minimize(f, from: [-1.2, 1])
        #expect(result.converged, "\(result.message)")
        #expect(Swift.abs(result.x[0] - 1) < 1e-3 && Swift.abs(result.x[1] - 1) < 2e-3)
        #expect(result.gradientEvaluations == 0)
        #expect(result.evaluations > 5 * result.iterations)
    }

    @Test func activeBoundsAreHonoured() throws {
        // Rosenbrock with x₀ ≤ 0.5: the minimum is on the bound, x₁ = x₀² there.
        let f = try TestFunction(.rosenbrock, dimension: 2)
        let bounds = try Bounds(lower: [-2, -2], upper: [0.5, 2])
        let result = try LBFGSB().minimize(f, from: [-1.2, 1], bounds: bounds)
        #expect(result.converged, "\(result.message)")
        #expect(result.x[0] == 0.5)
        #expect(Swift.abs(result.x[1] - 0.25) < 1e-5)
        #expect(bounds.contains(result.x))
    }

    @Test func boundedQuadraticMatchesTheProjection() throws {
        // f = Σ (xᵢ − cᵢ)² with c outside the box: the minimizer is the projection of c.
        let c: [Double] = [3, -4, 0.25, 10, -0.5]
        @Sendable func value(_ x: [Double]) -> Double {
            var sum = 0.0
            for i in 0..<5 { sum += (x[i] - c[i]) * (x[i] - c[i]) }
            return sum
        }
        let f = Objective(dimension: 5, value: value, gradient: { x in (value(x), (0..<5).map { 2 * (x[$0] - c[$0]) }) })
        let bounds = try Bounds(dimension: 5, lower: -1, upper: 1)
        let result = try LBFGSB().minimize(f, from: [0, 0, 0, 0, 0], bounds: bounds)
        #expect(result.x == [1, -1, 0.25, 1, -0.5])
        #expect(result.converged)
    }

    @Test func progressCallbackCanStopTheRun() throws {
        let f = try TestFunction(.rosenbrock, dimension: 10)
        var solver = LBFGSB()
        solver.monitor = RunMonitor(recordHistory: true) { $0.iteration >= 3 ? .stop : .proceed }
        let result = try solver.minimize(f, from: Self.rosenbrockStart(10))
        #expect(result.stopReason == .cancelled)
        #expect(result.iterations == 3)
        #expect(!result.converged)
    }
}
