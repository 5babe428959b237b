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
/// (not followed by a digit) and continue with letters, combining marks, digits, `.` and `_`;
/// backticks quote any other name; `#` and `%…%` operators are not part of PolicyLab's
/// formulas. The text is read scalar by scalar, not by grapheme clusters, so a combining
/// mark never merges into the space, quote or backtick before it (a mark that does not
/// follow a name's letter is an unexpected character); positions in tokens and errors
/// still count the characters a reader sees.
enum FormulaLexer {
    static let symbols: Set<Unicode.Scalar> = ["~", "+", "-", "*", "/", "^", ":", "|", "(", ")", ",", "="]

    /// The tokens of `text`, ending with `.end`.
    /// - Throws: `TabularError.formula` at the first character that starts no token, an
    ///   unterminated string or backtick name, or a malformed number.
    /// - Complexity: O(text.count).
    static func tokenize(_ text: String) throws -> [FormulaToken] {
        let chars = Array(text.unicodeScalars)
        let position = characterPositions(text)
        var tokens: [FormulaToken] = []
        var i = 0
        func fail(_ at: Int, _ reason: String) -> TabularError {
            .formula(formula: text, position: position[at], reason: reason)
        }
        func token(_ kind: FormulaToken.Kind, at start: Int) {
            tokens.append(FormulaToken(kind: kind, position: position[start]))
        }
        while i < chars.count {
            let c = chars[i]
            if c.properties.isWhitespace {
                i += 1
            } else if symbols.contains(c) {
                token(.symbol(Character(c)), at: i)
                i += 1
            } else if isDigit(c) || (c == "." && i + 1 < chars.count && isDigit(chars[i + 1])) {
                let start = i
                let value = try number(chars, &i, fail)
                token(.number(value), at: start)
            } else if startsName(c) {
                let start = i
                while i < chars.count, continuesName(chars[i]) { i += 1 }
                token(.name(string(chars[start..<i])), at: start)
            } else if c == "`" || c == "\"" || c == "'" {
                let start = i
                i += 1
                var content = String.UnicodeScalarView()
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
                    token(.name(String(content)), at: start)
                } else {
                    token(.string(String(content)), at: start)
                }
            } else if c == "%" {
                throw fail(i, "unexpected character '%': operators like %in% are not supported; write a/b for nesting")
            } else if c == "$" || c == "[" || c == "]" {
                throw fail(i, "unexpected character '\(c)': a formula names columns directly (no $ or [ ])")
            } else {
                throw fail(i, "unexpected character '\(c.escaped(asASCII: false))' (U+\(String(c.value, radix: 16, uppercase: true)))")
            }
        }
        tokens.append(FormulaToken(kind: .end, position: position[chars.count]))
        return tokens
    }

    /// For each scalar offset of `text` (and one past the end), the 1-based position of the
    /// character (grapheme cluster) that holds it.
    /// - Complexity: O(text's scalars).
    static func characterPositions(_ text: String) -> [Int] {
        var positions: [Int] = []
        positions.reserveCapacity(text.unicodeScalars.count + 1)
        var position = 0
        for character in text {
            position += 1
            for _ in character.unicodeScalars { positions.append(position) }
        }
        positions.append(position + 1)
        return positions
    }

    /// An ASCII digit 0–9 (numbers in formulas are ASCII).
    static func isDigit(_ c: Unicode.Scalar) -> Bool { c.isASCII && c.properties.numericType == .decimal }

    /// A name's first scalar: a letter (general category L…) or a dot.
    static func startsName(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return c == "."
        }
    }

    /// A scalar a name continues with: a letter, a combining mark, a digit, `.` or `_`.
    static func continuesName(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber: return true
        default: return startsName(c) || c == "_"
        }
    }

    /// The text of `scalars`.
    static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// Reads `digits [. digits] [e [+-] digits]` starting at `i`, advancing `i`.
    private static func number(
        _ chars: [Unicode.Scalar], _ i: inout Int, _ fail: (Int, String) -> TabularError
    ) throws -> Double {
        let start = i
        func digits() { while i < chars.count, isDigit(chars[i]) { i += 1 } }
        digits()
        if i < chars.count, chars[i] == "." { i += 1; digits() }
        if i < chars.count, chars[i] == "e" || chars[i] == "E" {
            i += 1
            if i < chars.count, chars[i] == "+" || chars[i] == "-" { i += 1 }
            let exponentStart = i
            digits()
            if i == exponentStart { throw fail(start, "malformed number: expected digits after the exponent 'e'") }
        }
        let literal = string(chars[start..<i])
        if i < chars.count, chars[i] != ".", continuesName(chars[i]) {
            throw fail(i, "unexpected '\(chars[i])' after the number \(literal); names cannot start with a digit")
        }
        guard let value = Double(literal) else {
            throw fail(start, "malformed number '\(literal)'")
        }
        guard value.isFinite else {
            throw fail(start, "the number \(literal) is too large for a double (at most about 1.8e308)")
        }
        return value
    }
}
