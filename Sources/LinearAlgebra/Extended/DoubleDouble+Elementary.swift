import Foundation

/// exp, log and powers of double-double numbers.
///
/// Accuracy for exact double-double arguments (checked against mpmath in
/// Tests/LinearAlgebraTests/DoubleDoubleTests.swift): `exp` and `log` about 1e-31 relative,
/// `power(_: Int)` about (|n| + 10)·6e-32 (each squaring doubles the error so far),
/// `power(_: DoubleDouble)` about (1 + |b·ln a|)·1e-31 (the error of ln a, magnified by the
/// exponent). Domains follow libm: NaN in, NaN out; out-of-domain input gives NaN; overflow gives +∞ and underflow 0.
extension DoubleDouble {
    /// ln 2 in three parts (c₁ + c₂ + c₃, each the double nearest the remainder), so that k·ln 2
    /// is exact to ~2⁻¹⁶⁰ for the argument reduction of `exp`.
    @usableFromInline static let ln2Parts = (0.6931471805599453, 2.3190468138462996e-17, 5.707708438416212e-34)

    /// eˣ: x = k·ln 2 + r with |r| ≤ ½ ln 2 (k·ln 2 from a three-part ln 2), then
    /// e^(r/512) − 1 by its Taylor series, squared back nine times in the form
    /// s ← s·(2 + s) (which keeps eʳ − 1 relatively accurate), and scaled by 2ᵏ.
    /// +∞ above ln(max double), 0 below ≈ −745.1, NaN for NaN.
    /// - Complexity: O(1): ~11 series terms and 9 squarings, ~50 double-double operations.
    public func exp() -> DoubleDouble {
        if hi.isNaN { return .nan }
        if hi > 709.79 { return .infinity }
        if hi < -745.2 { return .zero }
        if hi == 0 { return .one }
        let k = (hi / Self.ln2Parts.0).rounded()
        var r = self - DoubleDouble(product: k, Self.ln2Parts.0)
        r = r - DoubleDouble(product: k, Self.ln2Parts.1)
        r = r - DoubleDouble(k * Self.ln2Parts.2)
        let scaled = r * (1.0 / 512)
        // e^t − 1 = t + t²/2! + … for |t| ≤ 6.8e-4: 11 terms leave < 1e-40 relative.
        var term = scaled
        var s = scaled
        for n in 2...11 {
            term = term * scaled / Double(n)
            s += term
        }
        for _ in 0..<9 { s = s * (s + DoubleDouble(2)) }
        let e = s + .one
        // Scale by 2ᵏ in two halves so that neither factor overflows near the ends of the range.
        let k1 = Int(k) / 2, k2 = Int(k) - Int(k) / 2
        return DoubleDouble(hi: Foundation.scalbn(e.hi, k1), lo: Foundation.scalbn(e.lo, k1))
            * DoubleDouble(Foundation.scalbn(1.0, k2))
    }

    /// ln x: x = m·2ᵏ with m in [√½, √2) (exact scaling), ln x = k·ln 2 + ln m, where
    /// ln m comes from the series 2·atanh((m − 1)/(m + 1)) when |m − 1| < ¼ and otherwise
    /// from one Newton step y + m·e⁻ʸ − 1 from the double logarithm y of m (|y| ≤ 0.35, so the
    /// step's quadratic error is below 1e-33). −∞ for ±0, +∞ for +∞, NaN for x < 0 or NaN.
    /// - Complexity: O(1): one `exp` or ~20 series terms.
    public func log() -> DoubleDouble {
        if hi.isNaN || hi < 0 { return .nan }
        if hi == 0 { return DoubleDouble(-.infinity) }
        if hi == .infinity { return .infinity }
        var k = hi.exponent
        if hi.significand > 2.0.squareRoot() { k += 1 }
        let m = DoubleDouble(hi: Foundation.scalbn(hi, -k), lo: Foundation.scalbn(lo, -k))
        let logM: DoubleDouble
        if Swift.abs(m.hi - 1) < 0.25 {
            let t = (m - .one) / (m + .one)
            let t2 = t * t
            var power = t
            var sum = t
            var n = 3.0
            while n < 100 {
                power = power * t2
                let term = power / n
                sum += term
                if Swift.abs(term.hi) <= 1e-36 * Swift.abs(sum.hi) { break }
                n += 2
            }
            logM = sum * 2.0
        } else {
            let y = DoubleDouble(Foundation.log(m.hi))
            logM = y + (m * (-y).exp() - .one)
        }
        if k == 0 { return logM }
        let kd = Double(k)
        let kLn2 = DoubleDouble(product: kd, Self.ln2Parts.0) + DoubleDouble(product: kd, Self.ln2Parts.1)
            + DoubleDouble(kd * Self.ln2Parts.2)
        return kLn2 + logM
    }

    /// xⁿ by binary powering (x⁻ⁿ = 1/xⁿ). x⁰ = 1 for every x, NaN included (as libm's pow).
    /// - Complexity: O(log |n|) multiplications.
    public func power(_ n: Int) -> DoubleDouble {
        if n == 0 { return .one }
        var base = self
        var e = n.magnitude
        var result = DoubleDouble.one
        while e > 0 {
            if e & 1 == 1 { result = result * base }
            e >>= 1
            if e > 0 { base = base * base }
        }
        return n < 0 ? .one / result : result
    }

    /// xᵇ = e^(b·ln x) for x > 0; an integral b goes through `power(_: Int)` when |b| ≤ 64 or
    /// x < 0 (|b| < 2⁶²), so a negative x is allowed there. x = 0 gives 0 for b > 0 and +∞ for b < 0; x < 0 with b
    /// not an integer gives NaN; b = 0 gives 1 for every x (NaN included), as libm.
    /// - Complexity: one `log` and one `exp`, or O(log |b|) multiplications for integral b.
    public func power(_ b: DoubleDouble) -> DoubleDouble {
        if b.hi == 0 { return .one }
        if hi.isNaN || b.hi.isNaN { return .nan }
        let integral = b.hi.isFinite && b.hi.rounded() == b.hi && b.lo == 0 && Swift.abs(b.hi) < 0x1p62
        if integral && (Swift.abs(b.hi) <= 64 || hi < 0) { return power(Int(b.hi)) }
        if hi < 0 { return .nan }
        if hi == 0 { return b.hi > 0 ? .zero : .infinity }
        return (b * log()).exp()
    }
}
