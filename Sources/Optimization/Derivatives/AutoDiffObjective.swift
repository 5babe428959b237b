import LinearAlgebra

/// A function written once, generic over `DifferentiableReal`, so that it can be evaluated on
/// `Double`, on dual numbers (exact gradient) and on nested duals (exact Hessian).
public protocol DifferentiableFunction: Sendable {
    /// The number of parameters n.
    var dimension: Int { get }
    /// f(x) for `x.count == dimension`, on any scalar type.
    func callAsFunction<T: DifferentiableReal>(_ x: [T]) -> T
}

/// An objective whose gradient and Hessian come from forward-mode automatic differentiation
/// of a `DifferentiableFunction`: exact to rounding, no step sizes.
///
/// The gradient costs n dual evaluations; the Hessian n(n+1)/2 nested-dual evaluations (use it
/// for Newton's method and standard errors at moderate n).
public struct AutoDiffObjective<Function: DifferentiableFunction>: ObjectiveFunction {
    /// The function.
    public let function: Function

    /// Wraps `function`.
    public init(_ function: Function) { self.function = function }

    /// n.
    public var dimension: Int { function.dimension }
    /// `true`.
    public var providesGradient: Bool { true }
    /// `true`.
    public var providesHessian: Bool { true }

    /// f(x) on `Double`.
    public func value(at x: [Double]) -> Double { function(x) }

    /// f(x) and the exact gradient (n dual passes).
    public func valueAndGradient(at x: [Double]) -> (value: Double, gradient: [Double])? {
        Dual<Double>.gradient(of: { function($0) }, at: x)
    }

    /// The exact Hessian: entry (i, j) from one pass on `Dual<Dual<Double>>` seeded with eᵢ
    /// in the inner and eⱼ in the outer tangent.
    public func hessian(at x: [Double]) -> Matrix? {
        let n = x.count
        var h = Matrix(rows: n, columns: n)
        var point = x.map { Dual<Dual<Double>>(Dual($0, 0), Dual(0, 0)) }
        for i in 0..<n {
            for j in 0...i {
                point[i].primal.tangent = 1
                point[j].tangent.primal = 1
                let r = function(point)
                let hij = r.tangent.tangent
                h[i, j] = hij
                h[j, i] = hij
                point[i].primal.tangent = 0
                point[j].tangent.primal = 0
            }
        }
        return h
    }
}
