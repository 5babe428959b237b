/// The typed errors of nonlinear least squares: every problem a formula, a start point or
/// the data can cause. None of them traps; each message says where and what to do.
public enum NLSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The formula does not parse: 1-based character `position`, what was expected.
    case parse(formula: String, position: Int, reason: String)
    /// A name is neither a data column nor a parameter with a start value.
    case unknownVariable(name: String, position: Int, suggestions: [String])
    /// A name looks like a parameter (same pattern as the given ones) but has no start value.
    case missingStart(parameter: String, given: [String])
    /// The start point names a parameter the formula does not use.
    case unusedParameter(String)
    /// A start value is not a finite number, or the start text does not parse.
    case invalidStart(String)
    /// A name is both a data column and a parameter.
    case ambiguousName(String)
    /// A column the formula uses is not numeric.
    case nonNumericColumn(String)
    /// An extended-precision value (1-based row) does not round to the double of its column.
    case extendedDataMismatch(column: String, row: Int)
    /// The response side uses a parameter.
    case parameterInResponse(String)
    /// Fewer complete observations than parameters (the fit needs observations ≥ parameters).
    case tooFewObservations(observations: Int, parameters: Int)
    /// The model or its derivatives are not finite at the start point.
    case nonFiniteStart(row: Int, detail: String)
    /// The Jacobian at the solution is rank deficient, so standard errors are not defined.
    case rankDeficient(rank: Int, parameters: Int)

    /// The message on one line, for command-line tools.
    public var oneLine: String {
        if case let .parse(formula, position, reason) = self {
            return "formula, character \(position): \(reason) (in '\(formula)')"
        }
        return description
    }

    /// The message, with a caret under the offending character for parse errors.
    public var description: String {
        switch self {
        case let .parse(formula, position, reason):
            let caret = String(repeating: " ", count: Swift.max(0, position - 1)) + "^"
            return "formula, character \(position): \(reason)\n  \(formula)\n  \(caret)"
        case let .unknownVariable(name, position, suggestions):
            let hint = suggestions.isEmpty ? "" : "; did you mean " + suggestions.map { "'\($0)'" }.joined(separator: " or ") + "?"
            return "formula, character \(position): unknown variable '\(name)': it is neither a data column "
                + "nor a parameter given a start value\(hint)"
        case let .missingStart(parameter, given):
            return "parameter '\(parameter)' has no start value (given: \(given.joined(separator: ", "))); "
                + "add \(parameter)=VALUE to the start point"
        case let .unusedParameter(name):
            return "the start point gives '\(name)', which the formula does not use; remove it or fix the formula"
        case let .invalidStart(detail):
            return "invalid start point: \(detail)"
        case let .ambiguousName(name):
            return "'\(name)' is both a data column and a parameter; rename the parameter"
        case let .nonNumericColumn(name):
            return "column '\(name)' is not numeric; a nonlinear model needs numeric columns"
        case let .extendedDataMismatch(column, row):
            return "row \(row) of column '\(column)': the extended-precision value does not match the double value"
        case let .parameterInResponse(name):
            return "the response (left of '~') uses the parameter '\(name)'; only data columns may appear there"
        case let .tooFewObservations(observations, parameters):
            return "\(observations) complete observation(s) for \(parameters) parameter(s); "
                + "nonlinear least squares needs at least as many observations as parameters"
        case let .nonFiniteStart(row, detail):
            return "the model is not finite at the start point (data row \(row)): \(detail); choose other start values"
        case let .rankDeficient(rank, parameters):
            return "the Jacobian at the solution has rank \(rank) < \(parameters) parameters; "
                + "standard errors are undefined (parameters not identified)"
        }
    }
}
