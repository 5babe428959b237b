import Foundation
import LinearAlgebra

/// Derivatives by finite differences, evaluated as one parallel batch and kept inside bounds.
///
/// The gradient uses central differences, f′ᵢ ≈ (f(x + hᵢeᵢ) − f(x − hᵢeᵢ)) / 2hᵢ with
/// hᵢ = ∛ε · max(1, |xᵢ|) (error O(h²) ≈ ε^⅔ relative). Where a bound is closer than hᵢ the
/// stencil turns one-sided and stays second order: (−3f(x) + 4f(x + h) − f(x + 2h)) / 2h, or the
/// mirror image; if the interval is narrower than 4h, h shrinks to a quarter of it. No point
/// outside the bounds is ever evaluated. The 2n points go to `ObjectiveFunction.values` in one
/// batch, so they run in parallel and each gradient entry depends only on its own two values:
/// the result is the same for any thread count.
public struct FiniteDifferences: Sendable {
    /// The relative step; nil means ∛ε for gradients and ∜ε for Hessians from values.
    public var relativeStep: Double?

    /// Default steps.
    public init(relativeStep: Double? = nil) { self.relativeStep = relativeStep }

    enum Stencil { case central(Double), forward(Double), backward(Double), fixed }

    func stencil(_ x: Double, lower: Double, upper: Double, step: Double) -> Stencil {
        if !(upper > lower) { return .fixed }
        var h = step * Swift.max(1, Swift.abs(x))
        if upper - lower < 4 * h { h = (upper - lower) / 4 }
        if x - h >= lower && x + h <= upper { return .central(h) }
        if x + 2 * h <= upper { return .forward(h) }
        return .backward(h)
    }

    /// ∇f(x) given f(x) = `value`: 2n evaluations in one batch.
    /// - Returns: the gradient; entries are NaN where a stencil value was not finite.
    /// - Complexity: 2n evaluations of f, divided over the threads.
    public func gradient(of f: some ObjectiveFunction, at x: [Double], value: Double, bounds: Bounds,
                         parallelism: Parallelism) -> [Double] {
        let n = x.count
        let step = relativeStep ?? Foundation.cbrt(Double.ulpOfOne)
        var stencils: [Stencil] = []
        var points: [[Double]] = []
        points.reserveCapacity(2 * n)
        for i in 0..<n {
            let s = stencil(x[i], lower: bounds.lower[i], upper: bounds.upper[i], step: step)
            stencils.append(s)
            var a = x, b = x
            switch s {
            case let .central(h): a[i] = x[i] + h; b[i] = x[i] - h
            case let .forward(h): a[i] = x[i] + h; b[i] = x[i] + 2 * h
            case let .backward(h): a[i] = x[i] - h; b[i] = x[i] - 2 * h
            case .fixed: continue
            }
            points.append(a)
            points.append(b)
        }
        let values = f.values(at: points, parallelism: parallelism)
        var g = [Double](repeating: 0, count: n)
        var k = 0
        for i in 0..<n {
            let fa: Double, fb: Double
            switch stencils[i] {
            case .fixed: continue
            default: fa = values[k]; fb = values[k + 1]; k += 2
            }
            switch stencils[i] {
            case let .central(h): g[i] = (fa - fb) / (2 * h)
            case let .forward(h): g[i] = (-3 * value + 4 * fa - fb) / (2 * h)
            case let .backward(h): g[i] = (3 * value - 4 * fa + fb) / (2 * h)
            case .fixed: break
            }
        }
        return g
    }

    /// The number of objective evaluations `gradient` makes at `x` (fixed coordinates cost nothing).
    func gradientCost(at x: [Double], bounds: Bounds) -> Int {
        2 * x.indices.filter { bounds.upper[$0] > bounds.lower[$0] }.count
    }

    /// The Hessian by central differences of an exact gradient: column j is
    /// (∇f(x + hⱼeⱼ) − ∇f(x − hⱼeⱼ)) / 2hⱼ, then symmetrized (H + Hᵀ)/2. The 2n gradients run in
    /// parallel (when the objective is thread-safe). Steps are not limited by bounds (a Hessian
    /// for standard errors is taken at an interior optimum).
    /// - Returns: nil when the objective gives no gradient.
    /// - Complexity: 2n gradient evaluations.
    public func hessianFromGradient(of f: some ObjectiveFunction, at x: [Double], parallelism: Parallelism) -> Matrix? {
        guard f.providesGradient else { return nil }
        let n = x.count
        let step = relativeStep ?? Foundation.cbrt(Double.ulpOfOne)
        let threads = f.isThreadSafe ? parallelism : .serial
        let columns = (try? Parallel.map(count: n, chunkSize: 1, parallelism: threads) { range -> [Double] in
            let j = range.lowerBound
            let h = step * Swift.max(1, Swift.abs(x[j]))
            var a = x, b = x
            a[j] += h
            b[j] -= h
            guard let ga = f.valueAndGradient(at: a)?.gradient, let gb = f.valueAndGradient(at: b)?.gradient,
                  ga.count == n, gb.count == n else { return [Double](repeating: .nan, count: n) }
            return (0..<n).map { (ga[$0] - gb[$0]) / (2 * h) }
        }) ?? []
        guard columns.count == n else { return nil }
        return Matrix(rows: n, columns: n) { i, j in 0.5 * (columns[j][i] + columns[i][j]) }
    }

    /// The Hessian from values alone: central second differences with hᵢ = ∜ε·max(1, |xᵢ|),
    /// 2n + 4·n(n−1)/2 evaluations in one parallel batch.
    /// - Complexity: O(n²) evaluations.
    public func hessianFromValues(of f: some ObjectiveFunction, at x: [Double], value: Double,
                                  parallelism: Parallelism) -> Matrix {
        let n = x.count
        let step = relativeStep ?? Foundation.pow(Double.ulpOfOne, 0.25)
        let h = x.map { step * Swift.max(1, Swift.abs($0)) }
        var points: [[Double]] = []
        for i in 0..<n {
            var a = x, b = x
            a[i] += h[i]; b[i] -= h[i]
            points += [a, b]
        }
        for i in 0..<n {
            for j in 0..<i {
                for (si, sj) in [(1.0, 1.0), (1.0, -1.0), (-1.0, 1.0), (-1.0, -1.0)] {
                    var p = x
                    p[i] += si * h[i]; p[j] += sj * h[j]
                    points.append(p)
                }
            }
        }
        let v = f.values(at: points, parallelism: parallelism)
        var hessian = Matrix(rows: n, columns: n)
        var k = 2 * n
        for i in 0..<n {
            hessian[i, i] = (v[2 * i] - 2 * value + v[2 * i + 1]) / (h[i] * h[i])
            for j in 0..<i {
                let hij = (v[k] - v[k + 1] - v[k + 2] + v[k + 3]) / (4 * h[i] * h[j])
                hessian[i, j] = hij
                hessian[j, i] = hij
                k += 4
            }
        }
        return hessian
    }
}
