import Testing
@testable import Tabular

/// Term expansion against R's `terms()` (R 4.2.2): intercept and term labels, in order.
@Suite("Formula terms expand as R's terms()")
struct FormulaTermsTests {
    /// Formula, R's intercept, R's `attr(terms(f), "term.labels")` joined by commas.
    static let cases: [(String, Bool, String)] = [
        ("y ~ x1 + x2", true, "x1,x2"),
        ("y ~ b:a + a", true, "a,b:a"),
        ("y ~ a + b:a", true, "a,a:b"),
        ("y ~ 0 + x + 1", true, "x"),
        ("y ~ x - 1 + 1", true, "x"),
        ("y ~ x - 0", true, "x"),
        ("y ~ -1 + x", false, "x"),
        ("y ~ x + 0 - 1", false, "x"),
        ("y ~ (a+b)/c", true, "a,b,a:b:c"),
        ("y ~ a/(b+c)", true, "a,a:b,a:c"),
        ("y ~ a/b/c", true, "a,a:b,a:b:c"),
        ("y ~ a*b*c - a:b", true, "a,b,c,a:c,b:c,a:b:c"),
        ("y ~ (a+b+c)^3", true, "a,b,c,a:b,a:c,b:c,a:b:c"),
        ("y ~ (a+b+c)^3 - a:b:c", true, "a,b,c,a:b,a:c,b:c"),
        ("y ~ (a+b+c+d)^2 - a:d", true, "a,b,c,d,a:b,a:c,b:c,b:d,c:d"),
        ("y ~ a:b + b:a", true, "a:b"),
        ("y ~ b:a + a:b:c + c", true, "c,b:a,b:a:c"),
        ("y ~ (a+b)^2:c", true, "a:c,b:c,a:b:c"),
        ("y ~ a + (b + c)", true, "a,b,c"),
        ("y ~ a - (b + c)", true, "a"),
        ("y ~ (a + b) - a", true, "b"),
        ("y ~ a*(b+c)", true, "a,b,c,a:b,a:c"),
        ("y ~ x:x", true, "x"),
        ("y ~ x*x", true, "x"),
        ("y ~ log(x) + log( x ) + I(x^2)", true, "log(x),I(x^2)"),
        ("y ~ a*b - 1", false, "a,b,a:b"),
        ("y ~ -a + b", true, "b"),
        ("y ~ a + b - a:b + a:b", true, "a,b,a:b"),
        ("y ~ (a + b):(c + d)", true, "a:c,a:d,b:c,b:d"),
        ("y ~ a:(b+c)*d", true, "d,a:b,a:c,a:b:d,a:c:d"),
        ("y ~ x + x:factor(g) + factor(g)", true, "x,factor(g),x:factor(g)"),
        ("y ~ 1", true, ""),
        ("y ~ 0", false, ""),
        ("y ~ poly(x, 2)*g", true, "poly(x, 2),g,poly(x, 2):g"),
    ]

    @Test(arguments: cases)
    func labelsMatchR(_ formula: String, _ intercept: Bool, _ labels: String) throws {
        let terms = ModelTerms(try Formula(formula).regressors)
        #expect(terms.hasIntercept == intercept)
        #expect(terms.labels.joined(separator: ",") == labels)
    }

    @Test func variablesInOrderOfAppearance() throws {
        let terms = ModelTerms(try Formula("y ~ b:a + log(x) + a").regressors)
        #expect(terms.variables == [.name("b"), .name("a"), .call("log", [FormulaArgument(.name("x"))])])
        #expect(terms.terms == [[2], [1], [0, 1]])
    }
}
