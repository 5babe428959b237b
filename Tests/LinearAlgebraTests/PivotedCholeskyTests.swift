import Foundation
import Testing
@testable import LinearAlgebra

// Pivoted Cholesky (pstrf) of positive semidefinite matrices.
//
// Tolerance: like potrf, pstrf is backward stable for the pivots it takes (Higham,
// "Analysis of the Cholesky decomposition of a semi-definite matrix", 1990), so
// max|F·Fᵀ − A| ≤ 100·n·ε·max|A| for full-rank input; rank-deficient input is reproduced
// to the same bound plus the discarded pivots (≤ n·ε·max diag A).

@Suite("Pivoted Cholesky")
struct PivotedCholeskyTests {
    func reproduces(_ c: PivotedCholesky, _ a: Matrix) -> Double {
        let f = c.permutedFactor
        return maxAbsDifference(naiveProduct(f, f.transposed()), a)
    }

    @Test func fullRankMatchesCholesky() throws {
        var rng = TestRandom(seed: 7)
        let a = randomSPD(12, &rng)
        let c = try PivotedCholesky(a)
        #expect(c.rank == 12)
        #expect(Set(c.pivots) == Set(0..<12))
        #expect(reproduces(c, a) <= 100 * 12 * eps * maxAbs(a))
        // The first pivot is the largest diagonal.
        let largest = (0..<12).max { a[$0, $0] < a[$1, $1] }
        #expect(c.pivots[0] == largest)
    }

    @Test func rankDeficientCovariance() throws {
        // Σ = B·Bᵀ with B 6×3: rank 3 (like a covariance with exact linear restrictions).
        var rng = TestRandom(seed: 11)
        let b = randomMatrix(6, 3, &rng)
        let a = naiveProduct(b, b.transposed())
        let c = try PivotedCholesky(a)
        #expect(c.rank == 3)
        #expect(c.factor.rows == 6 && c.factor.columns == 3)
        #expect(reproduces(c, a) <= 100 * 6 * eps * maxAbs(a))
        // Hand case: [[1, 1], [1, 1]] = [1; 1]·[1 1], rank 1.
        let ones = try Matrix(rowMajor: [[1, 1], [1, 1]])
        let c1 = try PivotedCholesky(ones)
        #expect(c1.rank == 1)
        #expect(c1.permutedFactor.storage == [1, 1])
        // A zero matrix has rank 0; an empty one factors trivially.
        #expect(try PivotedCholesky(Matrix(rows: 3, columns: 3)).rank == 0)
        #expect(try PivotedCholesky(Matrix(rows: 0, columns: 0)).rank == 0)
    }

    @Test func typedErrors() throws {
        // Indefinite: eigenvalues 3 and −1.
        #expect(throws: LinearAlgebraError.self) { try PivotedCholesky(try Matrix(rowMajor: [[1, 2], [2, 1]])) }
        // Zero diagonal with off-diagonal mass: eigenvalues ±1.
        #expect(throws: LinearAlgebraError.self) { try PivotedCholesky(try Matrix(rowMajor: [[0, 1], [1, 0]])) }
        // Negative diagonal.
        #expect(throws: LinearAlgebraError.self) { try PivotedCholesky(try Matrix(rowMajor: [[1, 0], [0, -1e-3]])) }
        // Not symmetric.
        #expect(throws: LinearAlgebraError.self) { try PivotedCholesky(try Matrix(rowMajor: [[2, 1], [0, 2]])) }
        // Not square, non-finite, bad tolerance.
        #expect(throws: LinearAlgebraError.self) { try PivotedCholesky(Matrix(rows: 2, columns: 3)) }
        #expect(throws: LinearAlgebraError.self) { try PivotedCholesky(try Matrix(rowMajor: [[1, .nan], [.nan, 1]])) }
        #expect(throws: LinearAlgebraError.self) { try PivotedCholesky(.identity(2), tolerance: -1) }
        // A tiny negative eigenvalue within the tolerance is accepted as semidefinite.
        let nearlyPSD = try Matrix(rowMajor: [[1, 1], [1, 1 - 1e-17]])
        #expect(try PivotedCholesky(nearlyPSD).rank == 1)
    }

    @Test func explicitTolerance() throws {
        // diag(1, 1e-6): rank 2 by default, rank 1 when pivots ≤ 1e-4 count as zero.
        let a = try Matrix(rowMajor: [[1, 0], [0, 1e-6]])
        #expect(try PivotedCholesky(a).rank == 2)
        let c = try PivotedCholesky(a, tolerance: 1e-4)
        #expect(c.rank == 1 && c.tolerance == 1e-4)
    }
}
