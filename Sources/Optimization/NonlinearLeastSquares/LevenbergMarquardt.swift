import Foundation
import LinearAlgebra

/// Levenberg–Marquardt for nonlinear least squares, after MINPACK's `lmder` (Moré 1978):
/// a trust region in the scaled norm ‖D x‖ with Moré's diagonal scaling (D = running maximum
/// of the Jacobian's column norms), the step from a pivoted QR of J (never JᵀJ), and optional
/// geodesic acceleration (Transtrum & Sethna 2012) with an exact second directional derivative.
///
/// A trial point where the model is NaN or infinite is rejected like a step that raised the
/// sum of squares: the trust region shrinks tenfold and the search goes on.
public struct LevenbergMarquardt: Sendable {
    /// Stop when both the actual and the predicted relative reduction of the sum of squares
    /// are at most this (MINPACK `ftol`).
    public var functionTolerance = 1e-15
    /// Stop when the trust region is at most this times ‖D β‖ (MINPACK `xtol`).
    public var stepTolerance = 1e-15
    /// Stop when the cosine between the residuals and every Jacobian column is at most this
    /// (MINPACK `gtol`).
    public var gradientTolerance = 1e-15
    /// Budget of outer iterations (one Jacobian each).
    public var maxIterations = 2_000
    /// Budget of residual evaluations.
    public var maxEvaluations = 20_000
    /// The first trust region is this times ‖D β₀‖ (MINPACK `factor`).
    public var initialStepFactor = 100.0
    /// Add the geodesic-acceleration correction to each step when it is small
    /// (2‖D a‖ ≤ 0.75 ‖D v‖); costs one extra model pass per trial step.
    public var geodesicAcceleration = false
    /// Threads for evaluating residuals and Jacobians (never changes the result).
    public var parallelism: Parallelism = .serial

    /// The default settings (tight tolerances, as the NIST StRD problems need).
    public init() {}

    /// Fits `model` from its start point. When the model holds its data in double-double
    /// (`NonlinearModel.hasExtendedData`), a converged fit ends with up to five Gauss–Newton
    /// steps on double-double residuals and the RSS is summed in double-double
    /// (`ExtendedPrecisionStage`); otherwise everything is in double, as before.
    /// - Returns: estimates, standard errors and covariance, RSS, iterations and why it stopped
    ///   (a fit that did not converge is returned with `converged == false`, not thrown).
    /// - Throws: `NLSError.nonFiniteStart` when the residuals or the Jacobian at the start are not
    ///   finite; `invalidStart` for bad settings. `LinearAlgebraError` only for failures of the
    ///   linear algebra itself (allocation).
    /// - Complexity: per iteration, one Jacobian (O(m·p·tape)) and a pivoted QR (O(m·p²)),
    ///   plus O(p³) per damping trial and one residual pass per trial step.
    public func fit(_ model: NonlinearModel) throws -> NonlinearLeastSquaresFit {
        guard maxIterations >= 1, maxEvaluations >= 1 else {
            throw NLSError.invalidStart("maxIterations and maxEvaluations must be at least 1")
        }
        let n = model.start.values.count
        var x = model.start.values
        var fvec = model.residuals(at: x, parallelism: parallelism)
        var evaluations = 1
        if let row = fvec.firstIndex(where: { !$0.isFinite }) {
            throw NLSError.nonFiniteStart(row: row + 1, detail: "the residual is \(fvec[row].isNaN ? "NaN" : "\(fvec[row])")")
        }
        var fnorm = EuclideanNorm.of(fvec)
        let eps = Double.ulpOfOne
        var par = 0.0
        var delta = 0.0, xnorm = 0.0
        var diag = [Double](repeating: 0, count: n)
        var iterations = 0
        var reason: StopReason?

        outer: while reason == nil {
            let (_, jacobian) = model.residualsAndJacobian(at: x, parallelism: parallelism)
            guard jacobian.isFinite else {
                if iterations == 0 {
                    let bad = jacobian.storage.firstIndex { !$0.isFinite } ?? 0
                    throw NLSError.nonFiniteStart(row: bad % model.observations + 1,
                                                  detail: "the derivative with respect to \(model.start.names[bad / model.observations]) is not finite")
                }
                reason = .stalled("the Jacobian is not finite at the current parameters")
                break
            }
            iterations += 1
            let qr = try PivotedQR(jacobian)
            var r = [Double](repeating: 0, count: n * n)
            for j in 0..<n { for i in 0...j { r[i + j * n] = qr.packed[i, j] } }
            let qtfFull = try qr.applyQTransposed(Matrix(rows: fvec.count, columns: 1, columnMajor: fvec))
            let qtf = Array(qtfFull.storage.prefix(n))
            let acnorm = (0..<n).map { EuclideanNorm.of(Array(jacobian.column($0))) }
            if iterations == 1 {
                diag = acnorm.map { $0 == 0 ? 1 : $0 }
                xnorm = EuclideanNorm.of((0..<n).map { diag[$0] * x[$0] })
                delta = initialStepFactor * xnorm
                if delta == 0 { delta = initialStepFactor }
            }
            var gnorm = 0.0
            if fnorm != 0 {
                for j in 0..<n {
                    let l = qr.permutation[j]
                    guard acnorm[l] != 0 else { continue }
                    var sum = 0.0
                    for i in 0...j { sum += r[i + j * n] * (qtf[i] / fnorm) }
                    gnorm = Swift.max(gnorm, Swift.abs(sum / acnorm[l]))
                }
            }
            if gnorm <= gradientTolerance { reason = .gradientTolerance(gradientTolerance); break }
            for j in 0..<n { diag[j] = Swift.max(diag[j], acnorm[j]) }
            var solver = TrustRegionSolver(r: r, n: n, pivots: qr.permutation)

            var ratio = 0.0
            repeat {
                let solution = solver.step(diag: diag, qtb: qtf, delta: delta, par: &par)
                let v = solution.map { -$0 }
                var stepVector = v
                let pnorm = EuclideanNorm.of((0..<n).map { diag[$0] * v[$0] })
                if geodesicAcceleration, pnorm > 0 {
                    evaluations += 1
                    if let a = try acceleration(model, x: x, v: v, qr: qr, solver: &solver, diag: diag, par: par),
                       2 * EuclideanNorm.of((0..<n).map { diag[$0] * a[$0] }) <= 0.75 * pnorm {
                        stepVector = (0..<n).map { v[$0] + a[$0] }
                    }
                }
                let trial = (0..<n).map { x[$0] + stepVector[$0] }
                if iterations == 1 { delta = Swift.min(delta, pnorm) }
                let trialResiduals = model.residuals(at: trial, parallelism: parallelism)
                evaluations += 1
                let fnorm1 = EuclideanNorm.of(trialResiduals)
                let finite = fnorm1.isFinite
                var actred = -1.0
                if finite, 0.1 * fnorm1 < fnorm { actred = 1 - (fnorm1 / fnorm) * (fnorm1 / fnorm) }
                var wa3 = [Double](repeating: 0, count: n)
                for j in 0..<n {
                    let t = v[qr.permutation[j]]
                    for i in 0...j { wa3[i] += r[i + j * n] * t }
                }
                let temp1 = EuclideanNorm.of(wa3) / fnorm
                let temp2 = par.squareRoot() * pnorm / fnorm
                let prered = temp1 * temp1 + temp2 * temp2 / 0.5
                let dirder = -(temp1 * temp1 + temp2 * temp2)
                ratio = prered != 0 ? actred / prered : 0
                if ratio <= 0.25 {
                    var temp = actred >= 0 ? 0.5 : 0.5 * dirder / (dirder + 0.5 * actred)
                    if !finite || 0.1 * fnorm1 >= fnorm || temp < 0.1 || !temp.isFinite { temp = 0.1 }
                    delta = temp * Swift.min(delta, pnorm / 0.1)
                    par /= temp
                } else if par == 0 || ratio >= 0.75 {
                    delta = pnorm / 0.5
                    par *= 0.5
                }
                if ratio >= 1e-4 {
                    x = trial
                    fvec = trialResiduals
                    xnorm = EuclideanNorm.of((0..<n).map { diag[$0] * x[$0] })
                    fnorm = fnorm1
                }
                if Swift.abs(actred) <= functionTolerance && prered <= functionTolerance && 0.5 * ratio <= 1 {
                    reason = .functionTolerance(functionTolerance)
                } else if delta <= stepTolerance * xnorm {
                    reason = .stepTolerance(stepTolerance)
                } else if Swift.abs(actred) <= eps && prered <= eps && 0.5 * ratio <= 1 {
                    reason = .functionTolerance(eps)
                } else if delta <= eps * xnorm {
                    reason = .stepTolerance(eps)
                } else if gnorm <= eps {
                    reason = .gradientTolerance(eps)
                } else if evaluations >= maxEvaluations {
                    reason = .evaluationBudget(maxEvaluations)
                } else if ratio >= 1e-4 && iterations >= maxIterations {
                    reason = .iterationBudget(maxIterations)
                } else if !(delta > 0) || !delta.isFinite {
                    reason = .stalled("the trust region collapsed")
                }
                if reason != nil { break outer }
            } while ratio < 1e-4
        }
        let stopReason = reason ?? .stalled("no progress")
        let extended = try ExtendedPrecisionStage.run(model, from: x, refine: stopReason.converged,
                                                      parallelism: parallelism)
        return try NonlinearLeastSquaresFit(
            model: model, estimates: extended?.estimates ?? x, iterations: iterations, evaluations: evaluations,
            stopReason: stopReason, parallelism: parallelism, extended: extended)
    }

    /// The geodesic acceleration a = −½ (JᵀJ + λD²)⁻¹ Jᵀ r″ᵥ for the step v, or nil when r″ᵥ is not finite.
    private func acceleration(_ model: NonlinearModel, x: [Double], v: [Double], qr: PivotedQR,
                              solver: inout TrustRegionSolver, diag: [Double], par: Double) throws -> [Double]? {
        let fvv = model.secondDirectionalDerivatives(at: x, direction: v, parallelism: parallelism)
        guard fvv.allSatisfy(\.isFinite) else { return nil }
        let q = try qr.applyQTransposed(Matrix(rows: fvv.count, columns: 1, columnMajor: fvv))
        let sq = par.squareRoot()
        let z = solver.solve(diag: diag.map { sq * $0 }, qtb: Array(q.storage.prefix(v.count)))
        let a = z.map { -0.5 * $0 }
        return a.allSatisfy(\.isFinite) ? a : nil
    }
}
