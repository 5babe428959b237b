import LinearAlgebra

/// Double-double arithmetic (a value as an unevaluated sum hi + lo, about 106 significant
/// bits) for the residuals of iterative refinement, where double precision would cancel.
/// Error-free transformations: Knuth's TwoSum and an fma-based TwoProduct.
struct DoubleDouble: Sendable {
    var hi: Double
    var lo: Double

    init(_ value: Double) { hi = value; lo = 0 }
    init(hi: Double, lo: Double) { self.hi = hi; self.lo = lo }

    /// The double nearest to hi + lo.
    var value: Double { hi + lo }

    /// self + a·b with the product and the sum carried exactly to double-double precision.
    @inline(__always)
    mutating func addProduct(_ a: Double, _ b: Double) {
        let p = a * b
        let productError = (-p).addingProduct(a, b)   // exact: a·b − fl(a·b)
        add(p)
        lo += productError
    }

    /// self + a, exactly to double-double precision (TwoSum, then renormalize).
    @inline(__always)
    mutating func add(_ a: Double) {
        let s = hi + a
        let bb = s - hi
        let error = (hi - (s - bb)) + (a - bb)
        let low = lo + error
        hi = s + low
        lo = low - (hi - s)
    }
}

/// The residuals of the augmented least-squares system in double-double precision: for
/// A (m×k), b, the current x and residual r, it returns f = b − r − A·x and g = −Aᵀ·r, each
/// accumulated in double-double and rounded once. These drive Björck's refinement of the
/// augmented system [I A; Aᵀ 0][r; x] = [b; 0].
/// - Complexity: O(m·k) with about 10 flops per multiply-add.
enum AugmentedResidual {
    static func compute(a: MatrixView, b: [Double], x: [Double], r: [Double]) -> (f: [Double], g: [Double]) {
        let m = a.rows, k = a.columns
        var rows = (0..<m).map { DoubleDouble(b[$0]) }
        for i in 0..<m { rows[i].add(-r[i]) }
        for j in 0..<k {
            let xj = x[j]
            if xj == 0 { continue }
            for i in 0..<m { rows[i].addProduct(-a[i, j], xj) }
        }
        var g = [Double](repeating: 0, count: k)
        for j in 0..<k {
            var sum = DoubleDouble(0)
            for i in 0..<m { sum.addProduct(-a[i, j], r[i]) }
            g[j] = sum.value
        }
        return (rows.map(\.value), g)
    }
}
