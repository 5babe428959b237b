import LinearAlgebra

/// Every minimizer of this module by name, with one calling convention: for drivers that
/// choose the method at run time (`policylab minimize`, benchmarks).
public enum OptimizationMethod: String, Sendable, CaseIterable, Codable {
    /// `LBFGSB` (local; gradient exact or by finite differences).
    case lbfgsb
    /// `TrustRegionNewton` (local; needs a Hessian).
    case trustNewton = "trust-newton"
    /// `NelderMead` (local, derivative-free).
    case nelderMead = "nelder-mead"
    /// `DifferentialEvolution` (global, JADE strategy, L-BFGS-B polish).
    case differentialEvolution = "de"
    /// `CMAES` (global, IPOP restarts, L-BFGS-B polish).
    case cmaes
    /// `MultiStart` (global, Sobol design + L-BFGS-B, TikTak).
    case multistart

    /// Whether the method searches the whole box (needs finite bounds, ignores the start point).
    public var isGlobal: Bool { self == .differentialEvolution || self == .cmaes || self == .multistart }

    /// Minimizes f with default settings except those given.
    /// - Parameters:
    ///   - start: the start point of local methods (global methods ignore it).
    ///   - maxEvaluations: the evaluation budget (nil: the method's default).
    /// - Throws: whatever the method throws (`OptimizationError`).
    /// - Complexity: that of the method.
    public func minimize(_ f: some ObjectiveFunction, bounds: Bounds, start: [Double], seed: UInt64,
                         parallelism: Parallelism, maxEvaluations: Int? = nil, recordHistory: Bool = false) throws -> OptimizationResult {
        let monitor = RunMonitor(recordHistory: recordHistory)
        switch self {
        case .lbfgsb:
            var m = LBFGSB()
            m.parallelism = parallelism
            m.monitor = monitor
            if let maxEvaluations { m.maxEvaluations = maxEvaluations }
            return try m.minimize(f, from: start, bounds: bounds)
        case .trustNewton:
            var m = TrustRegionNewton()
            m.monitor = monitor
            if let maxEvaluations { m.maxEvaluations = maxEvaluations }
            return try m.minimize(f, from: start, bounds: bounds)
        case .nelderMead:
            var m = NelderMead()
            m.parallelism = parallelism
            m.monitor = monitor
            m.maxEvaluations = maxEvaluations
            return try m.minimize(f, from: start, bounds: bounds)
        case .differentialEvolution:
            var m = DifferentialEvolution()
            m.seed = seed
            m.parallelism = parallelism
            m.monitor = monitor
            m.maxEvaluations = maxEvaluations
            return try m.minimize(f, bounds: bounds)
        case .cmaes:
            var m = CMAES()
            m.seed = seed
            m.parallelism = parallelism
            m.monitor = monitor
            m.maxEvaluations = maxEvaluations
            return try m.minimize(f, bounds: bounds)
        case .multistart:
            var m = MultiStart()
            m.seed = seed
            m.parallelism = parallelism
            m.maxEvaluations = maxEvaluations
            m.monitor = monitor
            return try m.minimize(f, bounds: bounds)
        }
    }
}
