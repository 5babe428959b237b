import Foundation

/// A dual number a + bε with ε² = 0: forward-mode automatic differentiation.
///
/// Evaluating f at `Dual(x, 1)` gives `Dual(f(x), f′(x))` exactly (to rounding), with no
/// step size. Generic over its scalar, so `Dual<Dual<Double>>` carries second derivatives:
/// seeding x = Dual(Dual(xᵢ, eᵢ), Dual(eⱼ, 0)) yields ∂²f/∂xᵢ∂xⱼ in `tangent.tangent`.
/// Every operation costs a small constant times the `Base` operation (no allocation).
@frozen
public struct Dual<Base: DifferentiableReal>: DifferentiableReal {
    /// The value part a.
    public var primal: Base
    /// The derivative part b.
    public var tangent: Base

    /// a + bε.
    @inlinable public init(_ primal: Base, _ tangent: Base) {
        self.primal = primal
        self.tangent = tangent
    }

    /// A constant: c + 0ε.
    @inlinable public init(_ value: Double) { self.init(Base(value), Base(0)) }
    /// An integer literal constant.
    @inlinable public init(integerLiteral value: Int) { self.init(Double(value)) }
    /// A float literal constant.
    @inlinable public init(floatLiteral value: Double) { self.init(value) }

    /// The real value underneath.
    @inlinable public var realValue: Double { primal.realValue }

    /// Compares values only.
    @inlinable public static func < (lhs: Dual, rhs: Dual) -> Bool { lhs.primal < rhs.primal }
    /// Compares values only.
    @inlinable public static func == (lhs: Dual, rhs: Dual) -> Bool { lhs.primal == rhs.primal }

    /// (a + bε) + (c + dε).
    @inlinable public static func + (lhs: Dual, rhs: Dual) -> Dual { Dual(lhs.primal + rhs.primal, lhs.tangent + rhs.tangent) }
    /// (a + bε) − (c + dε).
    @inlinable public static func - (lhs: Dual, rhs: Dual) -> Dual { Dual(lhs.primal - rhs.primal, lhs.tangent - rhs.tangent) }
    /// Product rule.
    @inlinable public static func * (lhs: Dual, rhs: Dual) -> Dual {
        Dual(lhs.primal * rhs.primal, lhs.tangent * rhs.primal + lhs.primal * rhs.tangent)
    }
    /// Quotient rule.
    @inlinable public static func / (lhs: Dual, rhs: Dual) -> Dual {
        let q = lhs.primal / rhs.primal
        return Dual(q, (lhs.tangent - q * rhs.tangent) / rhs.primal)
    }
    /// x = x + y.
    @inlinable public static func += (lhs: inout Dual, rhs: Dual) { lhs = lhs + rhs }
    /// x = x − y.
    @inlinable public static func -= (lhs: inout Dual, rhs: Dual) { lhs = lhs - rhs }
    /// x = x · y.
    @inlinable public static func *= (lhs: inout Dual, rhs: Dual) { lhs = lhs * rhs }
    /// −(a + bε).
    @inlinable public static prefix func - (operand: Dual) -> Dual { Dual(-operand.primal, -operand.tangent) }

    /// Chain rule: eᵃ(1 + bε).
    @inlinable public static func exp(_ x: Dual) -> Dual {
        let e = Base.exp(x.primal)
        return Dual(e, e * x.tangent)
    }
    /// log a + (b/a)ε.
    @inlinable public static func log(_ x: Dual) -> Dual { Dual(Base.log(x.primal), x.tangent / x.primal) }
    /// sin a + b cos a ε.
    @inlinable public static func sin(_ x: Dual) -> Dual { Dual(Base.sin(x.primal), x.tangent * Base.cos(x.primal)) }
    /// cos a − b sin a ε.
    @inlinable public static func cos(_ x: Dual) -> Dual { Dual(Base.cos(x.primal), -(x.tangent * Base.sin(x.primal))) }
    /// atan a + b/(1 + a²) ε.
    @inlinable public static func atan(_ x: Dual) -> Dual {
        Dual(Base.atan(x.primal), x.tangent / (Base(1) + x.primal * x.primal))
    }
    /// √a + b/(2√a) ε.
    @inlinable public static func sqrt(_ x: Dual) -> Dual {
        let s = Base.sqrt(x.primal)
        return Dual(s, x.tangent / (Base(2) * s))
    }
    /// aᵖ + p aᵖ⁻¹ b ε.
    @inlinable public static func pow(_ x: Dual, _ p: Double) -> Dual {
        if p == 0 { return Dual(1) }
        return Dual(Base.pow(x.primal, p), Base(p) * Base.pow(x.primal, p - 1) * x.tangent)
    }
    /// aᶜ with both parts differentiated: d(aᶜ) = aᶜ (c′ log a + c a′/a).
    @inlinable public static func pow(_ x: Dual, _ y: Dual) -> Dual {
        let value = Base.pow(x.primal, y.primal)
        let dx = y.primal * Base.pow(x.primal, y.primal - Base(1)) * x.tangent
        // For a ≤ 0 log a is NaN: keep the derivative finite when the exponent is constant there.
        let dy = x.primal.realValue <= 0 && y.tangent.realValue == 0 ? Base(0) : value * Base.log(x.primal) * y.tangent
        return Dual(value, dx + dy)
    }
}

extension Dual where Base == Double {
    /// The gradient of `f` at `x` by n forward passes (one seed direction eᵢ each).
    /// - Complexity: n evaluations of f on duals (≈ 2–3× a value evaluation each).
    @inlinable
    public static func gradient(of f: ([Dual<Double>]) -> Dual<Double>, at x: [Double]) -> (value: Double, gradient: [Double]) {
        var point = x.map { Dual<Double>($0, 0) }
        var g = [Double](repeating: 0, count: x.count)
        var value = Double.nan
        for i in x.indices {
            point[i].tangent = 1
            let r = f(point)
            value = r.primal
            g[i] = r.tangent
            point[i].tangent = 0
        }
        if x.isEmpty { value = f([]).primal }
        return (value, g)
    }
}
