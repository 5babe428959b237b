import LinearAlgebra

/// One row of the coefficient table.
public struct CoefficientRow: Sendable, Codable, Equatable {
    /// The term name as Tabular's design names the column (`(Intercept)`, `x1:x2`, `gB`).
    public let term: String
    /// The coefficient β̂ⱼ.
    public let estimate: Double
    /// √V̂ⱼⱼ under the fit's variance type.
    public let stdError: Double
    /// estimate / std_error.
    public let statistic: Double
    /// Two-sided p-value from Student's t with `RegressionResult.inferenceDF` degrees of freedom.
    public let pValue: Double
    /// β̂ − t·se, t the (1 + level)/2 quantile of Student's t with `inferenceDF` df.
    public let confLow: Double
    /// β̂ + t·se, the same t.
    public let confHigh: Double

    enum CodingKeys: String, CodingKey {
        case term, estimate, statistic
        case stdError = "std_error", pValue = "p_value", confLow = "conf_low", confHigh = "conf_high"
    }
}

/// A Wald F test: statistic W/q with q and the denominator degrees of freedom.
public struct FTest: Sendable, Codable, Equatable {
    /// F = W/q: the Wald statistic divided by the number of restrictions.
    public let statistic: Double
    /// q, the number of restrictions.
    public let df1: Int
    /// The denominator degrees of freedom.
    public let df2: Int
    /// P(F(df1, df2) > statistic), as R's `pf(…, lower.tail = FALSE)`.
    public let pValue: Double

    enum CodingKeys: String, CodingKey {
        case statistic, df1, df2
        case pValue = "p_value"
    }
}

/// The first-stage strength of the instruments for one endogenous regressor.
public struct FirstStage: Sendable, Codable, Equatable {
    /// The endogenous regressor.
    public let endogenous: String
    /// Wald F of the excluded instruments in its first-stage regression, with the model's
    /// variance type (classical F under iid; robust/cluster Wald F otherwise).
    public let fStatistic: FTest
    /// R² of the first stage partialled of the exogenous regressors.
    public let partialRSquared: Double

    enum CodingKeys: String, CodingKey {
        case endogenous
        case fStatistic = "f_statistic", partialRSquared = "partial_r_squared"
    }
}

/// A Wald test of a linear hypothesis and its text.
public struct HypothesisTest: Sendable, Codable, Equatable {
    /// The hypothesis as written (`x1 = x2; x3 = 0`).
    public let hypothesis: String
    /// Its Wald F test (denominator df: the fit's `inferenceDF`).
    public let test: FTest

    /// A test and the hypothesis text it tested.
    public init(hypothesis: String, test: FTest) {
        self.hypothesis = hypothesis
        self.test = test
    }
}

/// Everything a fitted linear model reports; Encodable to the JSON of `policylab estimate`.
public struct RegressionResult: Sendable, Codable {
    /// "ols", "wls", "iv" (2SLS), with "+fe" when fixed effects were absorbed.
    public let model: String
    /// The model formula.
    public let formula: String
    /// The response variable's name.
    public let response: String
    /// Observations used (after missing values, zero weights and singletons).
    public let nobs: Int
    /// nobs − kept coefficients − absorbed fixed-effect parameters (Σ levels − (Q − 1), as fixest).
    public let dfResidual: Int
    /// 1 − RSS/TSS, weighted; TSS centered with an intercept or fixed effects, else uncentered
    /// (R's `lm` convention).
    public let rSquared: Double
    /// 1 − (1 − R²)(n − c)/df_residual, with c = 1 when TSS is centered, else 0.
    public let adjRSquared: Double
    /// R² of the demeaned model (fixed-effect models only).
    public let withinRSquared: Double?
    /// √(Σwᵢuᵢ²/df_residual).
    public let sigma: Double
    /// The variance estimator (`hc1`, `cluster:firm`, `nw:4`).
    public let vcov: String
    /// The degrees of freedom of the t tests (df_residual, or G − 1 when clustered).
    public let inferenceDF: Int
    /// The confidence level of `conf_low`/`conf_high`.
    public let confidenceLevel: Double
    /// Aliased terms dropped from the fit (R reports them as NA).
    public let dropped: [String]
    /// The absorbed fixed-effect terms and their group counts.
    public let fixedEffects: [String]
    /// Levels of each absorbed fixed effect (after singleton removal), in `fixedEffects` order.
    public let fixedEffectLevels: [Int]
    /// The kept (non-aliased) coefficients in design-column order (IV: endogenous regressors last).
    public let coefficients: [CoefficientRow]
    /// The covariance of the kept coefficients, row-major, in `coefficients` order.
    public let vcovMatrix: [[Double]]
    /// The Wald F test that every slope (every coefficient but the intercept) is zero.
    public let fStatistic: FTest?
    /// First-stage statistics per endogenous regressor (IV only).
    public let firstStage: [FirstStage]?
    /// The Kleibergen–Paap rk Wald F (IV only; the Cragg–Donald F under iid).
    public let weakInstrumentF: Double?
    /// Clusters per clustering variable (cluster-robust variances only).
    public let clusterCounts: [Int]?
    /// Rows the design dropped for missing values, zero weights, and singletons.
    public let droppedRows: Int
    /// Observations removed as fixed-effect singletons (also counted in `droppedRows`).
    public let singletonsRemoved: Int
    /// The least-squares method and the condition estimate of the equilibrated design.
    public let solver: String
    /// The estimated κ₁ of the column-equilibrated √W·X (kept columns); large values flag
    /// near-collinearity.
    public let conditionNumber: Double
    /// Things the user should know (a variance type that fell back, …).
    public let warnings: [String]
    /// Wald tests of linear hypotheses requested with the fit (`--test`), in request order.
    public var hypothesisTests: [HypothesisTest]? = nil

    enum CodingKeys: String, CodingKey {
        case model, formula, response, nobs, sigma, vcov, dropped, coefficients, solver, warnings
        case dfResidual = "df_residual", rSquared = "r_squared", adjRSquared = "adj_r_squared"
        case withinRSquared = "within_r_squared", inferenceDF = "inference_df", confidenceLevel = "confidence_level"
        case fixedEffects = "fixed_effects", fixedEffectLevels = "fixed_effect_levels", vcovMatrix = "vcov_matrix"
        case fStatistic = "f_statistic", firstStage = "first_stage", weakInstrumentF = "weak_instrument_f"
        case clusterCounts = "cluster_counts", droppedRows = "dropped_rows", singletonsRemoved = "singletons_removed"
        case conditionNumber = "condition_number", hypothesisTests = "hypothesis_tests"
    }

    /// The coefficient row of `term`, if it was estimated.
    public func coefficient(_ term: String) -> CoefficientRow? { coefficients.first { $0.term == term } }

    /// The covariance as a `Matrix` (kept coefficients, in `coefficients` order).
    public var covariance: Matrix {
        Matrix(rows: vcovMatrix.count, columns: vcovMatrix.count) { i, j in vcovMatrix[i][j] }
    }
}
