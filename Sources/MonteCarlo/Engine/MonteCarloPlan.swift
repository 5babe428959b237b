/// What a Monte Carlo run computes, fixed before it starts: the seed, how many replicates
/// at most, whether they come in antithetic pairs, the batch size at which standard errors
/// are checked and checkpoints written, the stopping rule, and a fingerprint of the
/// computation. A checkpoint records the whole plan and resumes only an identical one.
///
/// Replicate r (0-based) draws its random numbers from `RandomAddress` replicate r, or, with
/// antithetic pairs, from replicate r / 2 with `antithetic` = (r odd): replicates 2p and 2p + 1
/// see the same draws, mirrored (u ↔ 1 − 2⁻⁵² − u, z ↔ −z).
public struct MonteCarloPlan: Sendable, Equatable, Codable {
    /// The run's seed (the Philox key of every draw).
    public let seed: UInt64
    /// The number of replicates to run unless the stopping rule ends the run earlier.
    public let replicates: Int
    /// Whether replicates come in antithetic pairs (2p, 2p + 1).
    public let antithetic: Bool
    /// Replicates per batch: the stopping rule is checked and checkpoints are written only
    /// after whole batches, so where a run stops never depends on threads or timing.
    public let batchSize: Int
    /// When to stop before `replicates`; nil runs them all.
    public let stopping: StoppingRule?
    /// Identifies the computation (for example a hash of the spec and input files): a
    /// checkpoint written under another fingerprint is refused.
    public let fingerprint: String

    /// The default batch size: small enough for frequent checkpoints, large enough that
    /// the threads stay busy between batch boundaries.
    public static let defaultBatchSize = 32

    /// A plan.
    /// - Parameters:
    ///   - seed: The seed.
    ///   - replicates: At least 1 (even with `antithetic`); at most 2³² (2³³ with `antithetic`).
    ///   - antithetic: Pair replicates with mirrored draws.
    ///   - batchSize: At least 1 (even with `antithetic`). Default 32.
    ///   - stopping: Early stop when standard errors reach a target; nil: run all replicates.
    ///   - fingerprint: Identity of the computation recorded in checkpoints.
    /// - Throws: `MonteCarloError.invalidArgument` naming the offending value.
    public init(seed: UInt64, replicates: Int, antithetic: Bool = false, batchSize: Int = MonteCarloPlan.defaultBatchSize,
                stopping: StoppingRule? = nil, fingerprint: String = "") throws {
        try require(replicates >= 1, "replicates", "must be at least 1, got \(replicates)")
        let limit = antithetic ? 1 << 33 : 1 << 32
        try require(replicates <= limit, "replicates", "at most \(limit) replicates have distinct draws, got \(replicates)")
        try require(batchSize >= 1, "batchSize", "must be at least 1, got \(batchSize)")
        if antithetic {
            try require(replicates % 2 == 0, "replicates", "antithetic replicates come in pairs; need an even count, got \(replicates)")
            try require(batchSize % 2 == 0, "batchSize", "antithetic pairs must not straddle batches; need an even batch size, got \(batchSize)")
        }
        self.seed = seed
        self.replicates = replicates
        self.antithetic = antithetic
        self.batchSize = batchSize
        self.stopping = stopping
        self.fingerprint = fingerprint
    }

    /// Replicate `index` of this plan: its draw address and mirror flag.
    /// - Precondition: 0 ≤ index < `replicates`.
    public func replicate(_ index: Int) -> Replicate {
        precondition(index >= 0 && index < replicates, "replicate index out of range")
        return Replicate(index: index, seed: seed,
                         drawIndex: UInt32(truncatingIfNeeded: antithetic ? index >> 1 : index),
                         antithetic: antithetic && index & 1 == 1)
    }
}

/// Stop a run early once the Monte Carlo standard errors of chosen outputs reach a target.
///
/// Checked after each whole batch (and never before `minimumReplicates`): the run stops at
/// the first batch boundary where every chosen output has SE ≤ `target` (absolute) or
/// SE ≤ `target`·|mean| (relative). The SE is that of `OutputSummary.standardError` (of pair
/// means for antithetic runs). The outcome is a function of the replicate values alone.
public struct StoppingRule: Sendable, Equatable, Codable {
    /// The target standard error (absolute, or relative to |mean|).
    public let target: Double
    /// Whether `target` is relative to the absolute value of each output's mean.
    public let relative: Bool
    /// Indices of the outputs that must reach the target; nil means all outputs.
    public let outputs: [Int]?
    /// Replicates that must complete before the rule is checked (SEs from a handful of
    /// replicates are themselves too noisy to trust).
    public let minimumReplicates: Int

    /// A rule.
    /// - Throws: `MonteCarloError.invalidArgument` unless `target` is finite and > 0, the
    ///   output list (if any) is non-empty with non-negative indices, and `minimumReplicates` ≥ 2.
    public init(target: Double, relative: Bool = false, outputs: [Int]? = nil, minimumReplicates: Int = 64) throws {
        try require(target.isFinite && target > 0, "stopping.target", "must be finite and > 0, got \(target)")
        if let outputs {
            try require(!outputs.isEmpty, "stopping.outputs", "must name at least one output (or be omitted for all)")
            try require(outputs.allSatisfy { $0 >= 0 }, "stopping.outputs", "indices must be ≥ 0, got \(outputs)")
        }
        try require(minimumReplicates >= 2, "stopping.minimumReplicates", "must be at least 2, got \(minimumReplicates)")
        self.target = target
        self.relative = relative
        self.outputs = outputs
        self.minimumReplicates = minimumReplicates
    }
}

/// What the engine does when a replicate returns NaN or ±∞ for an output.
public enum NonFiniteOutputPolicy: String, Sendable, Codable, CaseIterable {
    /// Fail with `MonteCarloError.nonFiniteOutput` (the lowest such replicate, then output).
    case reject
    /// Keep the value; summaries use the finite replicates only and count the others
    /// (for outputs that can be undefined in a replicate, e.g. a share of an empty set).
    case omit
}
