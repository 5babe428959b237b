/// The typed errors of `MonteCarlo`: every failure caller input can cause is one of these.
public enum MonteCarloError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A distribution parameter or an argument is outside its domain.
    case invalidArgument(name: String, reason: String)

    /// A message that says what is wrong and what to do.
    public var description: String {
        switch self {
        case let .invalidArgument(name, reason): return "\(name): \(reason)"
        }
    }
}
