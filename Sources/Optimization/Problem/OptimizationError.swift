/// The typed errors of the optimizers: bad input a caller can fix. None of them traps; each
/// message names the coordinate or setting at fault and what to do.
public enum OptimizationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Two things that must have the same length do not (start point vs objective, bounds, …).
    case dimensionMismatch(what: String, expected: Int, got: Int)
    /// A lower bound exceeds its upper bound, or a bound is NaN (0-based `index`).
    case invalidBounds(index: Int, lower: Double, upper: Double)
    /// The start point lies outside the bounds, or is not finite (0-based `index`).
    case startOutsideBounds(index: Int, value: Double, lower: Double, upper: Double)
    /// The objective is NaN or infinite at the start point.
    case nonFiniteStart(value: Double)
    /// The gradient (or Hessian) is not finite at the start point (0-based `index`).
    case nonFiniteDerivativeAtStart(what: String, index: Int)
    /// A method needs something the objective does not give (a Hessian for Newton's method).
    case missingDerivative(method: String, needs: String)
    /// A global method needs finite bounds on every coordinate.
    case unboundedSearchSpace(index: Int)
    /// A setting is out of its domain (a negative budget, a population of 2, …).
    case invalidSetting(name: String, reason: String)
    /// A constraint is malformed (wrong number of coefficients, non-finite bound).
    case invalidConstraint(index: Int, reason: String)
    /// A name (test function, method) is not known; `known` lists the valid ones.
    case unknownName(kind: String, name: String, known: [String])

    /// The message on one line.
    public var description: String {
        switch self {
        case let .dimensionMismatch(what, expected, got):
            return "dimension mismatch: \(what) has \(got) value(s) but the objective has \(expected) parameter(s)"
        case let .invalidBounds(index, lower, upper):
            if lower.isNaN || upper.isNaN { return "bounds of coordinate \(index) are NaN; give numbers (±infinity for none)" }
            return "lower bound \(lower) exceeds upper bound \(upper) for coordinate \(index); swap or fix them"
        case let .startOutsideBounds(index, value, lower, upper):
            if !value.isFinite { return "start value of coordinate \(index) is \(value); it must be finite" }
            return "start value \(value) of coordinate \(index) lies outside its bounds [\(lower), \(upper)]; "
                + "move the start point inside the bounds"
        case let .nonFiniteStart(value):
            return "the objective is \(value) at the start point; choose a start point where it is finite"
        case let .nonFiniteDerivativeAtStart(what, index):
            return "the \(what) is not finite at the start point (coordinate \(index)); choose another start point"
        case let .missingDerivative(method, needs):
            return "\(method) needs \(needs), which the objective does not provide"
        case let .unboundedSearchSpace(index):
            return "coordinate \(index) has an infinite bound; global methods search a finite box, so give finite bounds"
        case let .invalidSetting(name, reason):
            return "invalid setting \(name): \(reason)"
        case let .invalidConstraint(index, reason):
            return "constraint \(index): \(reason)"
        case let .unknownName(kind, name, known):
            return "unknown \(kind) '\(name)'; known: \(known.joined(separator: ", "))"
        }
    }
}
