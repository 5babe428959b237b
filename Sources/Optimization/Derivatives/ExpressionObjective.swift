import Foundation
import Tabular

/// An objective written in the library's expression language — the one `policylab nls`
/// formulas use — over named parameters, e.g. `(1 - a)^2 + 100*(b - a^2)^2`. It is a
/// `DifferentiableFunction`, so `AutoDiffObjective(ExpressionObjective(…))` has exact
/// gradients and Hessians by dual numbers.
public struct ExpressionObjective: DifferentiableFunction {
    /// The parameter names, in the order of x.
    public let parameters: [String]
    /// The parsed expression.
    public let expression: ModelExpression
    private let program: [Step]

    enum Step: Sendable {
        case constant(Double)
        case parameter(Int)
        case negate(Int)
        case binary(ModelOperator, Int, Int)
        case call(ModelFunction, Int)
    }

    /// Parses `text` with parameters `parameters` (every name in the text must be one).
    /// - Throws: `NLSError.parse` for a syntax error (with the character position);
    ///   `NLSError.unknownVariable` for a name that is not a parameter (with suggestions);
    ///   `NLSError.invalidStart` for an empty or repeated parameter list.
    /// - Complexity: O(length of the text).
    public init(_ text: String, parameters: [String]) throws {
        guard !parameters.isEmpty, Set(parameters).count == parameters.count else {
            throw NLSError.invalidStart("the parameter list must be non-empty and without repeats, got \(parameters)")
        }
        self.parameters = parameters
        expression = try ModelExpression.parse(text)
        var steps: [Step] = []
        let index = Dictionary(uniqueKeysWithValues: parameters.enumerated().map { ($1, $0) })
        func emit(_ e: ModelExpression) throws -> Int {
            switch e {
            case let .number(v): steps.append(.constant(v))
            case let .name(n, position):
                if n == "pi" { steps.append(.constant(Double.pi)); break }
                guard let k = index[n] else {
                    throw NLSError.unknownVariable(name: n, position: position, suggestions: Suggestions.closest(to: n, in: parameters))
                }
                steps.append(.parameter(k))
            case let .negate(a): let ka = try emit(a); steps.append(.negate(ka))
            case let .binary(op, a, b): let ka = try emit(a), kb = try emit(b); steps.append(.binary(op, ka, kb))
            case let .call(fn, a): let ka = try emit(a); steps.append(.call(fn, ka))
            }
            return steps.count - 1
        }
        _ = try emit(expression)
        program = steps
    }

    /// The number of parameters.
    public var dimension: Int { parameters.count }

    /// The expression's value at x, on any scalar type. - Complexity: O(size of the expression).
    public func callAsFunction<T: DifferentiableReal>(_ x: [T]) -> T {
        var values: [T] = []
        values.reserveCapacity(program.count)
        for step in program {
            switch step {
            case let .constant(c): values.append(T(c))
            case let .parameter(k): values.append(x[k])
            case let .negate(a): values.append(-values[a])
            case let .binary(op, a, b):
                let va = values[a], vb = values[b]
                switch op {
                case .add: values.append(va + vb)
                case .subtract: values.append(va - vb)
                case .multiply: values.append(va * vb)
                case .divide: values.append(va / vb)
                case .power:
                    if case let .constant(c) = program[b] { values.append(T.pow(va, c)) } else { values.append(T.pow(va, vb)) }
                }
            case let .call(fn, a):
                let v = values[a]
                switch fn {
                case .exp: values.append(T.exp(v))
                case .log: values.append(T.log(v))
                case .sin: values.append(T.sin(v))
                case .cos: values.append(T.cos(v))
                case .atan: values.append(T.atan(v))
                case .sqrt: values.append(T.sqrt(v))
                }
            }
        }
        return values.last ?? T(0)
    }
}
