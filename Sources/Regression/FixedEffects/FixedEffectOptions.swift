/// Settings for absorbing fixed effects.
public struct FixedEffectOptions: Sendable, Equatable {
    /// Convergence: the alternating projections stop when no demeaned value moves by more than
    /// `tolerance` × (1 + the column's largest absolute value) in a sweep (default 10⁻¹⁰).
    public var tolerance: Double
    /// The most sweeps per column before `RegressionError.fixedEffectsNotConverged` (default 10,000).
    public var maxIterations: Int
    /// Drop observations alone in a fixed-effect group, repeatedly until none is left
    /// (reghdfe's default; fixest's `fixef.rm = "singleton"`). They are fitted perfectly and only
    /// inflate the degrees of freedom. Default true.
    public var removeSingletons: Bool

    /// The defaults described on each property.
    public init(tolerance: Double = 1e-10, maxIterations: Int = 10_000, removeSingletons: Bool = true) {
        self.tolerance = tolerance
        self.maxIterations = maxIterations
        self.removeSingletons = removeSingletons
    }
}
