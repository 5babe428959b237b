import LinearAlgebra

/// One row of the coefficient table.
public struct CoefficientRow: Sendable, Codable, Equatable {
    /// The term name as Tabular's design names the column (`(Intercept)`, `x1:x2`, `gB`).
    public let term: String
    public let estimate: Double
    public let stdError: Double
    /// estimate / std_error.
    public let statistic: Double
    /// Two-sided p-value from Student's t with `RegressionResult.inferenceDF` degrees of freedom.
    public let pValue: Double
    public let confLow: Double
    public let confHigh: Double

    enum CodingKeys: String, CodingKey {
        case term, estimate, statistic
        case stdError = "std_error", pValue = "p_value", confLow = "conf_low", confHigh = "conf_high"
    }
}

/// A Wald F test: statistic W/q with q and the denominator degrees of freedom.
public struct FTest: Sendable, Codable, Equatable {
    public let statistic: Double
    public let df1: Int
    public let df2: Int
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
    public let hypothesis: String
    public let test: FTest

    public init(hypothesis: String, test: FTest) {
        self.hypothesis = hypothesis
        self.test = test
    }
}

/// Everything a fitted linear model reports; Encodable to the JSON of `policylab estimate`.
public struct RegressionResult: Sendable, Codable {
    /// "ols", "wls", "iv" (2SLS), with "+fe" when fixed effects were absorbed.
    public let model: String
    public let formula: String
    public let response: String
    /// Observations used (after missing values, zero weights and singletons).
    public let nobs: Int
    public let dfResidual: Int
    public let rSquared: Double
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
    public let fixedEffectLevels: [Int]
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
    public let singletonsRemoved: Int
    /// The least-squares method and the condition estimate of the equilibrated design.
    public let solver: String
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
