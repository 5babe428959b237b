import LinearAlgebra

/// The shared end of the global methods: an optional L-BFGS-B polish from the best point.
enum GlobalPolish {
    /// Runs L-BFGS-B from `x` inside `bounds`; returns the better of the two points and the
    /// evaluations spent. The polish never moves to a worse point.
    static func polish<F: ObjectiveFunction>(_ evaluator: inout Evaluator<F>, x: [Double], value: Double,
                                             maxEvaluations: Int) -> (x: [Double], value: Double, gradientNorm: Double?, note: String?) {
        guard maxEvaluations > 0 else { return (x, value, nil, nil) }
        var local = LBFGSB()
        local.parallelism = evaluator.parallelism
        local.maxEvaluations = maxEvaluations
        local.monitor = RunMonitor(recordHistory: false)
        local.functionTolerance = 1e-15
        local.gradientTolerance = 1e-9
        local.differences = evaluator.differences
        guard let result = try? local.minimize(evaluator.function, from: x, bounds: evaluator.bounds) else {
            return (x, value, nil, "the L-BFGS-B polish could not start from the best point")
        }
        evaluator.add(evaluations: result.evaluations, gradientEvaluations: result.gradientEvaluations)
        if result.value < value {
            return (result.x, result.value, result.gradientNorm,
                    "L-BFGS-B polish: \(value) → \(result.value) in \(result.evaluations) evaluations")
        }
        return (x, value, result.gradientNorm, "L-BFGS-B polish found no lower value")
    }
}

/// Validates a global method's box: dimensions match, every bound finite, lower < upper somewhere.
func validateGlobal(_ f: some ObjectiveFunction, bounds: Bounds) throws {
    let n = f.dimension
    guard n >= 1 else { throw OptimizationError.invalidSetting(name: "dimension", reason: "the objective must have at least 1 parameter, got \(n)") }
    try bounds.validateFinite(dimension: n)
}
