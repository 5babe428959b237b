import LinearAlgebra

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
