import LinearAlgebra
import Tabular

/// What a sandwich needs from a fitted linear model.
struct ScoreModel: Sendable {
    /// The regressors the scores multiply (n × p, kept columns): X for OLS/WLS, the
    /// first-stage fitted X̂ for 2SLS, the demeaned X with fixed effects.
    let x: MatrixView
    /// The residuals uᵢ (structural residuals for 2SLS).
    let residuals: [Double]
    /// Row weights, nil for unweighted.
    let weights: [Double]?
    /// (XᵀWX)⁻¹ on the kept columns.
    let bread: Matrix
    /// Residual degrees of freedom (n − p − absorbed fixed-effect parameters).
    let residualDF: Int
    /// K in the small-sample factors n/(n − K) and (n − 1)/(n − K) of non-cluster estimators.
    let parameters: Int
    /// K for cluster-robust estimators (fixed effects nested in a cluster are not counted, as fixest does).
    let clusterParameters: Int
    /// The column of x that is the intercept, for Newey–West's automatic lag.
    let interceptColumn: Int?
    let parallelism: Parallelism
    /// Multi-way cluster factor: each clustering's own G/(G − 1) (sandwich) or the smallest
    /// G's for every term (fixest).
    var clusterAdjustment: ClusterAdjustment = .perClustering
    /// For 2SLS, the structural regressors [X, endogenous] (kept columns): leverages are then
    /// the diagonal of X·(X̂ᵀX̂)⁻¹·X̂ᵀ. Nil for OLS/WLS.
    var structural: MatrixView? = nil
    /// Xᵀdiag(u²)X computed with the residuals (`LeastSquaresFit.residualGram`), for HC0/HC1
    /// without weights: the same bits as `Matrix.gram(x, rowScale: residuals)`. Nil otherwise.
    var residualGram: Matrix? = nil
    /// Σuᵢ² from that pass (`LeastSquaresFit.residualSumOfSquares`): then `residuals` is empty.
    var residualSumOfSquares: Double? = nil

    var rows: Int { x.rows }

    /// ψᵢ = wᵢ·uᵢ, the factor of xᵢ in the estimating function (sandwich's `estfun`).
    var scores: [Double] {
        guard let weights else { return residuals }
        return zip(residuals, weights).map { $0 * $1 }
    }

    /// Σ wᵢ uᵢ².
    func weightedRSS() throws -> Double {
        if weights == nil, let residualSumOfSquares { return residualSumOfSquares }
        // Unweighted: in chunks over the threads (the same bits for any count).
        guard let weights else { return try VectorKernels.sumOfSquares(residuals, parallelism: parallelism) }
        var total = 0.0
        for i in residuals.indices { total += weights[i] * residuals[i] * residuals[i] }
        return total
    }
}

/// A covariance matrix of the coefficients and how inference should use it.
public struct CovarianceEstimate: Sendable {
    /// The k×k covariance on the kept coefficients.
    public let matrix: Matrix
    /// The estimator as `--vcov` names it, with an automatic lag resolved (`nw:5`).
    public let name: String
    /// The degrees of freedom of t tests and F denominators: the residual df, or G − 1 for
    /// cluster-robust estimators (G the smallest cluster count), as fixest and Stata use.
    public let inferenceDF: Int
    /// The number of clusters in each clustering dimension (empty unless clustered).
    public let clusterCounts: [Int]
    /// The Newey–West lag used (nil unless `nw`).
    public let lag: Int?
}

/// Computes every variance estimator of `VarianceType` for a fitted model.
///
/// Conventions (matching R's sandwich 3.0 to 1e-8 relative in the tests):
/// - iid: σ̂²·B, σ̂² = Σwᵢuᵢ²/(n − K).
/// - HC0: B·(Σψᵢ²xᵢxᵢᵀ)·B with ψᵢ = wᵢuᵢ; HC1 × n/(n − K); HC2 divides ψᵢ² by 1 − hᵢ;
///   HC3 by (1 − hᵢ)², hᵢ = wᵢxᵢᵀBxᵢ.
/// - cluster (`vcovCL(type = "HC1", cadjust = TRUE, multi0 = FALSE)`): meat Σ_c sign_c·G_c/(G_c − 1)·
///   Σ_g s_g s_gᵀ over the clusterings c of the inclusion–exclusion (one-way: just the variable;
///   two-way: A + B − A∩B, each with its own G), times (n − 1)/(n − K). With
///   `ClusterAdjustment.smallestClustering` every term uses min G/(min G − 1), as fixest does.
/// - Newey–West: B·(Γ₀ + Σ_l (1 − l/(L+1))(Γ_l + Γ_lᵀ))·B, no df adjustment.
enum CovarianceEstimator {
    /// scale·B·M·B, symmetrized.
    static func sandwich(bread: Matrix, meat: Matrix, scale: Double) throws -> Matrix {
        let left = try Matrix.product(bread.view, meat.view)
        var v = try Matrix.product(left.view, bread.view)
        for i in 0..<v.rows { for j in 0..<v.columns { v[i, j] *= scale } }
        v.symmetrize()
        return v
    }

    static func estimate(_ type: VarianceType, model: ScoreModel, clusters: [GroupCodes]) throws -> CovarianceEstimate {
        let n = model.rows
        let bread = model.bread
        func sandwich(_ meat: Matrix, scale: Double) throws -> Matrix {
            try CovarianceEstimator.sandwich(bread: bread, meat: meat, scale: scale)
        }
        switch type {
        case .iid:
            let sigma2 = try model.weightedRSS() / Double(model.residualDF)
            var v = bread
            for i in 0..<v.rows { for j in 0..<v.columns { v[i, j] *= sigma2 } }
            return CovarianceEstimate(matrix: v, name: type.description, inferenceDF: model.residualDF, clusterCounts: [], lag: nil)
        case .hc0, .hc1, .hc2, .hc3:
            // The meat is Σ (sᵢxᵢ)(sᵢxᵢ)ᵀ: the sign of sᵢ cancels, and rounding is symmetric
            // (fl(−a·b) = −fl(a·b)), so ψᵢ gives the same bits as |ψᵢ| without an n-array of |ψ|.
            var scale = model.scores
            if type == .hc2 || type == .hc3 {
                let h = try ScoreKernels.leverages(left: model.structural, x: model.x, bread: bread, weights: model.weights, parallelism: model.parallelism)
                for i in 0..<n {
                    let complement = 1 - h[i]
                    guard complement > 1e-10 else {
                        throw RegressionError.variance(type: type.description, reason:
                            "observation \(i + 1) has leverage 1 (it alone determines a coefficient); use hc0/hc1 or drop it")
                    }
                    scale[i] /= type == .hc2 ? complement.squareRoot() : complement
                }
            }
            let precomputed = (type == .hc0 || type == .hc1) && model.weights == nil ? model.residualGram : nil
            let meat = try precomputed ?? Matrix.gram(model.x, rowScale: scale, parallelism: model.parallelism)
            let factor = type == .hc1 ? Double(n) / Double(n - model.parameters) : 1
            return CovarianceEstimate(matrix: try sandwich(meat, scale: factor), name: type.description,
                                      inferenceDF: model.residualDF, clusterCounts: [], lag: nil)
        case let .cluster(names):
            guard clusters.count == names.count, !clusters.isEmpty else {
                throw RegressionError.variance(type: type.description, reason: "the cluster columns were not supplied")
            }
            for (name, groups) in zip(names, clusters) where groups.count < 2 {
                throw RegressionError.variance(type: type.description, reason:
                    "cluster variable '\(name)' has \(groups.count) level on the estimation rows; clustering needs at least 2")
            }
            let scores = model.scores
            var meat = Matrix(rows: bread.rows, columns: bread.columns)
            for subset in ClusterCombinations.subsets(count: clusters.count) {
                let groups = subset.count == 1 ? clusters[subset[0]] : ClusterCombinations.intersect(subset.map { clusters[$0] })
                let sign: Double = subset.count % 2 == 1 ? 1 : -1
                let g = Double(model.clusterAdjustment == .smallestClustering ? (clusters.map(\.count).min() ?? 2) : groups.count)
                let adjust = g > 1 ? g / (g - 1) : 1
                let part = try ScoreKernels.clusterMeat(x: model.x, scores: scores, groups: groups, parallelism: model.parallelism)
                for i in 0..<meat.rows { for j in 0..<meat.columns { meat[i, j] += sign * adjust * part[i, j] } }
            }
            let factor = Double(n - 1) / Double(n - model.clusterParameters)
            let counts = clusters.map(\.count)
            return CovarianceEstimate(matrix: try sandwich(meat, scale: factor), name: type.description,
                                      inferenceDF: (counts.min() ?? 2) - 1, clusterCounts: counts, lag: nil)
        case let .neweyWest(lag):
            let scores = model.scores
            let chosen = lag ?? ScoreKernels.neweyWestLag(x: model.x, scores: scores, interceptColumn: model.interceptColumn)
            let meat = try ScoreKernels.neweyWestMeat(x: model.x, scores: scores, lag: chosen)
            return CovarianceEstimate(matrix: try sandwich(meat, scale: 1), name: "nw:\(chosen)",
                                      inferenceDF: model.residualDF, clusterCounts: [], lag: chosen)
        }
    }
}

/// The small-sample factor of multi-way cluster-robust variances.
public enum ClusterAdjustment: String, Sendable, Codable, CaseIterable {
    /// Each term of the inclusion–exclusion sum gets its own G/(G − 1) (R's sandwich `vcovCL`,
    /// Cameron–Gelbach–Miller as published).
    case perClustering = "per-clustering"
    /// Every term gets min G/(min G − 1) (fixest's default `ssc(cluster.adj = TRUE)`, Stata's reghdfe).
    case smallestClustering = "smallest-clustering"
}

/// The clusterings of multi-way clustering: every non-empty subset of the variables, by size
/// then order (A, B, A∩B for two), and the intersection groups of a subset.
enum ClusterCombinations {
    static func subsets(count: Int) -> [[Int]] {
        var result: [[Int]] = []
        for size in 1...Swift.max(1, count) where size <= count {
            func extend(_ prefix: [Int], from start: Int) {
                if prefix.count == size { result.append(prefix); return }
                for i in start..<count { extend(prefix + [i], from: i + 1) }
            }
            extend([], from: 0)
        }
        return result
    }

    /// The groups of rows sharing every code of `parts` (dense codes in first-appearance order).
    static func intersect(_ parts: [GroupCodes]) -> GroupCodes {
        let n = parts.first?.codes.count ?? 0
        var index: [[Int]: Int] = [:]
        var codes = [Int](repeating: 0, count: n)
        for i in 0..<n {
            let key = parts.map { $0.codes[i] }
            if let code = index[key] { codes[i] = code } else { codes[i] = index.count; index[key] = index.count }
        }
        return GroupCodes(name: parts.map(\.name).joined(separator: "^"), codes: codes, levels: (0..<index.count).map(String.init))
    }
}

extension Matrix {
    /// Replaces A by (A + Aᵀ)/2, removing the rounding asymmetry of B·M·B.
    mutating func symmetrize() {
        for j in 0..<columns {
            for i in (j + 1)..<Swift.max(j + 1, rows) {
                let mean = 0.5 * (self[i, j] + self[j, i])
                self[i, j] = mean
                self[j, i] = mean
            }
        }
    }
}
