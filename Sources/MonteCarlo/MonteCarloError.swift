/// The typed errors of `MonteCarlo`: every failure caller input can cause is one of these.
public enum MonteCarloError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A distribution parameter or an argument is outside its domain.
    case invalidArgument(name: String, reason: String)
    /// An input that must hold at least one value is empty (a population with no units).
    case emptyInput(name: String)
    /// Two inputs that describe the same units have different lengths.
    case lengthMismatch(name: String, expected: Int, actual: Int)
    /// An input value is NaN or infinite where a finite number is required.
    case nonFiniteValue(name: String, index: Int)
    /// A weight is negative (weights must be finite and ≥ 0).
    case negativeWeight(index: Int, value: Double)
    /// A replicate's computation returned NaN or ±∞ for an output while the engine rejects them.
    case nonFiniteOutput(replicate: Int, output: String)
    /// A replicate's computation returned the wrong number of outputs.
    case outputCountMismatch(replicate: Int, expected: Int, actual: Int)
    /// A checkpoint file cannot be written or read, is damaged, or belongs to another run.
    case checkpoint(path: String, reason: String)

    /// A message that says what is wrong and what to do.
    public var description: String {
        switch self {
        case let .invalidArgument(name, reason):
            return "\(name): \(reason)"
        case let .emptyInput(name):
            return "\(name): is empty; at least one unit is needed"
        case let .lengthMismatch(name, expected, actual):
            return "\(name): has \(actual) values, expected \(expected) (one per unit)"
        case let .nonFiniteValue(name, index):
            return "\(name)[\(index)]: is NaN or infinite; remove or impute the unit first"
        case let .negativeWeight(index, value):
            return "weights[\(index)]: is \(value); weights must be ≥ 0"
        case let .nonFiniteOutput(replicate, output):
            return "replicate \(replicate): output '\(output)' is NaN or infinite; "
                + "use NonFiniteOutputPolicy.omit if undefined values are expected (e.g. an empty group)"
        case let .outputCountMismatch(replicate, expected, actual):
            return "replicate \(replicate): the computation returned \(actual) outputs, expected \(expected)"
        case let .checkpoint(path, reason):
            return "checkpoint \(path): \(reason)"
        }
    }
}
