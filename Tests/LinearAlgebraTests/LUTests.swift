import Foundation
import Testing
@testable import LinearAlgebra

// LU with partial pivoting (getrf/getrs/getri/gecon).
//
// Tolerances: P·A = L·U + E with |E| ≤ γ_n·|L|·|U| (Higham, ch. 9); with partial
// pivoting |L| ≤ 1 and the growth factor of random matrices is small, so we check
// max|P·A − L·U| ≤ 100·n·ε·max|A|. A·A⁻¹ − I and solve errors are bounded by
// 100·n·ε·κ₁(A), with κ₁ computed from the explicit inverse.

/// The rows of `a` swapped as LAPACK's 1-based `pivots` say (row i with row pivots[i], in order).
func applyRowInterchanges(_ a: Matrix, _ pivots: [Int32]) -> Matrix {
    var p = a
    for (i, pivot) in pivots.enumerated() {
        let k = Int(pivot) - 1
        if k != i {
            for j in 0..<p.columns {
                let t = p[i, j]
                p[i, j] = p[k, j]
                p[k, j] = t
            }
        }
    }
    return p
}

/// The unit lower L and upper U packed in getrf's output.
func unpackLU(_ f: Matrix) -> (l: Matrix, u: Matrix) {
    let n = f.rows
    let l = Matrix(rows: n, columns: n) { i, j in i == j ? 1 : (i > j ? f[i, j] : 0) }
    let u = Matrix(rows: n, columns: n) { i, j in i <= j ? f[i, j] : 0 }
    return (l, u)
}

@Suite("LU")
struct LUTests {
    @Test func twoByTwoByHand() throws {
        // A = [1 2; 3 4]. Partial pivoting takes row 2 (|3| > |1|): pivots [2, 2],
        // L = [1 0; 1/3 1], U = [3 4; 0 2 − 4/3] = [3 4; 0 2/3].
        let a = rowMajor([[1, 2], [3, 4]])
        let lu = try LUFactorization(a)
        #expect(lu.pivots == [2, 2])
        let (l, u) = unpackLU(lu.factors)
        #expect(isClose(l, rowMajor([[1, 0], [1.0 / 3, 1]]), tolerance: eps))
        #expect(isClose(u, rowMajor([[3, 4], [0, 2.0 / 3]]), tolerance: 4 * eps))
        // det = −(3 · 2/3) = −2 (one row interchange).
        #expect(Swift.abs(lu.determinant + 2) <= 4 * eps)
        #expect(Swift.abs(lu.logAbsDeterminant - log(2.0)) <= 4 * eps)
        // A·[1, 2] = [5, 11].
        #expect(isClose(try lu.solve([5, 11]), [1, 2], tolerance: 8 * eps))
        // A⁻¹ = (1/−2)·[4 −2; −3 1] = [−2 1; 1.5 −0.5].
        #expect(isClose(try lu.inverse(), rowMajor([[-2, 1], [1.5, -0.5]]), tolerance: 8 * eps))
        #expect(isClose(try a.inverse(), rowMajor([[-2, 1], [1.5, -0.5]]), tolerance: 8 * eps))
        // κ₁ = ‖A‖₁·‖A⁻¹‖₁ = 6 · 3.5 = 21 (gecon is exact at n = 2).
        #expect(Swift.abs(try lu.reciprocalConditionNumber() - 1.0 / 21) <= 1e-12)
        #expect(Swift.abs(try a.reciprocalConditionNumber() - 1.0 / 21) <= 1e-12)
    }

    @Test func noInterchangeKeepsTheSign() throws {
        // A = [4 1; 2 3]: |4| ≥ |2|, no swap; U = [4 1; 0 3 − 0.5] → det = 4 · 2.5 = 10.
        let lu = try LUFactorization(rowMajor([[4, 1], [2, 3]]))
        #expect(lu.pivots == [1, 2])
        #expect(lu.determinant == 10)
        // ‖A‖₁ = 6, A⁻¹ = (1/10)·[3 −1; −2 4], ‖A⁻¹‖₁ = 0.5 → κ₁ = 3.
        #expect(Swift.abs(try lu.reciprocalConditionNumber() - 1.0 / 3) <= 1e-12)
    }

    @Test func matrixSolveWithSeveralRightHandSides() throws {
        // [2 1; 1 3]·X = [3 5; 4 10] → X = [1 1; 1 3] (columns solved independently by hand:
        // 2x + y = 3, x + 3y = 4 → x = y = 1; 2x + y = 5, x + 3y = 10 → y = 3, x = 1).
        let x = try rowMajor([[2, 1], [1, 3]]).solve(rowMajor([[3, 5], [4, 10]]))
        #expect(isClose(x, rowMajor([[1, 1], [1, 3]]), tolerance: 8 * eps))
    }

    @Test(arguments: [1, 2, 3, 10, 33, 60])
    func reconstructsRandomMatrices(_ n: Int) throws {
        var rng = TestRandom(seed: UInt64(2000 + n))
        let a = randomMatrix(n, n, &rng)
        let lu = try LUFactorization(a)
        let (l, u) = unpackLU(lu.factors)
        // Partial pivoting keeps every multiplier at most 1 in magnitude.
        #expect(maxAbs(l) <= 1)
        let pa = applyRowInterchanges(a, lu.pivots)
        #expect(maxAbsDifference(naiveProduct(l, u), pa) <= 100 * Double(n) * eps * maxAbs(a))

        let inv = try lu.inverse()
        let kappa1 = a.norm(.one) * inv.norm(.one)
        let bound = 100 * Double(n) * eps * kappa1
        #expect(maxAbsDifference(naiveProduct(a, inv), .identity(n)) <= bound)
        #expect(maxAbsDifference(naiveProduct(inv, a), .identity(n)) <= bound)
        #expect(maxAbsDifference(try a.inverse(), inv) <= bound * maxAbs(inv))

        let xTrue = rng.vector(n)
        let x = try lu.solve(naiveProduct(a, xTrue))
        #expect(relativeError(x, xTrue) <= bound)
        let x2 = try a.solve(try Matrix(rows: n, columns: 1, columnMajor: naiveProduct(a, xTrue)))
        #expect(relativeError(x2.storage, xTrue) <= bound)

        // gecon estimates ‖A⁻¹‖₁ from below, so 1/κ̂₁ ≥ 1/κ₁ (up to rounding); Hager–Higham's
        // estimator is rarely off by more than a factor 3 (Higham, ch. 15).
        let rcond = try lu.reciprocalConditionNumber()
        #expect(rcond * kappa1 >= 1 - 1e-8)
        #expect(rcond * kappa1 <= 3)

        // det from U's diagonal: |det| agrees with exp(log|det|).
        if n <= 33 {
            #expect(Swift.abs(Swift.abs(lu.determinant) / exp(lu.logAbsDeterminant) - 1) <= 100 * Double(n) * eps)
        }
    }

    @Test func singularNamesTheZeroPivot() {
        // [1 1 1; 1 1 2; 1 1 3]: column 1 pivots on row 1 (ties keep the first); after
        // elimination the rest of column 2 is [0, 0], so U₂₂ = 0 → pivot 2.
        #expect(throws: LinearAlgebraError.singular(pivot: 2)) {
            try LUFactorization(rowMajor([[1, 1, 1], [1, 1, 2], [1, 1, 3]]))
        }
        // [1 2 3; 2 4 6; 1 1 1]: pivot on row 2 (|2|), then rows become [0 0 0] and [0 −1 −2];
        // column 2 pivots on −1, and what is left of row "2 4 6 / 2" is zero → U₃₃ = 0 → pivot 3.
        #expect(throws: LinearAlgebraError.singular(pivot: 3)) {
            try LUFactorization(rowMajor([[1, 2, 3], [2, 4, 6], [1, 1, 1]]))
        }
        // A zero first column → pivot 1.
        #expect(throws: LinearAlgebraError.singular(pivot: 1)) {
            try rowMajor([[0, 1], [0, 2]]).inverse()
        }
        #expect(throws: LinearAlgebraError.singular(pivot: 1)) {
            try Matrix(rows: 3, columns: 3).solve(Matrix(rows: 3, columns: 1))
        }
    }

    @Test func reciprocalConditionOfSingularIsZero() throws {
        #expect(try rowMajor([[1, 1, 1], [1, 1, 2], [1, 1, 3]]).reciprocalConditionNumber() == 0)
        #expect(try Matrix(rows: 2, columns: 2).reciprocalConditionNumber() == 0)
    }

    @Test func nearlySingularHasTinyReciprocalCondition() throws {
        // [1 1; 1 1 + 10⁻¹⁰]: κ₁ ≈ (2 + 10⁻¹⁰)·(2 + 10⁻¹⁰)/10⁻¹⁰ ≈ 4·10¹⁰.
        let rcond = try rowMajor([[1, 1], [1, 1 + 1e-10]]).reciprocalConditionNumber()
        #expect(rcond > 0)
        #expect(Swift.abs(rcond * 4e10 - 1) <= 1e-5)
    }
}
