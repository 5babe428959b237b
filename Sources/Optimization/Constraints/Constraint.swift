/// A general constraint for `AugmentedLagrangian`: c(x) ≤ 0 (inequality) or c(x) = 0
/// (equality), with an optional exact gradient (else central differences).
public struct Constraint: Sendable {
    /// Inequality or equality.
    public enum Kind: String, Sendable, Codable {
        /// c(x) ≤ 0.
        case lessThanOrEqualToZero = "<= 0"
        /// c(x) = 0.
        case equalToZero = "= 0"
    }

    /// The kind.
    public let kind: Kind
    /// A short name for messages ("budget").
    public let name: String
    let function: @Sendable ([Double]) -> Double
    let gradientFunction: (@Sendable ([Double]) -> [Double])?
    /// For linear constraints: the coefficients (checked against the dimension).
    let coefficients: [Double]?

    /// c(x) ≤ 0.
    public static func inequality(_ name: String = "inequality", _ c: @escaping @Sendable ([Double]) -> Double,
                                  gradient: (@Sendable ([Double]) -> [Double])? = nil) -> Constraint {
        Constraint(kind: .lessThanOrEqualToZero, name: name, function: c, gradientFunction: gradient, coefficients: nil)
    }

    /// c(x) = 0.
    public static func equality(_ name: String = "equality", _ c: @escaping @Sendable ([Double]) -> Double,
                                gradient: (@Sendable ([Double]) -> [Double])? = nil) -> Constraint {
        Constraint(kind: .equalToZero, name: name, function: c, gradientFunction: gradient, coefficients: nil)
    }

    /// The linear budget Σ aᵢxᵢ ≤ b, with its exact gradient a.
    public static func linear(_ name: String = "budget", coefficients a: [Double], atMost b: Double) -> Constraint {
        Constraint(kind: .lessThanOrEqualToZero, name: name, function: { x in
            var s = -b
            for i in 0..<Swift.min(a.count, x.count) { s += a[i] * x[i] }
            return s
        }, gradientFunction: { _ in a }, coefficients: a + [b])
    }

    /// The linear equality Σ aᵢxᵢ = b.
    public static func linearEquality(_ name: String = "linear equality", coefficients a: [Double], equals b: Double) -> Constraint {
        Constraint(kind: .equalToZero, name: name, function: { x in
            var s = -b
            for i in 0..<Swift.min(a.count, x.count) { s += a[i] * x[i] }
            return s
        }, gradientFunction: { _ in a }, coefficients: a + [b])
    }

    /// c(x).
    public func value(at x: [Double]) -> Double { function(x) }

    /// The violation: max(0, c) for an inequality, |c| for an equality.
    public func violation(at x: [Double]) -> Double {
        let c = function(x)
        guard c.isFinite else { return .infinity }
        return kind == .equalToZero ? Swift.abs(c) : Swift.max(0, c)
    }

    /// ∇c(x): exact when given, else central differences (2n values of c).
    func gradient(at x: [Double]) -> [Double] {
        if let gradientFunction { return gradientFunction(x) }
        let step = 6.055_454_452_393_343e-6  // ∛ε
        return x.indices.map { i in
            let h = step * Swift.max(1, Swift.abs(x[i]))
            var a = x, b = x
            a[i] += h; b[i] -= h
            return (function(a) - function(b)) / (2 * h)
        }
    }

    /// Checks the constraint against the dimension.
    func validate(index: Int, dimension n: Int) throws {
        guard let coefficients else { return }
        guard coefficients.count == n + 1 else {
            throw OptimizationError.invalidConstraint(index: index, reason: "'\(name)' has \(coefficients.count - 1) coefficient(s) for \(n) parameter(s)")
        }
        guard coefficients.allSatisfy(\.isFinite) else {
            throw OptimizationError.invalidConstraint(index: index, reason: "'\(name)' has a coefficient or bound that is not finite")
        }
    }
}
