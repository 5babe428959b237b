/// The four operations, negation, comparison and the square root of double-double numbers.
///
/// Relative error for finite, normal results (u = 2⁻⁵³): `+`, `−` ≤ 3u² and `×` ≤ 5u², as
/// proven for these algorithms by Joldes, Muller & Popescu ("Tight and rigorous error bounds
/// for basic building blocks of double-word arithmetic", 2017); `÷` and `squareRoot()` about
/// 2u² (not proven here; the tests bound them by 10u² and 5u² against mpmath). A ±∞ or NaN
/// leading part propagates as in `Double`.
extension DoubleDouble: Comparable, AdditiveArithmetic {
    /// a + b (accurate double-word addition: two TwoSums and two renormalizations, ~20 flops).
    /// - Complexity: O(1).
    @inlinable
    public static func + (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        let s = a.hi + b.hi
        guard s.isFinite else { return DoubleDouble(s) }
        let e = twoSumError(a.hi, b.hi, s)
        let t = a.lo + b.lo
        let f = twoSumError(a.lo, b.lo, t)
        let u = fastTwoSum(s, e + t)
        return fastTwoSum(u.hi, u.lo + f)
    }

    /// a − b (as a + (−b)).
    /// - Complexity: O(1).
    @inlinable
    public static func - (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble { a + (-b) }

    /// −a (exact).
    /// - Complexity: O(1).
    @inlinable
    public static prefix func - (a: DoubleDouble) -> DoubleDouble { DoubleDouble(hi: -a.hi, lo: -a.lo) }

    /// a · b (fma TwoProduct of the leading parts plus the cross terms, ~10 flops).
    /// - Complexity: O(1).
    @inlinable
    public static func * (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        let p = a.hi * b.hi
        guard p.isFinite, p != 0 else { return DoubleDouble(p) }
        let e = (-p).addingProduct(a.hi, b.hi)
        let cross = a.hi * b.lo + a.lo * b.hi
        return fastTwoSum(p, e + cross)
    }

    /// a · b for a double b (~8 flops).
    /// - Complexity: O(1).
    @inlinable
    public static func * (a: DoubleDouble, b: Double) -> DoubleDouble {
        let p = a.hi * b
        guard p.isFinite, p != 0 else { return DoubleDouble(p) }
        let e = (-p).addingProduct(a.hi, b)
        return fastTwoSum(p, e + a.lo * b)
    }

    /// a / b: three quotient digits q₁ + q₂ + q₃ with exact remainders (long division).
    /// Division by zero gives ±∞ (or NaN for 0/0), as in `Double`.
    /// - Complexity: O(1), ~40 flops and three double divisions.
    @inlinable
    public static func / (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        let q1 = a.hi / b.hi
        guard q1.isFinite, b.hi.isFinite, q1 != 0 else { return DoubleDouble(q1) }
        var r = a - b * q1
        let q2 = r.hi / b.hi
        r = r - b * q2
        let q3 = r.hi / b.hi
        return fastTwoSum(q1, q2) + DoubleDouble(q3)
    }

    /// a / b for a double b.
    /// - Complexity: O(1).
    @inlinable
    public static func / (a: DoubleDouble, b: Double) -> DoubleDouble { a / DoubleDouble(b) }

    /// a += b.
    @inlinable
    public static func += (a: inout DoubleDouble, b: DoubleDouble) { a = a + b }

    /// a −= b.
    @inlinable
    public static func -= (a: inout DoubleDouble, b: DoubleDouble) { a = a - b }

    /// a ×= b.
    @inlinable
    public static func *= (a: inout DoubleDouble, b: DoubleDouble) { a = a * b }

    /// a ÷= b.
    @inlinable
    public static func /= (a: inout DoubleDouble, b: DoubleDouble) { a = a / b }

    /// Orders by the leading parts, then the trailing parts (exact for normalized values;
    /// false whenever either is NaN, as for `Double`).
    /// - Complexity: O(1).
    @inlinable
    public static func < (a: DoubleDouble, b: DoubleDouble) -> Bool {
        a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo)
    }

    /// |a| (exact).
    /// - Complexity: O(1).
    @inlinable
    public var magnitude: DoubleDouble { hi < 0 || (hi == 0 && lo < 0) ? -self : self }

    /// √a: the double square root s of `hi` corrected by one Newton step,
    /// s + (a − s²)/(2s) with s² exact. 0 for ±0, +∞ for +∞, NaN for a < 0 or NaN.
    /// - Complexity: O(1), one double square root and ~15 flops.
    @inlinable
    public func squareRoot() -> DoubleDouble {
        guard hi > 0 else { return hi == 0 ? DoubleDouble(hi) : .nan }
        guard hi.isFinite else { return DoubleDouble(hi) }
        let s = hi.squareRoot()
        let square = DoubleDouble(product: s, s)
        let residual = (self - square).hi
        return Self.fastTwoSum(s, residual / (2 * s))
    }
}
