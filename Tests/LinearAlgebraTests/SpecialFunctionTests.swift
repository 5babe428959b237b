import Foundation
import Testing
@testable import LinearAlgebra

// Reference values: closed forms, and mpmath 1.x at 50 digits where noted.

@Suite("Special functions")
struct SpecialFunctionTests {
    func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
        Swift.abs(a - b) <= tolerance * Swift.max(1e-300, Swift.abs(b))
    }

    @Test func logGammaClosedForms() {
        #expect(close(SpecialFunctions.logGamma(1), 0 + 1e-300, 1) || Swift.abs(SpecialFunctions.logGamma(1)) < 1e-15)
        #expect(Swift.abs(SpecialFunctions.logGamma(2)) < 1e-15)
        #expect(close(SpecialFunctions.logGamma(0.5), 0.5 * Foundation.log(Double.pi), 1e-14))
        #expect(close(SpecialFunctions.logGamma(10), Foundation.log(362_880), 1e-14))
        #expect(close(SpecialFunctions.logGamma(100.5), Foundation.lgamma(100.5), 1e-14))
        #expect(close(SpecialFunctions.logGamma(1e-3), Foundation.lgamma(1e-3), 1e-14))
        #expect(SpecialFunctions.logGamma(0).isNaN && SpecialFunctions.logGamma(-1).isNaN)
    }

    @Test func incompleteGammaClosedFormsAndR() {
        // P(1, x) = 1 − e^−x; P(½, x) = erf(√x).
        for x in [1e-8, 0.1, 1, 2.5, 10, 40] {
            #expect(close(SpecialFunctions.regularizedGammaP(1, x), -Foundation.expm1(-x), 1e-14), "P(1, \(x))")
            #expect(close(SpecialFunctions.regularizedGammaQ(1, x), Foundation.exp(-x), 1e-13), "Q(1, \(x))")
            #expect(close(SpecialFunctions.regularizedGammaP(0.5, x), Foundation.erf(x.squareRoot()), 1e-14), "P(½, \(x))")
        }
        // mpmath: gammainc(2.5, 0, 3, regularized=True) = 0.6937810815867216.
        #expect(close(SpecialFunctions.regularizedGammaP(2.5, 3), 0.6937810815867216, 1e-13))
        // Q(a, x) with a = 100, x = 150 against the symmetric series identity P + Q = 1.
        let p = SpecialFunctions.regularizedGammaP(100, 150), q = SpecialFunctions.regularizedGammaQ(100, 150)
        #expect(Swift.abs(p + q - 1) < 1e-14 && q > 0 && q < 1e-4)
    }

    @Test func incompleteBetaAndT() {
        // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(2, 3) = 6x² − 8x³ + 3x⁴.
        for x in [0.001, 0.2, 0.5, 0.9, 0.999] {
            #expect(close(SpecialFunctions.regularizedBeta(x, 1, 1), x, 1e-14))
            #expect(close(SpecialFunctions.regularizedBeta(x, 3.5, 1), Foundation.pow(x, 3.5), 1e-13))
            #expect(close(SpecialFunctions.regularizedBeta(x, 2, 3), 6 * x * x - 8 * x * x * x + 3 * x * x * x * x, 1e-13))
        }
        // t with 1 df is Cauchy: F(t) = ½ + atan(t)/π; with 2 df: ½ + t/(2√(2 + t²)).
        for t in [-30.0, -2, -0.5, 0, 0.3, 4, 100] {
            #expect(close(SpecialFunctions.studentTCDF(t, degreesOfFreedom: 1), 0.5 + Foundation.atan(t) / Double.pi, 1e-13))
            #expect(close(SpecialFunctions.studentTCDF(t, degreesOfFreedom: 2), 0.5 + t / (2 * (2 + t * t).squareRoot()), 1e-13))
        }
        #expect(close(SpecialFunctions.normalCDF(-1.959963984540054), 0.025, 1e-14))
    }

    @Test(arguments: [0.05, 0.3, 1, 2.5, 17, 400, 10_000])
    func gammaQuantileInvertsP(shape: Double) {
        // P itself is only good to ~1e-14·√shape (ln Γ(a) ≈ a ln a cancels against a ln x − x).
        let tolerance = 1e-11 * Swift.max(1, shape.squareRoot())
        for p in [1e-12, 1e-6, 0.01, 0.3, 0.5, 0.7, 0.99, 1 - 1e-6, 1 - 1e-12] {
            let q = 1 - p
            let x = SpecialFunctions.gammaQuantile(shape: shape, p: p, q: q)
            #expect(x.isFinite && x >= 0, "shape \(shape), p \(p): \(x)")
            if x == 0 { continue }  // below the smallest double (tiny shape, tiny p)
            if p <= 0.5 {
                #expect(close(SpecialFunctions.regularizedGammaP(shape, x), p, tolerance), "shape \(shape), p \(p)")
            } else {
                #expect(close(SpecialFunctions.regularizedGammaQ(shape, x), q, tolerance), "shape \(shape), q \(q)")
            }
        }
        #expect(SpecialFunctions.gammaQuantile(shape: shape, p: 0, q: 1) == 0)
        #expect(SpecialFunctions.gammaQuantile(shape: shape, p: 1, q: 0) == .infinity)
        #expect(SpecialFunctions.gammaQuantile(shape: -1, p: 0.5, q: 0.5).isNaN)
    }
}
