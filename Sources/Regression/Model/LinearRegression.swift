import LinearAlgebra
import Tabular

/// Linear models on a design: OLS, WLS, IV/2SLS, each with any number of absorbed fixed
/// effects and any `VarianceType`.
public enum LinearRegression {
    /// Parses `formula`, builds its design on `table` (with the cluster columns the variance
    /// type names) and fits it. See `fit(_:options:)`.
    /// - Throws: `TabularError` for the formula and data; `RegressionError` for the fit.
    public static func fit(table: Table, formula: String, weights: String? = nil,
                           options: RegressionOptions = RegressionOptions()) throws -> RegressionResult {
        let design = try DesignMatrix(formula: formula, table: table, weights: weights,
                                      clusters: options.vcov.clusterColumns, parallelism: options.parallelism)
        return try fit(design, options: options)
    }

    /// Fits the linear model of `design`.
    ///
    /// Rows with weight 0 are left out (and counted in `droppedRows`, as R's `lm` leaves them
    /// out of the degrees of freedom); with fixed effects, singletons are removed and y, X
    /// (and the endogenous and instrument columns) are demeaned first. 2SLS regresses each
    /// endogenous column on the exogenous regressors and instruments, then y on [X, fitted];
    /// residuals and every variance use the structural residual y − [X, endogenous]·β, and
    /// the scores multiply the projected regressors (as `AER::ivreg` with sandwich).
    /// - Throws: `RegressionError.notEstimable` when fewer observations remain than
    ///   parameters, or every regressor is aliased; `.variance` for a variance that cannot be
    ///   computed (one cluster, leverage 1); `.fixedEffectsNotConverged`; `.invalidOption`.
    /// - Complexity: O(n·k²) for the fit and each sandwich; O(n·Q) per fixed-effect sweep and column.
    public static func fit(_ design: DesignMatrix, options: RegressionOptions = RegressionOptions()) throws -> RegressionResult {
        try fit(RegressionData(design: design), options: options)
    }

    /// Fits the linear model of `data`; see `fit(_:options:)` for a design.
    public static func fit(_ data: RegressionData, options: RegressionOptions = RegressionOptions()) throws -> RegressionResult {
        // Every BLAS/LAPACK call of the fit runs with OpenBLAS at one thread, so the result does
        // not depend on its thread count; the heavy passes are `Parallel` regions of their own.
        try OpenBLASThreads.singleThreaded {
            guard data.finiteCheckPending else { return try fitSingleThreadedBLAS(data, options: options) }
            // `RegressionData.FiniteCheck.byFit`: without weights, fixed effects or instruments
            // the fit keeps every row and fails on any NaN or ±∞ (XᵀX's diagonal or the solve's
            // check of y), so the scan runs only after a failure and throws construction's error
            // if there is one. Other fits scan first, as construction would have.
            var checked = data
            checked.finiteCheckPending = false
            let fused = data.weights == nil && data.fixedEffects.isEmpty && data.endogenous == nil && data.instruments == nil
            if !fused {
                try RegressionData.checkFinite(x: data.x, y: data.y, names: data.columnNames, parallelism: options.parallelism)
                return try fitSingleThreadedBLAS(checked, options: options)
            }
            do {
                return try fitSingleThreadedBLAS(checked, options: options)
            } catch {
                try checked.diagnoseFailedFit(parallelism: options.parallelism)
                throw error
            }
        }
    }

    private static func fitSingleThreadedBLAS(_ design: RegressionData, options: RegressionOptions) throws -> RegressionResult {
        try options.validate()
        var solve = options.solve
        solve.parallelism = options.parallelism
        let clusterNames = options.vcov.clusterColumns
        guard design.clusters.count == clusterNames.count else {
            throw RegressionError.variance(type: options.vcov.description, reason:
                "the design was built with \(design.clusters.count) cluster columns; build it with clusters: \(clusterNames)")
        }

        // Rows: positive weight, then singletons. `use` is nil while every row is kept, so
        // OLS without weights or fixed effects builds no index array.
        let total = design.y.count
        var use: [Int]?
        if let w = design.weights, !w.allSatisfy({ $0 > 0 }) { use = w.indices.filter { w[$0] > 0 } }
        guard (use?.count ?? total) > 0 else { throw RegressionError.notEstimable(reason: "no observation has a positive weight") }
        var absorbed: AbsorbedEffects?
        if !design.fixedEffects.isEmpty {
            let count = use?.count ?? total
            let groups = design.fixedEffects.map { AbsorbedEffects.recode($0, rows: use) }
            let effects = AbsorbedEffects(groups: groups, rows: count, removeSingletons: options.fixedEffects.removeSingletons)
            if effects.keptRows.count != count {
                use = use.map { rows in effects.keptRows.map { rows[$0] } } ?? effects.keptRows
            }
            absorbed = effects
        }
        let n = use?.count ?? total
        guard n > 0 else { throw RegressionError.notEstimable(reason: "no observation is left after removing singletons") }
        let y = use.map { rows in rows.map { design.y[$0] } } ?? design.y
        let weights = design.weights.map { w in use.map { rows in rows.map { w[$0] } } ?? w }
        var x = use.map { design.x.selectingRows($0) } ?? design.x
        var endogenous = design.endogenous.map { m in use.map { m.selectingRows($0) } ?? m }
        var instruments = design.instruments.map { m in use.map { m.selectingRows($0) } ?? m }
        let clusters = design.clusters.map { AbsorbedEffects.recode($0, rows: use) }

        // Within transformation.
        var yModel = y
        if let absorbed {
            // y, X, and the IV blocks are demeaned as one set of column tasks, each returned on its own.
            var blocks = [try Matrix(rows: n, columns: 1, columnMajor: y), x]
            if let e = endogenous { blocks.append(e) }
            if let z = instruments { blocks.append(z) }
            let (demeaned, _) = try absorbed.demean(blocks, weights: weights, options: options.fixedEffects, parallelism: options.parallelism)
            blocks = []
            yModel = demeaned[0].storage
            x = demeaned[1]
            var next = 2
            if endogenous != nil { endogenous = demeaned[next]; next += 1 }
            if instruments != nil { instruments = demeaned[next] }
        }
        let fixedEffectParameters = absorbed.map { FixedEffectCount.parameters($0, clusters: []) } ?? 0
        let clusterFixedEffectParameters = absorbed.map { FixedEffectCount.parameters($0, clusters: clusters) } ?? 0

        // The fit: OLS/WLS, or the second stage of 2SLS.
        let names = design.columnNames + design.endogenousNames
        let regressors: Matrix       // the columns the scores multiply (X or [X, X̂_endog])
        let structural: Matrix       // the columns the residuals use (X or [X, endog])
        var firstStageFits: [(fitted: [Double], fit: LeastSquaresFit)] = []
        if let endogenous, let instruments {
            let z = x.appendingColumns(instruments)
            for j in 0..<endogenous.columns {
                let column = Array(endogenous.column(j))
                let first = try LeastSquaresFit(x: z.view, y: column, weights: weights, options: solve)
                firstStageFits.append((zip(column, first.residuals).map { $0 - $1 }, first))
            }
            let fitted = try Matrix(rows: n, columns: endogenous.columns, columnMajor: Array(firstStageFits.map(\.fitted).joined()))
            regressors = x.appendingColumns(fitted)
            structural = x.appendingColumns(endogenous)
        } else {
            regressors = x
            structural = x
        }
        guard regressors.columns > 0 else {
            throw RegressionError.notEstimable(reason: "the model has no regressors (add terms, or an intercept)")
        }
        // OLS with HC0/HC1: the meat comes from the residuals' own pass over X.
        var mainSolve = solve
        mainSolve.wantsResidualGram = weights == nil && design.endogenous == nil && (options.vcov == .hc0 || options.vcov == .hc1)
        let fit = try LeastSquaresFit(x: regressors.view, y: yModel, weights: weights, options: mainSolve)
        let kept = fit.kept
        let p = kept.count
        let residualDF = n - p - fixedEffectParameters
        guard residualDF >= 1 else {
            throw RegressionError.notEstimable(reason:
                "\(n) observations for \(p) coefficients\(fixedEffectParameters > 0 ? " and \(fixedEffectParameters) fixed-effect parameters" : ""): "
                + "at least one more observation than parameters is needed")
        }
        let residuals = design.endogenous == nil ? fit.residuals
            : try LeastSquaresFit.residuals(x: structural.view, y: yModel, beta: fit.coefficients.map { $0.isNaN ? 0 : $0 },
                                            parallelism: options.parallelism)
        let keptRegressors = fit.aliased.isEmpty ? regressors : regressors.selectingColumns(kept)
        let keptNames = kept.map { names[$0] }
        let keptStructural = fit.aliased.isEmpty ? structural : structural.selectingColumns(kept)
        var model = ScoreModel(x: keptRegressors.view, residuals: residuals, weights: weights, bread: fit.bread,
                               residualDF: residualDF, parameters: p + fixedEffectParameters,
                               clusterParameters: p + clusterFixedEffectParameters,
                               interceptColumn: keptNames.firstIndex(of: "(Intercept)"), parallelism: options.parallelism)
        if design.endogenous != nil { model.structural = keptStructural.view }
        if fit.aliased.isEmpty {
            model.residualGram = fit.residualGram
            model.residualSumOfSquares = fit.residualSumOfSquares
        }
        model.clusterAdjustment = options.clusterAdjustment ?? (absorbed == nil ? .perClustering : .smallestClustering)
        // Sums of squares of R², checked before the variance (which would overflow with them).
        let rss = try model.weightedRSS()
        let hasConstant = design.hasIntercept || absorbed != nil
        let tss = try GoodnessOfFit.totalSumOfSquares(y, weights: weights, centered: hasConstant, parallelism: options.parallelism)
        guard rss.isFinite, tss.isFinite else {
            // Finite data whose squares overflow (|y| from about 1e154): no variance or R² would be finite.
            guard weights == nil, let i = y.indices.max(by: { abs(y[$0]) < abs(y[$1]) }) else {
                throw RegressionError.notEstimable(reason: "the weighted sums of squares of y overflow: rescale the response or the weights")
            }
            throw RegressionError.notEstimable(reason:
                "the sums of squares of y overflow (y is \(y[i]) at row \((use?[i] ?? i) + 1)): rescale the response")
        }
        let covariance = try CovarianceEstimator.estimate(options.vcov, model: model, clusters: clusters)
        guard VectorKernels.allFinite(covariance.matrix.storage) else {
            // Finite data whose products overflow (scores ψᵢ = wᵢuᵢ squared, times xᵢxᵢᵀ): no standard error would be finite.
            throw RegressionError.variance(type: options.vcov.description, reason:
                "the covariance matrix overflows (residuals, weights or regressors too large to square): rescale the data")
        }
        let estimates = fit.keptCoefficients
        let rows = Inference.coefficientRows(terms: keptNames, estimates: estimates, covariance: covariance.matrix,
                                             degreesOfFreedom: covariance.inferenceDF, level: options.confidenceLevel)

        let rSquared = 1 - rss / tss
        let adjusted = 1 - (1 - rSquared) * Double(n - (hasConstant ? 1 : 0)) / Double(residualDF)
        let within = absorbed == nil ? nil : 1 - rss / (try GoodnessOfFit.totalSumOfSquares(yModel, weights: weights, centered: false, parallelism: options.parallelism))

        let slopes = keptNames.indices.filter { keptNames[$0] != "(Intercept)" }
        var slopeTest: FTest?
        if !slopes.isEmpty {
            var r = Matrix(rows: slopes.count, columns: p)
            for (i, j) in slopes.enumerated() { r[i, j] = 1 }
            slopeTest = try? Inference.wald(estimates: estimates, covariance: covariance.matrix, restrictions: r,
                                            values: Array(repeating: 0, count: slopes.count), denominatorDF: residualDF)
        }

        var firstStage: [FirstStage]?
        var weakInstrumentF: Double?
        if let instruments, !firstStageFits.isEmpty {
            let stages = try InstrumentStrength.firstStages(
                x: x, instruments: instruments, endogenous: endogenous ?? Matrix(rows: n, columns: 0), endogenousNames: design.endogenousNames, fits: firstStageFits.map(\.fit),
                weights: weights, vcov: options.vcov, clusters: clusters, fixedEffectParameters: fixedEffectParameters,
                clusterFixedEffectParameters: clusterFixedEffectParameters, clusterAdjustment: model.clusterAdjustment, solve: solve)
            firstStage = stages
            weakInstrumentF = KleibergenPaap.fStatistic(
                endogenous: endogenous ?? Matrix(rows: n, columns: 0), instruments: instruments, exogenous: x, weights: weights,
                vcov: options.vcov, clusters: clusters, absorbedParameters: fixedEffectParameters)
        }

        var kind = design.endogenous != nil ? "iv" : (weights != nil ? "wls" : "ols")
        if absorbed != nil { kind += "+fe" }
        let sigma = (rss / Double(residualDF)).squareRoot()
        return RegressionResult(
            model: kind, formula: design.formula, response: design.response, nobs: n, dfResidual: residualDF,
            rSquared: rSquared, adjRSquared: adjusted, withinRSquared: within, sigma: sigma, vcov: covariance.name,
            inferenceDF: covariance.inferenceDF, confidenceLevel: options.confidenceLevel,
            dropped: fit.aliased.map { names[$0] }, fixedEffects: absorbed?.groups.map(\.name) ?? [],
            fixedEffectLevels: absorbed?.groups.map(\.count) ?? [], coefficients: rows,
            vcovMatrix: (0..<p).map { i in (0..<p).map { covariance.matrix[i, $0] } },
            fStatistic: slopeTest, firstStage: firstStage, weakInstrumentF: weakInstrumentF,
            clusterCounts: covariance.clusterCounts.isEmpty ? nil : covariance.clusterCounts,
            droppedRows: design.droppedRows + design.y.count - n, singletonsRemoved: absorbed?.singletonsRemoved ?? 0,
            solver: fit.method.rawValue, conditionNumber: fit.conditionNumber, warnings: [])
    }
}

/// Sums of squares for R².
enum GoodnessOfFit {
    /// Σwᵢvᵢ².
    static func weightedSumOfSquares(_ v: [Double], weights: [Double]?) -> Double {
        totalSumOfSquares(v, weights: weights, centered: false)
    }

    /// `totalSumOfSquares` with the unweighted sums in chunks over the threads
    /// (`VectorKernels.sum(_:parallelism:)`: the same bits for any thread count).
    static func totalSumOfSquares(_ y: [Double], weights: [Double]?, centered: Bool, parallelism: Parallelism) throws -> Double {
        guard weights == nil else { return totalSumOfSquares(y, weights: weights, centered: centered) }
        let mean = centered ? try VectorKernels.sum(y, parallelism: parallelism) / Double(y.count) : 0
        return try VectorKernels.sumOfSquaredDeviations(y, from: mean, parallelism: parallelism)
    }

    /// Σwᵢ(yᵢ − ȳ_w)² when `centered`, else Σwᵢyᵢ² (R's convention without an intercept).
    static func totalSumOfSquares(_ y: [Double], weights: [Double]?, centered: Bool) -> Double {
        guard let w = weights else {
            // Vectorized (several accumulators): a scalar loop's strict order made these two
            // sums cost about 13 ms at 5·10⁶ rows. Their order depends only on the length.
            let mean = centered ? VectorKernels.sum(y) / Double(y.count) : 0
            return VectorKernels.sumOfSquaredDeviations(y, from: mean)
        }
        var mean = 0.0
        if centered {
            var total = 0.0, weight = 0.0
            for i in y.indices { total += w[i] * y[i]; weight += w[i] }
            mean = total / weight
        }
        var sum = 0.0
        for i in y.indices { sum += w[i] * (y[i] - mean) * (y[i] - mean) }
        return sum
    }
}
