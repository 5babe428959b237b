import Foundation
import Testing
import LinearAlgebra

/// DoubleDouble against mpmath (300-bit reference values written by
/// scripts/reference/double_double.py into Fixtures/double_double.json), plus IEEE edge cases.
/// Bounds are relative errors, u² = 2⁻¹⁰⁶ ≈ 1.23e-32.
@Suite("Double-double arithmetic")
struct DoubleDoubleTests {
    struct Case: Decodable {
        let function: String
        let arguments: [[String]]
        let exponent: Int?
        let expected: [String]
    }
    struct DecimalCase: Decodable {
        let text: String
        let expected: [String]
    }
    struct Fixture: Decodable {
        let cases: [Case]
        let decimal: [DecimalCase]
        let invalid_decimal: [String]
    }

    static func fixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/double_double.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    static func pair(_ parts: [String]) -> DoubleDouble {
        DoubleDouble(hi: Double(parts[0]) ?? .nan, lo: Double(parts[1]) ?? .nan)
    }

    /// |got − expected| / |expected| (0 when both are exactly equal, including zeros).
    static func relativeError(_ got: DoubleDouble, _ expected: DoubleDouble) -> Double {
        if got == expected { return 0 }
        return Swift.abs((got - expected).hi) / Swift.abs(expected.hi)
    }

    /// The stated bound per function (relative error), and what each measures.
    static let bounds: [String: Double] = [
        "add": 4e-32, "subtract": 4e-32, "multiply": 7e-32, "divide": 1.3e-31, "sqrt": 6e-32,
        "exp": 3e-31, "log": 3e-31, "sin": 3e-31, "cos": 3e-31, "atan": 3e-31,
        "powerInt": 6.2e-32, "power": 1e-31,   // powerInt: times (|n| + 10); power: times (1 + |y·ln x|)
    ]

    static func evaluate(_ c: Case) -> DoubleDouble {
        let a = c.arguments.map(pair)
        switch c.function {
        case "add": return a[0] + a[1]
        case "subtract": return a[0] - a[1]
        case "multiply": return a[0] * a[1]
        case "divide": return a[0] / a[1]
        case "sqrt": return a[0].squareRoot()
        case "exp": return a[0].exp()
        case "log": return a[0].log()
        case "sin": return a[0].sin()
        case "cos": return a[0].cos()
        case "atan": return a[0].atan()
        case "powerInt": return a[0].power(c.exponent ?? 0)
        case "power": return a[0].power(a[1])
        default: return .nan
        }
    }

    @Test func functionsAgainstMpmath() throws {
        let fixture = try Self.fixture()
        var worst: [String: Double] = [:]
        for c in fixture.cases {
            let got = Self.evaluate(c)
            let expected = Self.pair(c.expected)
            let error = Self.relativeError(got, expected)
            var bound = Self.bounds[c.function] ?? 0
            if c.function == "power" {
                // The error of ln x is magnified by the exponent: e^(y·ln x).
                let a = c.arguments.map(Self.pair)
                bound *= 1 + Swift.abs(a[1].hi * Foundation.log(a[0].hi))
            }
            if c.function == "powerInt" { bound *= Double((c.exponent ?? 0).magnitude + 10) }
            if c.function == "sin" || c.function == "cos" {
                // Near a zero of sin/cos only an absolute bound holds (the reduction's π is finite).
                bound /= Swift.min(1, Swift.abs(expected.hi) / 0.01)
            }
            worst[c.function] = Swift.max(worst[c.function] ?? 0, error)
            #expect(error <= bound, "\(c.function)(\(c.arguments)) = \(got.hi) + \(got.lo), expected \(c.expected): error \(error)")
        }
        print("DoubleDouble worst relative error vs mpmath: "
              + worst.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.2e", $0.value))" }.joined(separator: ", "))
    }

    @Test func decimalParsingAgainstMpmath() throws {
        let fixture = try Self.fixture()
        var worst = 0.0
        for c in fixture.decimal {
            let expected = Self.pair(c.expected)
            guard let got = DoubleDouble(decimal: c.text) else {
                Issue.record("'\(c.text)' did not parse")
                continue
            }
            let error = expected.hi == 0 ? Swift.abs(got.hi) : Self.relativeError(got, expected)
            worst = Swift.max(worst, error)
            #expect(error <= 1.3e-31, "'\(c.text)': \(got.hi) + \(got.lo), expected \(c.expected): error \(error)")
            // The leading part is the correctly rounded double, as Double(String) gives it.
            #expect(got.hi == Double(c.text.trimmingCharacters(in: .whitespaces)), "'\(c.text)' hi")
        }
        print("DoubleDouble(decimal:) worst relative error vs mpmath: \(String(format: "%.2e", worst))")
        for text in fixture.invalid_decimal {
            #expect(DoubleDouble(decimal: text) == nil, "'\(text)' should not parse")
        }
        // 0.05 is not a double: the trailing part holds the rounding error of the double 0.05.
        let twentieth = try #require(DoubleDouble(decimal: "0.05"))
        #expect(twentieth.hi == 0.05 && twentieth.lo != 0)
        #expect((twentieth * 20.0 - .one).hi.magnitude < 1e-32)
    }

    @Test func edgeCasesFollowLibm() {
        let inf = DoubleDouble.infinity, nan = DoubleDouble.nan, zero = DoubleDouble.zero
        #expect(nan.exp().isNaN && nan.log().isNaN && nan.sin().isNaN && nan.atan().isNaN && nan.squareRoot().isNaN)
        #expect(inf.exp() == inf && (-inf).exp() == zero && DoubleDouble(800).exp() == inf && DoubleDouble(-800).exp() == zero)
        #expect(DoubleDouble(-1).log().isNaN && zero.log().hi == -.infinity && inf.log() == inf)
        #expect(DoubleDouble(-1).squareRoot().isNaN && zero.squareRoot() == zero && inf.squareRoot() == inf)
        #expect(inf.sin().isNaN && inf.cos().isNaN)
        #expect(inf.atan() == DoubleDouble.pi * 0.5 && (-inf).atan() == DoubleDouble.pi * -0.5)
        #expect(DoubleDouble(-8).power(DoubleDouble(1.0 / 3)).isNaN)
        #expect(DoubleDouble(-2).power(DoubleDouble(3)) == DoubleDouble(-8))
        #expect(nan.power(0) == .one && zero.power(DoubleDouble(-1)) == inf && zero.power(DoubleDouble(0.5)) == zero)
        #expect((DoubleDouble.one / zero) == inf && (zero / zero).isNaN)
        #expect((inf + DoubleDouble(1)).value == .infinity && (inf * DoubleDouble(2)).value == .infinity)
        #expect(DoubleDouble(1) < DoubleDouble(hi: 1, lo: 1e-20) && !(nan < .one) && !(DoubleDouble.one < nan))
        // Exact products and sums (error-free transformations).
        let p = DoubleDouble(product: 1 + 0x1p-30, 1 - 0x1p-30)
        #expect(p.hi == 1 && p.lo == -0x1p-60)
        let s = DoubleDouble(sum: 1, 0x1p-70)
        #expect(s.hi == 1 && s.lo == 0x1p-70)
    }
}
