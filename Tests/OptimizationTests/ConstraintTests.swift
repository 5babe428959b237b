import Foundation
import Testing
import LinearAlgebra
@testable import Optimization

@Suite("Constraints: augmented Lagrangian")
struct ConstraintTests {
    @Test func budgetConstraintOnAQuadratic() throws {
        // min Σ (xᵢ − 1)² s.t. Σ cᵢxᵢ ≤ 1, x ≥ 0. KKT: xᵢ = max(0, 1 − λcᵢ/2) with Σ cᵢxᵢ = 1.
        let c: [Double] = [1, 2, 3]
        let f = Objective(dimension: 3, value: { x in x.reduce(0) { $0 + ($1 - 1) * ($1 - 1) } },
                          gradient: { x in (x.reduce(0) { $0 + ($1 - 1) * ($1 - 1) }, x.map { 2 * ($0 - 1) }) })
        let bounds = try Bounds(dimension: 3, lower: 0, upper: 10)
        let r = try AugmentedLagrangian().minimize(f, constraints: [.linear(coefficients: c, atMost: 1)], from: [0, 0, 0], bounds: bounds)
        // With all three free, 6 − 7λ = 1 gives λ = 5/7 and x₃ = 1 − 15/14 < 0, so x₃ sits at its
        // bound 0; then 3 − 5λ/2 = 1 gives λ = 0.8 and x = (0.6, 0.2, 0).
        let expected = [0.6, 0.2, 0.0]
        for i in 0..<3 { #expect(Swift.abs(r.x[i] - expected[i]) < 1e-6, "x[\(i)] = \(r.x[i]) vs \(expected[i])") }
        #expect(r.converged, "\(r.message)")
        #expect(zip(c, r.x).reduce(0) { $0 + $1.0 * $1.1 } <= 1 + 1e-8)
    }

    @Test func nonlinearEqualityAndInequality() throws {
        // min x + y s.t. x² + y² = 2 and y ≥ x − 1 (written x − y − 1 ≤ 0): the answer is (−1, −1).
        // (The arc has a second local minimum at the corner (1.366, 0.366); start on the other side.)
        let f = Objective(dimension: 2, value: { $0[0] + $0[1] }, gradient: { ($0[0] + $0[1], [1, 1]) })
        let circle = Constraint.equality("circle", { $0[0] * $0[0] + $0[1] * $0[1] - 2 }, gradient: { [2 * $0[0], 2 * $0[1]] })
        let halfPlane = Constraint.inequality("half-plane", { $0[0] - $0[1] - 1 })  // gradient by differences
        let r = try AugmentedLagrangian().minimize(f, constraints: [circle, halfPlane], from: [-0.3, -0.6])
        #expect(Swift.abs(r.x[0] + 1) < 1e-6, "\(r.x) \(r.message)")
        #expect(Swift.abs(r.x[1] + 1) < 1e-6, "\(r.x) \(r.message)")
        #expect(r.converged)
    }

    @Test func inactiveConstraintChangesNothing() throws {
        let f = try TestFunction(.rosenbrock, dimension: 2)
        let r = try AugmentedLagrangian().minimize(f, constraints: [.linear(coefficients: [1, 1], atMost: 5)], from: [-1.2, 1])
        #expect(Swift.abs(r.x[0] - 1) < 1e-5 && Swift.abs(r.x[1] - 1) < 1e-5)
    }

    @Test func malformedLinearConstraint() {
        #expect(throws: OptimizationError.invalidConstraint(index: 0, reason: "'budget' has 3 coefficient(s) for 2 parameter(s)")) {
            try AugmentedLagrangian().minimize(try TestFunction(.rosenbrock, dimension: 2),
                                               constraints: [.linear(coefficients: [1, 1, 1], atMost: 5)], from: [0, 0])
        }
    }
}
