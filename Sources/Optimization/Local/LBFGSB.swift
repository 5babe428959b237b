import Foundation
import LinearAlgebra

/// L-BFGS-B: limited-memory BFGS with bounds, after Byrd, Lu, Nocedal & Zhu (1995) and the
/// subspace-step correction of Morales & Nocedal (2011) — the algorithm of the Fortran code
/// scipy's `L-BFGS-B` wraps, written anew.
///
/// Each iteration (1) finds the generalized Cauchy point: the first local minimizer of the
/// quadratic model along the projected steepest-descent path x(t) = P(x − t∇f), walking the
/// breakpoints in order with the compact form B = θI − WMWᵀ; (2) minimizes the model over the
/// variables still free there (direct primal method, Sherman–Morrison–Woodbury), projects that
/// point onto the box and falls back to truncating the step when the projection is not a
/// descent direction; (3) runs the Moré–Thuente strong-Wolfe line search (ftol 1e-3, gtol 0.9)
/// from x toward that point, never leaving the box. Without bounds it is L-BFGS.
///
/// A trial point where f or ∇f is NaN or infinite is rejected (the step is halved); if the line
/// search fails the memory is dropped and the iteration restarts from steepest descent.
public struct LBFGSB: Sendable {
    /// Correction pairs kept (m).
    public var memory = 10
    /// Stop when ‖x − P(x − ∇f)‖∞ ≤ this (scipy's `gtol`/`pgtol`).
    public var gradientTolerance = 1e-5
    /// Stop when (fₖ − fₖ₊₁)/max(|fₖ|, |fₖ₊₁|, 1) ≤ this (scipy's `ftol` = factr·ε, default 1e7·ε).
    public var functionTolerance = 1e7 * Double.ulpOfOne
    /// Iteration budget.
    public var maxIterations = 15_000
    /// Budget of objective evaluations (finite-difference evaluations included).
    public var maxEvaluations = 15_000
    /// Evaluations one line search may make before it counts as failed.
    public var maxLineSearchSteps = 20
    /// Finite differences for objectives without a gradient.
    public var differences = FiniteDifferences()
    /// Threads for finite-difference batches (never changes the result).
    public var parallelism: Parallelism = .serial
    /// History and progress callback.
    public var monitor = RunMonitor()

    /// Default settings (scipy's defaults).
    public init() {}

    /// Minimizes f from `start` within `bounds` (nil: unbounded).
    /// - Throws: `OptimizationError` for a dimension mismatch, invalid settings, a start
    ///   outside the bounds, or f or ∇f not finite at the start.
    /// - Complexity: per iteration O(mn + m²·t + n log n) for t breakpoints passed, plus the
    ///   evaluations (one gradient per line-search step; 2n values each without a gradient).
    public func minimize(_ f: some ObjectiveFunction, from start: [Double], bounds: Bounds? = nil) throws -> OptimizationResult {
        guard memory >= 1 else { throw OptimizationError.invalidSetting(name: "memory", reason: "must be at least 1, got \(memory)") }
        guard maxIterations >= 1, maxEvaluations >= 1, maxLineSearchSteps >= 1 else {
            throw OptimizationError.invalidSetting(name: "budgets", reason: "maxIterations, maxEvaluations and maxLineSearchSteps must be at least 1")
        }
        let box = try validateLocal(f, start: start, bounds: bounds)
        var evaluator = Evaluator(f, bounds: box, parallelism: parallelism, differences: differences)
        var run = LBFGSBRun(settings: self, box: box)
        return try run.solve(&evaluator, start: start)
    }
}

/// The state of one L-BFGS-B run.
struct LBFGSBRun {
    let settings: LBFGSB
    let box: Bounds
    let n: Int
    let constrained: Bool
    let boxed: Bool
    var memory: LimitedMemoryMatrix

    init(settings: LBFGSB, box: Bounds) {
        self.settings = settings
        self.box = box
        self.n = box.dimension
        self.constrained = !box.isUnbounded
        self.boxed = box.isFinite
        self.memory = LimitedMemoryMatrix(capacity: settings.memory)
    }

    mutating func solve<F>(_ evaluator: inout Evaluator<F>, start: [Double]) throws -> OptimizationResult {
        var x = start
        var (f, g) = evaluator.valueAndGradient(x)
        guard f.isFinite else { throw OptimizationError.nonFiniteStart(value: f) }
        if let bad = g.firstIndex(where: { !$0.isFinite }) {
            throw OptimizationError.nonFiniteDerivativeAtStart(what: "gradient", index: bad)
        }
        var history: [IterationRecord] = []
        var iteration = 0
        var notes: [String] = []
        var pgNorm = projectedGradientNorm(x, g, box)
        var reason: StopReason?
        if pgNorm <= settings.gradientTolerance { reason = .gradientTolerance(settings.gradientTolerance) }

        while reason == nil {
            let direction = searchDirection(x: x, g: g)
            var d = direction.map { $0 }
            for i in 0..<n { d[i] = direction[i] - x[i] }
            var slope = SmallDense.dot(g, d)
            if !(slope < 0) {
                // Not a descent direction: drop the memory and take the projected steepest descent.
                if memory.count > 0 {
                    memory.reset()
                    continue
                }
                reason = slope == 0 || d.allSatisfy({ $0 == 0 })
                    ? .gradientTolerance(settings.gradientTolerance)
                    : .stalled("no descent direction at the current point")
                break
            }
            let outcome = lineSearch(&evaluator, x: x, f: f, g: g, d: d, target: direction, slope: &slope,
                                     firstIteration: iteration == 0)
            guard let accepted = outcome else {
                if evaluator.evaluations >= settings.maxEvaluations { reason = .evaluationBudget(settings.maxEvaluations); break }
                if memory.count > 0 {
                    memory.reset()
                    notes.append("line search failed at iteration \(iteration + 1); memory dropped and restarted")
                    continue
                }
                reason = .stalled("the line search found no acceptable step along steepest descent")
                break
            }
            iteration += 1
            let fOld = f
            let sVec = (0..<n).map { accepted.x[$0] - x[$0] }
            let yVec = (0..<n).map { accepted.g[$0] - g[$0] }
            x = accepted.x; f = accepted.f; g = accepted.g
            pgNorm = projectedGradientNorm(x, g, box)
            let record = IterationRecord(iteration: iteration, evaluations: evaluator.evaluations, value: f, gradientNorm: pgNorm)
            if settings.monitor.report(record, into: &history) { reason = .cancelled; break }
            if pgNorm <= settings.gradientTolerance { reason = .gradientTolerance(settings.gradientTolerance); break }
            if (fOld - f) / Swift.max(Swift.abs(fOld), Swift.abs(f), 1) <= settings.functionTolerance {
                reason = .functionTolerance(settings.functionTolerance); break
            }
            if iteration >= settings.maxIterations { reason = .iterationBudget(settings.maxIterations); break }
            if evaluator.evaluations >= settings.maxEvaluations { reason = .evaluationBudget(settings.maxEvaluations); break }
            // Keep the pair only when the curvature sᵀy is safely positive (as the Fortran code does).
            let sy = SmallDense.dot(sVec, yVec)
            if sy > Double.ulpOfOne * (-accepted.initialSlope * accepted.step) {
                if !memory.add(s: sVec, y: yVec) { notes.append("the limited-memory matrix became singular; memory dropped") }
            }
        }
        return OptimizationResult(
            method: "L-BFGS-B", x: x, value: f, gradientNorm: pgNorm, iterations: iteration,
            evaluations: evaluator.evaluations, gradientEvaluations: evaluator.gradientEvaluations,
            stopReason: reason ?? .stalled("no progress"), history: history, notes: notes)
    }

    struct Accepted {
        var x: [Double], f: Double, g: [Double], step: Double, initialSlope: Double
    }

    /// The strong-Wolfe line search from x along d (never leaving the box); nil when it failed.
    mutating func lineSearch<F>(_ evaluator: inout Evaluator<F>, x: [Double], f: Double, g: [Double], d: [Double],
                                target: [Double], slope: inout Double, firstIteration: Bool) -> Accepted? {
        var dnorm2 = 0.0
        for v in d { dnorm2 += v * v }
        let dnorm = dnorm2.squareRoot()
        var stepMax = 1e10
        if constrained {
            if firstIteration {
                stepMax = 1
            } else {
                for i in 0..<n where d[i] != 0 {
                    if d[i] < 0, box.lower[i] > -.infinity {
                        stepMax = Swift.min(stepMax, (box.lower[i] - x[i]) / d[i])
                    } else if d[i] > 0, box.upper[i] < .infinity {
                        stepMax = Swift.min(stepMax, (box.upper[i] - x[i]) / d[i])
                    }
                }
                stepMax = Swift.max(stepMax, 0)
            }
        }
        let step0 = (firstIteration && !boxed) ? Swift.min(1 / dnorm, stepMax) : 1
        var search = MoreThuenteLineSearch(value: f, slope: slope, step: step0, stepMax: stepMax)
        var best: Accepted?
        var stp = search.firstStep
        for _ in 0..<settings.maxLineSearchSteps {
            if evaluator.evaluations >= settings.maxEvaluations { return best }
            var trial = [Double](repeating: 0, count: n)
            if stp == 1 { trial = target } else { for i in 0..<n { trial[i] = x[i] + stp * d[i] } }
            trial = box.project(trial)
            let (ft, gt) = evaluator.valueAndGradient(trial)
            let action: MoreThuenteLineSearch.Action
            if !ft.isFinite || !gt.allSatisfy(\.isFinite) {
                action = search.rejectNonFinite()
            } else {
                let gd = SmallDense.dot(gt, d)
                let candidate = Accepted(x: trial, f: ft, g: gt, step: stp, initialSlope: slope)
                if ft < f, search.sufficientDecrease(ft), best == nil || ft < best?.f ?? .infinity { best = candidate }
                action = search.next(value: ft, slope: gd)
                if action == .converged { return candidate }
                if case .warning = action {
                    // Accept the last step only if it decreased f enough; else the best seen.
                    return search.sufficientDecrease(ft) && ft < f ? candidate : best
                }
            }
            switch action {
            case let .evaluate(next): stp = next
            case .converged: break
            case .warning: return best
            }
        }
        return nil
    }

    /// The point the line search aims at: Cauchy point, then subspace minimization.
    func searchDirection(x: [Double], g: [Double]) -> [Double] {
        if !constrained && memory.count > 0 {
            // Without bounds the Cauchy point is x, every variable is free and the subspace
            // step is −B⁻¹g: the L-BFGS direction, by the two-loop recursion.
            let step = memory.inverseTimes(g)
            return (0..<n).map { x[$0] - step[$0] }
        }
        let (z, c) = cauchyPoint(x: x, g: g)
        if memory.count == 0 { return z }
        return subspaceMinimum(x: x, g: g, cauchy: z, c: c)
    }

    /// The generalized Cauchy point z and c = Wᵀ(z − x) (Algorithm CP of Byrd et al. 1995).
    func cauchyPoint(x: [Double], g: [Double]) -> (z: [Double], c: [Double]) {
        let theta = memory.theta
        var d = [Double](repeating: 0, count: n)
        var breakpoints: [(t: Double, index: Int)] = []
        for i in 0..<n {
            var t = Double.infinity
            if g[i] < 0, box.upper[i] < .infinity { t = (x[i] - box.upper[i]) / g[i] } else if g[i] > 0, box.lower[i] > -.infinity { t = (x[i] - box.lower[i]) / g[i] }
            if t == 0 || g[i] == 0 { continue }
            d[i] = -g[i]
            if t < .infinity { breakpoints.append((t, i)) }
        }
        breakpoints.sort { $0.t != $1.t ? $0.t < $1.t : $0.index < $1.index }
        let w = memory.width
        var p = memory.count > 0 ? memory.wTranspose(d) : []
        var c = [Double](repeating: 0, count: w)
        var fp = -SmallDense.dot(d, d)
        var fpp = -theta * fp
        if w > 0 { fpp -= SmallDense.dot(p, memory.m(p)) }
        let fppOriginal = fpp
        var z = x
        if fp == 0 { return (z, c) }
        var dtm = -fp / fpp
        var tOld = 0.0
        for (t, b) in breakpoints {
            let dt = t - tOld
            if dtm < dt { break }
            let zb = d[b] > 0 ? box.upper[b] : box.lower[b]
            z[b] = zb
            let zDist = zb - x[b]
            for k in 0..<w { c[k] += dt * p[k] }
            let gb = g[b]
            fp += dt * fpp + gb * gb + theta * gb * zDist
            fpp -= theta * gb * gb
            if w > 0 {
                let wb = memory.row(b)
                let mc = memory.m(c), mp = memory.m(p), mw = memory.m(wb)
                fp -= gb * SmallDense.dot(wb, mc)
                fpp -= 2 * gb * SmallDense.dot(wb, mp) + gb * gb * SmallDense.dot(wb, mw)
                for k in 0..<w { p[k] += gb * wb[k] }
            }
            d[b] = 0
            fpp = Swift.max(Double.ulpOfOne * fppOriginal, fpp)
            dtm = -fp / fpp
            tOld = t
        }
        dtm = Swift.max(dtm, 0)
        tOld += dtm
        for i in 0..<n where d[i] != 0 { z[i] = x[i] + tOld * d[i] }
        z = box.project(z)
        for k in 0..<w { c[k] += dtm * p[k] }
        return (z, c)
    }

    /// Minimizes the model over the variables free at the Cauchy point z (direct primal method),
    /// then projects (Morales–Nocedal) or truncates the step to stay in the box.
    func subspaceMinimum(x: [Double], g: [Double], cauchy z: [Double], c: [Double]) -> [Double] {
        let theta = memory.theta
        let w = memory.width
        let free = (0..<n).filter { z[$0] > box.lower[$0] && z[$0] < box.upper[$0] }
        if free.isEmpty { return z }
        let mc = memory.m(c)
        var rows: [[Double]] = []
        rows.reserveCapacity(free.count)
        var r = [Double](repeating: 0, count: free.count)
        var wtr = [Double](repeating: 0, count: w)
        var wtzzw = [Double](repeating: 0, count: w * w)
        for (k, i) in free.enumerated() {
            let wi = memory.row(i)
            rows.append(wi)
            r[k] = g[i] + theta * (z[i] - x[i]) - SmallDense.dot(wi, mc)
            for a in 0..<w {
                wtr[a] += wi[a] * r[k]
                for b in 0..<w { wtzzw[a * w + b] += wi[a] * wi[b] }
            }
        }
        // N = I − (1/θ) M (WᵀZ ZᵀW);  v = N⁻¹ M WᵀZ r.
        var nMatrix = [Double](repeating: 0, count: w * w)
        let mMatrix = memory.middle
        for a in 0..<w {
            for b in 0..<w {
                var s = 0.0
                for k in 0..<w { s += mMatrix[a * w + k] * wtzzw[k * w + b] }
                nMatrix[a * w + b] = (a == b ? 1 : 0) - s / theta
            }
        }
        guard let v = SmallDense.solve(nMatrix, memory.m(wtr), size: w) else { return z }
        var du = [Double](repeating: 0, count: free.count)
        for k in 0..<free.count { du[k] = -r[k] / theta - SmallDense.dot(rows[k], v) / (theta * theta) }
        // Morales–Nocedal: project z + dᵘ onto the box; keep it if it is a descent direction from x.
        var projected = z
        for (k, i) in free.enumerated() { projected[i] = Swift.min(Swift.max(z[i] + du[k], box.lower[i]), box.upper[i]) }
        var descent = 0.0
        for i in 0..<n { descent += (projected[i] - x[i]) * g[i] }
        if descent < 0 { return projected }
        // Otherwise truncate: the largest α ≤ 1 keeping z + α dᵘ in the box.
        var alpha = 1.0
        for (k, i) in free.enumerated() {
            if du[k] < 0, box.lower[i] > -.infinity { alpha = Swift.min(alpha, (box.lower[i] - z[i]) / du[k]) }
            if du[k] > 0, box.upper[i] < .infinity { alpha = Swift.min(alpha, (box.upper[i] - z[i]) / du[k]) }
        }
        var truncated = z
        for (k, i) in free.enumerated() { truncated[i] = z[i] + Swift.max(0, alpha) * du[k] }
        return box.project(truncated)
    }
}
