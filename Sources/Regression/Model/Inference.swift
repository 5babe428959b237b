import LinearAlgebra

/// t tests, confidence intervals and Wald tests from coefficients and their covariance.
public enum Inference {
    /// The coefficient table: t = β/se, two-sided p from t(df), interval β ± t_{(1+level)/2, df}·se.
    /// - Complexity: O(k) plus one t quantile.
    public static func coefficientRows(terms: [String], estimates: [Double], covariance: Matrix,
                                       degreesOfFreedom df: Int, level: Double) -> [CoefficientRow] {
        let nu = df > 0 ? Double(df) : .nan
        let critical = TestDistributions.studentTQuantile((1 + level) / 2, degreesOfFreedom: nu)
        return terms.indices.map { j in
            let se = covariance[j, j].squareRoot()
            let t = estimates[j] / se
            return CoefficientRow(term: terms[j], estimate: estimates[j], stdError: se, statistic: t,
                                  pValue: TestDistributions.studentTTwoSided(t, degreesOfFreedom: nu),
                                  confLow: estimates[j] - critical * se, confHigh: estimates[j] + critical * se)
        }
    }

    /// The Wald test of R·β = r in F form: W = (Rβ − r)ᵀ(R·V·Rᵀ)⁻¹(Rβ − r), F = W/q with
    /// q = rows of R, p-value from F(q, `denominatorDF`).
    /// - Throws: `RegressionError.hypothesis` for mismatched shapes, or an R·V·Rᵀ that is singular
    ///   (redundant or untestable restrictions).
    /// - Complexity: O(q·k² + q³).
    public static func wald(estimates: [Double], covariance: Matrix, restrictions: Matrix, values: [Double],
                            denominatorDF: Int) throws -> FTest {
        let q = restrictions.rows, k = estimates.count
        guard restrictions.columns == k, values.count == q, q > 0 else {
            throw RegressionError.hypothesis(reason: "R must be q×\(k) with q ≥ 1 and r of length q; got R \(restrictions.rows)×\(restrictions.columns), r \(values.count)")
        }
        var discrepancy = try Matrix.product(restrictions.view, estimates)
        for i in 0..<q { discrepancy[i] -= values[i] }
        let middle = try Matrix.product(try Matrix.product(restrictions.view, covariance.view).view, restrictions.view.T)
        let solved: [Double]
        do {
            solved = try Cholesky(middle).solve(discrepancy)
        } catch {
            throw RegressionError.hypothesis(reason: "R·V·Rᵀ is singular: the restrictions are redundant or involve no estimated variation")
        }
        var w = 0.0
        for i in 0..<q { w += discrepancy[i] * solved[i] }
        let f = w / Double(q)
        return FTest(statistic: f, df1: q, df2: denominatorDF,
                     pValue: TestDistributions.fUpperTail(f, numeratorDF: Double(q), denominatorDF: Double(denominatorDF)))
    }
}

extension RegressionResult {
    /// The Wald test of R·β = r on this fit's coefficients and covariance, with named terms:
    /// each restriction maps term names to their coefficient in that row of R.
    /// The denominator df is the fit's inference df (df_residual, or G − 1 when clustered).
    /// - Throws: `RegressionError.hypothesis` for an unknown or dropped term, or singular R·V·Rᵀ.
    public func wald(_ restrictions: [[String: Double]], values: [Double]? = nil) throws -> FTest {
        let terms = coefficients.map(\.term)
        var r = Matrix(rows: restrictions.count, columns: terms.count)
        for (i, row) in restrictions.enumerated() {
            for (term, value) in row {
                guard let j = terms.firstIndex(of: term) else {
                    let reason = dropped.contains(term) ? "term '\(term)' was dropped as aliased and cannot be tested"
                        : "unknown term '\(term)'; the terms are \(terms.joined(separator: ", "))"
                    throw RegressionError.hypothesis(reason: reason)
                }
                r[i, j] = value
            }
        }
        return try Inference.wald(estimates: coefficients.map(\.estimate), covariance: covariance, restrictions: r,
                                  values: values ?? Array(repeating: 0, count: restrictions.count), denominatorDF: inferenceDF)
    }
}
