import Foundation
import LinearAlgebra

/// Newton's method with a trust region, for objectives that give their Hessian: each step
/// minimizes the quadratic model gᵀp + ½pᵀHp over ‖p‖ ≤ Δ by Steihaug's truncated conjugate
/// gradients (Steihaug 1983; stops at the boundary or on negative curvature, so an indefinite
/// H is fine). Δ grows after good steps and shrinks after poor ones (Nocedal & Wright, Alg. 4.1).
///
/// Bounds by a projected active-set variant: coordinates at a bound whose gradient pushes
/// outward are held fixed, CG runs on the others, and the step is projected onto the box; the
/// ratio of actual to predicted reduction is computed for the projected step. If that step
/// predicts no decrease, the projected Cauchy step along −g is used instead. A trial point
/// where f is NaN or infinite is rejected like a poor step (Δ shrinks fourfold).
public struct TrustRegionNewton: Sendable {
    /// Stop when ‖x − P(x − ∇f)‖∞ ≤ this.
    public var gradientTolerance = 1e-8
    /// Stop when the trust radius falls below this times (1 + ‖x‖).
    public var stepTolerance = 1e-14
    /// Iteration budget.
    public var maxIterations = 1_000
    /// Evaluation budget.
    public var maxEvaluations = 10_000
    /// The first trust radius; nil means 0.1·max(1, ‖x₀‖).
    public var initialRadius: Double?
    /// The largest trust radius.
    public var maxRadius = 1e10
    /// History and progress callback.
    public var monitor = RunMonitor()

    /// Default settings.
    public init() {}

    /// Minimizes f from `start` within `bounds`.
    /// - Throws: `OptimizationError.missingDerivative` when f gives no gradient or Hessian;
    ///   dimension, bound and start errors as the other local methods; `.nonFiniteDerivativeAtStart`;
    ///   `.invalidSetting` for a dimension whose n × n Hessian does not fit in memory.
    /// - Complexity: per iteration one Hessian, one value-and-gradient and up to n CG steps of
    ///   O(n²) each.
    public func minimize(_ f: some ObjectiveFunction, from start: [Double], bounds: Bounds? = nil) throws -> OptimizationResult {
        guard f.providesGradient, f.providesHessian else {
            throw OptimizationError.missingDerivative(method: "TrustRegionNewton", needs: "an exact gradient and Hessian (wrap a DifferentiableFunction in AutoDiffObjective to get both)")
        }
        let box = try validateLocal(f, start: start, bounds: bounds)
        let n = f.dimension
        try DenseWorkspace.require(matrices: 3, dimension: n, method: "TrustRegionNewton")  // the Hessian, its copy, CG work
        var evaluator = Evaluator(f, bounds: box, parallelism: .serial)
        var x = start
        var (fx, g) = evaluator.valueAndGradient(x)
        guard fx.isFinite else { throw OptimizationError.nonFiniteStart(value: fx) }
        if let bad = g.firstIndex(where: { !$0.isFinite }) { throw OptimizationError.nonFiniteDerivativeAtStart(what: "gradient", index: bad) }
        guard var h = f.hessian(at: x), h.rows == n, h.columns == n else {
            throw OptimizationError.dimensionMismatch(what: "the Hessian", expected: n, got: f.hessian(at: x)?.rows ?? 0)
        }
        if let bad = h.storage.firstIndex(where: { !$0.isFinite }) { throw OptimizationError.nonFiniteDerivativeAtStart(what: "Hessian", index: bad % n) }
        var radius = initialRadius ?? 0.1 * Swift.max(1, x.reduce(0) { $0 + $1 * $1 }.squareRoot())
        var history: [IterationRecord] = []
        var iteration = 0
        var reason: StopReason?
        var pg = projectedGradientNorm(x, g, box)
        if pg <= gradientTolerance { reason = .gradientTolerance(gradientTolerance) }

        while reason == nil {
            iteration += 1
            let free = (0..<n).map { i in
                !((x[i] <= box.lower[i] && g[i] > 0) || (x[i] >= box.upper[i] && g[i] < 0) || box.lower[i] == box.upper[i])
            }
            var p = Self.steihaug(h: h, g: g, free: free, radius: radius)
            var trial = box.project((0..<n).map { x[$0] + p[$0] })
            p = (0..<n).map { trial[$0] - x[$0] }
            var predicted = -Self.model(h: h, g: g, p: p)
            if !(predicted > 0) {
                // Projected Cauchy step: −g scaled to the radius, minimizing the model along it.
                let gNorm = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
                let curvature = Self.quadratic(h, g)
                var t = radius / gNorm
                if curvature > 0 { t = Swift.min(t, gNorm * gNorm / curvature) }
                trial = box.project((0..<n).map { x[$0] - t * g[$0] })
                p = (0..<n).map { trial[$0] - x[$0] }
                predicted = -Self.model(h: h, g: g, p: p)
            }
            let pNorm = p.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let (ft, gt) = evaluator.valueAndGradient(trial)
            let finite = ft.isFinite && gt.allSatisfy(\.isFinite)
            let actual = fx - ft
            let rho = finite && predicted > 0 ? actual / predicted : -1
            if rho < 0.25 {
                radius = 0.25 * Swift.min(radius, pNorm > 0 ? pNorm : radius)
            } else if rho > 0.75 && pNorm >= 0.99 * radius {
                radius = Swift.min(2 * radius, maxRadius)
            }
            if rho > 1e-4, finite {
                x = trial; fx = ft; g = gt
                if let newH = f.hessian(at: x), newH.isFinite { h = newH } else { reason = .stalled("the Hessian is not finite at the current point"); break }
                pg = projectedGradientNorm(x, g, box)
            }
            let record = IterationRecord(iteration: iteration, evaluations: evaluator.evaluations, value: fx, gradientNorm: pg)
            if monitor.report(record, into: &history) { reason = .cancelled; break }
            if pg <= gradientTolerance { reason = .gradientTolerance(gradientTolerance); break }
            if radius <= stepTolerance * (1 + x.reduce(0) { $0 + $1 * $1 }.squareRoot()) {
                reason = .stepTolerance(stepTolerance); break
            }
            if iteration >= maxIterations { reason = .iterationBudget(maxIterations); break }
            if evaluator.evaluations >= maxEvaluations { reason = .evaluationBudget(maxEvaluations); break }
        }
        return OptimizationResult(
            method: "trust-region Newton (Steihaug CG)", x: x, value: fx, gradientNorm: pg, iterations: iteration,
            evaluations: evaluator.evaluations, gradientEvaluations: evaluator.gradientEvaluations,
            stopReason: reason ?? .stalled("no progress"), history: history)
    }

    /// pᵀHp.
    static func quadratic(_ h: Matrix, _ p: [Double]) -> Double {
        let n = p.count
        var s = 0.0
        for j in 0..<n where p[j] != 0 {
            var col = 0.0
            for i in 0..<n { col += h[i, j] * p[i] }
            s += col * p[j]
        }
        return s
    }

    /// gᵀp + ½pᵀHp.
    static func model(h: Matrix, g: [Double], p: [Double]) -> Double {
        SmallDense.dot(g, p) + 0.5 * quadratic(h, p)
    }

    /// Steihaug–Toint CG on the free coordinates: approximately minimizes the model within the
    /// radius, stopping at the boundary on negative curvature.
    static func steihaug(h: Matrix, g: [Double], free: [Bool], radius: Double) -> [Double] {
        let n = g.count
        var z = [Double](repeating: 0, count: n)
        var r = (0..<n).map { free[$0] ? g[$0] : 0 }
        var d = r.map { -$0 }
        let r0 = r.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if r0 == 0 { return z }
        let tolerance = Swift.min(0.5, r0.squareRoot()) * r0
        for _ in 0..<(2 * n) {
            var hd = [Double](repeating: 0, count: n)
            for j in 0..<n where d[j] != 0 { for i in 0..<n where free[i] { hd[i] += h[i, j] * d[j] } }
            let dHd = SmallDense.dot(d, hd)
            if dHd <= 0 { return boundary(z, d, radius) }
            let rr = SmallDense.dot(r, r)
            let alpha = rr / dHd
            let next = (0..<n).map { z[$0] + alpha * d[$0] }
            if next.reduce(0, { $0 + $1 * $1 }).squareRoot() >= radius { return boundary(z, d, radius) }
            z = next
            for i in 0..<n { r[i] += alpha * hd[i] }
            let rrNew = SmallDense.dot(r, r)
            if rrNew.squareRoot() < tolerance { return z }
            let beta = rrNew / rr
            for i in 0..<n { d[i] = -r[i] + beta * d[i] }
        }
        return z
    }

    /// z + τd with τ ≥ 0 and ‖z + τd‖ = radius.
    static func boundary(_ z: [Double], _ d: [Double], _ radius: Double) -> [Double] {
        let a = SmallDense.dot(d, d), b = 2 * SmallDense.dot(z, d), c = SmallDense.dot(z, z) - radius * radius
        guard a > 0 else { return z }
        let tau = (-b + Swift.max(0, b * b - 4 * a * c).squareRoot()) / (2 * a)
        return (0..<z.count).map { z[$0] + tau * d[$0] }
    }
}
