import Foundation
import Testing
@testable import LinearAlgebra

// SVD (gesdd), numerical rank, 2-norm condition number and symmetric eigen (syevr).
//
// Tolerances: both decompositions are backward stable, so ‖A − U·S·Vᵀ‖ and
// ‖A − V·Λ·Vᵀ‖ are a modest multiple of max(m, n)·ε·‖A‖, and the computed singular
// vectors/eigenvectors are orthonormal to a multiple of max(m, n)·ε (Demmel, "Applied
// Numerical Linear Algebra", ch. 5). Each singular value / eigenvalue has an absolute
// error of a small multiple of ε·‖A‖₂ (Weyl). We use 100·max(m, n)·ε·‖A‖ throughout,
// with ‖A‖ replaced by p·max|A| (p = min(m, n)) for the reconstructions.

@Suite("Singular value decomposition")
struct SVDTests {
    @Test func twoByTwoByHand() throws {
        // A = [3 0; 4 5]: AᵀA = [25 20; 20 25], eigenvalues 45 and 5 → σ = 3√5, √5.
        let a = rowMajor([[3, 0], [4, 5]])
        let svd = try SingularValueDecomposition(a)
        let expected = [3 * 5.0.squareRoot(), 5.0.squareRoot()]
        #expect(isClose(svd.singularValues, expected, tolerance: 16 * eps))
        #expect(isClose(try SingularValueDecomposition.singularValues(of: a), expected, tolerance: 16 * eps))
        // κ₂ = σ₁/σ₂ = 3.
        #expect(Swift.abs(try a.conditionNumber() - 3) <= 32 * eps)
        #expect(try a.numericalRank() == 2)
    }

    @Test func diagonalByHand() throws {
        // diag(−2, 0.5, 3) has σ = 3, 2, 0.5 (absolute values, sorted); κ₂ = 6.
        let a = diagonal([-2, 0.5, 3])
        #expect(try SingularValueDecomposition.singularValues(of: a) == [3, 2, 0.5])
        #expect(try a.conditionNumber() == 6)
        // diag(1, 10⁻³): κ₂ = 1000.
        #expect(Swift.abs(try diagonal([1, 1e-3]).conditionNumber() - 1000) <= 1000 * 4 * eps)
    }

    @Test func exactlySingularHasInfiniteConditionAndLowerRank() throws {
        // [1 0; 0 0]: σ = 1, 0 exactly.
        let a = rowMajor([[1, 0], [0, 0]])
        #expect(try a.conditionNumber() == .infinity)
        #expect(try a.numericalRank() == 1)
        #expect(try Matrix(rows: 3, columns: 4).numericalRank() == 0)
        #expect(try Matrix(rows: 3, columns: 4).conditionNumber() == .infinity)
    }

    @Test(arguments: [(6, 4), (4, 6), (5, 5), (40, 9), (1, 5), (5, 1)])
    func reconstructsRandomMatrices(_ shape: (Int, Int)) throws {
        let (m, n) = shape
        var rng = TestRandom(seed: UInt64(5000 + 100 * m + n))
        let a = randomMatrix(m, n, &rng)
        let svd = try SingularValueDecomposition(a)
        let p = min(m, n)
        #expect(svd.u.rows == m && svd.u.columns == p)
        #expect(svd.vt.rows == p && svd.vt.columns == n)
        #expect(svd.singularValues.count == p)
        let tol = 100 * Double(max(m, n)) * eps
        // U·S·Vᵀ = A.
        let usvt = naiveProduct(naiveProduct(svd.u, diagonal(svd.singularValues)), svd.vt)
        #expect(maxAbsDifference(usvt, a) <= tol * maxAbs(a) * Double(p))
        // UᵀU = I and VᵀV = I (the rows of Vᵀ are orthonormal).
        #expect(orthogonalityError(svd.u) <= tol)
        #expect(orthogonalityError(svd.vt.transposed()) <= tol)
        // Non-increasing and non-negative.
        for i in 1..<p { #expect(svd.singularValues[i] <= svd.singularValues[i - 1]) }
        #expect(svd.singularValues.allSatisfy { $0 >= 0 })
        // The values-only path agrees with the full decomposition.
        let valuesOnly = try SingularValueDecomposition.singularValues(of: a)
        #expect(isClose(valuesOnly, svd.singularValues, tolerance: tol * svd.singularValues[0]))
        // Frobenius norm² = Σσ².
        let frobenius2 = a.storage.reduce(0) { $0 + $1 * $1 }
        let sigma2 = svd.singularValues.reduce(0) { $0 + $1 * $1 }
        #expect(Swift.abs(frobenius2 - sigma2) <= tol * frobenius2)
        #expect(try a.numericalRank() == p)
        #expect(Swift.abs(try a.conditionNumber() - svd.singularValues[0] / svd.singularValues[p - 1])
                <= tol * svd.singularValues[0] / svd.singularValues[p - 1])
    }

    @Test func numericalRankOfAProductOfThinFactors() throws {
        // B (12×4) · C (4×7) has rank 4; the trailing σ are O(ε·σ₁), under max(m, n)·ε·σ₁.
        var rng = TestRandom(seed: 9)
        let a = naiveProduct(randomMatrix(12, 4, &rng), randomMatrix(4, 7, &rng))
        #expect(try a.numericalRank() == 4)
        // A tolerance above σ₁ counts nothing; one between σ₄ and σ₃ counts 3.
        let s = try SingularValueDecomposition.singularValues(of: a)
        #expect(try a.numericalRank(tolerance: s[0] * 2) == 0)
        #expect(try a.numericalRank(tolerance: (s[2] + s[3]) / 2) == 3)
        #expect(try a.conditionNumber() > 1e12)
    }

    @Test func hugeButFiniteEntriesAreScaledNotOverflowed() throws {
        // [10³⁰⁸ 10³⁰⁸; 10³⁰⁸ 10³⁰⁸] has σ = 2·10³⁰⁸ (overflows) and 0; gesdd scales the matrix first.
        // Use 10³⁰⁰ to keep σ₁ = 2·10³⁰⁰ representable.
        let a = Matrix(rows: 2, columns: 2, repeating: 1e300)
        let s = try SingularValueDecomposition.singularValues(of: a)
        #expect(Swift.abs(s[0] / 2e300 - 1) <= 16 * eps)
        #expect(s[1] <= 16 * eps * 2e300)
    }
}

@Suite("Symmetric eigendecomposition")
struct SymmetricEigenTests {
    @Test func twoByTwoByHand() throws {
        // [2 1; 1 2]: λ = 1 (vector (1, −1)/√2) and 3 (vector (1, 1)/√2), ascending.
        let e = try SymmetricEigendecomposition(rowMajor([[2, 1], [1, 2]]))
        #expect(isClose(e.eigenvalues, [1, 3], tolerance: 8 * eps))
        let v = e.eigenvectors
        let s = 1 / 2.0.squareRoot()
        // Eigenvectors are unique up to sign.
        #expect(Swift.abs(Swift.abs(v[0, 0]) - s) <= 8 * eps && Swift.abs(v[0, 0] + v[1, 0]) <= 8 * eps)
        #expect(Swift.abs(Swift.abs(v[0, 1]) - s) <= 8 * eps && Swift.abs(v[0, 1] - v[1, 1]) <= 8 * eps)
    }

    @Test(arguments: [3, 10, 25])
    func secondDifferenceMatrixHasKnownSpectrum(_ n: Int) throws {
        // tridiag(−1, 2, −1) has λ_k = 2 − 2·cos(kπ/(n + 1)), k = 1…n (e.g. n = 3: 2 − √2, 2, 2 + √2).
        let a = Matrix(rows: n, columns: n) { i, j in i == j ? 2 : (abs(i - j) == 1 ? -1 : 0) }
        let e = try SymmetricEigendecomposition(a)
        let expected = (1...n).map { 2 - 2 * cos(Double($0) * Double.pi / Double(n + 1)) }
        #expect(isClose(e.eigenvalues, expected, tolerance: 100 * Double(n) * eps * 4))
    }

    @Test func readsOnlyTheNamedTriangle() throws {
        let full = rowMajor([[2, 1], [1, 2]])
        let lowerWithGarbage = rowMajor([[2, .nan], [1, 2]])
        let upperWithGarbage = rowMajor([[2, 1], [.infinity, 2]])
        let reference = try SymmetricEigendecomposition(full)
        #expect(try SymmetricEigendecomposition(lowerWithGarbage, triangle: .lower).eigenvalues == reference.eigenvalues)
        #expect(try SymmetricEigendecomposition(upperWithGarbage, triangle: .upper).eigenvalues
                == (try SymmetricEigendecomposition(full, triangle: .upper).eigenvalues))
    }

    @Test(arguments: [1, 2, 7, 30])
    func reconstructsRandomSymmetric(_ n: Int) throws {
        var rng = TestRandom(seed: UInt64(6000 + n))
        let a = randomSymmetric(n, &rng)
        for triangle in [Triangle.lower, .upper] {
            let e = try SymmetricEigendecomposition(a, triangle: triangle)
            let v = e.eigenvectors
            #expect(v.rows == n && v.columns == n && e.eigenvalues.count == n)
            let tol = 100 * Double(n) * eps
            // V·Λ·Vᵀ = A.
            let vlvt = naiveProduct(naiveProduct(v, diagonal(e.eigenvalues)), v.transposed())
            #expect(maxAbsDifference(vlvt, a) <= tol * maxAbs(a) * Double(n))
            // VᵀV = I.
            #expect(orthogonalityError(v) <= tol)
            // Ascending.
            for i in 1..<n { #expect(e.eigenvalues[i - 1] <= e.eigenvalues[i]) }
            // Σλ = trace A.
            let trace = (0..<n).reduce(0.0) { $0 + a[$1, $1] }
            #expect(Swift.abs(e.eigenvalues.reduce(0, +) - trace) <= tol * maxAbs(a) * Double(n))
        }
    }

    @Test func hugeButFiniteEntriesAreScaledNotOverflowed() throws {
        // syevr scales a matrix whose norm is near overflow; [0 M; M 0] has λ = ±M.
        let m = 1e308
        let e = try SymmetricEigendecomposition(rowMajor([[0, m], [m, 0]]))
        #expect(Swift.abs(e.eigenvalues[0] / -m - 1) <= 16 * eps)
        #expect(Swift.abs(e.eigenvalues[1] / m - 1) <= 16 * eps)
        #expect(e.eigenvectors.isFinite)
    }

    @Test func eigenvaluesOfSPDMatchSingularValues() throws {
        var rng = TestRandom(seed: 61)
        let a = randomSPD(12, &rng)
        let lambda = try SymmetricEigendecomposition(a).eigenvalues
        let sigma = try SingularValueDecomposition.singularValues(of: a)
        #expect(isClose(Array(lambda.reversed()), sigma, tolerance: 100 * 12 * eps * sigma[0]))
    }
}
