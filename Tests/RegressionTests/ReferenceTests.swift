import Foundation
import LinearAlgebra
import Tabular
import Testing
@testable import Regression

// Every case of the committed R / pyfixest reference values (see scripts/reference/README.md):
// coefficients, standard errors and the full covariance to 1e-8 relative (issue 4), R², σ and
// F statistics to 1e-8, p-values and confidence limits to 1e-7 (they add a t quantile).

let referenceFiles = ["sim_cross", "sim_ts", "cigarettes_sw_1995", "cigarettes_sw", "grunfeld", "journals", "sim_panel"]

/// Fits a reference case the way its `tool` did.
func fitReference(_ reference: ReferenceCase, parallelism: Parallelism = .serial) throws -> RegressionResult {
    var options = RegressionOptions(vcov: try VarianceType(parsing: reference.vcov), parallelism: parallelism)
    options.fixedEffects.removeSingletons = (reference.singletons_removed ?? 0) > 0
    return try LinearRegression.fit(table: try reference.table(), formula: reference.formula, weights: reference.weights, options: options)
}

/// Cross-checks in the reference files that follow other small-sample conventions than the
/// ones PolicyLab implements (estimatr's "stata" clustering counts every fixed-effect level in K;
/// plm's Arellano HC1 uses N/(N − slopes) without G/(G − 1)); their coefficients are still
/// compared in `otherConventionsAgreeOnCoefficients`.
let otherConventionCases: Set<String> = ["panel_fe_estimatr_cluster_state", "panel_feiv_estimatr_cluster_state",
                                         "grunfeld_fe_estimatr_cluster_firm", "panel_fe_plm_arellano_hc1_id"]

@Suite("R and fixest reference values")
struct ReferenceTests {
    static let fullCases = ReferenceCase.loadAll(referenceFiles) { !otherConventionCases.contains($0.name) }
    static let otherCases = ReferenceCase.loadAll(referenceFiles) { otherConventionCases.contains($0.name) }

    @Test("cross-checks with other small-sample conventions agree on coefficients", arguments: otherCases)
    func otherConventionsAgreeOnCoefficients(reference: ReferenceCase) throws {
        let result = try fitReference(reference)
        #expect(result.coefficients.map(\.term) == reference.terms)
        for (row, expected) in zip(result.coefficients, reference.estimate) {
            #expect(close(row.estimate, expected, relative: 1e-8), "\(reference.name) \(row.term)")
        }
        if let nobs = reference.nobs { #expect(result.nobs == nobs) }
    }

    @Test("coefficients, covariance and fit statistics agree to 1e-8", arguments: fullCases)
    func agrees(reference: ReferenceCase) throws {
        let result = try fitReference(reference)
        let label = "\(reference.name) [\(reference.tool)]"
        #expect(result.coefficients.map(\.term) == reference.terms, "\(label) terms")
        guard result.coefficients.count == reference.terms.count else { return }
        if let nobs = reference.nobs { #expect(result.nobs == nobs, "\(label) nobs") }
        if let df = reference.df_residual { #expect(result.dfResidual == df, "\(label) df_residual \(result.dfResidual) vs \(df)") }
        if let df = reference.inference_df { #expect(result.inferenceDF == df, "\(label) inference df \(result.inferenceDF) vs \(df)") }
        if let dropped = reference.dropped { #expect(result.dropped == dropped, "\(label) dropped") }
        if let lag = reference.nw_lag { #expect(result.vcov == "nw:\(lag)", "\(label) lag: \(result.vcov)") }
        let scale = reference.estimate.map(Swift.abs).max() ?? 1
        for (j, row) in result.coefficients.enumerated() {
            #expect(close(row.estimate, reference.estimate[j], relative: 1e-8, floor: 1e-6 * scale), "\(label) \(row.term) estimate \(row.estimate) vs \(reference.estimate[j])")
            if let se = reference.std_error?[j] { #expect(close(row.stdError, se, relative: 1e-8), "\(label) \(row.term) se \(row.stdError) vs \(se)") }
            if let p = reference.p_value?[j] { #expect(close(row.pValue, p, relative: 1e-7, floor: 1e-300), "\(label) \(row.term) p \(row.pValue) vs \(p)") }
            if let low = reference.conf_low?[j], let high = reference.conf_high?[j] {
                let width = high - low
                #expect(close(row.confLow, low, relative: 1e-7, floor: width), "\(label) \(row.term) conf_low")
                #expect(close(row.confHigh, high, relative: 1e-7, floor: width), "\(label) \(row.term) conf_high")
            }
        }
        if let v = reference.vcov_matrix {
            for i in v.indices {
                for j in v.indices {
                    let floor = (v[i][i] * v[j][j]).squareRoot()
                    #expect(close(result.vcovMatrix[i][j], v[i][j], relative: 1e-8, floor: floor), "\(label) vcov[\(i),\(j)]")
                }
            }
        }
        if let r2 = reference.r_squared { #expect(close(result.rSquared, r2, relative: 1e-8, floor: 1e-8), "\(label) R² \(result.rSquared) vs \(r2)") }
        if let r2 = reference.adj_r_squared { #expect(close(result.adjRSquared, r2, relative: 1e-8, floor: 1e-8), "\(label) adj R² \(result.adjRSquared) vs \(r2)") }
        if let r2 = reference.within_r_squared, let within = result.withinRSquared { #expect(close(within, r2, relative: 1e-8, floor: 1e-8), "\(label) within R²") }
        if let sigma = reference.sigma { #expect(close(result.sigma, sigma, relative: 1e-8), "\(label) sigma") }
        if let f = reference.f_statistic {
            #expect(close(result.fStatistic?.statistic ?? .nan, f.value, relative: 1e-8), "\(label) F \(result.fStatistic?.statistic ?? .nan) vs \(f.value)")
            #expect(result.fStatistic?.df1 == f.df1 && result.fStatistic?.df2 == f.df2, "\(label) F df")
        }
        if let wald = reference.wald {
            var restriction: [String: Double] = [:]
            for (j, value) in wald.R[0].enumerated() where value != 0 { restriction[reference.terms[j]] = value }
            let test = try result.wald([restriction], values: wald.r)
            #expect(close(test.statistic, wald.statistic, relative: 1e-8), "\(label) Wald \(test.statistic) vs \(wald.statistic)")
            #expect(close(test.pValue, wald.p_value, relative: 1e-7), "\(label) Wald p")
        }
        if let weak = reference.weak_identification {
            let expected = reference.vcov == "iid" ? weak.cragg_donald_f : weak.rk_wald_f
            if let expected {
                #expect(close(result.weakInstrumentF ?? .nan, expected, relative: 1e-8),
                        "\(label) weak-instrument F (\(weak.vcov)) \(result.weakInstrumentF ?? .nan) vs \(expected)")
            }
        }
        if let stages = reference.first_stage_f, let ours = result.firstStage {
            let key: String
            switch try VarianceType(parsing: reference.vcov) {
            case .iid: key = "classical"
            case .hc1: key = "HC1"
            case let .cluster(names): key = "stata_cluster_" + names.joined(separator: "_")
            default: key = ""
            }
            for stage in ours {
                guard let expected = stages[key]?[stage.endogenous] else { continue }
                #expect(close(stage.fStatistic.statistic, expected.value, relative: 1e-8), "\(label) first-stage F \(stage.endogenous) \(stage.fStatistic.statistic) vs \(expected.value)")
                #expect(stage.fStatistic.df1 == expected.df1 && stage.fStatistic.df2 == expected.df2, "\(label) first-stage df \(stage.fStatistic.df2) vs \(expected.df2)")
            }
        }
    }
}
