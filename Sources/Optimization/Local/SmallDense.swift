/// Dense linear algebra for the small matrices inside the optimizers (the 2m×2m middle matrix
/// of L-BFGS-B, CMA-ES bookkeeping): row-major `[Double]`, no allocation beyond the result,
/// no LAPACK call overhead. Not for large systems: O(k³) with k ≤ ~100 in practice.
enum SmallDense {
    /// Solves A x = b (A is k×k, row-major) by Gaussian elimination with partial pivoting.
    /// - Returns: nil when A is singular to working precision or the result is not finite.
    static func solve(_ a: [Double], _ b: [Double], size k: Int) -> [Double]? {
        guard let inverse = inverse(a, size: k) else { return nil }
        return multiply(inverse, b, size: k)
    }

    /// A⁻¹ for a k×k row-major matrix (Gauss–Jordan with partial pivoting); nil when singular.
    static func inverse(_ a: [Double], size k: Int) -> [Double]? {
        var m = a
        var inv = [Double](repeating: 0, count: k * k)
        for i in 0..<k { inv[i * k + i] = 1 }
        var scale = 0.0
        for v in a { scale = Swift.max(scale, Swift.abs(v)) }
        guard scale > 0, scale.isFinite else { return k == 0 ? [] : nil }
        for col in 0..<k {
            var pivot = col
            for r in (col + 1)..<Swift.max(col + 1, k) where Swift.abs(m[r * k + col]) > Swift.abs(m[pivot * k + col]) { pivot = r }
            let p = m[pivot * k + col]
            if Swift.abs(p) <= scale * 1e-14 { return nil }
            if pivot != col {
                for j in 0..<k {
                    m.swapAt(pivot * k + j, col * k + j)
                    inv.swapAt(pivot * k + j, col * k + j)
                }
            }
            let invP = 1 / p
            for j in 0..<k { m[col * k + j] *= invP; inv[col * k + j] *= invP }
            for r in 0..<k where r != col {
                let factor = m[r * k + col]
                if factor == 0 { continue }
                for j in 0..<k {
                    m[r * k + j] -= factor * m[col * k + j]
                    inv[r * k + j] -= factor * inv[col * k + j]
                }
            }
        }
        return inv.allSatisfy(\.isFinite) ? inv : nil
    }

    /// A x for a k×k row-major A.
    @inline(__always)
    static func multiply(_ a: [Double], _ x: [Double], size k: Int) -> [Double] {
        var y = [Double](repeating: 0, count: k)
        for i in 0..<k {
            var s = 0.0
            for j in 0..<k { s += a[i * k + j] * x[j] }
            y[i] = s
        }
        return y
    }

    /// xᵀy.
    @inline(__always)
    static func dot(_ x: [Double], _ y: [Double]) -> Double {
        var s0 = 0.0, s1 = 0.0
        var i = 0
        let n = x.count
        while i + 1 < n {
            s0 += x[i] * y[i]
            s1 += x[i + 1] * y[i + 1]
            i += 2
        }
        if i < n { s0 += x[i] * y[i] }
        return s0 + s1
    }
}
