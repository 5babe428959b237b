import LinearAlgebra
import Tabular

/// First-stage diagnostics of an IV model: for each endogenous regressor, the Wald F of the
/// excluded instruments in its first-stage regression on [X, Z] with the model's variance type
/// (the classical F under iid; heteroskedasticity- or cluster-robust Wald F otherwise, as
/// estimatr's `iv_robust(diagnostics = TRUE)` and Stata's ivreg2 report), and the partial R².
/// With one endogenous regressor the robust first-stage F is the Kleibergen–Paap rk Wald F.
enum InstrumentStrength {
    static func firstStages(x: Matrix, instruments: Matrix, endogenous: Matrix, endogenousNames: [String], fits: [LeastSquaresFit],
                            weights: [Double]?, vcov: VarianceType, clusters: [GroupCodes], fixedEffectParameters: Int,
                            clusterFixedEffectParameters: Int, clusterAdjustment: ClusterAdjustment, solve: SolveOptions) throws -> [FirstStage] {
        let z = x.appendingColumns(instruments)
        let n = z.rows
        let instrumentColumns = Set(x.columns..<z.columns)
        var stages: [FirstStage] = []
        for (j, fit) in fits.enumerated() {
            let kept = fit.kept
            let p = kept.count
            let tested = kept.indices.filter { instrumentColumns.contains(kept[$0]) }
            guard !tested.isEmpty else {
                throw RegressionError.notEstimable(reason: "every excluded instrument is aliased with the exogenous regressors in the first stage of \(endogenousNames[j])")
            }
            let residualDF = n - p - fixedEffectParameters
            guard residualDF >= 1 else {
                throw RegressionError.notEstimable(reason: "the first stage of \(endogenousNames[j]) has no residual degrees of freedom")
            }
            let keptZ = fit.aliased.isEmpty ? z : z.selectingColumns(kept)
            var model = ScoreModel(x: keptZ.view, residuals: fit.residuals, weights: weights, bread: fit.bread,
                                   residualDF: residualDF, parameters: p + fixedEffectParameters,
                                   clusterParameters: p + clusterFixedEffectParameters, interceptColumn: nil,
                                   parallelism: solve.parallelism)
            model.clusterAdjustment = clusterAdjustment
            let covariance = try CovarianceEstimator.estimate(vcov, model: model, clusters: clusters)
            var r = Matrix(rows: tested.count, columns: p)
            for (i, column) in tested.enumerated() { r[i, column] = 1 }
            let test = try Inference.wald(estimates: fit.keptCoefficients, covariance: covariance.matrix, restrictions: r,
                                          values: Array(repeating: 0, count: tested.count), denominatorDF: covariance.inferenceDF)
            let full = try model.weightedRSS()
            let column = Array(endogenous.column(j))
            let restrictedRSS: Double
            if x.columns > 0 {
                let restricted = try LeastSquaresFit(x: x.view, y: column, weights: weights, options: solve)
                restrictedRSS = GoodnessOfFit.weightedSumOfSquares(restricted.residuals, weights: weights)
            } else {
                restrictedRSS = GoodnessOfFit.weightedSumOfSquares(column, weights: weights)
            }
            stages.append(FirstStage(endogenous: endogenousNames[j], fStatistic: test,
                                     partialRSquared: restrictedRSS > 0 ? 1 - full / restrictedRSS : .nan))
        }
        return stages
    }
}
