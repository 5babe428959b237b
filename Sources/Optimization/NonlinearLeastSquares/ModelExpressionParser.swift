/// A recursive-descent parser for model expressions.
///
/// Grammar (lowest precedence first; `^` is right-associative and binds tighter than unary
/// minus, as in R: `-2^2` is −4):
/// ```
/// sum     := product (('+' | '-') product)*
/// product := unary (('*' | '/') unary)*
/// unary   := ('-' | '+') unary | power
/// power   := atom (('^' | '**') unary)?
/// atom    := number | name | name '(' sum ')' | '(' sum ')' | '[' sum ']'
/// ```
struct ModelExpressionParser {
    private let chars: [Character]
    private let text: String
    private var index = 0
    /// Current depth of nested parentheses, signs and powers (every recursion passes `parseUnary`).
    private var depth = 0
    /// Deeper nesting is a typed error instead of a stack overflow.
    static let maximumNesting = 200
    /// The deepest expression tree accepted: chains of `+ - * /` are parsed in loops, but
    /// every later walk of the tree (names, the tape, printing, releasing it) recurses once per
    /// level — a sum of 30,000 terms overflowed the stack. A chain is refused as soon as it
    /// grows past this depth, so no deeper tree is ever built.
    static let maximumDepth = 500

    init(_ text: String) {
        self.text = text
        self.chars = Array(text)
    }

    /// 1-based position of the next unread character.
    var position: Int { index + 1 }

    private mutating func skipSpace() {
        while index < chars.count, chars[index].isWhitespace { index += 1 }
    }

    private mutating func peek() -> Character? {
        skipSpace()
        return index < chars.count ? chars[index] : nil
    }

    private func fail(_ expected: String, at position: Int? = nil) -> NLSError {
        let found: String
        let i = (position ?? self.position) - 1
        if i < chars.count { found = "'\(chars[i])'" } else { found = "the end of the formula" }
        return NLSError.parse(formula: text, position: position ?? self.position, reason: "expected \(expected), found \(found)")
    }

    mutating func expectEnd() throws {
        if peek() != nil { throw fail("an operator (+ - * / ^) or the end of the formula") }
    }

    /// Parses up to (not including) a top-level `~` or the end.
    mutating func parseExpression() throws -> ModelExpression {
        var lhs = try parseProduct()
        var depth = lhs.depth(upTo: Self.maximumDepth)
        while let c = peek(), c == "+" || c == "-" {
            let operatorPosition = position
            index += 1
            let rhs = try parseProduct()
            depth = try chainDepth(depth, rhs, operatorAt: operatorPosition)
            lhs = .binary(c == "+" ? .add : .subtract, lhs, rhs)
        }
        return lhs
    }

    /// The depth of a chain after one more operator joins it (`leftDepth` deep) with `right`.
    /// - Throws: `NLSError.parse` at the operator past `maximumDepth`.
    private func chainDepth(_ leftDepth: Int, _ right: ModelExpression, operatorAt operatorPosition: Int) throws -> Int {
        let depth = Swift.max(leftDepth, right.depth(upTo: Self.maximumDepth)) + 1
        guard depth <= Self.maximumDepth else {
            throw NLSError.parse(formula: text, position: operatorPosition,
                                 reason: "the formula is more than \(Self.maximumDepth) operations deep here (a sum or product of that many terms, or deep nesting); shorten it")
        }
        return depth
    }

    /// Consumes `~` if it is next; returns whether it was.
    mutating func consumeTilde() -> Bool {
        if peek() == "~" { index += 1; return true }
        return false
    }

    private mutating func parseProduct() throws -> ModelExpression {
        var lhs = try parseUnary()
        var depth = lhs.depth(upTo: Self.maximumDepth)
        while let c = peek(), c == "*" || c == "/" {
            if c == "*", index + 1 < chars.count, chars[index + 1] == "*" { break }  // `**` is power
            let operatorPosition = position
            index += 1
            let rhs = try parseUnary()
            depth = try chainDepth(depth, rhs, operatorAt: operatorPosition)
            lhs = .binary(c == "*" ? .multiply : .divide, lhs, rhs)
        }
        return lhs
    }

    private mutating func parseUnary() throws -> ModelExpression {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumNesting else {
            throw NLSError.parse(formula: text, position: position,
                                 reason: "the formula nests parentheses, signs or powers more than \(Self.maximumNesting) deep; simplify it")
        }
        if let c = peek(), c == "-" || c == "+" {
            index += 1
            let operand = try parseUnary()
            return c == "-" ? .negate(operand) : operand
        }
        return try parsePower()
    }

    private mutating func parsePower() throws -> ModelExpression {
        let base = try parseAtom()
        guard let c = peek() else { return base }
        if c == "^" {
            index += 1
        } else if c == "*", index + 1 < chars.count, chars[index + 1] == "*" {
            index += 2
        } else {
            return base
        }
        return .binary(.power, base, try parseUnary())
    }

    private mutating func parseAtom() throws -> ModelExpression {
        guard let c = peek() else { throw fail("a number, a name, '-' or '('") }
        if c == "(" || c == "[" {
            let close: Character = c == "(" ? ")" : "]"
            index += 1
            let inner = try parseExpression()
            guard peek() == close else { throw fail("'\(close)'") }
            index += 1
            return inner
        }
        if c.isNumber || c == "." { return .number(try parseNumber()) }
        if c.isLetter || c == "_" {
            let start = position
            var name = ""
            while index < chars.count, chars[index].isLetter || chars[index].isNumber || chars[index] == "_" || chars[index] == "." {
                name.append(chars[index])
                index += 1
            }
            if let open = peek(), open == "(" || open == "[" {
                guard let f = ModelFunction.byName[name] else {
                    let known = ModelFunction.allCases.map(\.rawValue).joined(separator: ", ")
                    throw NLSError.parse(formula: text, position: start,
                                         reason: "unknown function '\(name)'; known functions: \(known)")
                }
                let close: Character = open == "(" ? ")" : "]"
                index += 1
                let argument = try parseExpression()
                guard peek() == close else { throw fail("'\(close)' closing the call of \(name)") }
                index += 1
                return .call(f, argument)
            }
            return .name(name, position: start)
        }
        throw fail("a number, a name, '-' or '('")
    }

    /// digits [. digits] [e[+-]digits], or . digits …
    private mutating func parseNumber() throws -> Double {
        let start = index
        var sawDigit = false
        while index < chars.count, chars[index].isASCII, chars[index].isNumber { index += 1; sawDigit = true }
        if index < chars.count, chars[index] == "." {
            index += 1
            while index < chars.count, chars[index].isASCII, chars[index].isNumber { index += 1; sawDigit = true }
        }
        guard sawDigit else { throw fail("a digit", at: index + 1) }
        if index < chars.count, chars[index] == "e" || chars[index] == "E" {
            index += 1
            if index < chars.count, chars[index] == "+" || chars[index] == "-" { index += 1 }
            guard index < chars.count, chars[index].isASCII, chars[index].isNumber else {
                throw fail("the digits of an exponent", at: index + 1)
            }
            while index < chars.count, chars[index].isASCII, chars[index].isNumber { index += 1 }
        }
        guard let value = Double(String(chars[start..<index])) else {
            throw NLSError.parse(formula: text, position: start + 1, reason: "expected a number")
        }
        guard value.isFinite else {
            throw NLSError.parse(formula: text, position: start + 1,
                                 reason: "the number \(String(chars[start..<index])) is too large for a double (at most about 1.8e308)")
        }
        return value
    }
}
