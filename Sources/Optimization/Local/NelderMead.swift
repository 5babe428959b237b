import Foundation
import LinearAlgebra

/// The Nelder–Mead simplex method (Nelder & Mead 1965, in the form of Lagarias et al. 1998),
/// derivative-free, with bounds by transformation (`BoundTransform`: the simplex moves in an
/// unconstrained space that the sine/square maps onto the box, so every evaluated point is
/// feasible) and, by default, the dimension-adapted coefficients of Gao & Han (2012), which keep
/// the method from stalling above ~5 dimensions.
///
/// The n + 1 starting vertices and every shrink step are evaluated as one parallel batch.
/// A NaN or infinite value counts as +∞: that vertex is never kept as best.
public struct NelderMead: Sendable {
    /// Use Gao–Han coefficients (reflection 1, expansion 1 + 2/n, contraction 0.75 − 1/2n,
    /// shrink 1 − 1/n); `false`: the classic 1, 2, ½, ½.
    public var adaptive = true
    /// Stop when every vertex is within this of the best one in every coordinate (in x).
    public var xTolerance = 1e-8
    /// … and every vertex's value is within this of the best value.
    public var functionTolerance = 1e-10
    /// Iteration budget.
    public var maxIterations = 100_000
    /// Evaluation budget; nil means 1,000·n.
    public var maxEvaluations: Int?
    /// Threads for the batches (never changes the result).
    public var parallelism: Parallelism = .serial
    /// History and progress callback.
    public var monitor = RunMonitor()

    /// Default settings.
    public init() {}

    /// Minimizes f from `start` within `bounds`.
    /// - Throws: `OptimizationError` for a dimension mismatch, a start outside the bounds, or a
    ///   non-finite value at the start.
    /// - Complexity: O(n) evaluations per iteration at worst (a shrink), usually 1–2; O(n²)
    ///   arithmetic per iteration.
    public func minimize(_ f: some ObjectiveFunction, from start: [Double], bounds: Bounds? = nil) throws -> OptimizationResult {
        let box = try validateLocal(f, start: start, bounds: bounds)
        let n = f.dimension
        try DenseWorkspace.require(points: n + 1, dimension: n, copies: 2, method: "Nelder–Mead", what: "a simplex of \(n + 1) points of dimension \(n) (and its reordered copy)")
        let budget = maxEvaluations ?? 1_000 * n
        guard budget >= n + 1, maxIterations >= 1 else {
            throw OptimizationError.invalidSetting(name: "maxEvaluations", reason: "must be at least n + 1 = \(n + 1)")
        }
        var evaluator = Evaluator(f, bounds: box, parallelism: parallelism)
        let transform = BoundTransform(bounds: box)
        let f0 = evaluator.value(start)
        guard f0.isFinite else { throw OptimizationError.nonFiniteStart(value: f0) }
        let dn = Double(n)
        let (rho, chi, psi, sigma) = adaptive && n > 2 ? (1.0, 1 + 2 / dn, 0.75 - 1 / (2 * dn), 1 - 1 / dn) : (1.0, 2.0, 0.5, 0.5)

        let z0 = transform.coordinates(start)
        var simplex = [z0]
        for i in 0..<n {
            var z = z0
            z[i] += transform.initialStep(z0, i)
            simplex.append(z)
        }
        func clean(_ v: Double) -> Double { v.isNaN ? .infinity : v }
        var values = [f0] + evaluator.values(simplex.dropFirst().map { transform.point($0) }).map(clean)
        var history: [IterationRecord] = []
        var iteration = 0
        var reason: StopReason?

        while reason == nil {
            // Order the vertices by value (ties by index, so the order is deterministic).
            let order = values.indices.sorted { values[$0] != values[$1] ? values[$0] < values[$1] : $0 < $1 }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            let best = transform.point(simplex[0])
            var spreadX = 0.0, spreadF = 0.0
            for k in 1...n {
                let xk = transform.point(simplex[k])
                for i in 0..<n { spreadX = Swift.max(spreadX, Swift.abs(xk[i] - best[i])) }
                spreadF = Swift.max(spreadF, Swift.abs(values[k] - values[0]))
            }
            if iteration > 0 {
                let record = IterationRecord(iteration: iteration, evaluations: evaluator.evaluations, value: values[0], gradientNorm: nil)
                if monitor.report(record, into: &history) { reason = .cancelled; break }
            }
            if spreadX <= xTolerance && spreadF <= functionTolerance { reason = .stepTolerance(xTolerance); break }
            if iteration >= maxIterations { reason = .iterationBudget(maxIterations); break }
            if evaluator.evaluations >= budget { reason = .evaluationBudget(budget); break }
            iteration += 1

            var centroid = [Double](repeating: 0, count: n)
            for k in 0..<n { for i in 0..<n { centroid[i] += simplex[k][i] / dn } }
            let worst = simplex[n]
            func along(_ t: Double) -> [Double] { (0..<n).map { (1 + t) * centroid[$0] - t * worst[$0] } }
            let xr = along(rho)
            let fr = clean(evaluator.value(transform.point(xr)))
            var shrink = false
            if fr < values[0] {
                let xe = along(rho * chi)
                let fe = clean(evaluator.value(transform.point(xe)))
                if fe < fr { simplex[n] = xe; values[n] = fe } else { simplex[n] = xr; values[n] = fr }
            } else if fr < values[n - 1] {
                simplex[n] = xr; values[n] = fr
            } else if fr < values[n] {
                let xc = along(psi * rho)
                let fc = clean(evaluator.value(transform.point(xc)))
                if fc <= fr { simplex[n] = xc; values[n] = fc } else { shrink = true }
            } else {
                let xcc = along(-psi)
                let fcc = clean(evaluator.value(transform.point(xcc)))
                if fcc < values[n] { simplex[n] = xcc; values[n] = fcc } else { shrink = true }
            }
            if shrink {
                for k in 1...n { simplex[k] = (0..<n).map { simplex[0][$0] + sigma * (simplex[k][$0] - simplex[0][$0]) } }
                let shrunk = evaluator.values(simplex.dropFirst().map { transform.point($0) }).map(clean)
                for k in 1...n { values[k] = shrunk[k - 1] }
            }
        }
        let xBest = transform.point(simplex[0])
        return OptimizationResult(
            method: "Nelder–Mead", x: xBest, value: values[0], gradientNorm: nil, iterations: iteration,
            evaluations: evaluator.evaluations, gradientEvaluations: 0,
            stopReason: reason ?? .stalled("no progress"), history: history)
    }
}
