import LinearAlgebra

/// A function to minimize, f: ℝⁿ → ℝ, with whatever derivatives it can give.
///
/// Conform a type to use it with every optimizer of this module, or wrap closures in
/// `Objective`. Only `dimension` and `value(at:)` are required; the rest have defaults:
/// no gradient (optimizers then use parallel central differences), no Hessian, thread-safe,
/// and batches spread over threads.
///
/// A value that is NaN or ±∞ is allowed during a search: the optimizers treat such a point as
/// a failed step (rejected), never as a minimum. Only the start point must give a finite value.
public protocol ObjectiveFunction: Sendable {
    /// The number of parameters n.
    var dimension: Int { get }
    /// Whether `value(at:)` (and the derivative functions) may run on several threads at once.
    /// `false` makes every optimizer evaluate serially, whatever its `parallelism`.
    /// Default: `true` (the type is `Sendable`, which Swift checks).
    var isThreadSafe: Bool { get }
    /// Whether `valueAndGradient(at:)` gives an exact gradient. Default: `false`.
    var providesGradient: Bool { get }
    /// Whether `hessian(at:)` gives the Hessian. Default: `false`.
    var providesHessian: Bool { get }

    /// f(x) for `x.count == dimension`.
    func value(at x: [Double]) -> Double
    /// f(x) and ∇f(x) when `providesGradient`; `nil` otherwise (the default).
    func valueAndGradient(at x: [Double]) -> (value: Double, gradient: [Double])?
    /// The n×n Hessian ∇²f(x) when `providesHessian`; `nil` otherwise (the default).
    func hessian(at x: [Double]) -> Matrix?
    /// f at every point of `points`, in order. The default evaluates one point per task on up
    /// to `parallelism.threads` threads when `isThreadSafe`, serially otherwise; override it
    /// when the objective has a faster vectorized form. The result must not depend on
    /// `parallelism` (each value is a function of its point only). A result of the wrong length
    /// makes every point of the batch count as failed (NaN).
    /// - Complexity: `points.count` evaluations of f divided over the threads.
    func values(at points: [[Double]], parallelism: Parallelism) -> [Double]
}

extension ObjectiveFunction {
    /// `true`: conforming types are `Sendable`.
    public var isThreadSafe: Bool { true }
    /// `false`: no exact gradient unless the type says so.
    public var providesGradient: Bool { false }
    /// `false`: no Hessian unless the type says so.
    public var providesHessian: Bool { false }
    /// `nil`: no exact gradient.
    public func valueAndGradient(at x: [Double]) -> (value: Double, gradient: [Double])? { nil }
    /// `nil`: no Hessian.
    public func hessian(at x: [Double]) -> Matrix? { nil }

    /// Evaluates the points on up to `parallelism.threads` threads (serially when not
    /// `isThreadSafe`), one chunk of points per task; values land in point order.
    public func values(at points: [[Double]], parallelism: Parallelism) -> [Double] {
        spreadValues(at: points, parallelism: parallelism)
    }

    /// The default batch evaluation, callable from an overriding `values(at:parallelism:)`.
    /// - Complexity: `points.count` evaluations divided over the threads.
    public func spreadValues(at points: [[Double]], parallelism: Parallelism) -> [Double] {
        let threads = isThreadSafe ? parallelism.threads : 1
        if threads == 1 || points.count < 2 { return points.map { value(at: $0) } }
        // Chunks of a few points each: the cut may depend on the thread count because every
        // value depends only on its own point, so the results are identical for any cut.
        let chunk = Swift.max(1, points.count / (4 * threads))
        let parts = (try? Parallel.map(count: points.count, chunkSize: chunk, parallelism: Parallelism(threads: threads)) { range in
            range.map { self.value(at: points[$0]) }
        }) ?? [points.map { value(at: $0) }]
        return parts.flatMap { $0 }
    }
}
