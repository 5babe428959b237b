/// One token of a formula, with its 1-based character position.
struct FormulaToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// An identifier (`x1`, `log`, `.a_b`) or a backtick-quoted name (`` `my var` ``).
        case name(String)
        /// A numeric literal (`3`, `2.5`, `.5`, `1e-3`).
        case number(Double)
        /// A quoted string (`"Java"` or `'Java'`).
        case string(String)
        /// One of `~ + - * / ^ : | ( ) , =`.
        case symbol(Character)
        /// The end of the text.
        case end
    }

    var kind: Kind
    /// 1-based character position of the token's first character.
    var position: Int

    /// How the token reads in an error message ("'+'", "name 'x'", "the end of the formula").
    var display: String {
        switch kind {
        case let .name(n): return "name '\(n)'"
        case let .number(v): return "number \(RNumberFormat.string(v))"
        case let .string(s): return "string \"\(s)\""
        case let .symbol(c): return "'\(c)'"
        case .end: return "the end of the formula"
        }
    }
}

/// Splits a formula into tokens. R's lexical rules: names start with a letter or a dot
/// (not followed by a digit) and continue with letters, digits, `.` and `_`; backticks
/// quote any other name; `#` and `%…%` operators are not part of PolicyLab's formulas.
enum FormulaLexer {
    static let symbols: Set<Character> = ["~", "+", "-", "*", "/", "^", ":", "|", "(", ")", ",", "="]

    /// The tokens of `text`, ending with `.end`.
    /// - Throws: `TabularError.formula` at the first character that starts no token, an
    ///   unterminated string or backtick name, or a malformed number.
    /// - Complexity: O(text.count).
    static func tokenize(_ text: String) throws -> [FormulaToken] {
        let chars = Array(text)
        var tokens: [FormulaToken] = []
        var i = 0
        func fail(_ at: Int, _ reason: String) -> TabularError {
            .formula(formula: text, position: at + 1, reason: reason)
        }
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace {
                i += 1
            } else if symbols.contains(c) {
                tokens.append(FormulaToken(kind: .symbol(c), position: i + 1))
                i += 1
            } else if c.isNumber && c.isASCII || (c == "." && i + 1 < chars.count && chars[i + 1].isASCII && chars[i + 1].isNumber) {
                let start = i
                let value = try number(chars, &i, fail)
                tokens.append(FormulaToken(kind: .number(value), position: start + 1))
            } else if c.isLetter || c == "." {
                let start = i
                while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "." || chars[i] == "_" { i += 1 }
                tokens.append(FormulaToken(kind: .name(String(chars[start..<i])), position: start + 1))
            } else if c == "`" || c == "\"" || c == "'" {
                let start = i
                i += 1
                var content = ""
                var closed = false
                while i < chars.count {
                    if chars[i] == c { closed = true; i += 1; break }
                    if chars[i] == "\\", c != "`", i + 1 < chars.count { i += 1 }
                    content.append(chars[i])
                    i += 1
                }
                guard closed else {
                    throw fail(start, c == "`" ? "unterminated name: no closing ` for the one opened here"
                                              : "unterminated string: no closing \(c) for the one opened here")
                }
                if c == "`" {
                    guard !content.isEmpty else { throw fail(start, "empty name ``") }
                    tokens.append(FormulaToken(kind: .name(content), position: start + 1))
                } else {
                    tokens.append(FormulaToken(kind: .string(content), position: start + 1))
                }
            } else if c == "%" {
                throw fail(i, "unexpected character '%': operators like %in% are not supported; write a/b for nesting")
            } else if c == "$" || c == "[" || c == "]" {
                throw fail(i, "unexpected character '\(c)': a formula names columns directly (no $ or [ ])")
            } else {
                throw fail(i, "unexpected character '\(c)'")
            }
        }
        tokens.append(FormulaToken(kind: .end, position: chars.count + 1))
        return tokens
    }

    /// Reads `digits [. digits] [e [+-] digits]` starting at `i`, advancing `i`.
    private static func number(
        _ chars: [Character], _ i: inout Int, _ fail: (Int, String) -> TabularError
    ) throws -> Double {
        let start = i
        func digits() { while i < chars.count, chars[i].isASCII, chars[i].isNumber { i += 1 } }
        digits()
        if i < chars.count, chars[i] == "." { i += 1; digits() }
        if i < chars.count, chars[i] == "e" || chars[i] == "E" {
            i += 1
            if i < chars.count, chars[i] == "+" || chars[i] == "-" { i += 1 }
            let exponentStart = i
            digits()
            if i == exponentStart { throw fail(start, "malformed number: expected digits after the exponent 'e'") }
        }
        if i < chars.count, chars[i].isLetter || chars[i] == "_" {
            throw fail(i, "unexpected '\(chars[i])' after the number \(String(chars[start..<i])); names cannot start with a digit")
        }
        guard let value = Double(String(chars[start..<i])) else {
            throw fail(start, "malformed number '\(String(chars[start..<i]))'")
        }
        guard value.isFinite else {
            throw fail(start, "the number \(String(chars[start..<i])) is too large for a double (at most about 1.8e308)")
        }
        return value
    }
}
