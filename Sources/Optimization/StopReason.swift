/// Why an optimizer stopped, described in words (never a bare code).
public enum StopReason: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The gradient norm fell below the tolerance.
    case gradientTolerance(Double)
    /// The relative change of the objective fell below the tolerance.
    case functionTolerance(Double)
    /// The relative change of the parameters fell below the tolerance.
    case stepTolerance(Double)
    /// The budget of objective evaluations was spent.
    case evaluationBudget(Int)
    /// The budget of iterations was spent.
    case iterationBudget(Int)
    /// No step improved the objective (line search or trust region failed repeatedly).
    case stalled(String)
    /// A target objective value was reached (global methods, benchmark functions).
    case targetReached(Double)
    /// The caller stopped the run (the progress callback returned `.stop`).
    case cancelled

    /// Whether the stop means convergence (a tolerance or target was met).
    public var converged: Bool {
        switch self {
        case .gradientTolerance, .functionTolerance, .stepTolerance, .targetReached: return true
        case .evaluationBudget, .iterationBudget, .stalled, .cancelled: return false
        }
    }

    /// A sentence saying why the optimizer stopped.
    public var description: String {
        switch self {
        case let .gradientTolerance(t): return "converged: gradient norm below \(t)"
        case let .functionTolerance(t): return "converged: relative change in the objective below \(t)"
        case let .stepTolerance(t): return "converged: relative change in the parameters below \(t)"
        case let .evaluationBudget(n): return "stopped: evaluation budget of \(n) spent before convergence"
        case let .iterationBudget(n): return "stopped: iteration budget of \(n) spent before convergence"
        case let .stalled(why): return "stalled: \(why)"
        case let .targetReached(f): return "converged: objective reached the target \(f)"
        case .cancelled: return "stopped: the progress callback asked to stop"
        }
    }
}
