import Foundation
import LinearAlgebra
import MonteCarlo

/// `policylab mc-selftest`: the synthetic microsimulation run through the Monte Carlo engine,
/// with a checkpoint, printing a report whose bytes depend only on the arguments — the same
/// for any thread count and for a run killed and resumed from its checkpoint. With
/// `timing`, a `run` object adds machine-dependent figures (the benchmark).
public struct MonteCarloSelfTest: Sendable {
    /// Households in the synthetic population.
    public let households: Int
    /// Groups (regions).
    public let groups: Int
    /// Scenarios.
    public let scenarios: Int
    /// The engine's plan.
    public let plan: MonteCarloPlan
    /// Threads.
    public let parallelism: Parallelism
    /// Checkpoint options, if any.
    public let checkpoint: CheckpointOptions?

    /// A self-test.
    /// - Parameters:
    ///   - targetStandardError: Stop once the SE of the poverty headcount of scenario 1 over all
    ///     households is at most this (absolute); nil runs every replicate.
    /// - Throws: `PolicyLabError.invalidArgument` or `MonteCarloError.invalidArgument` for
    ///   values out of range.
    public init(households: Int, groups: Int, scenarios: Int, replicates: Int, seed: UInt64, batchSize: Int,
                antithetic: Bool, targetStandardError: Double?, checkpointPath: String?, parallelism: Parallelism) throws {
        let fgt0 = SyntheticMicrosimulation.measures.firstIndex(of: "fgt0") ?? 0
        let stopping = try targetStandardError.map { try StoppingRule(target: $0, outputs: [fgt0], minimumReplicates: 2 * batchSize) }
        self.plan = try MonteCarloPlan(
            seed: seed, replicates: replicates, antithetic: antithetic, batchSize: batchSize, stopping: stopping,
            fingerprint: "mc-selftest v1: households=\(households) groups=\(groups) scenarios=\(scenarios)")
        self.households = households
        self.groups = groups
        self.scenarios = scenarios
        self.parallelism = parallelism
        self.checkpoint = try checkpointPath.map { try CheckpointOptions(path: $0) }
    }

    /// The report. Everything but `run` is a function of the arguments.
    public struct Report: Sendable, Codable, Equatable {
        /// A group left out of the by-group outputs.
        public struct Withheld: Sendable, Codable, Equatable {
            /// Its label.
            public let label: String
            /// Its number of households (below the minimum cell size of 10).
            public let units: Int
        }
        /// The summary of one output.
        public struct Output: Sendable, Codable, Equatable {
            /// "s<scenario>/all/<measure>".
            public let name: String
            /// The Monte Carlo estimate.
            public let mean: Double
            /// Its Monte Carlo standard error (of pair means for antithetic runs).
            public let standardError: Double
            /// The 2.5 % type 7 quantile over replicates.
            public let lower: Double
            /// The 97.5 % type 7 quantile over replicates.
            public let upper: Double
            /// Replicates whose value was undefined (NaN) and left out.
            public let omitted: Int
        }
        /// Machine-dependent figures (only with `timing`).
        public struct Run: Sendable, Codable, Equatable {
            /// Threads used.
            public let threads: Int
            /// Wall time of the engine run (population set-up excluded).
            public let seconds: Double
            /// `seconds` over the replicates this process computed.
            public let secondsPerReplicate: Double
            /// Replicates loaded from the checkpoint.
            public let resumedReplicates: Int
            /// Peak resident set size of the process so far, MB.
            public let maxResidentMegabytes: Double
            /// Per phase, seconds of one replicate on one thread (with `profile`).
            public let profile: [String: Double]?
            /// Measured ceilings (with `ceilings`).
            public let ceilings: MachineCeilings?
        }
        /// Households in the population.
        public let households: Int
        /// Groups.
        public let groups: Int
        /// Scenarios.
        public let scenarios: Int
        /// The seed.
        public let seed: UInt64
        /// Whether replicates were antithetic pairs.
        public let antithetic: Bool
        /// Replicates per batch.
        public let batchSize: Int
        /// The planned replicates.
        public let replicatesPlanned: Int
        /// The replicates run (fewer after an early stop).
        public let replicatesCompleted: Int
        /// "allReplicates" or "targetReached".
        public let stopReason: String
        /// Outputs per replicate (scenarios × published cells × 20).
        public let outputCount: Int
        /// Groups withheld for small size.
        public let withheldGroups: [Withheld]
        /// A 64-bit hash of every replicate value's bits, in order.
        public let digest: String
        /// Summaries of the outputs over all households (the by-group ones are in the digest).
        public let outputs: [Output]
        /// Machine-dependent figures; only with `timing`.
        public let run: Run?
    }

    /// Runs the self-test.
    /// - Parameters:
    ///   - timing: Add the `run` object.
    ///   - profile: Time the phases of one extra replicate (in `run.profile`).
    ///   - ceilings: Measure draw rate and memory bandwidth (in `run.ceilings`).
    ///   - afterBatch: Called after every batch (the CLI's test hook and progress line).
    /// - Throws: `MonteCarloError` from the engine (checkpoint problems included).
    public func run(timing: Bool = false, profile: Bool = false, ceilings: Bool = false,
                    afterBatch: ((MonteCarloProgress) -> Void)? = nil) throws -> Report {
        let model = try SyntheticMicrosimulation(households: households, groups: groups, scenarios: scenarios, seed: plan.seed)
        let engine = try MonteCarloEngine(plan: plan, outputNames: model.outputNames, parallelism: parallelism,
                                          nonFinite: .omit, checkpoint: checkpoint)
        let start = monotonicSeconds()
        let result = try engine.run(workspace: { model.makeWorkspace() }, progress: afterBatch) { replicate, workspace in
            try model.outputs(replicate, workspace: &workspace)
        }
        let seconds = monotonicSeconds() - start
        let perCell = SyntheticMicrosimulation.measures.count
        let cells = model.outputNames.count / (perCell * scenarios)
        var outputs: [Report.Output] = []
        for s in 0..<scenarios {
            for m in 0..<perCell {
                let summary = try result.summary(ofOutput: s * cells * perCell + m)
                outputs.append(.init(name: summary.name, mean: summary.mean, standardError: summary.standardError,
                                     lower: summary.interval.lower, upper: summary.interval.upper, omitted: summary.omitted))
            }
        }
        var run: Report.Run?
        if timing {
            var phases: [String: Double]?
            if profile {
                var workspace = model.makeWorkspace()
                var totals: [String: Double] = [:]
                _ = try model.outputs(plan.replicate(0), workspace: &workspace) { phase, t in totals[phase.rawValue, default: 0] += t }
                phases = totals
            }
            let computed = result.completedReplicates - result.resumedReplicates
            run = Report.Run(threads: parallelism.threads, seconds: seconds,
                             secondsPerReplicate: computed > 0 ? seconds / Double(computed) : 0,
                             resumedReplicates: result.resumedReplicates, maxResidentMegabytes: MachineCeilings.maxResidentMegabytes(),
                             profile: phases, ceilings: ceilings ? try MachineCeilings.measure(parallelism: parallelism) : nil)
        }
        return Report(households: households, groups: groups, scenarios: scenarios, seed: plan.seed, antithetic: plan.antithetic,
                      batchSize: plan.batchSize, replicatesPlanned: plan.replicates, replicatesCompleted: result.completedReplicates,
                      stopReason: result.stopReason.rawValue, outputCount: model.outputNames.count,
                      withheldGroups: model.withheld.map { .init(label: $0.label, units: $0.units) },
                      digest: Self.digest(result.values), outputs: outputs, run: run)
    }

    /// FNV-1a over the 8 bytes of every value's bit pattern, as 16 hex digits.
    static func digest(_ values: [Double]) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for v in values {
            var bits = v.bitPattern
            for _ in 0..<8 {
                h = (h ^ (bits & 0xFF)) &* 0x0000_0100_0000_01B3
                bits >>= 8
            }
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The report as one line of JSON with sorted keys (Swift's shortest round-trip doubles;
    /// NaN as the string "nan").
    public static func json(_ report: Report) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }
}
