/// Errors of the regression layer. Each message names the option, term or condition at
/// fault and says what to do; `description` is one line.
public enum RegressionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An option value is outside its domain (`vcov`, `tolerance`, `confidence`, …).
    case invalidOption(option: String, value: String, expected: String)
    /// The model cannot be estimated on these data (too few rows, every column aliased, …).
    case notEstimable(reason: String)
    /// A variance estimator cannot be computed (one cluster, a leverage of 1, …).
    case variance(type: String, reason: String)
    /// The fixed-effect iterations did not converge within the budget.
    case fixedEffectsNotConverged(iterations: Int, change: Double, tolerance: Double)
    /// A hypothesis is malformed (unknown term, wrong shape, a tested coefficient that was dropped).
    case hypothesis(reason: String)

    /// One line: what failed and, where it helps, what to do.
    public var description: String {
        switch self {
        case let .invalidOption(option, value, expected):
            return "invalid \(option) '\(value)': expected \(expected)"
        case let .notEstimable(reason):
            return "model not estimable: \(reason)"
        case let .variance(type, reason):
            return "variance '\(type)' cannot be computed: \(reason)"
        case let .fixedEffectsNotConverged(iterations, change, tolerance):
            return "fixed effects did not converge: after \(iterations) iterations the largest change was \(change) "
                + "(tolerance \(tolerance)); raise the iteration limit (--fe-iterations) or the tolerance (--fe-tolerance), "
                + "or check for fixed effects that are nearly collinear"
        case let .hypothesis(reason):
            return "invalid hypothesis: \(reason)"
        }
    }
}
