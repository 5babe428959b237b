import Foundation
import Testing
@testable import LinearAlgebra

// Pivoted QR (geqp3/ormqr/trtrs/trcon) and least squares.
//
// Tolerances: Householder QR is backward stable column by column,
// ‖A·P − Q·R‖ ≤ c·m·n·ε·‖A‖ (Higham, ch. 19), and the computed Q is orthogonal to
// c·m·n·ε; we check max-norm errors ≤ 100·max(m, n)·ε·max|A|
// for the reconstruction and ≤ 100·max(m, n)·ε for QᵀQ − I.

@Suite("Pivoted QR")
struct PivotedQRTests {
    @Test func twoByTwoByHand() throws {
        // A = [3 1; 4 2]: column norms 5 and √5, so no interchange; |R₁₁| = 5,
        // |R₁₂| = |[3, 4]·[1, 2]|/5 = 11/5 = 2.2, |R₂₂| = |det A|/|R₁₁| = |6 − 4|/5 = 0.4.
        let qr = try PivotedQR(rowMajor([[3, 1], [4, 2]]))
        #expect(qr.permutation == [0, 1])
        let r = qr.r
        #expect(Swift.abs(Swift.abs(r[0, 0]) - 5) <= 8 * eps)
        #expect(Swift.abs(Swift.abs(r[0, 1]) - 2.2) <= 8 * eps)
        #expect(Swift.abs(Swift.abs(r[1, 1]) - 0.4) <= 8 * eps)
        #expect(r[1, 0] == 0)
        #expect(try qr.rank() == 2)
        // κ₁(R) with |R| = [5 2.2; 0 0.4]: column sums 5 and 2.6 → ‖R‖₁ = 5;
        // |R⁻¹| = [0.2 1.1; 0 2.5] → ‖R⁻¹‖₁ = 3.6; 1/κ₁ = 1/(5·3.6) = 1/18 (trcon is exact at n = 2).
        #expect(Swift.abs(try qr.reciprocalConditionNumber() - 1.0 / 18) <= 1e-12)
    }

    @Test func pivotsTheLargerColumnFirstAndSeesRankOne() throws {
        // A = [0 3; 0 4]: column 2 (norm 5) comes first; then the remaining column is zero.
        let qr = try PivotedQR(rowMajor([[0, 3], [0, 4]]))
        #expect(qr.permutation == [1, 0])
        #expect(Swift.abs(Swift.abs(qr.r[0, 0]) - 5) <= 8 * eps)
        #expect(qr.r[1, 1] == 0)
        #expect(try qr.rank() == 1)
        // The zero matrix has rank 0.
        #expect(try PivotedQR(Matrix(rows: 3, columns: 2)).rank() == 0)
        #expect(try PivotedQR(Matrix(rows: 3, columns: 2)).reciprocalConditionNumber() == 0)
    }

    @Test(arguments: [(8, 5), (5, 5), (4, 7), (30, 12), (1, 3), (3, 1)])
    func reconstructsAP(_ shape: (Int, Int)) throws {
        let (m, n) = shape
        var rng = TestRandom(seed: UInt64(3000 + 100 * m + n))
        let a = randomMatrix(m, n, &rng)
        let qr = try PivotedQR(a)
        let k = min(m, n)
        #expect(qr.rows == m && qr.columns == n)
        #expect(qr.permutation.sorted() == Array(0..<n))
        #expect(qr.tau.count == k)
        let q = try qr.thinQ()
        let r = qr.r
        #expect(q.rows == m && q.columns == k && r.rows == k && r.columns == n)
        let tol = 100 * Double(max(m, n)) * eps
        // Q·R = A·P.
        #expect(maxAbsDifference(naiveProduct(q, r), permutedColumns(a, qr.permutation)) <= tol * maxAbs(a))
        // QᵀQ = I.
        #expect(orthogonalityError(q) <= tol)
        // |R₁₁| ≥ |R₂₂| ≥ …: geqp3 picks the column of largest remaining norm.
        for i in 1..<k { #expect(Swift.abs(r[i, i]) <= Swift.abs(r[i - 1, i - 1]) * (1 + tol)) }
        // A random matrix has full rank.
        #expect(try qr.rank() == k)
    }

    @Test func applyQAndQTransposedAreInverse() throws {
        var rng = TestRandom(seed: 77)
        let a = randomMatrix(9, 4, &rng)
        let qr = try PivotedQR(a)
        let b = randomMatrix(9, 3, &rng)
        let qtb = try qr.applyQTransposed(b)
        let back = try qr.applyQ(qtb)
        #expect(maxAbsDifference(back, b) <= 100 * 9 * eps * maxAbs(b))
        // Q is orthogonal: ‖Qᵀb‖ = ‖b‖ column by column.
        for j in 0..<3 {
            #expect(Swift.abs(norm2(Array(qtb.column(j))) - norm2(Array(b.column(j)))) <= 100 * 9 * eps * norm2(Array(b.column(j))))
        }
        // The full Q (m×m) from applyQ(I) is orthogonal too.
        #expect(orthogonalityError(try qr.applyQ(.identity(9))) <= 100 * 9 * eps)
    }

    @Test func rankOfAProductOfThinFactors() throws {
        // A = B·C with B 10×3 and C 3×6 has rank 3.
        var rng = TestRandom(seed: 5)
        let a = naiveProduct(randomMatrix(10, 3, &rng), randomMatrix(3, 6, &rng))
        let qr = try PivotedQR(a)
        #expect(try qr.rank() == 3)
        // A tolerance between |R₃₃|/|R₁₁| and |R₂₂|/|R₁₁| counts 2.
        let ratios = (0..<3).map { Swift.abs(qr.r[$0, $0] / qr.r[0, 0]) }
        #expect(try qr.rank(tolerance: (ratios[1] + ratios[2]) / 2) == 2)
        // An infinite tolerance keeps nothing; zero keeps every nonzero |Rᵢᵢ|.
        #expect(try qr.rank(tolerance: .infinity) == 0)
        #expect(try qr.rank(tolerance: 0) >= 3)
        #expect(qr.defaultTolerance == 10 * eps)
        let rcond = try qr.reciprocalConditionNumber()
        #expect(rcond > 1e-6 && rcond <= 1)
    }
}

@Suite("Least squares")
struct LeastSquaresTests {
    // Line through (0, 1), (1, 2), (2, 2), (3, 4): x̄ = 1.5, ȳ = 2.25, Sxx = 5, Sxy = 4.5,
    // slope 4.5/5 = 0.9, intercept 2.25 − 0.9·1.5 = 0.9. Residuals 0.1, 0.2, −0.7, 0.4 →
    // RSS = 0.01 + 0.04 + 0.49 + 0.16 = 0.70.
    static let design = rowMajor([[1, 0], [1, 1], [1, 2], [1, 3]])
    static let y: [Double] = [1, 2, 2, 4]

    @Test func lineFitByHand() throws {
        let fit = try Self.design.leastSquares(Self.y)
        #expect(fit.rank == 2)
        #expect(fit.droppedColumns.isEmpty)
        #expect(isClose(fit.coefficients, [0.9, 0.9], tolerance: 16 * eps))
        #expect(Swift.abs(fit.residualSumOfSquares - 0.7) <= 64 * eps)
    }

    @Test func exactFitHasZeroResidual() throws {
        // y = 2 − 3x exactly at x = 0, 1, 2.
        let fit = try rowMajor([[1, 0], [1, 1], [1, 2]]).leastSquares([2, -1, -4])
        #expect(isClose(fit.coefficients, [2, -3], tolerance: 32 * eps))
        #expect(fit.residualSumOfSquares <= 1e-28)
    }

    @Test func collinearColumnIsDroppedAsNaN() throws {
        // Columns [1, x, 2x]: 2x has the largest norm and is pivoted first; x is then exactly
        // dependent on it (|R₃₃| ≈ 0) and is dropped, as R reports NA for an aliased term.
        // The fit is the same line: intercept 0.9, 0.9·x = 0.45·(2x).
        let a = rowMajor([[1, 0, 0], [1, 1, 2], [1, 2, 4], [1, 3, 6]])
        let fit = try a.leastSquares(Self.y)
        #expect(fit.rank == 2)
        #expect(fit.droppedColumns == [1])
        #expect(fit.coefficients[1].isNaN)
        #expect(Swift.abs(fit.coefficients[0] - 0.9) <= 64 * eps)
        #expect(Swift.abs(fit.coefficients[2] - 0.45) <= 64 * eps)
        #expect(Swift.abs(fit.residualSumOfSquares - 0.7) <= 64 * eps)
        // A huge tolerance keeps only the first pivot; tolerance 0 keeps everything nonzero.
        let coarse = try a.leastSquares(Self.y, tolerance: 0.99)
        #expect(coarse.rank == 1)
        #expect(coarse.droppedColumns == [0, 1])
    }

    @Test func zeroMatrixDropsEverything() throws {
        // Rank 0: all coefficients NaN, RSS = ‖b‖² = 1 + 4 + 4 = 9.
        let fit = try Matrix(rows: 3, columns: 2).leastSquares([1, 2, 2])
        #expect(fit.rank == 0)
        #expect(fit.coefficients.allSatisfy { $0.isNaN })
        #expect(fit.droppedColumns == [0, 1])
        #expect(fit.residualSumOfSquares == 9)
    }

    @Test(arguments: [(20, 3), (50, 8), (7, 7)])
    func matchesNormalEquationsOnWellConditionedData(_ shape: (Int, Int)) throws {
        let (m, n) = shape
        var rng = TestRandom(seed: UInt64(4000 + m + n))
        let a = randomMatrix(m, n, &rng)
        let b = rng.vector(m)
        let fit = try a.leastSquares(b)
        #expect(fit.rank == n)
        // Reference: solve AᵀA·x = Aᵀb through Cholesky (fine for these κ(A) ≈ 10).
        let ata = naiveProduct(a.transposed(), a)
        let atb = naiveProduct(a.transposed(), b)
        let reference = try Cholesky(ata).solve(atb)
        let kappa = try a.conditionNumber()
        #expect(relativeError(fit.coefficients, reference) <= 100 * Double(m) * eps * kappa * kappa)
        // RSS from Qᵀb agrees with ‖b − A·x‖² computed directly.
        let residual = zip(b, naiveProduct(a, fit.coefficients)).map { $0 - $1 }
        let rss = residual.reduce(0) { $0 + $1 * $1 }
        #expect(Swift.abs(fit.residualSumOfSquares - rss) <= 100 * Double(m) * eps * b.reduce(0) { $0 + $1 * $1 })
        // The residual is orthogonal to the columns of A: Aᵀr ≈ 0.
        let atr = naiveProduct(a.transposed(), residual)
        #expect(maxAbs(atr) <= 100 * Double(m) * eps * maxAbs(a) * norm2(b))
        // PivotedQR.solveLeastSquares is the same computation.
        #expect(try PivotedQR(a).solveLeastSquares(b) == fit)
    }

    @Test func underdeterminedSystemKeepsPivotedColumns() throws {
        // 2 equations, 3 unknowns: rank 2, one column dropped, and the kept columns fit exactly.
        let a = rowMajor([[1, 2, 3], [4, 5, 7]])
        let fit = try a.leastSquares([1, 1])
        #expect(fit.rank == 2)
        #expect(fit.droppedColumns.count == 1)
        let x = fit.coefficients.map { $0.isNaN ? 0 : $0 }
        #expect(isClose(naiveProduct(a, x), [1, 1], tolerance: 64 * eps))
        #expect(fit.residualSumOfSquares == 0)
    }
}
