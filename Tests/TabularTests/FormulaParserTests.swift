import Testing
@testable import Tabular

@Suite("Formula parser: trees, canonical forms, error positions")
struct FormulaParserTests {
    typealias E = FormulaExpression

    @Test func simpleTree() throws {
        let f = try Formula("y ~ x1 + x2")
        #expect(f.response == .name("y"))
        #expect(f.regressors == .binary(.plus, .name("x1"), .name("x2")))
        #expect(f.fixedEffects == nil && f.instrumental == nil)
        #expect(f.description == "y ~ x1 + x2")
    }

    @Test func precedenceFollowsR() throws {
        // + < * / < : < unary minus < ^ ; ^ is right-associative inside I().
        let f = try Formula("y ~ a + b*c:d - 1")
        #expect(f.regressors == .binary(.minus,
            .binary(.plus, .name("a"), .binary(.times, .name("b"), .binary(.colon, .name("c"), .name("d")))),
            .number(1)))
        let g = try Formula("y ~ I(-x^2^3 / 2)")
        let power = E.binary(.power, .name("x"), .binary(.power, .number(2), .number(3)))
        #expect(g.regressors == .call("I", [FormulaArgument(.binary(.divide, .negate(power), .number(2)))]))
        #expect(g.description == "y ~ I(-x^2^3/2)")
    }

    @Test func callsAndArguments() throws {
        let f = try Formula(#"log(y) ~ poly(x, 3) + i(g, ref = "Java") + log(x, base = 10)"#)
        #expect(f.response == .call("log", [FormulaArgument(.name("y"))]))
        #expect(f.regressors == .binary(.plus,
            .binary(.plus,
                .call("poly", [FormulaArgument(.name("x")), FormulaArgument(.number(3))]),
                .call("i", [FormulaArgument(.name("g")), FormulaArgument(label: "ref", .string("Java"))])),
            .call("log", [FormulaArgument(.name("x")), FormulaArgument(label: "base", .number(10))])))
        #expect(f.columnNames == ["y", "x", "g"])
    }

    @Test func fixedEffectsAndInstruments() throws {
        let f = try Formula("y ~ x1 | fe1 + fe2^fe3 | e1 + e2 ~ z1 + z2 + z3")
        #expect(f.fixedEffects == .binary(.plus, .name("fe1"), .binary(.power, .name("fe2"), .name("fe3"))))
        #expect(f.fixedEffectTerms == [["fe1"], ["fe2", "fe3"]])
        #expect(f.instrumental?.endogenous == .binary(.plus, .name("e1"), .name("e2")))
        #expect(f.instrumental?.instruments == .binary(.plus, .binary(.plus, .name("z1"), .name("z2")), .name("z3")))
        let g = try Formula("y ~ x | e ~ z")
        #expect(g.fixedEffects == nil && g.instrumental?.description == "e ~ z")
        let h = try Formula("y ~ 1 | fe")
        #expect(h.regressors == .number(1) && h.fixedEffectTerms == [["fe"]] && h.instrumental == nil)
        #expect(try Formula("y~x|a^b^c").fixedEffectTerms == [["a", "b", "c"]])
    }

    /// Input → canonical text (R's deparse).
    static let canonical: [(String, String)] = [
        ("y~x1+x2", "y ~ x1 + x2"),
        ("y ~ x1 + x2 - 1", "y ~ x1 + x2 - 1"),
        ("y ~ 0 + x1", "y ~ 0 + x1"),
        ("y ~ -1 + x", "y ~ -1 + x"),
        ("y ~ x1:x2 + x1*x2", "y ~ x1:x2 + x1 * x2"),
        ("y ~ (a+b+c)^2", "y ~ (a + b + c)^2"),
        ("y ~ a/b", "y ~ a/b"),
        ("y ~ log( x ) + exp(x) + sqrt(x)", "y ~ log(x) + exp(x) + sqrt(x)"),
        ("y ~ I(x^2)", "y ~ I(x^2)"),
        ("y ~ I((x+1)/2) + I(x*100000) + I(x*0.0001) + I(x*0.00012) + I(2.50)", "y ~ I((x + 1)/2) + I(x * 1e+05) + I(x * 1e-04) + I(x * 0.00012) + I(2.5)"),
        ("y ~ I(x^-1) + I(x - -1) + I((-x)^2)", "y ~ I(x^-1) + I(x - -1) + I((-x)^2)"),
        ("y ~ poly(x,3)", "y ~ poly(x, 3)"),
        ("y ~ poly(x, degree=3, raw=TRUE)", "y ~ poly(x, degree = 3, raw = TRUE)"),
        ("y ~ factor(g) + i(g,ref='Java')", #"y ~ factor(g) + i(g, ref = "Java")"#),
        ("y ~ x:factor(g) + x*factor(g)", "y ~ x:factor(g) + x * factor(g)"),
        ("y~x|fe1+fe2", "y ~ x | fe1 + fe2"),
        ("y~x|fe1^fe2", "y ~ x | fe1^fe2"),
        ("y ~ exog | fe | endog1 + endog2 ~ z1 + z2 + z3", "y ~ exog | fe | endog1 + endog2 ~ z1 + z2 + z3"),
        ("y ~ exog | endog ~ z", "y ~ exog | endog ~ z"),
        ("log(y) ~ x", "log(y) ~ x"),
        ("I(y / 100) ~ x", "I(y/100) ~ x"),
        ("`my var` ~ `x 1` + .a + a.b_c", "`my var` ~ `x 1` + .a + a.b_c"),
        ("y ~ +x", "y ~ x"),
        ("y ~ x - (a + b)", "y ~ x - (a + b)"),
        ("y ~ x + 1e5", "y ~ x + 1e+05"),  // rejected below: only 0/1 are terms
    ].filter { $0.0 != "y ~ x + 1e5" }

    @Test(arguments: canonical)
    func canonicalForm(_ input: String, _ expected: String) throws {
        let f = try Formula(input)
        #expect(f.description == expected)
        // The canonical text parses back to the same tree.
        #expect(try Formula(f.description) == f)
    }

    @Test func equalityIgnoresSpacing() throws {
        #expect(try Formula("y~x1+log(x2)") == Formula("y ~ x1 + log( x2 )"))
        #expect(try Formula("y ~ x1 + x2") != Formula("y ~ x2 + x1"))
        #expect(try Formula("y ~ (x)") != Formula("y ~ x"))
    }

    /// Input, 1-based position of the error, a fragment of the reason.
    static let errors: [(String, Int, String)] = [
        ("", 1, "empty formula"),
        ("   ", 1, "empty formula"),
        ("~ x", 1, "expected a response"),
        ("y", 2, "expected '~'"),
        ("y x", 3, "expected an arithmetic operator or '~'"),
        ("y ~", 4, "expected a term"),
        ("y ~ x +", 8, "expected a term"),
        ("y ~ x + + ", 11, "expected a term"),
        ("y ~ (x1 + x2", 13, "expected ')' to close the '(' at character 5"),
        ("y ~ x1)", 7, "unexpected ')'"),
        ("y ~ log(x", 10, "expected ',' or ')' to close 'log(' at character 5"),
        ("y ~ lgo(x)", 5, "unknown function 'lgo'; did you mean 'log'"),
        ("y ~ x + zzzzz(x)", 9, "unknown function 'zzzzz'; known functions: log, log2"),
        ("y ~ x $ z", 7, "unexpected character '$'"),
        ("y ~ x %in% z", 7, "%in%"),
        ("y ~ x + 2", 9, "can only be 0 or 1"),
        ("y ~ x^2", 6, "write I(x^2)"),
        ("y ~ (a + b)^0", 13, "whole number from 1 to 64"),
        ("y ~ poly(x, 0)", 13, "at least 1"),
        ("y ~ poly(x, -2)", 13, "whole number"),
        ("y ~ poly(x, 2.5)", 13, "whole number"),
        ("y ~ poly(x)", 11, "needs one degree"),
        ("y ~ poly(x, 3, raw = FALSE)", 16, "only raw polynomials"),
        ("y ~ poly(x, 3, 4)", 16, "poly() takes a variable and a degree"),
        ("y ~ factor(log(x))", 12, "factor() takes a column name"),
        ("y ~ i(g, x)", 10, "not supported; write x:i(g)"),
        ("y ~ i(g, reff = \"a\")", 10, "takes only 'ref ='"),
        ("y ~ I(factor(g))", 7, "cannot appear inside an arithmetic expression"),
        ("y ~ I(a:b)", 8, "':' (interaction)"),
        ("y ~ log()", 9, "needs a variable"),
        ("y ~ log(x, 2, 3)", 15, "optional base"),
        ("y ~ \"x\"", 5, "a string is allowed only as an argument value"),
        ("y ~ x | ", 9, "expected a fixed-effect column name"),
        ("y ~ x | fe1 * fe2", 13, "fixed effects are column names joined by '+'"),
        ("y ~ x | log(fe)", 9, "plain column names"),
        ("y ~ x | fe1 | fe2", 13, "at most one fixed-effects part"),
        ("y ~ x | e ~ z | fe", 15, "must come last"),
        ("y ~ x ~ z", 7, "a second '~'"),
        ("y ~ x | e ~ ", 13, "expected a term"),
        ("y ~ `x", 5, "unterminated name"),
        ("y ~ i(g, ref = \"Java)", 16, "unterminated string"),
        ("y ~ 2x", 6, "names cannot start with a digit"),
        ("y ~ 1e", 5, "malformed number"),
        ("y ~ i(g, ref = x + 1)", 10, "ref must be a level"),
    ]

    @Test(arguments: errors)
    func syntaxErrorPosition(_ input: String, _ position: Int, _ fragment: String) {
        do {
            _ = try Formula(input)
            Issue.record("'\(input)' parsed; expected an error at \(position)")
        } catch let TabularError.formula(formula, at, reason) {
            #expect(formula == input)
            #expect(at == position, "\(reason)")
            #expect(reason.contains(fragment), "\(reason)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func errorMessageShowsCaret() {
        let error = TabularError.formula(formula: "y ~ lgo(x)", position: 5, reason: "unknown function 'lgo'; did you mean 'log'?")
        #expect(error.description == "formula, character 5: unknown function 'lgo'; did you mean 'log'?\n  y ~ lgo(x)\n      ^")
    }

    @Test func numbersPrintLikeR() {
        let cases: [(Double, String)] = [
            (2, "2"), (2.5, "2.5"), (100_000, "1e+05"), (123_456, "123456"), (0.0001, "1e-04"),
            (0.00012, "0.00012"), (1.0 / 3, "0.333333333333333"), (0.1 + 0.2, "0.3"), (-1.5e-7, "-1.5e-07"),
            (1e15, "1e+15"), (123_456_789_012, "123456789012"), (1e100, "1e+100"), (10_000, "10000"), (0, "0"),
        ]
        for (v, text) in cases { #expect(RNumberFormat.string(v) == text, "\(v)") }
    }
}

/// Random token soup: every input either parses or throws `TabularError.formula`, and
/// every formula that parses either builds a design or throws a `TabularError` — no trap.
@Suite("Formula fuzzing")
struct FormulaFuzzTests {
    static let pieces = [
        "y", "x1", "x2", "g", "size", "urban", "w", "district", "year", "nope", "~", "~", "+", "-", "*", "/", "^", ":", "|",
        "(", ")", ",", "=", "0", "1", "2", "0.5", "1e5", "log(", "exp(", "sqrt(", "I(", "poly(", "factor(", "i(",
        "ref", "\"Java\"", "raw", "TRUE", " ", "`", "'", "$", ".", "abs(", "log10(", "degree",
    ]

    @Test func noInputCrashes() throws {
        let table = try DesignFixtures.households()
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var parsed = 0
        for _ in 0..<4000 {
            let prefix = next(3) == 0 ? "" : "y ~ "
            let text = prefix + (0..<(1 + next(12))).map { _ in Self.pieces[next(Self.pieces.count)] }.joined()
            do {
                let formula = try Formula(text)
                parsed += 1
                #expect(try Formula(formula.description) == formula, "\(text)")
                do {
                    _ = try DesignMatrix(formula: formula, table: table, missingWeights: .dropRow)
                } catch is TabularError {
                } catch {
                    Issue.record("\(text): \(error)")
                }
            } catch let TabularError.formula(f, position, _) {
                #expect(f == text && position >= 1 && position <= text.count + 1, "\(text)")
            } catch {
                Issue.record("\(text): \(error)")
            }
        }
        #expect(parsed > 50)
    }
}

/// Found by the formula fuzzer (scripts/fuzz): the canonical text prints numbers with R's 15
/// significant digits, so it must be a fixed point even when a literal has more digits.
@Suite("Formula canonical form (fuzzer regression)")
struct FormulaCanonicalFormRegressionTests {
    @Test func canonicalTextIsAFixedPointForLongLiterals() throws {
        let text = "y ~ log(x) + I(x^88888888888888888888888888888888882) + poly + I(x^2) + poly(z, 3)"
        let canonical = try Formula(text).description
        #expect(try Formula(canonical).description == canonical)
        #expect(canonical.contains("I(x^8.88888888888889e+"))  // 15 significant digits, as R prints
    }
}

/// Found by the formula fuzzer: ~1,000 nested parentheses overflowed the stack.
@Suite("Formula nesting limit (fuzzer regression)")
struct FormulaNestingRegressionTests {
    @Test func deepNestingIsATypedErrorNotACrash() throws {
        let deep = "y ~ " + String(repeating: "(", count: 5_000) + "x" + String(repeating: ")", count: 5_000)
        #expect(throws: TabularError.self) { try Formula(deep) }
        let signs = "y ~ I(" + String(repeating: "-", count: 5_000) + "x)"
        #expect(throws: TabularError.self) { try Formula(signs) }
        let powers = "y ~ I(" + Array(repeating: "x", count: 3_000).joined(separator: "^") + ")"
        #expect(throws: TabularError.self) { try Formula(powers) }
        // A literal that overflows to infinity would print as `Inf`, a name (fuzzer finding).
        #expect(throws: TabularError.formula(formula: "y ~ I(x^1e+888)", position: 9,
                                             reason: "the number 1e+888 is too large for a double (at most about 1.8e308)")) {
            try Formula("y ~ I(x^1e+888)")
        }
        // Ordinary nesting is untouched.
        let fine = "y ~ " + String(repeating: "(", count: 50) + "x" + String(repeating: ")", count: 50)
        #expect(try Formula(fine).regressors.description.contains("x"))
    }
}

/// Found by review after the nesting limit: operator chains are parsed in loops, so a sum of
/// 30,000 terms parsed, and then every recursive walk of its 30,000-deep tree overflowed the
/// stack (`policylab design` crashed); `fe1^fe2^…` recursed in the parser itself. Chains now stop
/// at `FormulaParser.maximumDepth` levels with a typed error at the operator.
@Suite("Formula depth limit (review regression)")
struct FormulaDepthLimitTests {
    func depthError(_ text: String) -> (position: Int, reason: String)? {
        do {
            _ = try Formula(text)
            return nil
        } catch let TabularError.formula(_, position, reason) {
            return (position, reason)
        } catch {
            Issue.record("untyped error \(error)")
            return nil
        }
    }

    @Test func longChainsAreATypedErrorNotACrash() throws {
        for op in ["+", "*", ":", "-", "/"] {
            let context = op == "/" ? ("y ~ I(", ")") : ("y ~ ", "")
            let text = context.0 + Array(repeating: "x", count: 30_000).joined(separator: op) + context.1
            let error = try #require(depthError(text), "\(op)")
            #expect(error.reason.contains("more than \(FormulaParser.maximumDepth) operations deep"), "\(error.reason)")
            // At the operator that made the chain too deep: "x" and an operator per level.
            #expect(error.position > 2 * (FormulaParser.maximumDepth - 2) && error.position < 2 * FormulaParser.maximumDepth + 12, "\(op): \(error.position)")
        }
        let response = try #require(depthError(Array(repeating: "y", count: 30_000).joined(separator: "+") + " ~ x"))
        #expect(response.reason.contains("operations deep"))
        let combined = try #require(depthError("y ~ x | " + Array(repeating: "g", count: 30_000).joined(separator: "^")))
        #expect(combined.reason.contains("combines more than"), "\(combined.reason)")
        let effects = try #require(depthError("y ~ x | " + Array(repeating: "g", count: 30_000).joined(separator: " + ")))
        #expect(effects.reason.contains("operations deep"), "\(effects.reason)")
        // A chain nested in parentheses counts its depth below the enclosing one.
        let nested = "y ~ " + String(repeating: "(x + ", count: 150) + Array(repeating: "x", count: 400).joined(separator: " + ")
            + String(repeating: ")", count: 150)
        #expect(depthError(nested) != nil)
    }

    @Test func chainsUpToTheLimitParseAndPrint() throws {
        let terms = (1...400).map { "x\($0)" }
        let formula = try Formula("y ~ " + terms.joined(separator: " + ") + " | f1^f2^f3")
        #expect(formula.regressors.columnNames.count == 400)
        #expect(try Formula(formula.description) == formula)
        #expect(formula.fixedEffectTerms == [["f1", "f2", "f3"]])
    }
}

/// Found by the formula fuzzer (`y ~ \v\u{0618}1`): a combining mark after a control character
/// started a name, whose canonical text `y ~ ؘ1` then read back as `y ~ 1` (the mark merged into
/// the space before it). The lexer reads scalars, so a mark only continues a name.
@Suite("Formula combining marks (fuzzer regression)")
struct FormulaCombiningMarkRegressionTests {
    @Test func markOutsideANameIsAnUnexpectedCharacter() throws {
        for text in ["y~\u{0B}\u{0618}1", "y ~ \u{0618}x", "y ~ x + \u{0301}", "y ~ `\u{0301}x`+ \u{0301}"] {
            do {
                let canonical = try Formula(text).description
                Issue.record("'\(text)' parsed as '\(canonical)'")
            } catch let TabularError.formula(f, position, reason) {
                #expect(f == text && reason.contains("unexpected character"), "\(reason)")
                #expect(position >= 1 && position <= text.count + 1)
            }
        }
    }

    @Test func marksInsideNamesAndQuotesAreKept() throws {
        // A decomposed é inside a name, a mark right after an opening backtick or quote.
        for text in ["y ~ cafe\u{0301} + x", "y ~ `\u{0301}x` + i(g, ref = \"\u{0301}a\")"] {
            let formula = try Formula(text)
            let canonical = formula.description
            #expect(try Formula(canonical) == formula, "\(text) → \(canonical)")
            #expect(try Formula(canonical).description == canonical)
        }
        #expect(try Formula("y ~ cafe\u{0301}").description.unicodeScalars.contains("\u{0301}"))
    }

    @Test func positionsCountCharactersNotScalars() {
        // "é" decomposed is one character of two scalars: '%' is character 10, scalar 11.
        #expect(throws: TabularError.formula(formula: "y ~ cafe\u{0301} %", position: 10,
                                             reason: "unexpected character '%': operators like %in% are not supported; write a/b for nesting")) {
            try Formula("y ~ cafe\u{0301} %")
        }
    }
}
