import ArgumentParser
import Foundation
import PolicyLab

/// `policylab mc-selftest` (hidden): the synthetic microsimulation through the Monte Carlo
/// engine with checkpointing. Its JSON depends only on the arguments, so a run killed and
/// resumed from `--checkpoint` prints the same bytes as an uninterrupted one (tested by
/// killing a child process), and `--timing --profile --ceilings` on a large population is the
/// microsimulation benchmark.
struct MonteCarloSelfTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mc-selftest",
        abstract: "Run a synthetic microsimulation through the Monte Carlo engine (checkpoint/resume self-test, benchmark).",
        shouldDisplay: false
    )

    @Option(help: "Checkpoint file: written after every batch; an existing one from the same run is resumed.")
    var checkpoint: String?
    @Option(help: "Replicates.") var replicates: Int = 64
    @Option(help: "Seed (unsigned 64-bit).") var seed: UInt64 = 1
    @Option(help: "Households in the synthetic population.") var households: Int = 2000
    @Option(help: "Groups (regions).") var groups: Int = 34
    @Option(help: "Scenarios.") var scenarios: Int = 4
    @Option(help: "Replicates per batch (checkpoint and stopping granularity).") var batch: Int = 8
    @Flag(help: "Antithetic pairs of replicates.") var antithetic = false
    @Option(help: "Stop once the SE of scenario 1's headcount ratio is at most this.") var targetSe: Double?
    @Flag(help: "Add a \"run\" object with timings, peak memory (machine-dependent).") var timing = false
    @Flag(help: "With --timing: time the phases of one extra replicate.") var profile = false
    @Flag(help: "With --timing: measure draw rate and memory bandwidth.") var ceilings = false
    @Flag(help: "Print a progress line per batch on stderr.") var progress = false
    @Option(help: .hidden) var pauseAfterBatchMs: Int = 0
    @OptionGroup var threadOptions: ThreadOptions

    func validate() throws {
        if pauseAfterBatchMs < 0 { throw ValidationError("--pause-after-batch-ms must be ≥ 0") }
    }

    func run() throws {
        do {
            let test = try MonteCarloSelfTest(
                households: households, groups: groups, scenarios: scenarios, replicates: replicates, seed: seed,
                batchSize: batch, antithetic: antithetic, targetStandardError: targetSe, checkpointPath: checkpoint,
                parallelism: threadOptions.parallelism)
            var announced = false
            let report = try test.run(timing: timing, profile: profile, ceilings: ceilings) { p in
                if !announced && p.resumedReplicates > 0 {
                    FileHandle.standardError.write(Data("resumed from replicate \(p.resumedReplicates) of \(p.plannedReplicates)\n".utf8))
                }
                announced = true
                if progress {
                    FileHandle.standardError.write(Data("\(p.completedReplicates)/\(p.plannedReplicates) replicates\n".utf8))
                }
                if pauseAfterBatchMs > 0 { usleep(UInt32(pauseAfterBatchMs) * 1000) }
            }
            print(try MonteCarloSelfTest.json(report))
        } catch let error as PolicyLabError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        } catch let error as MonteCarloError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
