import LinearAlgebra

/// Everything that configures a linear-model fit besides the formula and data.
public struct RegressionOptions: Sendable {
    /// The variance estimator (default iid).
    public var vcov: VarianceType
    /// Confidence level of the intervals (default 0.95), in (0, 1).
    public var confidenceLevel: Double
    /// The least-squares solver settings.
    public var solve: SolveOptions
    /// Fixed-effect absorption settings.
    public var fixedEffects: FixedEffectOptions
    /// Threads for every parallel pass (results do not depend on it).
    public var parallelism: Parallelism
    /// The multi-way cluster factor; nil (default) picks fixest's `.smallestClustering` for
    /// models with absorbed fixed effects and sandwich's `.perClustering` otherwise, so each
    /// matches the R tool economists use for that model. One-way clustering is the same either way.
    public var clusterAdjustment: ClusterAdjustment?

    /// Defaults: iid, 95 %, automatic solver, fixed-effect defaults, one thread.
    public init(vcov: VarianceType = .iid, confidenceLevel: Double = 0.95, solve: SolveOptions = SolveOptions(),
                fixedEffects: FixedEffectOptions = FixedEffectOptions(), parallelism: Parallelism = .serial,
                clusterAdjustment: ClusterAdjustment? = nil) {
        self.clusterAdjustment = clusterAdjustment
        self.vcov = vcov
        self.confidenceLevel = confidenceLevel
        self.solve = solve
        self.fixedEffects = fixedEffects
        self.parallelism = parallelism
    }

    /// Checks the numeric settings.
    /// - Throws: `RegressionError.invalidOption` naming the option.
    func validate() throws {
        guard confidenceLevel > 0, confidenceLevel < 1 else {
            throw RegressionError.invalidOption(option: "confidence level", value: "\(confidenceLevel)", expected: "a number strictly between 0 and 1")
        }
        guard fixedEffects.tolerance > 0, fixedEffects.tolerance.isFinite else {
            throw RegressionError.invalidOption(option: "fixed-effect tolerance", value: "\(fixedEffects.tolerance)", expected: "a positive number")
        }
        guard fixedEffects.maxIterations >= 1 else {
            throw RegressionError.invalidOption(option: "fixed-effect iterations", value: "\(fixedEffects.maxIterations)", expected: "at least 1")
        }
        guard solve.aliasTolerance >= 0, solve.aliasTolerance < 1 else {
            throw RegressionError.invalidOption(option: "alias tolerance", value: "\(solve.aliasTolerance)", expected: "a number in [0, 1)")
        }
    }
}
