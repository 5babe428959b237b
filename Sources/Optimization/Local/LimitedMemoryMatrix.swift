/// The compact limited-memory BFGS matrix of Byrd, Nocedal & Schnabel (1994):
/// B = θI − W M Wᵀ with W = [Y  θS] (n×2m) and M = [[−D, Lᵀ], [L, θSᵀS]]⁻¹, where D is the
/// diagonal and L the strictly lower triangle of SᵀY. Pairs are kept oldest first.
struct LimitedMemoryMatrix {
    let capacity: Int
    private(set) var s: [[Double]] = []
    private(set) var y: [[Double]] = []
    /// SᵀY (row i, column j = sᵢᵀyⱼ) and SᵀS, both count×count, row-major.
    private var sty: [Double] = []
    private var sts: [Double] = []
    private(set) var theta = 1.0
    /// M, 2k×2k row-major (k = count).
    private(set) var middle: [Double] = []

    init(capacity: Int) { self.capacity = capacity }

    var count: Int { s.count }
    var width: Int { 2 * s.count }

    mutating func reset() {
        s = []; y = []; sty = []; sts = []; middle = []; theta = 1
    }

    /// Adds the pair (s, y) with sᵀy > 0, dropping the oldest when full, and rebuilds M.
    /// - Returns: false when M is singular (the memory is then reset).
    mutating func add(s newS: [Double], y newY: [Double]) -> Bool {
        let oldK = s.count
        let shift = oldK == capacity ? 1 : 0  // the oldest pair is dropped when full
        if shift == 1 {
            s.removeFirst(); y.removeFirst()
        }
        s.append(newS); y.append(newY)
        let k = s.count
        var newSTY = [Double](repeating: 0, count: k * k)
        var newSTS = [Double](repeating: 0, count: k * k)
        let kept = k - 1
        for i in 0..<kept {
            for j in 0..<kept {
                newSTY[i * k + j] = sty[(i + shift) * oldK + (j + shift)]
                newSTS[i * k + j] = sts[(i + shift) * oldK + (j + shift)]
            }
        }
        let last = k - 1
        for i in 0..<k {
            newSTY[i * k + last] = SmallDense.dot(s[i], newY)
            newSTY[last * k + i] = SmallDense.dot(newS, y[i])
            let ss = SmallDense.dot(s[i], newS)
            newSTS[i * k + last] = ss
            newSTS[last * k + i] = ss
        }
        sty = newSTY
        sts = newSTS
        theta = SmallDense.dot(newY, newY) / newSTY[last * k + last]
        return rebuildMiddle()
    }

    private mutating func rebuildMiddle() -> Bool {
        let k = count, w = 2 * k
        var inverse = [Double](repeating: 0, count: w * w)
        for i in 0..<k {
            inverse[i * w + i] = -sty[i * k + i]
            for j in 0..<k {
                if i > j {
                    inverse[(k + i) * w + j] = sty[i * k + j]   // L
                    inverse[j * w + (k + i)] = sty[i * k + j]   // Lᵀ
                }
                inverse[(k + i) * w + (k + j)] = theta * sts[i * k + j]
            }
        }
        guard let m = SmallDense.inverse(inverse, size: w) else {
            reset()
            return false
        }
        middle = m
        return true
    }

    /// Row i of W: (y₁ᵢ … yₖᵢ, θs₁ᵢ … θsₖᵢ).
    @inline(__always)
    func row(_ i: Int) -> [Double] {
        let k = count
        var r = [Double](repeating: 0, count: 2 * k)
        for j in 0..<k {
            r[j] = y[j][i]
            r[k + j] = theta * s[j][i]
        }
        return r
    }

    /// Wᵀv.
    func wTranspose(_ v: [Double]) -> [Double] {
        let k = count
        var r = [Double](repeating: 0, count: 2 * k)
        for j in 0..<k {
            r[j] = SmallDense.dot(y[j], v)
            r[k + j] = theta * SmallDense.dot(s[j], v)
        }
        return r
    }

    /// M v.
    func m(_ v: [Double]) -> [Double] { SmallDense.multiply(middle, v, size: width) }

    /// B⁻¹v by the two-loop recursion (Nocedal 1980) with H₀ = I/θ — the same matrix as the
    /// inverse of the compact form, in O(mn) instead of O(m²n).
    func inverseTimes(_ v: [Double]) -> [Double] {
        let k = count, n = v.count
        var q = v
        var alpha = [Double](repeating: 0, count: k)
        for i in stride(from: k - 1, through: 0, by: -1) {
            let rho = 1 / sty[i * k + i]
            alpha[i] = rho * SmallDense.dot(s[i], q)
            let a = alpha[i]
            y[i].withUnsafeBufferPointer { yi in for j in 0..<n { q[j] -= a * yi[j] } }
        }
        let h0 = 1 / theta
        for j in 0..<n { q[j] *= h0 }
        for i in 0..<k {
            let rho = 1 / sty[i * k + i]
            let beta = rho * SmallDense.dot(y[i], q)
            let c = alpha[i] - beta
            s[i].withUnsafeBufferPointer { si in for j in 0..<n { q[j] += c * si[j] } }
        }
        return q
    }
}
