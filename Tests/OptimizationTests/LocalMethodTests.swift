import Foundation
import Testing
import LinearAlgebra
@testable import Optimization

@Suite("Nelder–Mead and trust-region Newton")
struct LocalMethodTests {
    @Test func nelderMeadSolvesRosenbrock() throws {
        let f = try TestFunction(.rosenbrock, dimension: 2)
        let r = try NelderMead().minimize(f, from: [-1.2, 1])
        #expect(r.converged, "\(r.message)")
        #expect(Swift.abs(r.x[0] - 1) < 1e-6 && Swift.abs(r.x[1] - 1) < 1e-6)
        #expect(r.gradientEvaluations == 0)
    }

    @Test func nelderMeadStaysInsideBounds() throws {
        let f = try TestFunction(.rosenbrock, dimension: 4)
        let bounds = try Bounds(lower: [-2, -2, -2, 1.5], upper: [0.5, 2, 2, 3])
        let r = try NelderMead().minimize(f, from: [0, 0, 0, 2], bounds: bounds)
        #expect(bounds.contains(r.x))
        // The bounded optimum has x₀ = 0.5 or x₃ = 1.5 active; L-BFGS-B finds it from the same start.
        let reference = try LBFGSB().minimize(f, from: [0, 0, 0, 2], bounds: bounds)
        #expect(Swift.abs(r.value - reference.value) < 1e-6, "NM \(r.value) vs L-BFGS-B \(reference.value)")
    }

    @Test func nelderMeadOnlyOneSidedBounds() throws {
        // min (x−3)² + (y+1)² with x ≥ 4, y ≤ −2: the corner (4, −2).
        let f = Objective(dimension: 2) { x in (x[0] - 3) * (x[0] - 3) + (x[1] + 1) * (x[1] + 1) }
        let bounds = try Bounds(lower: [4, -.infinity], upper: [.infinity, -2])
        let r = try NelderMead().minimize(f, from: [5, -3], bounds: bounds)
        #expect(Swift.abs(r.x[0] - 4) < 1e-4 && Swift.abs(r.x[1] + 2) < 1e-4)
    }

    @Test func trustRegionNewtonWithAutomaticHessian() throws {
        let f = AutoDiffObjective(try TestFunction(.rosenbrock, dimension: 6))
        let r = try TrustRegionNewton().minimize(f, from: (0..<6).map { $0 % 2 == 0 ? -1.2 : 1 })
        #expect(r.converged, "\(r.message)")
        for xi in r.x { #expect(Swift.abs(xi - 1) < 1e-8) }
        #expect(r.iterations < 100)
    }

    @Test func trustRegionNewtonHandlesIndefiniteHessiansAndBounds() throws {
        // Styblinski–Tang is indefinite near 0; with x ≥ −2 the minimum per coordinate is at −2
        // or at the other local minimum 2.7468; from 0.1 the method must go downhill and stay feasible.
        let f = AutoDiffObjective(try TestFunction(.styblinskiTang, dimension: 3))
        let bounds = try Bounds(dimension: 3, lower: -2, upper: 5)
        let r = try TrustRegionNewton().minimize(f, from: [0.1, -0.1, 0.3], bounds: bounds)
        #expect(bounds.contains(r.x))
        #expect(r.converged, "\(r.message)")
        #expect(r.value < f.value(at: [0.1, -0.1, 0.3]))
    }

    @Test func trustRegionNewtonNeedsAHessian() throws {
        let f = Objective(dimension: 1) { $0[0] * $0[0] }
        #expect(throws: OptimizationError.self) { try TrustRegionNewton().minimize(f, from: [1]) }
    }
}
