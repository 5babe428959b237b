import LinearAlgebra

/// Runs R replicates of a computation in parallel, each with its own addressed random
/// numbers, and summarizes the outputs with Monte Carlo standard errors and intervals.
///
/// The computation maps a `Replicate` to a fixed number of outputs (for a microsimulation:
/// cost, poverty, Gini… per scenario and group). Replicates run in batches of
/// `plan.batchSize`; within a batch they are spread over `parallelism` threads through
/// `Parallel` (one replicate per task), and their outputs are stored in replicate order.
/// After each batch the engine validates the outputs, checks the stopping rule, writes a
/// checkpoint when due and calls `progress`. Because a replicate's draws depend only on its
/// address and batch boundaries only on the plan, the outputs — and where an early stop
/// happens — are the same bits for any thread count, and a run resumed from a checkpoint ends
/// exactly as an uninterrupted one.
///
/// The computation runs concurrently with itself: it must be a pure function of its
/// `Replicate` (and workspace, whose previous contents it must not read), drawing random
/// numbers only through the `Replicate`. It runs single-threaded inside its task (OpenBLAS
/// too); use serial kernels inside it.
public struct MonteCarloEngine: Sendable {
    /// The plan: seed, replicates, antithetic pairs, batch size, stopping rule, fingerprint.
    public let plan: MonteCarloPlan
    /// The outputs' names; each replicate returns one value per name, in this order.
    public let outputNames: [String]
    /// Threads for the replicates of a batch.
    public let parallelism: Parallelism
    /// What to do with NaN or ±∞ outputs.
    public let nonFinite: NonFiniteOutputPolicy
    /// Checkpointing and resume; nil keeps everything in memory.
    public let checkpoint: CheckpointOptions?

    /// An engine.
    /// - Throws: `MonteCarloError.invalidArgument` for no outputs, duplicate output names or a
    ///   stopping rule that names an output index out of range.
    public init(plan: MonteCarloPlan, outputNames: [String], parallelism: Parallelism = .serial,
                nonFinite: NonFiniteOutputPolicy = .reject, checkpoint: CheckpointOptions? = nil) throws {
        try require(!outputNames.isEmpty, "outputNames", "a computation needs at least one output")
        try require(Set(outputNames).count == outputNames.count, "outputNames",
                    "names must be distinct; repeated: \(Self.repeated(outputNames).prefix(3).joined(separator: ", "))")
        if let indices = plan.stopping?.outputs, let bad = indices.first(where: { $0 >= outputNames.count }) {
            throw MonteCarloError.invalidArgument(name: "stopping.outputs",
                                                  reason: "index \(bad) is out of range 0..<\(outputNames.count)")
        }
        self.plan = plan
        self.outputNames = outputNames
        self.parallelism = parallelism
        self.nonFinite = nonFinite
        self.checkpoint = checkpoint
    }

    /// Runs the replicates of `body`.
    /// - Parameters:
    ///   - progress: Called on the caller's thread after every batch.
    ///   - body: One replicate's outputs (`outputNames.count` values).
    /// - Throws: the error of the lowest-numbered failing replicate; `MonteCarloError`
    ///   `.outputCountMismatch`, `.nonFiniteOutput` (policy `.reject`) or `.checkpoint`
    ///   (unreadable, damaged or foreign file, failed write). Checkpoints written before
    ///   the failure stay valid for a resume.
    /// - Complexity: R calls of `body` over the threads, plus O(K·R) per batch for the
    ///   stopping rule and O(K·R) per checkpoint write.
    public func run(progress: ((MonteCarloProgress) -> Void)? = nil,
                    _ body: @Sendable (Replicate) throws -> [Double]) throws -> MonteCarloResult {
        try withoutActuallyEscaping(body) { body in
            try run(workspace: { () }, progress: progress) { replicate, _ in try body(replicate) }
        }
    }

    /// Runs the replicates of `body`, lending each a reusable workspace (scratch buffers for a
    /// large population) made by `workspace` — at most one per concurrently running replicate.
    /// - Throws: as `run(progress:_:)`, and whatever `workspace` throws.
    public func run<Workspace: Sendable>(
        workspace makeWorkspace: @Sendable () throws -> Workspace,
        progress: ((MonteCarloProgress) -> Void)? = nil,
        _ body: @Sendable (Replicate, inout Workspace) throws -> [Double]
    ) throws -> MonteCarloResult {
        let k = outputNames.count
        var values: [Double] = []
        var completed = 0
        var resumed = 0
        if let checkpoint, checkpoint.resume != .never {
            if let saved = try MonteCarloCheckpoint.read(from: checkpoint.path) {
                if let reason = saved.mismatch(plan: plan, outputNames: outputNames) {
                    throw MonteCarloError.checkpoint(path: checkpoint.path,
                                                     reason: "\(reason); delete it or rerun with the plan that wrote it")
                }
                guard saved.completedReplicates % plan.batchSize == 0 || saved.completedReplicates == plan.replicates else {
                    throw MonteCarloError.checkpoint(path: checkpoint.path, reason: "holds \(saved.completedReplicates) replicates, not a batch boundary")
                }
                values = saved.values
                completed = saved.completedReplicates
                resumed = completed
            } else if checkpoint.resume == .required {
                throw MonteCarloError.checkpoint(path: checkpoint.path, reason: "does not exist (resume was required)")
            }
        }
        // The run keeps every replicate's K outputs: refuse a plan the machine cannot hold.
        let (slots, overflow) = plan.replicates.multipliedReportingOverflow(by: Swift.max(k, 1))
        guard !overflow, MemoryBudget.bytesIfAvailable(slots, bytesPerItem: MemoryLayout<Double>.stride) != nil else {
            throw MonteCarloError.invalidArgument(
                name: "replicates", reason: "keeping \(k) outputs of each of \(plan.replicates) replicates needs "
                    + "\(MemoryBudget.shortfall(plan.replicates, bytesPerItem: 8 * Swift.max(k, 1))); run fewer replicates (draws)")
        }
        values.reserveCapacity(slots)

        // A resumed run re-evaluates the rule at its boundary, exactly as the original run did there.
        var check = stoppingCheck(values, completed)
        var batchesSinceCheckpoint = 0
        let pool = WorkspacePool<Workspace>()
        let plan = self.plan
        while completed < plan.replicates && !check.met {
            let start = completed
            let count = Swift.min(plan.batchSize, plan.replicates - start)
            let outputs = try withoutActuallyEscaping(makeWorkspace) { makeWorkspace in
                try withoutActuallyEscaping(body) { body in
                    try Parallel.map(count: count, chunkSize: 1, parallelism: parallelism) { chunk in
                        var workspace = try pool.take(makeWorkspace)
                        defer { pool.give(workspace) }
                        return try body(plan.replicate(start + chunk.lowerBound), &workspace)
                    }
                }
            }
            for (offset, replicateOutputs) in outputs.enumerated() {
                try validate(replicateOutputs, replicate: start + offset)
                values.append(contentsOf: replicateOutputs)
            }
            completed = start + count
            check = stoppingCheck(values, completed)
            batchesSinceCheckpoint += 1
            var wrote = false
            if let checkpoint,
               batchesSinceCheckpoint >= checkpoint.everyBatches || check.met || completed == plan.replicates {
                try MonteCarloCheckpoint(plan: plan, outputNames: outputNames, completedReplicates: completed, values: values)
                    .write(to: checkpoint.path)
                batchesSinceCheckpoint = 0
                wrote = true
            }
            progress?(MonteCarloProgress(completedReplicates: completed, plannedReplicates: plan.replicates,
                                         resumedReplicates: resumed, worstStandardErrorRatio: check.worstRatio,
                                         checkpointWritten: wrote))
        }
        return MonteCarloResult(plan: plan, outputNames: outputNames, completedReplicates: completed, values: values,
                                stopReason: check.met ? .targetReached : .allReplicates, resumedReplicates: resumed)
    }

    /// Throws unless `outputs` has one finite value per output (or non-finite values are omitted).
    private func validate(_ outputs: [Double], replicate: Int) throws {
        guard outputs.count == outputNames.count else {
            throw MonteCarloError.outputCountMismatch(replicate: replicate, expected: outputNames.count, actual: outputs.count)
        }
        if nonFinite == .reject, let bad = outputs.firstIndex(where: { !$0.isFinite }) {
            throw MonteCarloError.nonFiniteOutput(replicate: replicate, output: outputNames[bad])
        }
    }

    /// Whether the stopping rule is met after `completed` replicates, and the worst SE/target ratio.
    func stoppingCheck(_ values: [Double], _ completed: Int) -> (met: Bool, worstRatio: Double?) {
        guard let rule = plan.stopping, completed >= rule.minimumReplicates, completed >= 2 else { return (false, nil) }
        let k = outputNames.count
        var worst = 0.0
        for output in rule.outputs ?? Array(0..<k) {
            let column = (0..<completed).map { values[$0 * k + output] }
            let (mean, se) = OutputSummary.standardError(values: column, antithetic: plan.antithetic)
            let target = rule.relative ? rule.target * Swift.abs(mean) : rule.target
            let ratio = se / target
            // An undefined SE (too few finite values) or a zero relative target never meets the rule.
            guard ratio.isFinite else { return (false, .infinity) }
            worst = Swift.max(worst, ratio)
        }
        return (worst <= 1, worst)
    }

    private static func repeated(_ names: [String]) -> [String] {
        var seen = Set<String>(), repeated: [String] = []
        for name in names where !seen.insert(name).inserted { repeated.append(name) }
        return repeated
    }
}
