import Foundation
import Testing
@testable import LinearAlgebra

// Ill-conditioned systems: Hilbert matrices Hₙ, n = 4…10 (κ₂ from 1.6e4 to 1.6e13).
//
// For a backward-stable solver the forward error obeys
//     ‖x̂ − x‖/‖x‖ ≤ C·κ(A)·ε
// (Higham, ch. 7), with C a modest function of n. The systems solved here use the
// integer matrix L·Hₙ (L = lcm(1…2n−1)) and an integer right-hand side, so the system is
// exact in Double and x is known exactly: every digit lost is the solver's.
//
// Reference condition numbers κ₂(Hₙ) = σ₁/σₙ of the exact Hilbert matrix, computed with
// mpmath (60 significant digits, `mpmath.svd_r(mpmath.hilbert(n))`); they match the
// commonly quoted values, e.g. κ₂(H₈) ≈ 1.5258e10 and κ₂(H₁₀) ≈ 1.6025e13:
let hilbertKappa2: [Int: Double] = [
    4: 1.551373874e4,
    5: 4.766072502e5,
    6: 1.495105864e7,
    7: 4.753673550e8,
    8: 1.525757574e10,
    9: 4.931549270e11,
    10: 1.602628687e13,
]

@Suite("Hilbert matrices")
struct HilbertTests {
    static let sizes = Array(4...10)

    @Test func exactInverseIsTheInverse() {
        // Sanity check of the test helper: H₃⁻¹ = [9 −36 30; −36 192 −180; 30 −180 180].
        #expect(hilbertInverse(3) == rowMajor([[9, -36, 30], [-36, 192, -180], [30, -180, 180]]))
        // H₈·H₈⁻¹ = I up to the rounding of H₈'s entries (relative ε/2 each): error ≤ n·ε·‖H⁻¹‖∞.
        let h = hilbert(8), inv = hilbertInverse(8)
        #expect(maxAbsDifference(naiveProduct(h, inv), .identity(8)) <= 8 * eps * inv.norm(.infinity))
    }

    @Test(arguments: sizes)
    func conditionNumberMatchesTheKnownValue(_ n: Int) throws {
        let kappa = try hilbert(n).conditionNumber()
        let known = try #require(hilbertKappa2[n])
        // Two error sources, both of order κ·ε relative: Hₙ is stored rounded (each entry off by
        // ≤ ε/2 relative, which moves σₙ by up to ~ε·‖H‖₂, i.e. κ·ε relative), and the SVD gets
        // σₙ to an absolute ~ε·σ₁. Allow n·κ·ε, plus the 10-digit precision of the reference
        // (measured: at most 0.17·n·κ·ε for n ≥ 5; n = 4 is limited by the reference's digits).
        let tolerance = Double(n) * known * eps + 1e-9
        #expect(Swift.abs(kappa / known - 1) <= tolerance, "n = \(n): κ = \(kappa), known \(known)")
    }

    @Test func conditionNumberOfH8IsAbout1Point5e10() throws {
        // The figure quoted everywhere: κ₂(H₈) ≈ 1.5258e10.
        let kappa = try hilbert(8).conditionNumber()
        #expect(Swift.abs(kappa / 1.5258e10 - 1) <= 1e-4)
    }

    @Test(arguments: sizes)
    func reciprocalConditionEstimatesMatchTheExactOneNormCondition(_ n: Int) throws {
        // κ₁(Hₙ) = ‖Hₙ‖₁·‖Hₙ⁻¹‖₁ from the exact integer inverse.
        let h = hilbert(n)
        let kappa1 = h.norm(.one) * hilbertInverse(n).norm(.one)
        // gecon/pocon estimate ‖A⁻¹‖₁ from below: 1/κ̂ ≥ 1/κ (up to the κ·ε perturbation of the
        // rounded data), and the estimate is rarely off by more than a factor of 3 (measured: exact
        // to 2e-4 here).
        let perturbation = 10 * Double(n) * kappa1 * eps
        for rcond in [try LUFactorization(h).reciprocalConditionNumber(),
                      try Cholesky(h).reciprocalConditionNumber(),
                      try h.reciprocalConditionNumber()] {
            #expect(rcond * kappa1 >= 1 - perturbation, "n = \(n)")
            #expect(rcond * kappa1 <= 3 * (1 + perturbation), "n = \(n)")
        }
    }

    @Test(arguments: sizes)
    func solvesTheExactIntegerSystemToKappaEpsilon(_ n: Int) throws {
        let a = scaledHilbert(n)
        // x = [1, −2, 3, −4, …]: b = A·x is a sum of n integers below 2.3e8·n, exact in Double.
        let xTrue = (1...n).map { Double($0 % 2 == 1 ? $0 : -$0) }
        let b = naiveProduct(a, xTrue)
        #expect(b.allSatisfy { $0 == $0.rounded() })
        let kappa = try a.conditionNumber()
        // κ₂(L·H) = κ₂(H): scaling does not change the condition number.
        #expect(Swift.abs(kappa / hilbertKappa2[n]! - 1) <= Double(n) * hilbertKappa2[n]! * eps + 1e-9)
        // C = n for LU, Cholesky, QR and the explicit inverse alike (measured: at most 0.013·n).
        let bound = Double(n) * kappa * eps
        let viaLU = try LUFactorization(a).solve(b)
        let viaCholesky = try Cholesky(a).solve(b)
        let viaQR = try a.leastSquares(b)
        let viaInverse = naiveProduct(try a.inverse(), b)
        #expect(relativeError(viaLU, xTrue) <= bound, "LU, n = \(n)")
        #expect(relativeError(viaCholesky, xTrue) <= bound, "Cholesky, n = \(n)")
        #expect(viaQR.rank == n, "QR rank, n = \(n)")
        #expect(relativeError(viaQR.coefficients, xTrue) <= bound, "QR, n = \(n)")
        #expect(relativeError(viaInverse, xTrue) <= bound, "inverse, n = \(n)")
    }

    @Test(arguments: sizes)
    func inverseMatchesTheExactInverse(_ n: Int) throws {
        // ‖Â⁻¹ − A⁻¹‖/‖A⁻¹‖ ≤ C·κ·ε for the rounded Hₙ (its exact inverse differs from Hₙ⁻¹ by
        // about κ·ε relative as well).
        // C = n (measured: at most 0.02·n).
        let inv = try hilbert(n).inverse()
        let exact = hilbertInverse(n)
        let kappa = hilbertKappa2[n]!
        #expect(maxAbsDifference(inv, exact) <= Double(n) * kappa * eps * maxAbs(exact), "n = \(n)")
        let cholInv = try Cholesky(hilbert(n)).inverse()
        #expect(maxAbsDifference(cholInv, exact) <= Double(n) * kappa * eps * maxAbs(exact), "n = \(n)")
    }

    @Test(arguments: sizes)
    func fullNumericalRankUpToTen(_ n: Int) throws {
        // σₙ/σ₁ = 1/κ₂ ≥ 6.2e-14 > max(m, n)·ε = 2.2e-15 for n ≤ 10, so Hₙ has full numerical rank.
        #expect(try hilbert(n).numericalRank() == n)
        #expect(try PivotedQR(hilbert(n)).rank() == n)
    }

    @Test func hilbertTwelveIsNumericallyRankDeficient() throws {
        // κ₂(H₁₂) ≈ 1.7e16 > 1/(12·ε) = 3.8e14: numerically rank-deficient by the SVD rule.
        #expect(try hilbert(12).numericalRank() < 12)
    }
}
