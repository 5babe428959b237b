import LinearAlgebra

/// One row of an optimizer's history: where a run stood after an iteration (a generation for
/// population methods).
public struct IterationRecord: Sendable, Equatable, Codable {
    /// 1-based iteration (generation) number.
    public let iteration: Int
    /// Objective evaluations so far (finite-difference evaluations included).
    public let evaluations: Int
    /// The best objective value so far.
    public let value: Double
    /// The projected-gradient infinity norm at the current point (nil for derivative-free methods).
    public let gradientNorm: Double?

    /// A record (used by the optimizers; public for custom drivers and tests).
    public init(iteration: Int, evaluations: Int, value: Double, gradientNorm: Double?) {
        self.iteration = iteration
        self.evaluations = evaluations
        self.value = value
        self.gradientNorm = gradientNorm
    }
}

/// What the progress callback tells the optimizer.
public enum ProgressDecision: Sendable, Equatable {
    /// Go on.
    case proceed
    /// Stop now and return the best point so far (`StopReason.cancelled`).
    case stop
}

/// A callback called on the optimizer's own thread after every iteration.
public typealias ProgressHandler = @Sendable (IterationRecord) -> ProgressDecision

/// The result of a minimization.
public struct OptimizationResult: Sendable {
    /// The method, in words ("L-BFGS-B", "differential evolution", …).
    public let method: String
    /// The best point found.
    public let x: [Double]
    /// f(x).
    public let value: Double
    /// The infinity norm of the projected gradient at x (x − P(x − ∇f) for bounds), when
    /// the method computed a gradient there; nil otherwise.
    public let gradientNorm: Double?
    /// Iterations (generations for population methods; outer iterations for the augmented
    /// Lagrangian).
    public let iterations: Int
    /// Objective evaluations, finite-difference evaluations included.
    public let evaluations: Int
    /// Exact-gradient evaluations (0 when the gradient came from finite differences).
    public let gradientEvaluations: Int
    /// Why the method stopped.
    public let stopReason: StopReason
    /// One record per iteration (empty when `recordHistory` was off).
    public let history: [IterationRecord]
    /// Notes: the stop reason in words, then anything else worth saying (polish, restarts).
    public let message: String

    /// Whether a convergence test was met.
    public var converged: Bool { stopReason.converged }

    /// A result (used by the optimizers; public for custom drivers).
    public init(method: String, x: [Double], value: Double, gradientNorm: Double?, iterations: Int, evaluations: Int,
                gradientEvaluations: Int, stopReason: StopReason, history: [IterationRecord], notes: [String] = []) {
        self.method = method
        self.x = x
        self.value = value
        self.gradientNorm = gradientNorm
        self.iterations = iterations
        self.evaluations = evaluations
        self.gradientEvaluations = gradientEvaluations
        self.stopReason = stopReason
        self.history = history
        self.message = ([stopReason.description] + notes).joined(separator: "; ")
    }
}

/// What every optimizer reports to, besides its own settings: history and the callback.
public struct RunMonitor: Sendable {
    /// Keep one `IterationRecord` per iteration in the result.
    public var recordHistory: Bool
    /// Called after every iteration; `.stop` ends the run.
    public var progress: ProgressHandler?

    /// History on, no callback by default.
    public init(recordHistory: Bool = true, progress: ProgressHandler? = nil) {
        self.recordHistory = recordHistory
        self.progress = progress
    }

    /// Records an iteration; returns true when the callback asked to stop.
    func report(_ record: IterationRecord, into history: inout [IterationRecord]) -> Bool {
        if recordHistory { history.append(record) }
        return progress?(record) == .stop
    }
}
