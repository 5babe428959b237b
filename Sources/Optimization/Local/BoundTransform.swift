import Foundation

/// Maps an unconstrained z ∈ ℝⁿ onto the box, coordinate by coordinate, so that an
/// unconstrained method (Nelder–Mead) respects bounds (the transformation of `fminsearchbnd`):
/// two finite bounds: x = l + (u − l)(sin z + 1)/2; lower only: x = l + z²; upper only:
/// x = u − z²; none: x = z; l = u: x = l.
struct BoundTransform: Sendable {
    let bounds: Bounds

    /// x(z). - Complexity: O(n).
    func point(_ z: [Double]) -> [Double] {
        var x = z
        for i in z.indices {
            let l = bounds.lower[i], u = bounds.upper[i]
            if l == u {
                x[i] = l
            } else if l > -.infinity && u < .infinity {
                x[i] = Swift.min(u, Swift.max(l, l + (u - l) * (Foundation.sin(z[i]) + 1) / 2))
            } else if l > -.infinity {
                x[i] = l + z[i] * z[i]
            } else if u < .infinity {
                x[i] = u - z[i] * z[i]
            }
        }
        return x
    }

    /// A z with x(z) = x, for x inside the box. - Complexity: O(n).
    func coordinates(_ x: [Double]) -> [Double] {
        var z = x
        for i in x.indices {
            let l = bounds.lower[i], u = bounds.upper[i]
            if l == u {
                z[i] = 0
            } else if l > -.infinity && u < .infinity {
                z[i] = Foundation.asin(Swift.max(-1, Swift.min(1, 2 * (x[i] - l) / (u - l) - 1)))
            } else if l > -.infinity {
                z[i] = Swift.max(0, x[i] - l).squareRoot()
            } else if u < .infinity {
                z[i] = Swift.max(0, u - x[i]).squareRoot()
            }
        }
        return z
    }

    /// The initial simplex step for coordinate i at z: 5% of |z| (0.00025 at 0) where unbounded,
    /// a quarter radian on a two-sided box, and 5% of max(|z|, 1) on one side.
    func initialStep(_ z: [Double], _ i: Int) -> Double {
        let l = bounds.lower[i], u = bounds.upper[i]
        if l > -.infinity && u < .infinity { return z[i] > 1 ? -0.25 : 0.25 }
        if l > -.infinity || u < .infinity { return 0.05 * Swift.max(Swift.abs(z[i]), 1) }
        return z[i] != 0 ? 0.05 * z[i] : 0.000_25
    }
}
