import Foundation
import LinearAlgebra
import Optimization

/// The logit negative log-likelihood −ℓ(β) = Σ log(1 + e^{xᵢβ}) − yᵢxᵢβ over an n×k design,
/// with its analytic gradient Xᵀ(p − y) and Hessian Xᵀdiag(p(1 − p))X — the objective of the
/// logit MLE benchmark.
///
/// Rows are cut into blocks of 32,768 (a function of n only); each block runs two BLAS gemv calls
/// and vector exp/log kernels, blocks run in parallel and their sums are added in block order,
/// so values and gradients are bit-identical for any thread count.
public struct LogitLikelihood: ObjectiveFunction {
    /// The design X (n×k).
    public let x: Matrix
    /// The 0/1 responses.
    public let y: [Double]
    /// Threads for the row blocks.
    public let parallelism: Parallelism
    static let blockRows = 32_768

    /// - Throws: `PolicyLabError.invalidArgument` when y's length is not X's row count.
    public init(x: Matrix, y: [Double], parallelism: Parallelism) throws {
        guard y.count == x.rows else {
            throw PolicyLabError.invalidArgument(name: "y", reason: "has \(y.count) values for \(x.rows) rows of X")
        }
        self.x = x
        self.y = y
        self.parallelism = parallelism
    }

    /// k.
    public var dimension: Int { x.columns }
    /// `true`.
    public var providesGradient: Bool { true }
    /// `true`.
    public var providesHessian: Bool { true }
    /// The blocks run in parallel inside one evaluation; the optimizer itself calls serially.
    public var isThreadSafe: Bool { true }

    /// −ℓ(β). - Complexity: O(nk).
    public func value(at beta: [Double]) -> Double { valueAndGradient(at: beta)?.value ?? .nan }

    /// Per block: η = X_b β, e = exp(−|η|), the log-likelihood terms max(η, 0) + log(1 + e) − yη,
    /// p = logistic(η) from e, then X_bᵀ(p − y).
    public func valueAndGradient(at beta: [Double]) -> (value: Double, gradient: [Double])? {
        let k = dimension
        let partials = try? Parallel.map(count: x.rows, chunkSize: Self.blockRows, parallelism: parallelism) { rows -> [Double] in
            let block = x.view(rows: rows)
            var eta = [Double](repeating: 0, count: rows.count)
            try BLAS.gemv(1, block, beta, 0, &eta)
            var e = eta.map { -Swift.abs($0) }
            VectorKernels.formExp(&e)
            var onePlus = e.map { 1 + $0 }
            var residual = [Double](repeating: 0, count: rows.count)
            for i in 0..<rows.count {
                let p = eta[i] >= 0 ? 1 / onePlus[i] : e[i] / onePlus[i]
                residual[i] = p - y[rows.lowerBound + i]
            }
            VectorKernels.formLog(&onePlus)
            var nll = 0.0
            for i in 0..<rows.count { nll += Swift.max(eta[i], 0) + onePlus[i] - y[rows.lowerBound + i] * eta[i] }
            var g = [Double](repeating: 0, count: k)
            try BLAS.gemv(1, block.T, residual, 0, &g)
            return [nll] + g
        }
        guard let partials, var total = partials.first else { return nil }
        for part in partials.dropFirst() { for j in 0...k { total[j] += part[j] } }
        return (total[0], Array(total[1...]))
    }

    /// Xᵀdiag(p(1 − p))X by the weighted Gram kernel. - Complexity: O(nk²).
    public func hessian(at beta: [Double]) -> Matrix? {
        guard var eta = try? Matrix.product(x.view, beta) else { return nil }
        VectorKernels.formLogistic(&eta)
        let scale = eta.map { ($0 * (1 - $0)).squareRoot() }
        return try? Matrix.gram(x.view, rowScale: scale, parallelism: parallelism)
    }
}
