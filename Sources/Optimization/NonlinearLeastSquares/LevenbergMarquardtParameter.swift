import Foundation

/// The trust-region subproblem of Levenberg–Marquardt, after MINPACK's `lmpar` and `qrsolv`
/// (Moré 1978): given J·P = Q·R, the scaling D and δ, find λ ≥ 0 and the step x solving
/// min ‖J x + f‖² + λ‖D x‖² with ‖D x‖ ≈ δ (within 10%), or λ = 0 when the Gauss–Newton step
/// fits. Works on the n×n triangle only (O(n³) per λ), never on the normal equations.
struct TrustRegionSolver {
    /// n×n column-major: R in the upper triangle; the lower triangle is scratch (S from qrsolv).
    var r: [Double]
    let n: Int
    /// 0-based pivots: column j of J·P is column `pivots[j]` of J.
    let pivots: [Int]
    /// Diagonal of S = chol(RᵀR + λ PᵀD²P) after the last `solve`.
    private(set) var sdiag: [Double]

    init(r: [Double], n: Int, pivots: [Int]) {
        self.r = r
        self.n = n
        self.pivots = pivots
        self.sdiag = [Double](repeating: 0, count: n)
    }

    /// Solves min ‖R z − qtb‖² + ‖diag·x‖² in the original parameter order (MINPACK qrsolv);
    /// rank-deficient systems get a least-squares solution with zeros for the dropped part.
    mutating func solve(diag: [Double], qtb: [Double]) -> [Double] {
        var wa = qtb
        var xdiag = [Double](repeating: 0, count: n)
        for j in 0..<n {
            for i in j..<n { r[i + j * n] = r[j + i * n] }
            xdiag[j] = r[j + j * n]
        }
        for j in 0..<n {
            let l = pivots[j]
            if diag[l] != 0 {
                for k in j..<n { sdiag[k] = 0 }
                sdiag[j] = diag[l]
                var qtbpj = 0.0
                for k in j..<n where sdiag[k] != 0 {
                    let rkk = r[k + k * n]
                    let c: Double, s: Double
                    if Swift.abs(rkk) < Swift.abs(sdiag[k]) {
                        let cotan = rkk / sdiag[k]
                        s = 0.5 / (0.25 + 0.25 * cotan * cotan).squareRoot()
                        c = s * cotan
                    } else {
                        let tan = sdiag[k] / rkk
                        c = 0.5 / (0.25 + 0.25 * tan * tan).squareRoot()
                        s = c * tan
                    }
                    r[k + k * n] = c * rkk + s * sdiag[k]
                    let temp = c * wa[k] + s * qtbpj
                    qtbpj = -s * wa[k] + c * qtbpj
                    wa[k] = temp
                    for i in (k + 1)..<Swift.max(k + 1, n) {
                        let t = c * r[i + k * n] + s * sdiag[i]
                        sdiag[i] = -s * r[i + k * n] + c * sdiag[i]
                        r[i + k * n] = t
                    }
                }
            }
            sdiag[j] = r[j + j * n]
            r[j + j * n] = xdiag[j]
        }
        var nsing = n
        for j in 0..<n {
            if sdiag[j] == 0 && nsing == n { nsing = j }
            if nsing < n { wa[j] = 0 }
        }
        for j in stride(from: nsing - 1, through: 0, by: -1) {
            var sum = 0.0
            for i in (j + 1)..<Swift.max(j + 1, nsing) { sum += r[i + j * n] * wa[i] }
            wa[j] = (wa[j] - sum) / sdiag[j]
        }
        var x = [Double](repeating: 0, count: n)
        for j in 0..<n { x[pivots[j]] = wa[j] }
        return x
    }

    /// MINPACK lmpar: updates `par` (λ) and returns x with min ‖Jx − f‖² + λ‖Dx‖², ‖Dx‖ ≈ δ.
    /// (The step is −x.)
    mutating func step(diag: [Double], qtb: [Double], delta: Double, par: inout Double) -> [Double] {
        let dwarf = Double.leastNormalMagnitude
        var wa1 = qtb
        var nsing = n
        for j in 0..<n {
            if r[j + j * n] == 0 && nsing == n { nsing = j }
            if nsing < n { wa1[j] = 0 }
        }
        for j in stride(from: nsing - 1, through: 0, by: -1) {
            wa1[j] /= r[j + j * n]
            let temp = wa1[j]
            for i in 0..<j { wa1[i] -= r[i + j * n] * temp }
        }
        var x = [Double](repeating: 0, count: n)
        for j in 0..<n { x[pivots[j]] = wa1[j] }
        var wa2 = (0..<n).map { diag[$0] * x[$0] }
        var dxnorm = EuclideanNorm.of(wa2)
        var fp = dxnorm - delta
        if fp <= 0.1 * delta {
            par = 0
            return x
        }
        var parl = 0.0
        if nsing >= n {
            for j in 0..<n { let l = pivots[j]; wa1[j] = diag[l] * (wa2[l] / dxnorm) }
            for j in 0..<n {
                var sum = 0.0
                for i in 0..<j { sum += r[i + j * n] * wa1[i] }
                wa1[j] = (wa1[j] - sum) / r[j + j * n]
            }
            let temp = EuclideanNorm.of(wa1)
            parl = ((fp / delta) / temp) / temp
        }
        for j in 0..<n {
            var sum = 0.0
            for i in 0...j { sum += r[i + j * n] * qtb[i] }
            wa1[j] = sum / diag[pivots[j]]
        }
        let gnorm = EuclideanNorm.of(wa1)
        var paru = gnorm / delta
        if paru == 0 { paru = dwarf / Swift.min(delta, 0.1) }
        par = Swift.min(Swift.max(par, parl), paru)
        if par == 0 { par = gnorm / dxnorm }
        var iteration = 0
        while true {
            iteration += 1
            if par == 0 { par = Swift.max(dwarf, 0.001 * paru) }
            let sq = par.squareRoot()
            x = solve(diag: diag.map { sq * $0 }, qtb: qtb)
            wa2 = (0..<n).map { diag[$0] * x[$0] }
            dxnorm = EuclideanNorm.of(wa2)
            let previous = fp
            fp = dxnorm - delta
            if Swift.abs(fp) <= 0.1 * delta || (parl == 0 && fp <= previous && previous < 0) || iteration == 10 { break }
            for j in 0..<n { let l = pivots[j]; wa1[j] = diag[l] * (wa2[l] / dxnorm) }
            for j in 0..<n {
                wa1[j] /= sdiag[j]
                let temp = wa1[j]
                for i in (j + 1)..<Swift.max(j + 1, n) { wa1[i] -= r[i + j * n] * temp }
            }
            let temp = EuclideanNorm.of(wa1)
            let parc = ((fp / delta) / temp) / temp
            if fp > 0 { parl = Swift.max(parl, par) }
            if fp < 0 { paru = Swift.min(paru, par) }
            par = Swift.max(parl, par + parc)
        }
        return x
    }
}

/// The Euclidean norm without destructive overflow or underflow (scaled by the largest entry).
enum EuclideanNorm {
    static func of(_ v: [Double]) -> Double {
        var scale = 0.0
        for x in v {
            guard x.isFinite else { return x.isNaN ? .nan : .infinity }
            scale = Swift.max(scale, Swift.abs(x))
        }
        guard scale > 0 else { return 0 }
        var sum = 0.0
        for x in v { let t = x / scale; sum += t * t }
        return scale * sum.squareRoot()
    }
}
