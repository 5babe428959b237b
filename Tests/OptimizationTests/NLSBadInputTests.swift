import Foundation
import Testing
@testable import Optimization

@Suite("Nonlinear least squares: bad input")
struct NLSBadInputTests {
    static let data: [String: [Double]] = ["x": [1, 2, 3, 4, 5], "y": [1.1, 1.9, 3.2, 3.9, 5.1]]

    static func model(_ formula: String, _ start: String, data: [String: [Double]] = data) throws -> NonlinearModel {
        try NonlinearModel(formula: try ModelFormula(formula), columns: data, start: try StartPoint(parsing: start))
    }

    @Test func startPointMissingAParameter() {
        #expect(throws: NLSError.missingStart(parameter: "b3", given: ["b1", "b2"])) {
            try Self.model("y ~ b1 + b2*x + b3*x^2", "b1=0,b2=1")
        }
        #expect(NLSError.missingStart(parameter: "b3", given: ["b1", "b2"]).description.contains("add b3=VALUE"))
    }

    @Test func unknownVariableSuggestsTheClosestName() {
        do {
            _ = try Self.model("y ~ b1 + xx*b2", "b1=0,b2=1")
            Issue.record("an unknown variable was accepted")
        } catch let NLSError.unknownVariable(name, position, suggestions) {
            #expect(name == "xx" && position == 10 && suggestions.first == "x")
        } catch { Issue.record("unexpected \(error)") }
        #expect(NLSError.unknownVariable(name: "xx", position: 10, suggestions: ["x"]).description.contains("did you mean 'x'?"))
    }

    @Test func nonFiniteObjectiveAtTheStart() throws {
        let m = try Self.model("y ~ log(b1*x)", "b1=-1")
        #expect(throws: NLSError.nonFiniteStart(row: 1, detail: "the residual is NaN")) { try LevenbergMarquardt().fit(m) }
    }

    @Test func tooFewObservations() {
        #expect(throws: NLSError.tooFewObservations(observations: 2, parameters: 3)) {
            try Self.model("y ~ b1 + b2*x + b3*x^2", "b1=0,b2=1,b3=0", data: ["x": [1, 2, .nan], "y": [1, 2, 3]])
        }
    }

    @Test func otherStartAndNamingMistakes() {
        #expect(throws: NLSError.unusedParameter("c")) { try Self.model("y ~ b1*x", "b1=1,c=2") }
        #expect(throws: NLSError.ambiguousName("x")) { try Self.model("y ~ b1*x", "b1=1,x=2") }
        #expect(throws: NLSError.parameterInResponse("b1")) { try Self.model("y*b1 ~ x", "b1=1") }
        #expect(throws: NLSError.invalidStart("'b1' is not NAME=VALUE (example: b1=500,b2=1e-4)")) { try StartPoint(parsing: "b1") }
        #expect(throws: NLSError.invalidStart("the value 'abc' of 'b1' is not a number")) { try StartPoint(parsing: "b1=abc") }
        #expect(throws: NLSError.invalidStart("parameter 'b1' is given twice")) { try StartPoint(parsing: "b1=1,b1=2") }
        #expect(throws: NLSError.invalidStart("the start value of 'b1' is inf; it must be finite")) { try StartPoint(parsing: "b1=inf") }
    }

    @Test func nonFiniteTrialStepsAreRejectedNotPropagated() throws {
        // sqrt(b1 - x) is undefined for b1 < 5: big steps from b1 = 6 land there and must be rejected.
        let x = (0..<20).map { Double($0) / 4 }
        let y = x.map { (6.5 - $0).squareRoot() + 0.01 * Foundation.sin($0 * 7) }
        let m = try Self.model("y ~ sqrt(b1 - x) * b2", "b1=30,b2=0.2", data: ["x": x, "y": y])
        let fit = try LevenbergMarquardt().fit(m)
        #expect(fit.converged)
        #expect(!fit.estimates.contains { !$0.isFinite })
        #expect(Swift.abs(fit.estimates[0] - 6.5) < 0.1)
    }
}

/// The formula fuzzer found unbounded recursion in the model-formula parser's sibling; the NLS
/// expression parser has the same nesting limit.
@Suite("NLS formula nesting limit")
struct NLSNestingTests {
    @Test func deepNestingIsATypedErrorNotACrash() {
        let deep = "y ~ " + String(repeating: "(", count: 5_000) + "b1*x" + String(repeating: ")", count: 5_000)
        #expect(throws: NLSError.self) { try ModelFormula(deep) }
        let signs = "y ~ " + String(repeating: "-", count: 5_000) + "b1"
        #expect(throws: NLSError.self) { try ModelFormula(signs) }
        #expect(throws: NLSError.self) { try ModelFormula("y ~ b1 * 1e999 * x") }
    }

    /// Found by review: a sum of 30,000 terms parsed (chains are loops) and then crashed the
    /// first recursive walk of its 30,000-deep tree (`policylab nls`).
    @Test func longChainsAreATypedErrorNotACrash() throws {
        for op in ["+", "-", "*", "/"] {
            let text = "y ~ " + Array(repeating: "b1*x", count: 30_000).joined(separator: op)
            do {
                _ = try ModelFormula(text)
                Issue.record("parsed a 30,000-term chain with \(op)")
            } catch let NLSError.parse(_, position, reason) {
                #expect(reason.contains("more than \(ModelExpressionParser.maximumDepth) operations deep"), "\(reason)")
                #expect(position > 4 && position < 6 * ModelExpressionParser.maximumDepth, "\(position)")
            }
        }
        #expect(throws: NLSError.self) { try ModelExpression.parse(Array(repeating: "x", count: 30_000).joined(separator: "+")) }
        let fine = try ModelFormula("y ~ " + (1...300).map { "b\($0)*x^\($0)" }.joined(separator: " + "))
        #expect(fine.modelNames.count == 301)
    }
}
