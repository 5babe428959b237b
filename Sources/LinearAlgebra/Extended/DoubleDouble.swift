/// A real number carried as the unevaluated sum `hi + lo` of two doubles with
/// |lo| ≤ ½ ulp(hi): about 106 significant bits (32 decimal digits) with the exponent range
/// of `Double`.
///
/// Use it where double precision cancels: residuals that are a few hundred ulps of the data
/// (iterative refinement, the final stage of nonlinear least squares), sums of many terms of
/// mixed sign, or decimal data that must be taken exactly (`init?(decimal:)`).
///
/// Arithmetic is built from error-free transformations (Knuth's TwoSum and an fma-based
/// TwoProduct); `+`/`−` and `×` are the "accurate" double-word algorithms of Joldes, Muller
/// and Popescu (2017), proven to ≤ 3·2⁻¹⁰⁶ and ≤ 5·2⁻¹⁰⁶ relative; `÷` is long division with
/// three quotient digits. Worst relative errors measured against mpmath (300 bits) on the
/// committed fixture: + 1.1e-32, − 1.1e-32, × 2.2e-32, ÷ 2.5e-32, √ 1.2e-32, exp 1.9e-32,
/// log 2.5e-32, sin 2.0e-32, cos 2.5e-32, atan 3.1e-32, decimal parsing 4.2e-32 (2⁻¹⁰⁶ ≈
/// 1.2e-32). Each function documents its bound and domain.
///
/// Non-finite values: NaN and ±∞ propagate as in `Double` (the `hi` part carries them; `lo`
/// may then be NaN too). Nothing here traps: out-of-domain input gives NaN, as libm does.
/// Below about 1e-292 in magnitude the `lo` part underflows and precision falls towards a
/// double's.
@frozen
public struct DoubleDouble: Sendable, Hashable {
    /// The leading part: the double nearest to the value (for a normalized value).
    public var hi: Double
    /// The trailing part, |lo| ≤ ½ ulp(hi) for a normalized value.
    public var lo: Double

    /// The double `value` exactly (lo = 0).
    /// - Complexity: O(1).
    @inlinable
    public init(_ value: Double) { hi = value; lo = 0 }

    /// The pair as given, without renormalizing: the caller guarantees |lo| ≤ ½ ulp(hi)
    /// (as the parts of another `DoubleDouble` or an error-free transformation do).
    /// Use `init(sum:_:)` for two arbitrary doubles.
    /// - Complexity: O(1).
    @inlinable
    public init(hi: Double, lo: Double) { self.hi = hi; self.lo = lo }

    /// The exact sum a + b of two arbitrary doubles, normalized (TwoSum: 6 flops).
    /// - Complexity: O(1).
    @inlinable
    public init(sum a: Double, _ b: Double) {
        let s = a + b
        self.init(hi: s, lo: Self.twoSumError(a, b, s))
    }

    /// The exact product a·b of two doubles (TwoProduct with one fma), barring overflow or
    /// underflow of the error term.
    /// - Complexity: O(1).
    @inlinable
    public init(product a: Double, _ b: Double) {
        let p = a * b
        self.init(hi: p, lo: (-p).addingProduct(a, b))
    }

    /// The double nearest to hi + lo (for a normalized value, `hi` itself).
    /// - Complexity: O(1).
    @inlinable
    public var value: Double { hi + lo }

    /// Whether the value is finite (both parts finite).
    @inlinable
    public var isFinite: Bool { hi.isFinite && lo.isFinite }

    /// Whether the value is NaN.
    @inlinable
    public var isNaN: Bool { hi.isNaN }

    /// Zero.
    public static let zero = DoubleDouble(0)
    /// One.
    public static let one = DoubleDouble(1)
    /// Not a number.
    public static let nan = DoubleDouble(hi: .nan, lo: .nan)
    /// +∞.
    public static let infinity = DoubleDouble(hi: .infinity, lo: 0)
    /// π to 106 bits (error < 2⁻¹⁰⁷ relative).
    public static let pi = DoubleDouble(hi: 3.141592653589793, lo: 1.2246467991473532e-16)
    /// ln 2 to 106 bits.
    public static let ln2 = DoubleDouble(hi: 0.6931471805599453, lo: 2.3190468138462996e-17)

    // MARK: In-place accumulation (the residuals of Regression's iterative refinement)

    /// self += a, exactly to double-double precision: TwoSum of the leading parts, then one
    /// renormalization (relative error ≤ 2·2⁻¹⁰⁶ of the result; 10 flops).
    /// - Complexity: O(1).
    @inlinable @inline(__always)
    public mutating func add(_ a: Double) {
        let s = hi + a
        let bb = s - hi
        let error = (hi - (s - bb)) + (a - bb)
        let low = lo + error
        hi = s + low
        lo = low - (hi - s)
    }

    /// self += a·b with the product carried exactly (fma TwoProduct) and added like
    /// `add(_:)`; the product's rounding error is folded into `lo` without a second
    /// renormalization, so `lo` may exceed ½ ulp(hi) by a few ulps of itself until the next
    /// operation. About 13 flops; the fma is a libm call on the default x86-64 target.
    /// - Complexity: O(1).
    @inlinable @inline(__always)
    public mutating func addProduct(_ a: Double, _ b: Double) {
        let p = a * b
        let productError = (-p).addingProduct(a, b)   // exact: a·b − fl(a·b)
        add(p)
        lo += productError
    }

    // MARK: Error-free transformations

    /// The rounding error of s = fl(a + b): a + b − s exactly (Knuth's TwoSum).
    @inlinable @inline(__always)
    static func twoSumError(_ a: Double, _ b: Double, _ s: Double) -> Double {
        let bb = s - a
        return (a - (s - bb)) + (b - bb)
    }

    /// (s, e) with s = fl(a + b) and e the exact error, assuming |a| ≥ |b| or a = 0 (Dekker's
    /// FastTwoSum). When s is ±∞ or NaN, e = 0 so that `value` stays s.
    @inlinable @inline(__always)
    static func fastTwoSum(_ a: Double, _ b: Double) -> DoubleDouble {
        let s = a + b
        return DoubleDouble(hi: s, lo: s.isFinite ? b - (s - a) : 0)
    }
}
