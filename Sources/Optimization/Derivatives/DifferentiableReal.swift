import Foundation

/// The arithmetic an objective needs to be differentiated automatically: write the objective
/// once, generic over `T: DifferentiableReal`, and run it on `Double` for values, on
/// `Dual<Double>` for exact gradients (forward mode), on `Dual<Dual<Double>>` for exact Hessians.
///
/// ```swift
/// func rosenbrock<T: DifferentiableReal>(_ x: [T]) -> T {
///     (1 - x[0]) * (1 - x[0]) + 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0])
/// }
/// ```
/// Constants enter through literals or `T(c)` (there are deliberately no mixed `T`–`Double`
/// operators: they would slow down type checking of every `Double` expression in client code).
/// Comparisons (`<`, `==`) look at the value only, so branches behave as on `Double`; a kink
/// (|x| at 0) gets the derivative of the branch taken.
public protocol DifferentiableReal: Sendable, Comparable, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    /// A constant (zero derivative).
    init(_ value: Double)
    /// The real value underneath all derivative parts.
    var realValue: Double { get }

    /// Sum.
    static func + (lhs: Self, rhs: Self) -> Self
    /// Difference.
    static func - (lhs: Self, rhs: Self) -> Self
    /// Product.
    static func * (lhs: Self, rhs: Self) -> Self
    /// Quotient.
    static func / (lhs: Self, rhs: Self) -> Self
    /// Negation.
    static prefix func - (operand: Self) -> Self
    /// x = x + y.
    static func += (lhs: inout Self, rhs: Self)
    /// x = x − y.
    static func -= (lhs: inout Self, rhs: Self)
    /// x = x · y.
    static func *= (lhs: inout Self, rhs: Self)

    /// eˣ.
    static func exp(_ x: Self) -> Self
    /// Natural logarithm.
    static func log(_ x: Self) -> Self
    /// Sine.
    static func sin(_ x: Self) -> Self
    /// Cosine.
    static func cos(_ x: Self) -> Self
    /// Arctangent.
    static func atan(_ x: Self) -> Self
    /// Square root.
    static func sqrt(_ x: Self) -> Self
    /// xᵖ for a constant exponent.
    static func pow(_ x: Self, _ p: Double) -> Self
    /// xʸ (x > 0 for a derivative in y).
    static func pow(_ x: Self, _ y: Self) -> Self
}

extension DifferentiableReal {
    /// π as a constant.
    @inlinable public static var pi: Self { Self(Double.pi) }
    /// |x| (derivative sign(x); 0's derivative taken from the + branch).
    @inlinable public static func abs(_ x: Self) -> Self { x.realValue < 0 ? -x : x }
}

extension Double: DifferentiableReal {
    /// The value itself.
    @inlinable public var realValue: Double { self }
    /// `Foundation.exp`.
    @inlinable public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    /// `Foundation.log`.
    @inlinable public static func log(_ x: Double) -> Double { Foundation.log(x) }
    /// `Foundation.sin`.
    @inlinable public static func sin(_ x: Double) -> Double { Foundation.sin(x) }
    /// `Foundation.cos`.
    @inlinable public static func cos(_ x: Double) -> Double { Foundation.cos(x) }
    /// `Foundation.atan`.
    @inlinable public static func atan(_ x: Double) -> Double { Foundation.atan(x) }
    /// `squareRoot()`.
    @inlinable public static func sqrt(_ x: Double) -> Double { x.squareRoot() }
    /// `Foundation.pow`.
    @inlinable public static func pow(_ x: Double, _ p: Double) -> Double { Foundation.pow(x, p) }
}
