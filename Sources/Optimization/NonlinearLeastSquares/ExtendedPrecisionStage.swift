import LinearAlgebra

/// The extended-precision final stage of a nonlinear least-squares fit, for a model that holds
/// its data in double-double (`NonlinearModel.hasExtendedData`).
///
/// Why: when the residuals are a few hundred ulps of the response (NIST's Lanczos1: RSS
/// 1.4e-25, residuals ~8e-14 against y of 0.1 to 2.5), rounding the data to doubles and
/// evaluating f(x; β) in double perturb every residual by ~0.1–1 %, so the RSS, σ̂ and every
/// standard error keep only ~3 digits, although β itself is fine.
///
/// What: from the Levenberg–Marquardt estimate, Gauss–Newton steps β ← β − J⁺r with r = f − y
/// evaluated in double-double and rounded to double (accurate to ~1 ulp of itself) and J the
/// double Jacobian (its rounding errors only slow the convergence of a step that is already
/// ~1e-16 relative). J⁺ comes from the SVD of J with singular values ≤ max(m,p)·ε·σ₁
/// dropped. It stops when a step leaves β unchanged, after `maxSteps` steps, or at the first
/// step that does not lower the double-double RSS (that step is not taken). The RSS Σrᵢ² is
/// accumulated in double-double.
struct ExtendedPrecisionStage {
    /// The most Gauss–Newton steps taken.
    static let maxSteps = 5

    /// The refined estimates, their RSS (double-double sum, rounded once) and the number of
    /// steps taken.
    let estimates: [Double]
    let residualSumOfSquares: Double
    let steps: Int

    /// Runs the stage from `start` (only the RSS when `refine` is false), or nil when the model
    /// has no extended data or its extended residuals at `start` are not finite.
    /// - Throws: `LinearAlgebraError` only for failures of the SVD itself.
    /// - Complexity: per step one Jacobian (O(m·p·tape)), one SVD (O(m·p²)) and one
    ///   double-double residual pass.
    static func run(_ model: NonlinearModel, from start: [Double], refine: Bool,
                    parallelism: Parallelism) throws -> ExtendedPrecisionStage? {
        guard let r0 = model.extendedResiduals(at: start, parallelism: parallelism) else { return nil }
        var x = start
        var residuals = r0
        var rss = sumOfSquares(residuals)
        guard rss.isFinite else { return nil }
        var steps = 0
        while refine && steps < maxSteps {
            let (_, jacobian) = model.residualsAndJacobian(at: x, parallelism: parallelism)
            guard jacobian.isFinite, let step = try gaussNewtonStep(jacobian, residuals.map(\.value)) else { break }
            let trial = zip(x, step).map { $0 - $1 }
            if trial == x { break }
            guard let trialResiduals = model.extendedResiduals(at: trial, parallelism: parallelism) else { break }
            let trialRSS = sumOfSquares(trialResiduals)
            guard trialRSS.isFinite, trialRSS < rss else { break }
            x = trial
            residuals = trialResiduals
            rss = trialRSS
            steps += 1
        }
        return ExtendedPrecisionStage(estimates: x, residualSumOfSquares: rss.value, steps: steps)
    }

    /// Σ rᵢ² in double-double, in row order.
    static func sumOfSquares(_ r: [DoubleDouble]) -> DoubleDouble {
        var sum = DoubleDouble.zero
        for v in r { sum += v * v }
        return sum
    }

    /// J⁺r by the SVD of J (singular values ≤ max(m,p)·ε·σ₁ dropped), or nil when J has no
    /// usable singular value or the step is not finite.
    private static func gaussNewtonStep(_ jacobian: Matrix, _ r: [Double]) throws -> [Double]? {
        let svd = try SingularValueDecomposition(jacobian)
        let s = svd.singularValues
        let m = jacobian.rows, p = jacobian.columns
        let tolerance = Double(Swift.max(m, p)) * Double.ulpOfOne * (s.first ?? 0)
        var step = [Double](repeating: 0, count: p)
        var used = 0
        for k in 0..<s.count where s[k] > tolerance {
            var projection = 0.0
            for i in 0..<m { projection += svd.u[i, k] * r[i] }
            let c = projection / s[k]
            for j in 0..<p { step[j] += c * svd.vt[k, j] }
            used += 1
        }
        return used > 0 && step.allSatisfy(\.isFinite) ? step : nil
    }
}
