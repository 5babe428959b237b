import LinearAlgebra

/// An elementary function a model formula may call.
public enum ModelFunction: String, Sendable, CaseIterable, Codable {
    /// eˣ.
    case exp
    /// The natural logarithm (NaN for x < 0, which the optimizer treats as a failed step).
    case log
    /// Sine (radians).
    case sin
    /// Cosine (radians).
    case cos
    /// Arctangent, in (−π/2, π/2) (NIST's `arctan`, not `atan2`).
    case atan
    /// Square root.
    case sqrt

    /// The function names the parser accepts, with aliases (`ln` = log, `arctan` = atan).
    static let byName: [String: ModelFunction] = [
        "exp": .exp, "log": .log, "ln": .log, "sin": .sin, "cos": .cos,
        "atan": .atan, "arctan": .atan, "sqrt": .sqrt,
    ]
}

/// A binary operator of a model formula.
public enum ModelOperator: String, Sendable, Codable {
    /// `+`
    case add = "+"
    /// `-`
    case subtract = "-"
    /// `*`
    case multiply = "*"
    /// `/`
    case divide = "/"
    /// `^` or `**` (right-associative; the exponent may be any expression).
    case power = "^"
}

/// The expression tree of one side of a model formula such as `b1*(1-exp(-b2*x))`.
///
/// Names are left unresolved (`.name`): whether a name is a data column or a parameter is
/// decided when the formula is bound to data and start values (`NonlinearModel`). Each name
/// keeps its 1-based character position in the formula so errors can point at it.
public indirect enum ModelExpression: Sendable, Equatable, CustomStringConvertible {
    /// A numeric literal (`2`, `1e-4`, `.5`) or the constant `pi`.
    case number(Double)
    /// A column or parameter name, with its 1-based position in the formula text.
    case name(String, position: Int)
    /// Unary minus.
    case negate(ModelExpression)
    /// `lhs op rhs`.
    case binary(ModelOperator, ModelExpression, ModelExpression)
    /// `f(argument)`.
    case call(ModelFunction, ModelExpression)

    /// Parses an expression (no `~`).
    /// - Throws: `NLSError.parse` with the 1-based character position and what was expected.
    /// - Complexity: O(length of `text`).
    public static func parse(_ text: String) throws -> ModelExpression {
        var parser = ModelExpressionParser(text)
        let e = try parser.parseExpression()
        try parser.expectEnd()
        return e
    }

    /// Every name the expression uses, in order of first appearance, with its first position.
    /// - Complexity: O(size of the tree).
    public var names: [(name: String, position: Int)] {
        var seen: Set<String> = []
        var out: [(String, Int)] = []
        func walk(_ e: ModelExpression) {
            switch e {
            case .number: break
            case let .name(n, p): if seen.insert(n).inserted { out.append((n, p)) }
            case let .negate(a), let .call(_, a): walk(a)
            case let .binary(_, a, b): walk(a); walk(b)
            }
        }
        walk(self)
        return out
    }

    /// The expression in fully parenthesized text (for messages and tests).
    public var description: String {
        switch self {
        case let .number(v): return "\(v)"
        case let .name(n, _): return n
        case let .negate(a): return "(-\(a))"
        case let .binary(op, a, b): return "(\(a) \(op.rawValue) \(b))"
        case let .call(f, a): return "\(f.rawValue)(\(a))"
        }
    }
}

extension ModelExpression {
    /// The number of nodes on the longest path from this node down (`TreeDepth`: no recursion,
    /// so it is safe on any tree); stops at the first path longer than `limit`.
    /// - Complexity: O(nodes) time and memory.
    func depth(upTo limit: Int) -> Int {
        TreeDepth.depth(of: self, upTo: limit) { node in
            switch node {
            case .number, .name: return []
            case let .negate(inner), let .call(_, inner): return [inner]
            case let .binary(_, left, right): return [left, right]
            }
        }
    }
}
