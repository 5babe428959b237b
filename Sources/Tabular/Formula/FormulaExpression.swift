import LinearAlgebra

/// An operator of a formula expression. In the terms of a model (`y ~ a*b`) they are R's
/// formula operators (crossing, interaction, nesting, removal); inside `I()`, `log()` and
/// the response they are arithmetic.
public enum FormulaOperator: String, Sendable, Equatable, CaseIterable {
    /// Terms: add a term. Arithmetic: addition.
    case plus = "+"
    /// Terms: remove a term (`- 1` removes the intercept). Arithmetic: subtraction.
    case minus = "-"
    /// Terms: `a*b` is `a + b + a:b`. Arithmetic: multiplication.
    case times = "*"
    /// Terms: nesting, `a/b` is `a + a:b`. Arithmetic: division.
    case divide = "/"
    /// Terms: `(a + b)^2` crosses to order 2; in fixed effects `fe1^fe2` combines. Arithmetic: power.
    case power = "^"
    /// Terms: interaction. Not arithmetic.
    case colon = ":"

    /// Binding strength, R's order: `^` > unary minus > `:` > `*` `/` > `+` `-`.
    var precedence: Int {
        switch self {
        case .plus, .minus: return 1
        case .times, .divide: return 2
        case .colon: return 3
        case .power: return 5
        }
    }

    /// R's deparse puts spaces around `+ - *` and none around `/ ^ :`.
    var spaced: Bool { self == .plus || self == .minus || self == .times }
}

/// One argument of a call: `3` or `ref = "Java"`.
public struct FormulaArgument: Sendable, Equatable {
    /// The argument name before `=`, or nil for a positional argument.
    public var label: String?
    /// The argument's value.
    public var value: FormulaExpression

    /// An argument, positional when `label` is nil.
    public init(label: String? = nil, _ value: FormulaExpression) {
        self.label = label
        self.value = value
    }
}

/// The parse tree of one side or part of a formula (R's language objects, reduced to what
/// formulas use). Parentheses are kept as `.group`, so the canonical text (`description`)
/// reproduces R's `deparse` and hence R's term and column names. A unary `+` is dropped.
public indirect enum FormulaExpression: Sendable, Equatable, CustomStringConvertible {
    /// A column name (or `TRUE`/`FALSE` as an argument value).
    case name(String)
    /// A numeric literal.
    case number(Double)
    /// A string literal (only as an argument value, e.g. `ref = "Java"`).
    case string(String)
    /// A function call: `log(x)`, `poly(x, 3)`, `i(g, ref = "Java")`.
    case call(String, [FormulaArgument])
    /// Unary minus: `-1`, `-x`.
    case negate(FormulaExpression)
    /// A binary operation.
    case binary(FormulaOperator, FormulaExpression, FormulaExpression)
    /// Parentheses as written: `(a + b)`.
    case group(FormulaExpression)

    /// The canonical text, as R's `deparse` writes it: `log(x)`, `I(x^2)`, `I((x + 1)/2)`,
    /// `poly(x, 3)`, `i(g, ref = "Java")`. Non-syntactic names are backtick-quoted.
    /// Parentheses are added where a hand-built tree needs them.
    /// - Complexity: O(size of the tree).
    public var description: String {
        switch self {
        case let .name(n): return FormulaExpression.quotedName(n)
        case let .number(v): return RNumberFormat.string(v)
        case let .string(s):
            let escaped = s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(escaped)\""
        case let .call(f, args):
            let inner = args.map { a in a.label.map { "\(FormulaExpression.quotedName($0)) = \(a.value)" } ?? "\(a.value)" }
            return "\(FormulaExpression.quotedName(f))(\(inner.joined(separator: ", ")))"
        case let .negate(e):
            return "-" + e.parenthesized(if: e.precedence < 4)
        case let .binary(op, l, r):
            let p = op.precedence
            let left = op == .power ? l.parenthesized(if: l.precedence <= p) : l.parenthesized(if: l.precedence < p)
            let right = op == .power ? r.parenthesized(if: r.precedence < 4) : r.parenthesized(if: r.precedence <= p)
            return op.spaced ? "\(left) \(op.rawValue) \(right)" : "\(left)\(op.rawValue)\(right)"
        case let .group(e): return "(\(e))"
        }
    }

    /// Binding strength of the outermost node (primaries 6, `^` 5, unary minus 4, …).
    var precedence: Int {
        switch self {
        case let .binary(op, _, _): return op.precedence
        case .negate: return 4
        default: return 6
        }
    }

    private func parenthesized(if needed: Bool) -> String { needed ? "(\(self))" : "\(self)" }

    /// Every column name the expression refers to, in order of appearance (argument values
    /// such as `raw = TRUE` and `ref = "Java"` are not column references).
    public var columnNames: [String] {
        var out: [String] = []
        collectNames(into: &out)
        return out
    }

    private func collectNames(into out: inout [String]) {
        switch self {
        case let .name(n): if !out.contains(n) { out.append(n) }
        case .number, .string: break
        case let .call(_, args): for a in args where a.label == nil { a.value.collectNames(into: &out) }
        case let .negate(e), let .group(e): e.collectNames(into: &out)
        case let .binary(_, l, r):
            l.collectNames(into: &out)
            r.collectNames(into: &out)
        }
    }

    /// R's reserved words, which need backticks as names.
    static let reserved: Set<String> = [
        "if", "else", "repeat", "while", "function", "for", "next", "break", "in",
        "NULL", "Inf", "NaN", "NA", "NA_integer_", "NA_real_", "NA_character_",
    ]

    /// `n` as R prints it in a formula: bare when syntactic, otherwise in backticks.
    static func quotedName(_ n: String) -> String {
        guard let first = n.first else { return "``" }
        let rest = n.dropFirst()
        var syntactic = (first.isLetter || first == ".") && rest.allSatisfy { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" }
        if first == ".", let second = rest.first, second.isNumber { syntactic = false }
        if reserved.contains(n) { syntactic = false }
        return syntactic ? n : "`\(n.replacingOccurrences(of: "`", with: "\\`"))`"
    }
}

extension FormulaExpression {
    /// The number of nodes on the longest path from this node down (`TreeDepth`: no recursion,
    /// so it is safe on any tree); stops at the first path longer than `limit`.
    /// - Complexity: O(nodes) time and memory.
    func depth(upTo limit: Int) -> Int {
        TreeDepth.depth(of: self, upTo: limit) { node in
            switch node {
            case .name, .number, .string: return []
            case let .negate(inner), let .group(inner): return [inner]
            case let .binary(_, left, right): return [left, right]
            case let .call(_, arguments): return arguments.map(\.value)
            }
        }
    }
}
