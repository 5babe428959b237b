/// Why a run ended.
public enum MonteCarloStopReason: String, Sendable, Codable, Equatable {
    /// Every planned replicate ran (with a stopping rule: its target was not met earlier).
    case allReplicates
    /// The stopping rule's target was met at a batch boundary.
    case targetReached
}

/// Where a run stands after a batch, for progress displays. Passed to the progress callback
/// on the caller's thread after every batch.
public struct MonteCarloProgress: Sendable, Equatable {
    /// Replicates completed so far (including any loaded from a checkpoint).
    public let completedReplicates: Int
    /// The plan's replicate count (the most the run will do).
    public let plannedReplicates: Int
    /// Replicates loaded from a checkpoint when the run started (0 for a fresh run).
    public let resumedReplicates: Int
    /// The largest SE/target ratio over the stopping rule's outputs (≤ 1: met); nil without a
    /// rule or before its minimum replicate count.
    public let worstStandardErrorRatio: Double?
    /// Whether a checkpoint was written after this batch.
    public let checkpointWritten: Bool
}

/// The replicate outputs of a run and their Monte Carlo summaries.
///
/// `values` holds every completed replicate's outputs in replicate order; they are a function
/// of the plan and the computation only — identical for any thread count, any batch size
/// without a stopping rule, and across an interruption and resume.
public struct MonteCarloResult: Sendable, Equatable {
    /// The plan that ran.
    public let plan: MonteCarloPlan
    /// The outputs' names, in the order of each replicate's values.
    public let outputNames: [String]
    /// How many replicates completed (0 ..< completedReplicates).
    public let completedReplicates: Int
    /// Replicate-major values: output k of replicate r is at r·outputNames.count + k.
    public let values: [Double]
    /// Why the run ended.
    public let stopReason: MonteCarloStopReason
    /// How many replicates were loaded from a checkpoint rather than computed by this call.
    public let resumedReplicates: Int

    /// The number of outputs per replicate.
    public var outputCount: Int { outputNames.count }

    /// The values of output `k` over the replicates, in replicate order.
    /// - Precondition: 0 ≤ k < outputCount.
    /// - Complexity: O(completedReplicates).
    public func values(ofOutput k: Int) -> [Double] {
        precondition(k >= 0 && k < outputCount, "output index out of range")
        return (0..<completedReplicates).map { values[$0 * outputCount + k] }
    }

    /// The Monte Carlo summary of output `k` (antithetic-aware; see `OutputSummary`).
    /// - Throws: `MonteCarloError.invalidArgument` for an index out of range or a level outside (0, 1).
    /// - Complexity: O(R log R).
    public func summary(ofOutput k: Int, level: Double = 0.95) throws -> OutputSummary {
        try require(k >= 0 && k < outputCount, "output", "index \(k) is out of range 0..<\(outputCount)")
        return try OutputSummary(name: outputNames[k], values: values(ofOutput: k), antithetic: plan.antithetic, level: level)
    }

    /// The summaries of every output, in order.
    /// - Throws: as `summary(ofOutput:level:)`.
    /// - Complexity: O(K·R log R).
    public func summaries(level: Double = 0.95) throws -> [OutputSummary] {
        try (0..<outputCount).map { try summary(ofOutput: $0, level: level) }
    }
}
