import Foundation
@testable import LinearAlgebra

// Shared helpers for the LinearAlgebra tests: a seeded generator, random and
// classical test matrices, naive reference products and error measures.
//
// Tolerances throughout the suite are stated in units of ε = Double.ulpOfOne
// (2.22e-16), scaled by the problem size and the norm of the data, as in the
// standard backward-error bounds (Higham, "Accuracy and Stability of Numerical
// Algorithms", 2nd ed.): a backward-stable O(n³) factorization reproduces A to
// about c·n·ε·‖A‖ with a small constant c; we allow c = 100 unless a test says otherwise.

let eps = Double.ulpOfOne

// MARK: - Deterministic random numbers

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, fast, seeded generator, so every
/// "random" matrix in the suite is the same on every run and machine.
struct TestRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [-1, 1).
    mutating func symmetricUnit() -> Double { Double.random(in: -1..<1, using: &self) }

    /// Uniform in `range`.
    mutating func uniform(_ range: Range<Double>) -> Double { Double.random(in: range, using: &self) }

    /// `count` values uniform in [-1, 1).
    mutating func vector(_ count: Int) -> [Double] { (0..<count).map { _ in symmetricUnit() } }
}

// MARK: - Test matrices

/// An m×n matrix with entries uniform in [-1, 1).
func randomMatrix(_ m: Int, _ n: Int, _ rng: inout TestRandom) -> Matrix {
    var values = [Double]()
    values.reserveCapacity(m * n)
    for _ in 0..<(m * n) { values.append(rng.symmetricUnit()) }
    return try! Matrix(rows: m, columns: n, columnMajor: values)
}

/// A well-conditioned symmetric positive definite n×n matrix: BᵀB/n + I for random B.
func randomSPD(_ n: Int, _ rng: inout TestRandom) -> Matrix {
    let b = randomMatrix(n, n, &rng)
    var a = naiveProduct(b.transposed(), b)
    for i in 0..<n {
        for j in 0..<n { a[i, j] /= Double(max(n, 1)) }
        a[i, i] += 1
    }
    // Exactly symmetric (the naive product already is, but make it explicit).
    a.fillSymmetric(from: .lower)
    return a
}

/// A random symmetric n×n matrix.
func randomSymmetric(_ n: Int, _ rng: inout TestRandom) -> Matrix {
    var a = randomMatrix(n, n, &rng)
    a.fillSymmetric(from: .lower)
    return a
}

/// A triangular n×n matrix with a diagonal in [2, 3) and off-diagonal entries in [-1, 1)/n
/// in `triangle`, and `other` (default 0) in the other triangle. Its condition number is
/// small (below about 3), so triangular solves are accurate to a few n·ε.
func randomTriangular(_ n: Int, _ triangle: Triangle, _ rng: inout TestRandom, other: Double = 0) -> Matrix {
    Matrix(rows: n, columns: n) { i, j in
        if i == j { return rng.uniform(2..<3) }
        let inTriangle = triangle == .lower ? i > j : i < j
        return inTriangle ? rng.symmetricUnit() / Double(n) : other
    }
}

/// The n×n Hilbert matrix Hᵢⱼ = 1/(i + j + 1) (0-based), rounded to Double.
func hilbert(_ n: Int) -> Matrix {
    Matrix(rows: n, columns: n) { i, j in 1 / Double(i + j + 1) }
}

/// L·H with L = lcm(1, …, 2n−1): the Hilbert matrix scaled so that every entry is an
/// integer (exactly representable for n ≤ 10, L ≤ 2.3e8). A system with an integer
/// right-hand side b = (L·H)·x for integer x is then exact in Double, so the true
/// solution is known exactly and any error comes from the solver.
func scaledHilbert(_ n: Int) -> Matrix {
    var l: Int64 = 1
    for k in 1..<(2 * n) { l = l / gcd(l, Int64(k)) * Int64(k) }
    return Matrix(rows: n, columns: n) { i, j in Double(l / Int64(i + j + 1)) }
}

private func gcd(_ a: Int64, _ b: Int64) -> Int64 { b == 0 ? a : gcd(b, a % b) }

/// The exact inverse of the n×n Hilbert matrix (integers; exact in Double for n ≤ 10,
/// whose largest entry is 3.48e12 < 2⁵³):
/// (H⁻¹)ᵢⱼ = (−1)^(i+j) (i+j−1) C(n+i−1, n−j) C(n+j−1, n−i) C(i+j−2, i−1)², 1-based.
func hilbertInverse(_ n: Int) -> Matrix {
    func binomial(_ n: Int, _ k: Int) -> Int64 {
        if k < 0 || k > n { return 0 }
        var r: Int64 = 1
        for t in 0..<k { r = r * Int64(n - t) / Int64(t + 1) }
        return r
    }
    return Matrix(rows: n, columns: n) { i0, j0 in
        let (i, j) = (i0 + 1, j0 + 1)
        let sign: Int64 = (i + j) % 2 == 0 ? 1 : -1
        let c = binomial(i + j - 2, i - 1)
        return Double(sign * Int64(i + j - 1) * binomial(n + i - 1, n - j) * binomial(n + j - 1, n - i) * c * c)
    }
}

/// A `shown` matrix stored inside a larger parent filled with `fill` (so the view's
/// leading dimension exceeds its rows), possibly stored transposed and shown through `.T`.
struct EmbeddedOperand {
    let parent: Matrix
    let view: MatrixView

    init(_ shown: Matrix, transposed: Bool, fill: Double = .nan, rowOffset: Int = 2, columnOffset: Int = 3) {
        let stored = transposed ? shown.transposed() : shown
        var parent = Matrix(rows: stored.rows + rowOffset + 3, columns: stored.columns + columnOffset + 2, repeating: fill)
        for j in 0..<stored.columns {
            for i in 0..<stored.rows { parent[i + rowOffset, j + columnOffset] = stored[i, j] }
        }
        let block = parent.view(rows: rowOffset..<(rowOffset + stored.rows),
                                columns: columnOffset..<(columnOffset + stored.columns))
        self.parent = parent
        self.view = transposed ? block.T : block
    }
}

// MARK: - Naive references

/// A·B by the textbook triple loop (left-to-right sums).
func naiveProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
    precondition(a.columns == b.rows)
    return Matrix(rows: a.rows, columns: b.columns) { i, j in
        var s = 0.0
        for k in 0..<a.columns { s += a[i, k] * b[k, j] }
        return s
    }
}

/// A·x by the textbook loop.
func naiveProduct(_ a: Matrix, _ x: [Double]) -> [Double] {
    precondition(a.columns == x.count)
    return (0..<a.rows).map { i in
        var s = 0.0
        for k in 0..<a.columns { s += a[i, k] * x[k] }
        return s
    }
}

/// |A|·|B| elementwise: the scale of the rounding error of each entry of A·B.
func absProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
    Matrix(rows: a.rows, columns: b.columns) { i, j in
        var s = 0.0
        for k in 0..<a.columns { s += abs(a[i, k]) * abs(b[k, j]) }
        return s
    }
}

// MARK: - Error measures

/// max |aᵢⱼ − bᵢⱼ| (∞ for different shapes).
func maxAbsDifference(_ a: Matrix, _ b: Matrix) -> Double {
    guard a.rows == b.rows, a.columns == b.columns else { return .infinity }
    return maxAbsDifference(a.storage, b.storage)
}

/// max |aᵢ − bᵢ| (∞ for different lengths).
func maxAbsDifference(_ a: [Double], _ b: [Double]) -> Double {
    guard a.count == b.count else { return .infinity }
    var m = 0.0
    for (x, y) in zip(a, b) { m = max(m, abs(x - y)) }
    return m
}

/// max |aᵢⱼ|.
func maxAbs(_ a: Matrix) -> Double { a.storage.reduce(0) { max($0, abs($1)) } }

/// max |aᵢ|.
func maxAbs(_ a: [Double]) -> Double { a.reduce(0) { max($0, abs($1)) } }

/// ‖x‖₂ by a plain loop.
func norm2(_ x: [Double]) -> Double { sqrt(x.reduce(0) { $0 + $1 * $1 }) }

/// ‖x − y‖₂ / ‖y‖₂.
func relativeError(_ x: [Double], _ y: [Double]) -> Double {
    precondition(x.count == y.count)
    return norm2(zip(x, y).map { $0 - $1 }) / norm2(y)
}

/// Whether every entry of `actual` is within `tolerance` of `expected` (same shape required).
func isClose(_ actual: Matrix, _ expected: Matrix, tolerance: Double) -> Bool {
    maxAbsDifference(actual, expected) <= tolerance
}

/// Whether `actual` is within `tolerance` of `expected` elementwise.
func isClose(_ actual: [Double], _ expected: [Double], tolerance: Double) -> Bool {
    maxAbsDifference(actual, expected) <= tolerance
}

/// max |QᵀQ − I| for the columns of `q`.
func orthogonalityError(_ q: Matrix) -> Double {
    maxAbsDifference(naiveProduct(q.transposed(), q), .identity(q.columns))
}

/// The matrix `a` with its columns reordered: column j of the result is column `permutation[j]` of `a`.
func permutedColumns(_ a: Matrix, _ permutation: [Int]) -> Matrix {
    Matrix(rows: a.rows, columns: permutation.count) { i, j in a[i, permutation[j]] }
}

/// diag(values) as an n×n matrix.
func diagonal(_ values: [Double]) -> Matrix {
    Matrix(rows: values.count, columns: values.count) { i, j in i == j ? values[i] : 0 }
}

/// The number of correct significant digits of `value` against `certified`
/// (the log relative error of McCullough, "Assessing the Reliability of Statistical
/// Software", Am. Stat. 52, 1998): −log₁₀(|value − certified| / |certified|), capped at 15;
/// for certified == 0 the absolute error −log₁₀|value| is used (also capped at 15).
func logRelativeError(_ value: Double, certified: Double) -> Double {
    guard value.isFinite else { return 0 }
    let error = certified == 0 ? abs(value) : abs(value - certified) / abs(certified)
    if error == 0 { return 15 }
    return min(15, max(0, -log10(error)))
}

/// A matrix from a row-major literal (a test's own data, so the ragged-row error cannot happen).
func rowMajor(_ rows: [[Double]]) -> Matrix {
    try! Matrix(rowMajor: rows)
}
