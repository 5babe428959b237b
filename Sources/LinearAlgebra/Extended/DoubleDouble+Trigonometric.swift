import Foundation

/// sin, cos and atan of double-double numbers.
///
/// The argument of sin/cos is reduced by k·π/2 with a three-part π/2 (TwoProduct-exact for
/// the two leading parts), then sine and cosine of |r| ≤ π/4 come from their Taylor series.
/// For exact double-double arguments up to |x| ≈ 1e9 the absolute error is about 1e-31
/// (relative about 1e-31 away from the zeros at multiples of π, where only the absolute
/// bound holds, as for any reduction with a fixed-precision π); beyond that the reduction
/// loses about log₁₀(|x|/1e9) digits. ±∞ and NaN give NaN, as libm.
extension DoubleDouble {
    /// π/2 in three parts, each the double nearest the remainder.
    @usableFromInline static let halfPiParts = (1.5707963267948966, 6.123233995736766e-17, -1.4973849048591698e-33)

    /// (r, k mod 4) with self = k·π/2 + r, |r| ≲ π/4.
    private func reducedByHalfPi() -> (DoubleDouble, Int) {
        let k = (hi / Self.halfPiParts.0).rounded()
        if k == 0 { return (self, 0) }
        var r = self - DoubleDouble(product: k, Self.halfPiParts.0)
        r = r - DoubleDouble(product: k, Self.halfPiParts.1)
        r = r - DoubleDouble(k * Self.halfPiParts.2)
        let quadrant = Int(k.truncatingRemainder(dividingBy: 4))
        return (r, (quadrant + 4) % 4)
    }

    /// (sin r, cos r) for |r| ≤ ~π/4 by Taylor series (terms until below 1e-36 of the sum).
    private static func sinCosSeries(_ r: DoubleDouble) -> (DoubleDouble, DoubleDouble) {
        let r2 = r * r
        var sinTerm = r, sinSum = r
        var cosTerm = DoubleDouble.one, cosSum = DoubleDouble.one
        var n = 1.0
        while n < 60 {
            cosTerm = -(cosTerm * r2) / ((n) * (n + 1))
            sinTerm = -(sinTerm * r2) / ((n + 1) * (n + 2))
            cosSum += cosTerm
            sinSum += sinTerm
            if Swift.abs(sinTerm.hi) <= 1e-36 * Swift.abs(sinSum.hi), Swift.abs(cosTerm.hi) <= 1e-36 { break }
            n += 2
        }
        return (sinSum, cosSum)
    }

    /// (sin x, cos x) together (one reduction, one pair of series). NaN for ±∞ or NaN.
    /// - Complexity: O(1), ~15 series terms of each.
    public func sinCos() -> (sin: DoubleDouble, cos: DoubleDouble) {
        guard hi.isFinite else { return (.nan, .nan) }
        if hi == 0 { return (self, .one) }
        let (r, quadrant) = reducedByHalfPi()
        let (s, c) = Self.sinCosSeries(r)
        switch quadrant {
        case 0: return (s, c)
        case 1: return (c, -s)
        case 2: return (-s, -c)
        default: return (-c, s)
        }
    }

    /// sin x (see `sinCos()`).
    /// - Complexity: O(1).
    public func sin() -> DoubleDouble { sinCos().sin }

    /// cos x (see `sinCos()`).
    /// - Complexity: O(1).
    public func cos() -> DoubleDouble { sinCos().cos }

    /// atan x in (−π/2, π/2): for |x| ≤ 1 one Newton step on tan z = x from the double
    /// arctangent z of `hi`, z + cos z·(x·cos z − sin z); for |x| > 1, ±π/2 − atan(1/x) (where
    /// tan is steep and Newton's quadratic term would grow like x·ε²). ±π/2 for ±∞, NaN for NaN.
    /// Relative error about 1e-31.
    /// - Complexity: one `sinCos()`, a division and a few operations.
    public func atan() -> DoubleDouble {
        if hi.isNaN { return .nan }
        if hi.isInfinite { return hi > 0 ? Self.pi * 0.5 : Self.pi * -0.5 }
        if hi == 0 { return self }
        if Swift.abs(hi) > 1 {
            let halfPi = Self.pi * (hi > 0 ? 0.5 : -0.5)
            return halfPi - (.one / self).atan()
        }
        let z = DoubleDouble(Foundation.atan(hi))
        let (s, c) = z.sinCos()
        return z + c * (self * c - s)
    }
}
