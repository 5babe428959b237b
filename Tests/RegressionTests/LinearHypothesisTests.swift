import Testing
@testable import Regression

@Suite("Linear hypotheses written with term names")
struct LinearHypothesisTests {
    let terms = ["(Intercept)", "x1", "x2", "log(size)", "x1:x3", "factor(g)B"]

    @Test func parsesSumsMultiplesAndConstants() throws {
        let h = try LinearHypothesis("x1 - 2*x2 = 0.5; log(size) + x1:x3 = 1e-3 + x2; factor(g)B*3 = -1", terms: terms)
        #expect(h.restrictions == [["x1": 1, "x2": -2], ["log(size)": 1, "x1:x3": 1, "x2": -1], ["factor(g)B": 3]])
        #expect(h.values == [0.5, 1e-3, -1])
        let same = try LinearHypothesis("x1 = x2", terms: terms)
        #expect(same.restrictions == [["x1": 1, "x2": -1]] && same.values == [0])
        let exponent = try LinearHypothesis("x1 = 2.5e-3", terms: terms)
        #expect(exponent.values == [2.5e-3])
    }

    @Test("errors name the restriction", arguments: [
        ("x1", "needs exactly one '='"), ("x1 = x9", "'x9' in 'x1 = x9' is not a coefficient"),
        ("x1 = x1", "restricts no coefficient"), ("= 3", "empty side"), ("", "no restriction"),
    ])
    func errors(text: String, expected: String) {
        do {
            _ = try LinearHypothesis(text, terms: terms)
            Issue.record("no error for '\(text)'")
        } catch {
            #expect("\(error)".contains(expected), "\(error)")
        }
    }

    @Test("matches the R reference Wald test (x1 = x2 under HC1)")
    func matchesReference() throws {
        let reference = try #require(ReferenceCase.loadAll(["sim_cross"]) { $0.name == "cross_ols_hc1" }.first)
        let wald = try #require(reference.wald)
        let result = try fitReference(reference)
        let test = try result.wald("x1 = x2")
        #expect(close(test.statistic, wald.statistic, relative: 1e-8))
        #expect(test.df1 == 1 && test.df2 == wald.df2)
    }
}
