import Foundation
import LinearAlgebra

/// The result of a nonlinear least-squares fit: estimates, their standard errors and
/// covariance, the residual sum of squares, and how the optimizer stopped.
///
/// Standard errors are √diag((JᵀJ)⁻¹)·σ̂ with σ̂² = RSS/(m − p), where (JᵀJ)⁻¹ = V Σ⁻² Vᵀ
/// comes from the SVD of the Jacobian at the estimates (never from inverting JᵀJ). When J is
/// rank deficient (a singular value ≤ max(m,p)·ε·σ₁) or df = 0, the standard errors and the
/// covariance are nil and `message` says why.
///
/// With extended data (`NonlinearModel.hasExtendedData`) the RSS, hence σ̂ and the standard
/// errors, come from residuals evaluated in double-double (`extendedPrecisionSteps` is then
/// the number of Gauss–Newton steps of that final stage); the Jacobian stays in double.
public struct NonlinearLeastSquaresFit: Sendable {
    /// Parameter names, in start-point order.
    public let parameterNames: [String]
    /// The estimates β̂.
    public let estimates: [Double]
    /// Standard errors of the estimates (nil when not identified or df = 0).
    public let standardErrors: [Double]?
    /// σ̂²(JᵀJ)⁻¹, p×p (nil when standard errors are nil).
    public let covariance: Matrix?
    /// Residual sum of squares Σ rᵢ².
    public let residualSumOfSquares: Double
    /// Residual standard deviation √(RSS/df) (NaN when df = 0).
    public let residualStandardDeviation: Double
    /// Degrees of freedom m − p.
    public let degreesOfFreedom: Int
    /// Observations used.
    public let observations: Int
    /// Rows dropped for missing or non-finite values.
    public let droppedRows: Int
    /// Numerical rank of the Jacobian at the estimates.
    public let rank: Int
    /// Outer iterations (Jacobian evaluations).
    public let iterations: Int
    /// Residual evaluations (including geodesic-acceleration passes).
    public let evaluations: Int
    /// Why the optimizer stopped.
    public let stopReason: StopReason
    /// Gauss–Newton steps taken by the double-double final stage, or nil when it did not run
    /// (no extended data, or residuals not finite at the estimates).
    public let extendedPrecisionSteps: Int?
    /// Whether a convergence test was met.
    public var converged: Bool { stopReason.converged }
    /// The stop reason in words, plus notes on dropped rows or rank deficiency.
    public let message: String

    /// Computes the statistics at `estimates`.
    /// - Complexity: one Jacobian and an SVD of the m×p Jacobian, O(m·p²).
    init(model: NonlinearModel, estimates: [Double], iterations: Int, evaluations: Int,
         stopReason: StopReason, parallelism: Parallelism, extended: ExtendedPrecisionStage? = nil) throws {
        let (residuals, jacobian) = model.residualsAndJacobian(at: estimates, parallelism: parallelism)
        let m = model.observations, p = estimates.count
        var rss = 0.0
        for r in residuals { rss += r * r }
        if let extended { rss = extended.residualSumOfSquares }
        var notes = [stopReason.description]
        if let extended {
            notes.append("final stage in double-double (\(extended.steps) Gauss-Newton step\(extended.steps == 1 ? "" : "s"))")
        }
        if model.droppedRows > 0 { notes.append("\(model.droppedRows) row(s) with missing or non-finite values dropped") }
        let df = m - p
        let sigma2 = df > 0 ? rss / Double(df) : .nan
        var rank = 0
        var covariance: Matrix?
        if jacobian.isFinite, rss.isFinite {
            let svd = try SingularValueDecomposition(jacobian)
            let s = svd.singularValues
            let top = s.first ?? 0
            let tolerance = Double(Swift.max(m, p)) * Double.ulpOfOne * top
            rank = s.filter { $0 > tolerance }.count
            if rank == p, df > 0 {
                // (JᵀJ)⁻¹ = Σₖ vₖ vₖᵀ / sₖ², with vₖ the rows of Vᵀ.
                covariance = Matrix(rows: p, columns: p) { i, j in
                    var sum = 0.0
                    for k in 0..<p { sum += svd.vt[k, i] * svd.vt[k, j] / (s[k] * s[k]) }
                    return sum * sigma2
                }
            } else if rank < p {
                notes.append(NLSError.rankDeficient(rank: rank, parameters: p).description)
            } else {
                notes.append("no degrees of freedom left: standard errors are undefined")
            }
        } else {
            notes.append("the residuals or the Jacobian are not finite at the estimates: standard errors are undefined")
        }
        self.parameterNames = model.start.names
        self.estimates = estimates
        self.covariance = covariance
        self.standardErrors = covariance.map { c in (0..<p).map { c[$0, $0].squareRoot() } }
        self.residualSumOfSquares = rss
        self.residualStandardDeviation = sigma2.squareRoot()
        self.degreesOfFreedom = df
        self.observations = m
        self.droppedRows = model.droppedRows
        self.rank = rank
        self.iterations = iterations
        self.evaluations = evaluations
        self.stopReason = stopReason
        self.extendedPrecisionSteps = extended?.steps
        self.message = notes.joined(separator: "; ")
    }
}
