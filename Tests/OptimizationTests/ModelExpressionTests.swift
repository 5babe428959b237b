import Foundation
import Testing
@testable import Optimization

@Suite("Model expressions")
struct ModelExpressionTests {
    /// Evaluates `text` (names x, a, b) at x = 0.7 and (a, b) = `p`, with its gradient.
    static func evaluate(_ text: String, _ p: [Double], x: Double = 0.7) throws -> (Double, [Double]) {
        let e = try ModelExpression.parse(text)
        let tape = ExpressionTape(e, parameterCount: 2) { name, _ in
            switch name {
            case "x": return .column(0)
            case "a": return .parameter(0)
            case "b": return .parameter(1)
            default: return .constant(.pi)
            }
        }
        var w = ExpressionTape.Workspace(tape)
        var g = [0.0, 0.0]
        let v = tape.valueAndGradient(row: 0, columns: [[x]], parameters: p, workspace: &w, gradient: &g, offset: 0, stride: 1)
        return (v, g)
    }

    @Test func precedenceFollowsR() throws {
        #expect(try Self.evaluate("-2^2", [0, 0]).0 == -4)
        #expect(try Self.evaluate("2^3^2", [0, 0]).0 == 512)
        #expect(try Self.evaluate("2**3", [0, 0]).0 == 8)
        #expect(try Self.evaluate("1 - 2 - 3", [0, 0]).0 == -4)
        #expect(try Self.evaluate("8 / 4 / 2", [0, 0]).0 == 1)
        #expect(try Self.evaluate("1e-4 + .5 + 2.5E1 + 3.", [0, 0]).0 == 0.0001 + 0.5 + 25 + 3)
        #expect(try Self.evaluate("exp[-x]", [0, 0]).0 == Foundation.exp(-0.7))
        #expect(try Self.evaluate("pi", [0, 0]).0 == Double.pi)
    }

    @Test(arguments: [
        "a*(1-exp(-b*x))", "log(a*x + b)", "sin(a*x) * cos(b - x)", "atan(a / (x - b))", "sqrt(a + b*x)",
        "(a + x)^(-1/b)", "x^a * b", "(1 + exp(b - a*x))^(1/b)", "a^b", "-a / b^2 + (x - a)^2", "2^(a*x)",
    ])
    func gradientsAreExact(_ text: String) throws {
        let p = [1.3, 0.4]
        let (_, g) = try Self.evaluate(text, p)
        for j in 0..<2 {
            // Central difference with Richardson extrapolation: error O(h⁴).
            func fd(_ h: Double) throws -> Double {
                var up = p, down = p
                up[j] += h; down[j] -= h
                return (try Self.evaluate(text, up).0 - Self.evaluate(text, down).0) / (2 * h)
            }
            let estimate = (4 * (try fd(1e-3)) - (try fd(2e-3))) / 3
            #expect(Swift.abs(g[j] - estimate) <= 1e-8 * Swift.max(1, Swift.abs(estimate)), "\(text) ∂/∂p\(j)")
        }
    }

    @Test(arguments: ["a*(1-exp(-b*x))", "log(a*x + b) * sin(b)", "atan(a / (x - b)) + cos(a*b)", "sqrt(a + b*x)",
                      "(a + x)^(-1/b)", "a^b / (1 + b*x)", "(x + a)^2.5"])
    func secondDirectionalDerivativesAreExact(_ text: String) throws {
        let e = try ModelExpression.parse(text)
        let tape = ExpressionTape(e, parameterCount: 2) { name, _ in
            name == "x" ? .column(0) : name == "a" ? .parameter(0) : .parameter(1)
        }
        var w = ExpressionTape.Workspace(tape)
        let p = [1.3, 0.4], v = [0.3, -0.2]
        let exact = tape.secondDirectionalDerivative(row: 0, columns: [[0.7]], parameters: p, direction: v, workspace: &w)
        func f(_ t: Double) -> Double {
            tape.value(row: 0, columns: [[0.7]], parameters: [p[0] + t * v[0], p[1] + t * v[1]], workspace: &w)
        }
        let h = 1e-3
        let estimate = (f(h) - 2 * f(0) + f(-h)) / (h * h)
        #expect(Swift.abs(exact - estimate) <= 1e-5 * Swift.max(1, Swift.abs(exact)), "\(text)")
    }

    @Test func parseErrorsGiveThePositionAndWhatWasExpected() {
        #expect(throws: NLSError.parse(formula: "y ~ b1*(1-exp(-b2*x)", position: 21,
                                       reason: "expected ')', found the end of the formula")) {
            try ModelFormula("y ~ b1*(1-exp(-b2*x)")
        }
        #expect(throws: NLSError.parse(formula: "y b1*x", position: 3,
                                       reason: "expected '~' separating the response from the model (as in 'y ~ b1*x')")) {
            try ModelFormula("y b1*x")
        }
        #expect(throws: NLSError.parse(formula: "y ~ b1 * * x", position: 10, reason: "expected a number, a name, '-' or '(', found '*'")) {
            try ModelFormula("y ~ b1 * * x")
        }
        #expect(throws: NLSError.parse(formula: "y ~ 1e+", position: 8, reason: "expected the digits of an exponent, found the end of the formula")) {
            try ModelFormula("y ~ 1e+")
        }
        do {
            _ = try ModelFormula("y ~ expo(b1*x)")
            Issue.record("an unknown function parsed")
        } catch let error as NLSError {
            #expect(error.oneLine.contains("character 5: unknown function 'expo'"))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func formulaSplitsResponseAndModel() throws {
        let f = try ModelFormula("log(y) ~ b1 - b2*x1 * exp(-b3*x2)")
        #expect(f.response == .call(.log, .name("y", position: 5)))
        #expect(f.modelNames == ["b1", "b2", "x1", "b3", "x2"])
    }
}
