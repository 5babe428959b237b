/// A model formula in R/fixest syntax, parsed into trees.
///
/// ```
/// y ~ x1 + x2                          regressors (intercept implied)
/// y ~ x1 + x2 - 1        y ~ 0 + x1    no intercept
/// y ~ x1*x2                            x1 + x2 + x1:x2
/// log(y) ~ log(x) + I(x^2) + poly(x, 3) + factor(g) + i(g, ref = "Java") + x:factor(g)
/// y ~ x1 | fe1 + fe2                   fixed effects after a bar; fe1^fe2 combines two
/// y ~ exog | fe | endog1 + endog2 ~ z1 + z2 + z3     instrumental variables, fixest order
/// y ~ exog | endog ~ z                 IV without fixed effects
/// ```
///
/// Functions: `log(x)` (and `log(x, base)`), `log2`, `log10`, `log1p`, `exp`, `sqrt`, `abs`;
/// `I(…)` with `+ - * / ^` on columns and numbers; `poly(x, d)` — **raw** powers
/// x, x², …, x^d (R's `poly(x, d, raw = TRUE)`; R's default orthogonal polynomials are not
/// offered), columns named `poly(x, d)1` … `poly(x, d)d`; `factor(g)` and fixest's `i(g)`,
/// `i(g, ref = "Java")` for dummies. The response is an arithmetic expression (`log(y)`).
///
/// The trees keep what was written, including parentheses, so `description` is the
/// canonical text R's `deparse` would give, e.g. `y ~ x1 + I(x^2) | fe1^fe2`. Two formulas
/// are equal when their trees are (spacing and the original text do not matter).
public struct Formula: Sendable, Equatable, CustomStringConvertible {
    /// The text as given (error positions refer to it).
    public let text: String
    /// The left-hand side: an arithmetic expression (`y`, `log(y)`, `I(y/1000)`).
    public let response: FormulaExpression
    /// The model terms before the first `|`.
    public let regressors: FormulaExpression
    /// The fixed-effects part (`fe1 + fe2^fe3`), if any.
    public let fixedEffects: FormulaExpression?
    /// The instrumental-variable part (`endog ~ instruments`), if any.
    public let instrumental: InstrumentalVariables?
    /// Where each column name first appears in `text` (1-based), for errors that point at it.
    let namePositions: [String: Int]

    /// Parses `text`.
    /// - Throws: `TabularError.formula` with the 1-based character position and what was
    ///   expected there (empty formula, syntax error, unknown function — with did-you-mean —,
    ///   misplaced part, a `poly` degree below 1, a number other than 0/1 as a term, …).
    ///   Column names are checked later, against a table, by `DesignMatrix`.
    /// - Complexity: O(text.count).
    public init(_ text: String) throws {
        var parser = try FormulaParser(text: text)
        let parts = try parser.parseFormula()
        self.text = text
        self.response = parts.response
        self.regressors = parts.regressors
        self.fixedEffects = parts.fixedEffects
        self.instrumental = parts.instrumental
        self.namePositions = parser.namePositions
    }

    /// The canonical text: `response ~ regressors [| fixed effects] [| endogenous ~ instruments]`.
    public var description: String {
        var out = "\(response) ~ \(regressors)"
        if let fixedEffects { out += " | \(fixedEffects)" }
        if let instrumental { out += " | \(instrumental)" }
        return out
    }

    /// The fixed-effect terms in order; each is the list of columns it combines
    /// (`fe1` → `["fe1"]`, `fe1^fe2` → `["fe1", "fe2"]`).
    public var fixedEffectTerms: [[String]] {
        guard let fixedEffects else { return [] }
        var terms: [[String]] = []
        func walk(_ e: FormulaExpression) {
            if case let .binary(.plus, l, r) = e {
                walk(l)
                walk(r)
            } else {
                terms.append(e.columnNames)
            }
        }
        walk(fixedEffects)
        return terms
    }

    /// Every column name the formula refers to, in order of appearance.
    public var columnNames: [String] {
        var parts = [response, regressors]
        if let fixedEffects { parts.append(fixedEffects) }
        if let instrumental { parts += [instrumental.endogenous, instrumental.instruments] }
        var out: [String] = []
        for name in parts.flatMap(\.columnNames) where !out.contains(name) { out.append(name) }
        return out
    }

    /// Whether the trees are equal; the original text (spacing, quotes) does not matter.
    public static func == (a: Formula, b: Formula) -> Bool {
        a.response == b.response && a.regressors == b.regressors
            && a.fixedEffects == b.fixedEffects && a.instrumental == b.instrumental
    }
}

/// The instrumental-variable part of a formula: `endog1 + endog2 ~ z1 + z2`.
public struct InstrumentalVariables: Sendable, Equatable, CustomStringConvertible {
    /// The endogenous regressors (model terms).
    public let endogenous: FormulaExpression
    /// The excluded instruments (model terms).
    public let instruments: FormulaExpression

    /// `endogenous ~ instruments`.
    public var description: String { "\(endogenous) ~ \(instruments)" }
}
