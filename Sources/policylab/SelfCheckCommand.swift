import ArgumentParser
import Foundation
import PolicyLab

/// `policylab selfcheck`: runs the linear-algebra self-check and prints what it did.
struct SelfCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selfcheck",
        abstract: "Run every linear-algebra routine on seeded data; print errors, times and GFLOP/s.",
        discussion: """
        Examples:
          policylab selfcheck
          policylab selfcheck --threads 1 --scale 2
        """
    )

    @OptionGroup var threadOptions: ThreadOptions

    @Option(help: "Problem-size scale in (0, 1]; 1 is the full check.")
    var scale: Double = 1

    func validate() throws {
        guard scale > 0, scale <= 1 else { throw ValidationError("--scale must be in (0, 1], got \(scale)") }
    }

    func run() throws {
        let check = LinearAlgebraSelfCheck(scale: scale, parallelism: threadOptions.parallelism)
        print("PolicyLab linear-algebra self-check (\(check.parallelism), OpenBLAS via LAPACKE, seed \(check.seed))")
        let steps = try check.run()
        print(LinearAlgebraSelfCheck.format(steps))
        if steps.contains(where: { !$0.passed }) { throw ExitCode.failure }
    }
}
