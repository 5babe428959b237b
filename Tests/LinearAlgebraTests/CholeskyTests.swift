import Foundation
import Testing
@testable import LinearAlgebra

// Cholesky (potrf/potrs/potri/pocon).
//
// Tolerances: Cholesky is backward stable, L·Lᵀ = A + E with |E| ≤ γ_{n+1}|L||Lᵀ|
// (Higham, ch. 10), and |L||Lᵀ| ≤ n·‖A‖ entrywise for SPD A; we check
// max|L·Lᵀ − A| ≤ 100·n·ε·max|A|. Solves and inverses of the well-conditioned random
// SPD matrices (κ below ~10) are checked to 100·n·ε·κ-sized bounds with κ ≤ 10 folded in.

@Suite("Cholesky")
struct CholeskyTests {
    // A = [4 2; 2 3] = L·Lᵀ with L = [2 0; 1 √2]: l₁₁ = √4 = 2, l₂₁ = 2/2 = 1, l₂₂ = √(3 − 1) = √2.
    static let a = rowMajor([[4, 2], [2, 3]])

    @Test func twoByTwoByHand() throws {
        let c = try Cholesky(Self.a)
        #expect(c.triangle == .lower)
        #expect(isClose(c.factor, rowMajor([[2, 0], [1, 2.0.squareRoot()]]), tolerance: 2 * eps))
        // Upper: U = Lᵀ = [2 1; 0 √2].
        let u = try Cholesky(Self.a, triangle: .upper)
        #expect(isClose(u.factor, rowMajor([[2, 1], [0, 2.0.squareRoot()]]), tolerance: 2 * eps))
        // det A = 4·3 − 2·2 = 8.
        #expect(Swift.abs(c.logDeterminant - log(8.0)) <= 4 * eps)
        #expect(Swift.abs(u.logDeterminant - log(8.0)) <= 4 * eps)
        // A·[1, 1] = [6, 5].
        #expect(isClose(try c.solve([6, 5]), [1, 1], tolerance: 4 * eps))
        #expect(isClose(try u.solve([6, 5]), [1, 1], tolerance: 4 * eps))
        // A⁻¹ = (1/8)·[3 −2; −2 4].
        #expect(isClose(try c.inverse(), rowMajor([[0.375, -0.25], [-0.25, 0.5]]), tolerance: 4 * eps))
        #expect(isClose(try u.inverse(), rowMajor([[0.375, -0.25], [-0.25, 0.5]]), tolerance: 4 * eps))
        // κ₁ = ‖A‖₁·‖A⁻¹‖₁ = 6 · 0.75 = 4.5 → 1/κ₁ = 2/9 (pocon is exact at n = 2).
        #expect(Swift.abs(try c.reciprocalConditionNumber() - 2.0 / 9) <= 1e-12)
        #expect(Swift.abs(try u.reciprocalConditionNumber() - 2.0 / 9) <= 1e-12)
    }

    @Test func threeByThreeByHand() throws {
        // The classic example A = [4 12 −16; 12 37 −43; −16 −43 98]:
        // l₁₁ = 2, l₂₁ = 6, l₃₁ = −8, l₂₂ = √(37 − 36) = 1, l₃₂ = (−43 + 48)/1 = 5,
        // l₃₃ = √(98 − 64 − 25) = 3. All exact in binary floating point.
        let a = rowMajor([[4, 12, -16], [12, 37, -43], [-16, -43, 98]])
        let c = try Cholesky(a)
        #expect(c.factor == rowMajor([[2, 0, 0], [6, 1, 0], [-8, 5, 3]]))
        // det = (2·1·3)² = 36.
        #expect(Swift.abs(c.logDeterminant - log(36.0)) <= 8 * eps)
    }

    @Test func readsOnlyTheNamedTriangle() throws {
        // Garbage (even NaN) in the other triangle is ignored.
        let lowerOnly = rowMajor([[4, .nan], [2, 3]])
        let upperOnly = rowMajor([[4, 2], [-99, 3]])
        #expect(try Cholesky(lowerOnly, triangle: .lower).factor == (try Cholesky(Self.a).factor))
        #expect(try Cholesky(upperOnly, triangle: .upper).factor == (try Cholesky(Self.a, triangle: .upper).factor))
        // The norm kept for the condition estimate is the symmetric matrix's, not the garbage's.
        #expect(try Cholesky(upperOnly, triangle: .upper).reciprocalConditionNumber()
                == (try Cholesky(Self.a, triangle: .upper).reciprocalConditionNumber()))
    }

    @Test(arguments: [1, 2, 5, 16, 40])
    func reconstructsRandomSPD(_ n: Int) throws {
        var rng = TestRandom(seed: UInt64(1000 + n))
        let a = randomSPD(n, &rng)
        let scale = maxAbs(a)
        for triangle in [Triangle.lower, .upper] {
            let c = try Cholesky(a, triangle: triangle)
            let f = c.factor
            // The other triangle is zero.
            for j in 0..<n {
                for i in 0..<n where (triangle == .lower ? i < j : i > j) { #expect(f[i, j] == 0) }
            }
            let product = triangle == .lower ? naiveProduct(f, f.transposed()) : naiveProduct(f.transposed(), f)
            #expect(maxAbsDifference(product, a) <= 100 * Double(n) * eps * scale)
            // Solve: x_true = [1, 2, …, n], b = A·x_true; κ(A) ≤ n + 1 for BᵀB/n + I with |Bᵢⱼ| < 1.
            let xTrue = (1...n).map(Double.init)
            let x = try c.solve(naiveProduct(a, xTrue))
            #expect(relativeError(x, xTrue) <= 100 * Double(n) * eps * Double(n + 1))
            // A·A⁻¹ = I.
            let inv = try c.inverse()
            #expect(inv == inv.transposed())
            #expect(maxAbsDifference(naiveProduct(a, inv), .identity(n)) <= 100 * Double(n) * eps * Double(n + 1))
            // Several right-hand sides at once.
            let b = randomMatrix(n, 3, &rng)
            let xs = try c.solve(b)
            #expect(maxAbsDifference(naiveProduct(a, xs), b) <= 100 * Double(n) * eps * scale * maxAbs(xs))
        }
    }

    @Test func logDeterminantDoesNotOverflow() throws {
        // det(10⁴·I₁₀₀) = 10⁴⁰⁰ overflows Double; its log is 400·ln 10.
        let a = Matrix(rows: 100, columns: 100) { i, j in i == j ? 1e4 : 0 }
        let c = try Cholesky(a)
        #expect(Swift.abs(c.logDeterminant - 400 * log(10.0)) <= 1e-12 * 400 * log(10.0))
    }

    @Test func reciprocalConditionOfDiagonal() throws {
        // diag(1, 10⁻⁶): κ₁ = 10⁶ exactly, and pocon is exact for a diagonal matrix.
        let c = try Cholesky(diagonal([1, 1e-6]))
        #expect(Swift.abs(try c.reciprocalConditionNumber() - 1e-6) <= 1e-18)
    }

    @Test func notPositiveDefiniteNamesTheMinor() {
        // [1 2 0; 2 1 0; 0 0 1]: the 2×2 leading minor is 1 − 4 = −3 < 0.
        #expect(throws: LinearAlgebraError.notPositiveDefinite(minor: 2)) {
            try Cholesky(rowMajor([[1, 2, 0], [2, 1, 0], [0, 0, 1]]))
        }
        // diag(1, 1, −1, 1): the first failing minor has order 3.
        #expect(throws: LinearAlgebraError.notPositiveDefinite(minor: 3)) {
            try Cholesky(diagonal([1, 1, -1, 1]))
        }
        // A negative first entry fails at order 1.
        #expect(throws: LinearAlgebraError.notPositiveDefinite(minor: 1)) {
            try Cholesky(rowMajor([[-1, 0], [0, 1]]))
        }
        // Positive semidefinite but singular: [1 1; 1 1] has l₂₂² = 1 − 1 = 0.
        #expect(throws: LinearAlgebraError.notPositiveDefinite(minor: 2)) {
            try Cholesky(rowMajor([[1, 1], [1, 1]]), triangle: .upper)
        }
    }

    @Test func hugeButFiniteEntriesDoNotTrap() throws {
        // √(10³⁰⁸) = 10¹⁵⁴: potrf handles the range without overflow.
        let c = try Cholesky(diagonal([1e308, 1e308]))
        #expect(c.factor[0, 0] == 1e154)
        #expect(try c.reciprocalConditionNumber() == 1)
    }
}
