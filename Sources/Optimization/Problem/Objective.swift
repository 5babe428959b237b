import LinearAlgebra

/// An objective made of closures: the value, and optionally an exact gradient, a Hessian and
/// a vectorized batch form.
///
/// ```swift
/// let f = Objective(dimension: 2) { x in (1 - x[0]) * (1 - x[0]) + 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0]) }
/// ```
/// The closures are `@Sendable`; say `threadSafe: false` when they call something that must
/// not run concurrently (a C library with global state, say): every optimizer then evaluates
/// serially.
public struct Objective: ObjectiveFunction {
    /// The number of parameters.
    public let dimension: Int
    /// Whether the closures may run concurrently.
    public let isThreadSafe: Bool
    private let valueFunction: @Sendable ([Double]) -> Double
    private let gradientFunction: (@Sendable ([Double]) -> (value: Double, gradient: [Double]))?
    private let hessianFunction: (@Sendable ([Double]) -> Matrix)?
    private let batchFunction: (@Sendable ([[Double]]) -> [Double])?

    /// An objective from its value alone (derivatives by finite differences).
    /// - Parameters:
    ///   - dimension: the number of parameters n (≥ 1).
    ///   - threadSafe: whether `value` may run on several threads at once.
    ///   - batch: optional vectorized form: f at every point, in order (called on one thread).
    public init(dimension: Int, threadSafe: Bool = true, batch: (@Sendable ([[Double]]) -> [Double])? = nil,
                _ value: @escaping @Sendable ([Double]) -> Double) {
        self.dimension = dimension
        self.isThreadSafe = threadSafe
        self.valueFunction = value
        self.gradientFunction = nil
        self.hessianFunction = nil
        self.batchFunction = batch
    }

    /// An objective with an exact gradient and, optionally, a Hessian.
    /// - Parameters:
    ///   - value: f(x).
    ///   - gradient: (f(x), ∇f(x)) with `∇f(x).count == dimension`.
    ///   - hessian: ∇²f(x), n×n (needed by `TrustRegionNewton`, used for standard errors).
    public init(dimension: Int, threadSafe: Bool = true,
                value: @escaping @Sendable ([Double]) -> Double,
                gradient: @escaping @Sendable ([Double]) -> (value: Double, gradient: [Double]),
                hessian: (@Sendable ([Double]) -> Matrix)? = nil) {
        self.dimension = dimension
        self.isThreadSafe = threadSafe
        self.valueFunction = value
        self.gradientFunction = gradient
        self.hessianFunction = hessian
        self.batchFunction = nil
    }

    /// Whether an exact gradient was given.
    public var providesGradient: Bool { gradientFunction != nil }
    /// Whether a Hessian was given.
    public var providesHessian: Bool { hessianFunction != nil }
    /// f(x). - Complexity: one call of the value closure.
    public func value(at x: [Double]) -> Double { valueFunction(x) }
    /// (f(x), ∇f(x)) from the gradient closure, or nil when none was given.
    public func valueAndGradient(at x: [Double]) -> (value: Double, gradient: [Double])? { gradientFunction?(x) }
    /// ∇²f(x) from the Hessian closure, or nil when none was given.
    public func hessian(at x: [Double]) -> Matrix? { hessianFunction?(x) }
    /// The batch closure when given, else the points spread over threads.
    public func values(at points: [[Double]], parallelism: Parallelism) -> [Double] {
        if let batchFunction { return batchFunction(points) }
        return spreadValues(at: points, parallelism: parallelism)
    }
}
