import LinearAlgebra
import Tabular

/// The Kleibergen–Paap (2006) rk Wald F statistic of weak identification — the statistic
/// Stata's ivreg2 reports (through ranktest) and linearmodels computes — for any number of
/// endogenous regressors K and excluded instruments L ≥ K, and the Cragg–Donald F under iid.
///
/// With the exogenous regressors partialled out of the endogenous Y and the instruments Z:
/// Π̂ = (ZᵀZ)⁻¹ZᵀY, Θ = L_zᵀ·Π̂·L_y⁻ᵀ (L_z, L_y the Cholesky factors of ZᵀZ and YᵀY). The test of
/// rank(Θ) = K − 1 uses the singular vectors of Θ: A_q = U₂·U₂₂⁻¹·(U₂₂U₂₂ᵀ)^{1/2} from the last
/// L − K + 1 left singular vectors, B_q = sign(v_KK)·v_Kᵀ, λ = (B_q ⊗ A_qᵀ)·vec Θ, and
/// rk = λᵀ·[(B_q ⊗ A_qᵀ)·V̂·(B_q ⊗ A_qᵀ)ᵀ]⁻¹·λ, where V̂ = n·T·Ŝ·Tᵀ, T = L_y⁻¹ ⊗ L_z⁻¹ and
/// Ŝ = Σ(eᵢ ⊗ zᵢ)(eᵢ ⊗ zᵢ)ᵀ/n over observations (robust) or cluster sums (one-way cluster),
/// eᵢ the first-stage residuals. F = rk/n·(n − L_all)/L (robust) or rk/(n − 1)·(n − L_all)·(G − 1)/G/L
/// (cluster), L_all counting every instrument including the exogenous regressors and absorbed
/// fixed effects. Cragg–Donald: F = ρ_K²/(1 − ρ_K²)·(n − L_all)/L with ρ_K the smallest
/// canonical correlation (= the K-th singular value of Θ).
/// With one endogenous regressor the robust rk Wald F equals the robust first-stage F.
enum KleibergenPaap {
    /// nil when the statistic is not defined for `vcov` (HAC, multi-way clustering) or the
    /// moment matrices are singular.
    static func fStatistic(endogenous y: Matrix, instruments z: Matrix, exogenous x: Matrix, weights: [Double]?,
                           vcov: VarianceType, clusters: [GroupCodes], absorbedParameters: Int) -> Double? {
        do {
            return try compute(y: y, z: z, x: x, weights: weights, vcov: vcov, clusters: clusters, absorbed: absorbedParameters)
        } catch {
            return nil
        }
    }

    private static func compute(y rawY: Matrix, z rawZ: Matrix, x rawX: Matrix, weights: [Double]?, vcov: VarianceType,
                                clusters: [GroupCodes], absorbed: Int) throws -> Double? {
        let cluster: GroupCodes?
        switch vcov {
        case .iid, .hc0, .hc1, .hc2, .hc3: cluster = nil
        case .cluster: guard clusters.count == 1 else { return nil }; cluster = clusters[0]
        case .neweyWest: return nil
        }
        let n = rawY.rows, k = rawY.columns, l = rawZ.columns
        guard k >= 1, l >= k else { return nil }
        let root = weights.map { $0.map { $0.squareRoot() } }
        func weighted(_ m: Matrix) -> Matrix { root.map { m.view.rowScaled(by: $0) } ?? m }
        var y = weighted(rawY), z = weighted(rawZ)
        let x = weighted(rawX)
        if x.columns > 0 {
            let qr = try PivotedQR(x)
            let rank = try qr.rank()
            func partial(_ m: Matrix) throws -> Matrix {
                var projected = try qr.applyQTransposed(m)
                for j in 0..<projected.columns { for i in 0..<rank { projected[i, j] = 0 } }
                return try qr.applyQ(projected)
            }
            y = try partial(y)
            z = try partial(z)
        }
        let zz = try Matrix.product(z.view.T, z.view), yy = try Matrix.product(y.view.T, y.view)
        let zy = try Matrix.product(z.view.T, y.view)
        let pi = try Cholesky(zz).solve(zy)                                   // L × K
        let ly = try Cholesky(yy).factor.lowerTriangle, lz = try Cholesky(zz).factor.lowerTriangle
        let lyInverse = try LUFactorization(ly).inverse(), lzInverse = try LUFactorization(lz).inverse()
        let theta = try Matrix.product(try Matrix.product(lz.view.T, pi.view).view, lyInverse.view.T)  // L × K
        let right = try SymmetricEigendecomposition(try Matrix.product(theta.view.T, theta.view))      // ascending
        let left = try SymmetricEigendecomposition(try Matrix.product(theta.view, theta.view.T))
        let singular = right.eigenvalues.reversed().map { Swift.max(0, $0).squareRoot() }
        let lAll = rawX.columns + l + absorbed
        if vcov == .iid {
            let rho2 = singular[k - 1] * singular[k - 1]
            return rho2 / (1 - rho2) * Double(n - lAll) / Double(l)
        }
        // Singular vectors in descending order of singular value.
        let u = Matrix(rows: l, columns: l) { i, j in left.eigenvectors[i, l - 1 - j] }
        let v = Matrix(rows: k, columns: k) { i, j in right.eigenvectors[i, k - 1 - j] }
        let tail = l - k + 1
        let u2 = Matrix(rows: l, columns: tail) { i, j in u[i, k - 1 + j] }
        let u22 = Matrix(rows: tail, columns: tail) { i, j in u[k - 1 + i, k - 1 + j] }
        let aq = try Matrix.product(try Matrix.product(u2.view, try LUFactorization(u22).inverse().view).view,
                                    try symmetricSquareRoot(try Matrix.product(u22.view, u22.view.T)).view)   // L × tail
        let sign: Double = v[k - 1, k - 1] < 0 ? -1 : 1
        let bq = (0..<k).map { sign * v[$0, k - 1] }                                              // 1 × K
        // kr = bq ⊗ aqᵀ : tail × (K·L), acting on vec (column-major) of L × K matrices.
        let kr = Matrix(rows: tail, columns: k * l) { r, c in bq[c / l] * aq[c % l, r] }
        let lambda = try Matrix.product(kr.view, theta.storage)
        // Ŝ from first-stage residuals e = Y − ZΠ̂.
        var e = y
        try BLAS.gemm(-1, z.view, pi.view, 1, &e)
        var scores = Matrix(rows: cluster?.count ?? n, columns: k * l)
        for i in 0..<n {
            let row = cluster?.codes[i] ?? i
            for a in 0..<k { for b in 0..<l { scores[row, a * l + b] += e[i, a] * z[i, b] } }
        }
        let s = try Matrix.product(scores.view.T, scores.view)                 // n·Ŝ
        let t = kronecker(lyInverse, lzInverse)
        let vhat = try Matrix.product(try Matrix.product(t.view, s.view).view, t.view.T)   // n·T·Ŝ·Tᵀ = V̂
        let middle = try Matrix.product(try Matrix.product(kr.view, vhat.view).view, kr.view.T)
        let solved = try LUFactorization(middle).solve(lambda)
        var rk = 0.0
        for i in 0..<tail { rk += lambda[i] * solved[i] }
        if let cluster {
            let g = Double(cluster.count)
            return rk / Double(n - 1) * Double(n - lAll) * (g - 1) / g / Double(l)
        }
        return rk / Double(n) * Double(n - lAll) / Double(l)
    }

    /// A ⊗ B.
    static func kronecker(_ a: Matrix, _ b: Matrix) -> Matrix {
        Matrix(rows: a.rows * b.rows, columns: a.columns * b.columns) { i, j in
            a[i / b.rows, j / b.columns] * b[i % b.rows, j % b.columns]
        }
    }

    /// The symmetric positive semi-definite square root V·diag(√max(λ, 0))·Vᵀ.
    static func symmetricSquareRoot(_ a: Matrix) throws -> Matrix {
        let e = try SymmetricEigendecomposition(a)
        let n = a.rows
        return Matrix(rows: n, columns: n) { i, j in
            var total = 0.0
            for m in 0..<n { total += e.eigenvectors[i, m] * Swift.max(0, e.eigenvalues[m]).squareRoot() * e.eigenvectors[j, m] }
            return total
        }
    }
}

extension Matrix {
    /// The lower triangle (zeros above the diagonal).
    var lowerTriangle: Matrix { Matrix(rows: rows, columns: columns) { i, j in i >= j ? self[i, j] : 0 } }
}
