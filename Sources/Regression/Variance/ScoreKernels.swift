import Foundation
import Tabular
import LinearAlgebra

/// The row-level pieces of sandwich estimators, each one blocked pass over X in a fixed
/// block order (bit-identical for any thread count).
enum ScoreKernels {
    /// Rows per block of the passes below (depends only on the column count).
    static func blockRows(columns: Int) -> Int { Matrix.defaultGramBlockRows(columns: columns) }

    /// Leverages hᵢ = wᵢ·aᵢᵀ·B·xᵢ: the diagonal of the weighted hat matrix A·B·XᵀW. For OLS/WLS
    /// A = X and B = (XᵀWX)⁻¹; for 2SLS A is the structural regressors and X the projected ones
    /// (H = X·(X̂ᵀX̂)⁻¹·X̂ᵀ, as `AER::hatvalues.ivreg`).
    /// - Complexity: O(n·k²) flops (one gemm per block), O(blockRows·k) memory per thread.
    static func leverages(left a: MatrixView? = nil, x: MatrixView, bread: Matrix, weights: [Double]?, parallelism: Parallelism) throws -> [Double] {
        let k = x.columns
        let blocks = try Parallel.map(count: x.rows, chunkSize: blockRows(columns: k), parallelism: parallelism) { rows in
            let block = x.view(rows: rows)
            let product = try Matrix.product((a ?? x).view(rows: rows), bread.view)
            var h = [Double](repeating: 0, count: rows.count)
            for j in 0..<k {
                let a = product.column(j), b = block.column(j)
                let (sa, sb) = (a.startIndex, b.startIndex)
                for i in 0..<rows.count { h[i] += a[sa + i] * b[sb + i] }
            }
            if let weights { for i in 0..<rows.count { h[i] *= weights[rows.lowerBound + i] } }
            return h
        }
        return blocks.flatMap { $0 }
    }

    /// Σ_g s_g s_gᵀ for the cluster sums s_g = Σ_{i∈g} ψᵢ·xᵢ (ψᵢ = `scores[i]`): the meat of a
    /// one-way cluster-robust variance. Columns are summed in parallel, each in row order.
    /// - Complexity: O(n·k) for the sums plus O(G·k²) for the product; O(G·k) memory.
    static func clusterMeat(x: MatrixView, scores: [Double], groups: GroupCodes, parallelism: Parallelism) throws -> Matrix {
        let k = x.columns, g = groups.count
        let sums = try Parallel.map(count: k, chunkSize: 1, parallelism: parallelism) { columns in
            columns.map { j in
                var total = [Double](repeating: 0, count: g)
                let column = x.column(j)
                let start = column.startIndex
                for i in 0..<x.rows { total[groups.codes[i]] += scores[i] * column[start + i] }
                return total
            }
        }.flatMap { $0 }
        let s = try Matrix(rows: g, columns: k, columnMajor: Array(sums.joined()))
        return try Matrix.product(s.view.T, s.view)
    }

    /// Γ₀ + Σ_{l=1}^{L} (1 − l/(L+1))·(Γ_l + Γ_lᵀ), Γ_l = Σ_t ψ_t ψ_{t−l}ᵀ for the score rows
    /// ψ_t = `scores[t]`·x_t in data order: the Newey–West (Bartlett) meat.
    /// Lags from n on have no pairs of rows and add nothing (the weights still use L).
    /// - Complexity: O(n·k²·(min(L, n − 1) + 1)) flops; one n×k score matrix.
    static func neweyWestMeat(x: MatrixView, scores: [Double], lag: Int) throws -> Matrix {
        let n = x.rows
        let psi = x.rowScaled(by: scores)
        var meat = try Matrix.product(psi.view.T, psi.view)
        let lastLag = Swift.min(lag, n - 1)
        for l in stride(from: 1, through: lastLag, by: 1) {
            let weight = 1 - Double(l) / (Double(lag) + 1)
            let gamma = try Matrix.product(psi.view(rows: l..<n, columns: 0..<psi.columns).T,
                                           psi.view(rows: 0..<(n - l), columns: 0..<psi.columns))
            for i in 0..<gamma.rows {
                for j in 0..<gamma.columns { meat[i, j] += weight * (gamma[i, j] + gamma[j, i]) }
            }
        }
        return meat
    }

    /// The Newey–West (1994) lag for the Bartlett kernel without prewhitening, as sandwich's
    /// `floor(bwNeweyWest(fit, prewhite = FALSE))`: m = ⌊4(n/100)^{2/9}⌋ autocovariances of
    /// hₜ = Σⱼ aⱼψₜⱼ (a = 1 except 0 for the intercept), σⱼ = Σₜ hₜhₜ₊ⱼ/n,
    /// s₀ = σ₀ + 2Σσⱼ, s₁ = 2Σ j·σⱼ, bandwidth 1.1447·((s₁/s₀)²)^{1/3}·n^{1/3}.
    static func neweyWestLag(x: MatrixView, scores: [Double], interceptColumn: Int?) -> Int {
        let n = x.rows, k = x.columns
        var h = [Double](repeating: 0, count: n)
        let useAll = interceptColumn == nil || k == 1
        for j in 0..<k where useAll || j != interceptColumn {
            let column = x.column(j)
            let start = column.startIndex
            for t in 0..<n { h[t] += scores[t] * column[start + t] }
        }
        let m = Int((4 * Foundation.pow(Double(n) / 100, 2.0 / 9.0)).rounded(.down))
        var sigma = [Double](repeating: 0, count: m + 1)
        for j in 0...m where j < n {
            var s = 0.0
            for t in 0..<(n - j) { s += h[t] * h[t + j] }
            sigma[j] = s / Double(n)
        }
        var s0 = sigma[0], s1 = 0.0
        for j in stride(from: 1, through: m, by: 1) {
            s0 += 2 * sigma[j]
            s1 += 2 * Double(j) * sigma[j]
        }
        let bandwidth = 1.1447 * Foundation.pow((s1 / s0) * (s1 / s0), 1.0 / 3.0) * Foundation.pow(Double(n), 1.0 / 3.0)
        guard bandwidth.isFinite, bandwidth >= 0 else { return 0 }
        return Int(bandwidth.rounded(.down))
    }
}
