import Foundation
import LinearAlgebra

/// Maximum-likelihood estimation through the optimizers: minimizes a negative log-likelihood,
/// then takes standard errors from the inverse Hessian at the estimate (the observed
/// information): Cov(θ̂) = H⁻¹, SE = √diag(H⁻¹).
///
/// The Hessian is the objective's own when it gives one, else central differences of its exact
/// gradient (2n gradients, in parallel), else second differences of values. It is inverted by
/// Cholesky; when H is not positive definite the estimate is not a strict local minimum and the
/// standard errors are nil, with a note.
public struct MaximumLikelihood: Sendable {
    /// The optimizer (L-BFGS-B with a tight gradient tolerance by default).
    public var optimizer: LBFGSB
    /// Threads for finite-difference Hessians (never changes the result).
    public var parallelism: Parallelism = .serial

    /// L-BFGS-B with gradient tolerance 1e-8 and function tolerance 1e-14.
    public init() {
        optimizer = LBFGSB()
        optimizer.gradientTolerance = 1e-8
        optimizer.functionTolerance = 1e-14
    }

    /// Fits by minimizing `negativeLogLikelihood` from `start`.
    /// - Throws: the optimizer's `OptimizationError`s (start outside bounds, non-finite start, …).
    /// - Complexity: the optimization, plus one Hessian (exact, 2n gradients or O(n²) values)
    ///   and an O(n³) Cholesky inverse.
    public func fit(negativeLogLikelihood f: some ObjectiveFunction, start: [Double], bounds: Bounds? = nil) throws -> MaximumLikelihoodFit {
        var solver = optimizer
        solver.parallelism = parallelism
        let result = try solver.minimize(f, from: start, bounds: bounds)
        let hessian: Matrix?
        let source: String
        if f.providesHessian, let h = f.hessian(at: result.x) {
            hessian = h; source = "exact Hessian"
        } else if f.providesGradient {
            hessian = FiniteDifferences().hessianFromGradient(of: f, at: result.x, parallelism: parallelism)
            source = "central differences of the exact gradient"
        } else {
            hessian = FiniteDifferences().hessianFromValues(of: f, at: result.x, value: result.value, parallelism: parallelism)
            source = "second differences of the values"
        }
        return MaximumLikelihoodFit(optimization: result, hessian: hessian, hessianSource: source)
    }
}

/// The result of `MaximumLikelihood.fit`.
public struct MaximumLikelihoodFit: Sendable {
    /// The optimizer's result (x, value, stop reason, history, …).
    public let optimization: OptimizationResult
    /// θ̂.
    public var estimates: [Double] { optimization.x }
    /// The maximized log-likelihood (−f at θ̂).
    public var logLikelihood: Double { -optimization.value }
    /// The Hessian of the negative log-likelihood at θ̂ (nil if it could not be formed).
    public let hessian: Matrix?
    /// H⁻¹ (nil when H is not positive definite or not finite).
    public let covariance: Matrix?
    /// √diag(H⁻¹).
    public let standardErrors: [Double]?
    /// How the Hessian was obtained.
    public let hessianSource: String
    /// The stop reason and notes on the standard errors.
    public let message: String

    /// Inverts `hessian` by Cholesky.
    /// - Complexity: O(n³).
    public init(optimization: OptimizationResult, hessian: Matrix?, hessianSource: String) {
        self.optimization = optimization
        self.hessian = hessian
        self.hessianSource = hessianSource
        var notes = [optimization.message, "standard errors from the inverse Hessian (\(hessianSource))"]
        var covariance: Matrix?
        if let hessian, hessian.isFinite {
            let symmetric = Matrix(rows: hessian.rows, columns: hessian.columns) { i, j in 0.5 * (hessian[i, j] + hessian[j, i]) }
            if let inverse = try? Cholesky(symmetric).inverse() {
                covariance = inverse
            } else {
                notes.append("the Hessian is not positive definite at the estimate: standard errors are undefined")
            }
        } else {
            notes.append("the Hessian is not finite at the estimate: standard errors are undefined")
        }
        self.covariance = covariance
        self.standardErrors = covariance.map { c in (0..<c.rows).map { c[$0, $0].squareRoot() } }
        self.message = notes.joined(separator: "; ")
    }
}
