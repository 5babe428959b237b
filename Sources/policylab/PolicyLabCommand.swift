import ArgumentParser
import PolicyLab

/// `policylab`: the command-line face of PolicyLab. Each subcommand maps its options onto
/// one PolicyLab call; no numeric logic lives here.
@main
struct PolicyLabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policylab",
        abstract: "A numeric compute core for evidence-based public decisions.",
        subcommands: [DescribeCommand.self, DesignCommand.self, EstimateCommand.self, SimulateCommand.self, RunCommand.self, OptimizeCommand.self, DemoCommand.self, ReproduceCommand.self, NLSCommand.self, RandomCommand.self, SelfCheckCommand.self, BenchTaskCommand.self, BenchCommand.self, MinimizeCommand.self, MonteCarloSelfTestCommand.self]
    )
}

/// Options every parallel subcommand shares.
struct ThreadOptions: ParsableArguments {
    @Option(name: .long, help: "Threads to use (default: all cores). Results do not depend on it.")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    var parallelism: Parallelism { threads.map { Parallelism(threads: $0) } ?? .allCores }
}
