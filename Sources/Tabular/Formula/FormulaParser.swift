/// Where an expression is being parsed: it decides what operators and calls mean.
enum FormulaContext {
    /// Model terms: `+ - * / : ^` are R's formula operators; 0 and 1 set the intercept.
    case terms
    /// Inside `I()`, `log()`, … and the response: ordinary arithmetic.
    case arithmetic
}

/// A recursive-descent parser for formulas, with R's precedence:
/// `~` < `|` < `+ -` < `* /` < `:` < unary minus < `^` (right-associative).
struct FormulaParser {
    let text: String
    private let tokens: [FormulaToken]
    private var index = 0
    /// First position of each column name (names inside labelled arguments are not columns).
    private(set) var namePositions: [String: Int] = [:]
    private var recordingNames = true
    /// Current depth of nested parentheses, signs and powers (every recursion passes `parseUnary`).
    private var depth = 0
    /// Deeper nesting is rejected with a typed error instead of exhausting the stack
    /// (the formula fuzzer found a stack overflow at about 1,000 nested parentheses).
    static let maximumNesting = 200
    /// The deepest expression tree accepted. Operator chains are parsed in loops, but every
    /// later walk of the tree (names, terms, evaluation, printing, and the release of the tree
    /// itself) recurses once per level: a sum of 30,000 terms overflowed the stack. A chain is
    /// refused as soon as it grows past this depth, so no deeper tree is ever built.
    static let maximumDepth = 500

    struct Parts {
        var response: FormulaExpression
        var regressors: FormulaExpression
        var fixedEffects: FormulaExpression?
        var instrumental: InstrumentalVariables?
    }

    init(text: String) throws {
        self.text = text
        self.tokens = try FormulaLexer.tokenize(text)
    }

    private var current: FormulaToken { tokens[index] }

    private func isSymbol(_ c: Character) -> Bool { current.kind == .symbol(c) }

    func error(at position: Int, _ reason: String) -> TabularError {
        .formula(formula: text, position: position, reason: reason)
    }

    private func expected(_ what: String) -> TabularError {
        error(at: current.position, "expected \(what), found \(current.display)")
    }

    /// The depth of `left` after one more operator joins it with `right` (`left` being
    /// `leftDepth` deep). - Throws: past `maximumDepth`, naming the operator's position.
    private func chainDepth(_ leftDepth: Int, _ right: FormulaExpression, operatorAt position: Int) throws -> Int {
        let depth = Swift.max(leftDepth, right.depth(upTo: Self.maximumDepth)) + 1
        guard depth <= Self.maximumDepth else {
            throw error(at: position, "the formula is more than \(Self.maximumDepth) operations deep here (a sum or product of that many terms, "
                        + "or deep nesting); shorten it (a factor(), poly() or i() term counts once)")
        }
        return depth
    }

    // MARK: formula structure

    mutating func parseFormula() throws -> Parts {
        guard current.kind != .end else {
            throw error(at: 1, "empty formula: expected 'response ~ terms', e.g. y ~ x1 + x2")
        }
        if isSymbol("~") { throw error(at: current.position, "expected a response before '~', e.g. y ~ x1 + x2") }
        let response = try parseSum(.arithmetic)
        guard isSymbol("~") else {
            if current.kind == .end { throw expected("'~' after the response (a formula reads 'response ~ terms')") }
            throw expected("an arithmetic operator or '~' (a one-column response; the terms go after '~')")
        }
        index += 1
        var parts = Parts(response: response, regressors: try parseSum(.terms))
        while isSymbol("|") {
            let bar = current.position
            index += 1
            if segmentHasTilde() {
                let endogenous = try parseSum(.terms)
                guard isSymbol("~") else { throw expected("'~' between the endogenous variables and the instruments") }
                index += 1
                let instruments = try parseSum(.terms)
                parts.instrumental = InstrumentalVariables(endogenous: endogenous, instruments: instruments)
                if isSymbol("|") {
                    throw error(at: current.position, "the instrumental-variable part must come last: y ~ exog | fe | endog ~ instruments")
                }
            } else {
                if parts.fixedEffects != nil {
                    throw error(at: bar, "a formula has at most one fixed-effects part: y ~ exog | fe1 + fe2 | endog ~ instruments")
                }
                parts.fixedEffects = try parseFixedEffects()
            }
        }
        guard current.kind == .end else {
            if isSymbol(")") { throw error(at: current.position, "unexpected ')' with no matching '('") }
            if isSymbol("~") {
                throw error(at: current.position, "a second '~' belongs in an instrumental-variable part after '|': y ~ exog | endog ~ instruments")
            }
            throw expected("'+', '-', '|' or the end of the formula")
        }
        return parts
    }

    /// Whether a `~` occurs before the next top-level `|` or the end.
    private func segmentHasTilde() -> Bool {
        var depth = 0
        for t in tokens[index...] {
            switch t.kind {
            case .symbol("("): depth += 1
            case .symbol(")"): depth -= 1
            case .symbol("|") where depth <= 0: return false
            case .symbol("~") where depth <= 0: return true
            default: break
            }
        }
        return false
    }

    /// `fe1 + fe2^fe3`: column names, combined with `^`, added with `+`.
    private mutating func parseFixedEffects() throws -> FormulaExpression {
        var sum = try parseFixedEffect()
        var depth = sum.depth(upTo: Self.maximumDepth)
        while isSymbol("+") {
            let plus = current.position
            index += 1
            let next = try parseFixedEffect()
            depth = try chainDepth(depth, next, operatorAt: plus)
            sum = .binary(.plus, sum, next)
        }
        if isSymbol("-") || isSymbol("*") || isSymbol(":") || isSymbol("(") {
            throw expected("'+', '^', '|' or the end (fixed effects are column names joined by '+', combined by '^')")
        }
        return sum
    }

    /// `fe1^fe2^…`: read in a loop (no recursion per `^`), returned right-associated as the
    /// arithmetic `^` would be.
    private mutating func parseFixedEffect() throws -> FormulaExpression {
        var names: [String] = []
        while true {
            guard case let .name(n) = current.kind else {
                throw expected("a fixed-effect column name (fixed effects are column names, combined with '^')")
            }
            let position = current.position
            record(n, at: position)
            index += 1
            if isSymbol("(") {
                throw error(at: position, "fixed effects are plain column names (combined with '^'); '\(n)(' is not allowed here")
            }
            names.append(n)
            guard isSymbol("^") else { break }
            guard names.count < Self.maximumDepth else {
                throw error(at: current.position, "a fixed effect combines more than \(Self.maximumDepth) columns with '^'; combine fewer")
            }
            index += 1
        }
        var combined = FormulaExpression.name(names[names.count - 1])
        for n in names.dropLast().reversed() { combined = .binary(.power, .name(n), combined) }
        return combined
    }

    // MARK: expressions

    mutating func parseSum(_ context: FormulaContext) throws -> FormulaExpression {
        var left = try parseProduct(context)
        var depth = left.depth(upTo: Self.maximumDepth)
        while case let .symbol(c) = current.kind, c == "+" || c == "-" {
            let position = current.position
            index += 1
            let right = try parseProduct(context)
            depth = try chainDepth(depth, right, operatorAt: position)
            left = .binary(c == "+" ? .plus : .minus, left, right)
        }
        return left
    }

    private mutating func parseProduct(_ context: FormulaContext) throws -> FormulaExpression {
        var left = try parseColon(context)
        var depth = left.depth(upTo: Self.maximumDepth)
        while case let .symbol(c) = current.kind, c == "*" || c == "/" {
            let position = current.position
            index += 1
            let right = try parseColon(context)
            depth = try chainDepth(depth, right, operatorAt: position)
            left = .binary(c == "*" ? .times : .divide, left, right)
        }
        return left
    }

    private mutating func parseColon(_ context: FormulaContext) throws -> FormulaExpression {
        var left = try parseUnary(context)
        var depth = left.depth(upTo: Self.maximumDepth)
        while isSymbol(":") {
            if context == .arithmetic {
                throw error(at: current.position, "':' (interaction) is a model operator, not arithmetic; it cannot appear inside I(), log() or the response")
            }
            let position = current.position
            index += 1
            let right = try parseUnary(context)
            depth = try chainDepth(depth, right, operatorAt: position)
            left = .binary(.colon, left, right)
        }
        return left
    }

    private mutating func parseUnary(_ context: FormulaContext) throws -> FormulaExpression {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumNesting else {
            throw error(at: current.position, "the formula nests parentheses, signs or powers more than \(Self.maximumNesting) deep; simplify it")
        }
        if isSymbol("-") {
            index += 1
            return .negate(try parseUnary(context))
        }
        if isSymbol("+") {
            index += 1
            return try parseUnary(context)
        }
        return try parsePower(context)
    }

    private mutating func parsePower(_ context: FormulaContext) throws -> FormulaExpression {
        let base = try parsePrimary(context)
        guard isSymbol("^") else { return base }
        let caret = current.position
        index += 1
        if context == .arithmetic { return .binary(.power, base, try parseUnary(.arithmetic)) }
        guard case .group = base else {
            throw error(at: caret, "'^' in model terms crosses a parenthesized sum, as in (a + b)^2; for a power write I(\(base)^2)")
        }
        guard case let .number(n) = current.kind, n >= 1, n == n.rounded(), n <= 64 else {
            throw expected("a whole number from 1 to 64 after '^' (the order of crossing)")
        }
        index += 1
        return .binary(.power, base, .number(n))
    }

    private mutating func parsePrimary(_ context: FormulaContext) throws -> FormulaExpression {
        let token = current
        switch token.kind {
        case let .name(n):
            index += 1
            if isSymbol("(") { return try parseCall(n, at: token.position, context) }
            record(n, at: token.position)
            return .name(n)
        case let .number(v):
            if context == .terms, v != 0, v != 1 {
                throw error(at: token.position, "a number among model terms can only be 0 or 1 (the intercept); for arithmetic write I(\(RNumberFormat.string(v)) * x)")
            }
            index += 1
            return .number(v)
        case .string:
            throw error(at: token.position, "a string is allowed only as an argument value, as in i(g, ref = \"Java\")")
        case .symbol("("):
            index += 1
            let inner = try parseSum(context)
            guard isSymbol(")") else { throw expected("')' to close the '(' at character \(token.position)") }
            index += 1
            return .group(inner)
        case .end:
            throw expected(context == .terms ? "a term (a column name, a function call, 0, 1 or '(')" : "a column name, a number, a function call or '('")
        case .symbol:
            throw expected(context == .terms ? "a term (a column name, a function call, 0, 1 or '(')" : "a column name, a number, a function call or '('")
        }
    }

    /// `f(args)` where `current` is the `(`; checks `f` and its arguments (FormulaFunctions).
    private mutating func parseCall(_ name: String, at position: Int, _ context: FormulaContext) throws -> FormulaExpression {
        guard let function = FormulaFunction(rawValue: name) else {
            let known = FormulaFunction.allCases.filter { context == .terms || $0.isArithmetic }.map(\.rawValue)
            let hint = Suggestions.closest(to: name, in: known)
            let tail = hint.isEmpty ? "; known functions: " + known.joined(separator: ", ")
                                    : "; did you mean " + hint.map { "'\($0)'" }.joined(separator: " or ") + "?"
            throw error(at: position, "unknown function '\(name)'\(tail)")
        }
        if context == .arithmetic, !function.isArithmetic {
            throw error(at: position, "\(name)() makes model columns and cannot appear inside an arithmetic expression (I(), log(), the response)")
        }
        index += 1
        var arguments: [(FormulaArgument, Int)] = []
        if !isSymbol(")") {
            while true {
                let start = current.position
                var label: String?
                if case let .name(n) = current.kind, tokens[index + 1].kind == .symbol("=") {
                    label = n
                    index += 2
                }
                let value: FormulaExpression
                if label != nil, case let .string(s) = current.kind {
                    index += 1
                    value = .string(s)
                } else {
                    let saved = recordingNames
                    recordingNames = label == nil
                    value = try parseSum(.arithmetic)
                    recordingNames = saved
                }
                arguments.append((FormulaArgument(label: label, value), start))
                guard isSymbol(",") else { break }
                index += 1
            }
        }
        guard isSymbol(")") else { throw expected("',' or ')' to close '\(name)(' at character \(position)") }
        let close = current.position
        index += 1
        try function.validate(arguments, callAt: position, closeAt: close, parser: self)
        return .call(name, arguments.map(\.0))
    }

    private mutating func record(_ name: String, at position: Int) {
        guard recordingNames, namePositions[name] == nil else { return }
        namePositions[name] = position
    }
}
