import Foundation
import LinearAlgebra

/// Constrained minimization: min f(x) subject to l ≤ x ≤ u, cⱼ(x) ≤ 0 and hₖ(x) = 0, by the
/// Powell–Hestenes–Rockafellar augmented Lagrangian (as in ALGENCAN, Birgin & Martínez 2014)
/// with L-BFGS-B on the bounds:
///     L(x; λ, μ, ρ) = f(x) + (ρ/2)[Σₖ (hₖ + λₖ/ρ)² + Σⱼ max(0, cⱼ + μⱼ/ρ)²],
/// minimized over the box for fixed multipliers, then λ ← λ + ρh, μ ← max(0, μ + ρc), and ρ
/// grows tenfold whenever the violation did not fall by half. A linear budget Σ aᵢxᵢ ≤ B is an
/// inequality with an exact gradient.
public struct AugmentedLagrangian: Sendable {
    /// Converged when the largest violation (and complementarity |min(−c, μ)|) ≤ this…
    public var feasibilityTolerance = 1e-8
    /// …and the inner solve's projected gradient ≤ this.
    public var optimalityTolerance = 1e-6
    /// Outer iteration budget.
    public var maxOuterIterations = 50
    /// Evaluation budget over all inner solves.
    public var maxEvaluations = 200_000
    /// The first penalty ρ; nil: 10·max(1, |f(x₀)|)/max(1, ½Σviolations²), clamped to [1e-6, 10].
    public var initialPenalty: Double?
    /// The largest penalty.
    public var maxPenalty = 1e12
    /// The inner solver's settings (its budgets are overridden per solve).
    public var inner = LBFGSB()
    /// History (one record per outer iteration) and progress callback.
    public var monitor = RunMonitor()

    /// Default settings.
    public init() {}

    /// Minimizes f subject to `constraints` and `bounds`, from `start` (inside the bounds; it
    /// need not satisfy the constraints).
    /// - Returns: the result; `stopReason` is a convergence only when the point is feasible to
    ///   `feasibilityTolerance`; otherwise the message gives the remaining violation.
    /// - Throws: as `LBFGSB.minimize`, and `OptimizationError.invalidConstraint` for a linear
    ///   constraint with the wrong number of coefficients.
    /// - Complexity: one L-BFGS-B solve per outer iteration; each evaluation of L costs one of f
    ///   and one of every constraint (plus their gradients).
    public func minimize(_ f: some ObjectiveFunction, constraints: [Constraint], from start: [Double],
                         bounds: Bounds? = nil) throws -> OptimizationResult {
        let box = try validateLocal(f, start: start, bounds: bounds)
        let n = f.dimension
        for (i, c) in constraints.enumerated() { try c.validate(index: i, dimension: n) }
        let f0 = f.value(at: start)
        guard f0.isFinite else { throw OptimizationError.nonFiniteStart(value: f0) }
        var evaluations = 1, gradientEvaluations = 0
        var lambda = [Double](repeating: 0, count: constraints.count)
        let v0 = constraints.reduce(0.0) { $0 + 0.5 * $1.violation(at: start) * $1.violation(at: start) }
        var rho = initialPenalty ?? Swift.min(10, Swift.max(1e-6, 10 * Swift.max(1, Swift.abs(f0)) / Swift.max(1, v0)))
        var x = start
        var history: [IterationRecord] = []
        var reason: StopReason?
        var previousViolation = Double.infinity
        var outer = 0
        var lastInner: OptimizationResult?

        while reason == nil {
            outer += 1
            let lagrangian = AugmentedObjective(objective: f, constraints: constraints, multipliers: lambda, penalty: rho, bounds: box)
            var solver = inner
            solver.monitor = RunMonitor(recordHistory: false)
            solver.maxEvaluations = Swift.max(1, maxEvaluations - evaluations)
            solver.gradientTolerance = optimalityTolerance
            solver.functionTolerance = Swift.min(inner.functionTolerance, 1e-12)
            let result: OptimizationResult
            do {
                result = try solver.minimize(lagrangian, from: x, bounds: box)
            } catch OptimizationError.nonFiniteStart {
                reason = .stalled("the augmented Lagrangian is not finite at the current point"); break
            }
            evaluations += result.evaluations
            gradientEvaluations += result.gradientEvaluations
            lastInner = result
            x = result.x
            // Multiplier updates and the measure of infeasibility / complementarity.
            var violation = 0.0
            for (j, c) in constraints.enumerated() {
                let cj = c.value(at: x)
                switch c.kind {
                case .equalToZero:
                    lambda[j] += rho * cj
                    violation = Swift.max(violation, Swift.abs(cj))
                case .lessThanOrEqualToZero:
                    lambda[j] = Swift.max(0, lambda[j] + rho * cj)
                    violation = Swift.max(violation, Swift.max(0, cj), Swift.abs(Swift.min(-cj, lambda[j])))
                }
            }
            let fx = f.value(at: x)
            evaluations += 1
            let record = IterationRecord(iteration: outer, evaluations: evaluations, value: fx, gradientNorm: result.gradientNorm)
            if monitor.report(record, into: &history) { reason = .cancelled; break }
            if violation <= feasibilityTolerance, (result.gradientNorm ?? .infinity) <= optimalityTolerance * 10 || result.converged {
                reason = result.stopReason; break
            }
            if outer >= maxOuterIterations { reason = .iterationBudget(maxOuterIterations); break }
            if evaluations >= maxEvaluations { reason = .evaluationBudget(maxEvaluations); break }
            if violation > 0.5 * previousViolation { rho = Swift.min(maxPenalty, 10 * rho) }
            previousViolation = violation
        }
        let fx = f.value(at: x)
        let worst = constraints.map { $0.violation(at: x) }.max() ?? 0
        var notes = ["\(outer) outer iteration(s), penalty \(rho), largest constraint violation \(worst)"]
        if worst > feasibilityTolerance {
            notes.append("the point violates a constraint by more than \(feasibilityTolerance)")
            if reason?.converged == true { reason = .stalled("the constraints are not satisfied to \(feasibilityTolerance)") }
        }
        return OptimizationResult(
            method: "augmented Lagrangian (L-BFGS-B)", x: x, value: fx, gradientNorm: lastInner?.gradientNorm, iterations: outer,
            evaluations: evaluations, gradientEvaluations: gradientEvaluations,
            stopReason: reason ?? .stalled("no progress"), history: history, notes: notes)
    }
}

/// L(x; λ, ρ) for fixed multipliers, with its gradient (exact pieces where given).
struct AugmentedObjective<F: ObjectiveFunction>: ObjectiveFunction {
    let objective: F
    let constraints: [Constraint]
    let multipliers: [Double]
    let penalty: Double
    /// The box, so that finite differences of f never leave it.
    let bounds: Bounds

    var dimension: Int { objective.dimension }
    var isThreadSafe: Bool { objective.isThreadSafe }
    var providesGradient: Bool { true }

    func value(at x: [Double]) -> Double {
        var total = objective.value(at: x)
        for (j, c) in constraints.enumerated() { total += term(c.value(at: x), c.kind, multipliers[j]) }
        return total
    }

    func term(_ c: Double, _ kind: Constraint.Kind, _ lambda: Double) -> Double {
        let shifted = c + lambda / penalty
        switch kind {
        case .equalToZero: return 0.5 * penalty * (shifted * shifted - (lambda / penalty) * (lambda / penalty))
        case .lessThanOrEqualToZero:
            let m = Swift.max(0, shifted)
            return 0.5 * penalty * (m * m - (lambda / penalty) * (lambda / penalty))
        }
    }

    func valueAndGradient(at x: [Double]) -> (value: Double, gradient: [Double])? {
        var (value, gradient) = objective.valueAndGradient(at: x) ?? {
            let fx = objective.value(at: x)
            return (fx, FiniteDifferences().gradient(of: objective, at: x, value: fx, bounds: bounds, parallelism: .serial))
        }()
        for (j, c) in constraints.enumerated() {
            let cj = c.value(at: x)
            value += term(cj, c.kind, multipliers[j])
            let weight: Double
            switch c.kind {
            case .equalToZero: weight = penalty * cj + multipliers[j]
            case .lessThanOrEqualToZero: weight = Swift.max(0, penalty * cj + multipliers[j])
            }
            if weight != 0 {
                let gc = c.gradient(at: x)
                for i in 0..<Swift.min(gc.count, gradient.count) { gradient[i] += weight * gc[i] }
            }
        }
        return (value, gradient)
    }
}
