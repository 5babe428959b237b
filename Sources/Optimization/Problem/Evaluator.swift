import LinearAlgebra

/// The optimizers' single door to the objective: counts evaluations, spreads batches over
/// threads (serially when the objective is not thread-safe), and supplies gradients, exact or
/// by finite differences. Used on the optimizer's own thread only.
struct Evaluator<F: ObjectiveFunction> {
    let function: F
    let bounds: Bounds
    let parallelism: Parallelism
    let differences: FiniteDifferences
    private(set) var evaluations = 0
    private(set) var gradientEvaluations = 0

    init(_ function: F, bounds: Bounds, parallelism: Parallelism, differences: FiniteDifferences = FiniteDifferences()) {
        self.function = function
        self.bounds = bounds
        self.parallelism = function.isThreadSafe ? parallelism : .serial
        self.differences = differences
    }

    /// f(x).
    mutating func value(_ x: [Double]) -> Double {
        evaluations += 1
        return function.value(at: x)
    }

    /// f at each point, in parallel.
    mutating func values(_ points: [[Double]]) -> [Double] {
        evaluations += points.count
        if points.count == 1 { return [function.value(at: points[0])] }
        let v = function.values(at: points, parallelism: parallelism)
        // A batch of the wrong length is a broken objective: every point counts as failed (NaN),
        // which the optimizers reject, rather than a trap.
        return v.count == points.count ? v : [Double](repeating: .nan, count: points.count)
    }

    /// f(x) and ∇f(x): exact when the objective gives it, else central differences (2n values
    /// in one parallel batch). A gradient of the wrong length counts as non-finite.
    mutating func valueAndGradient(_ x: [Double]) -> (value: Double, gradient: [Double]) {
        if function.providesGradient, let vg = function.valueAndGradient(at: x) {
            evaluations += 1
            gradientEvaluations += 1
            guard vg.gradient.count == x.count else { return (vg.value, [Double](repeating: .nan, count: x.count)) }
            return vg
        }
        let fx = value(x)
        guard fx.isFinite else { return (fx, [Double](repeating: .nan, count: x.count)) }
        evaluations += differences.gradientCost(at: x, bounds: bounds)
        return (fx, differences.gradient(of: function, at: x, value: fx, bounds: bounds, parallelism: parallelism))
    }

    /// The gradient at x when f(x) is already known (finite differences reuse it).
    mutating func gradient(_ x: [Double], value fx: Double) -> [Double] {
        if function.providesGradient { return valueAndGradient(x).gradient }
        evaluations += differences.gradientCost(at: x, bounds: bounds)
        return differences.gradient(of: function, at: x, value: fx, bounds: bounds, parallelism: parallelism)
    }

    /// Adds evaluations made elsewhere (a nested local search) to the count.
    mutating func add(evaluations e: Int, gradientEvaluations g: Int) {
        evaluations += e
        gradientEvaluations += g
    }
}

/// ‖x − P(x − g)‖∞, the first-order optimality measure with bounds (= ‖g‖∞ without bounds).
func projectedGradientNorm(_ x: [Double], _ g: [Double], _ bounds: Bounds) -> Double {
    var norm = 0.0
    for i in x.indices {
        var gi = g[i]
        if gi < 0 { gi = Swift.max(x[i] - bounds.upper[i], gi) } else { gi = Swift.min(x[i] - bounds.lower[i], gi) }
        norm = Swift.max(norm, Swift.abs(gi))
    }
    return norm
}

/// Validates a local method's input: dimensions, bounds, start inside, finite value.
func validateLocal(_ f: some ObjectiveFunction, start: [Double], bounds: Bounds?) throws -> Bounds {
    let n = f.dimension
    guard n >= 1 else { throw OptimizationError.invalidSetting(name: "dimension", reason: "the objective must have at least 1 parameter, got \(n)") }
    let b = bounds ?? .unbounded(dimension: n)
    try b.validateStart(start, dimension: n)
    return b
}
