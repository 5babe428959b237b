import ArgumentParser
import Foundation
import PolicyLab

/// `policylab bench`: the core kernels against the machine's own ceilings (`MachineBench`).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark the core kernels on generated data against this machine's measured dgemm rate and memory bandwidth.",
        discussion: """
        Runs gemm, XᵀX, OLS with HC1, a two-way fixed-effect fit, normal draws, the model-based simulation's expected values over β draws, the Monte Carlo microsimulation and a CMA-ES run, each at every thread count, after measuring the ceilings (dgemm GFLOP/s, read, write and triad bandwidth) in the same run. Prints throughput, the fraction of the ceiling reached and the speed-up from the first to the last thread count.

        Examples:
          policylab bench --quick                # a few seconds on 2 cores
          policylab bench                        # under a minute on 2 quiet cores
          policylab bench --json > bench.json    # machine-readable, one line
          policylab bench --quick --threads-list 1,2,4,8
        """
    )

    @Flag(help: "Small sizes and fewer repeats (a few seconds on 2 cores).") var quick = false
    @Flag(help: "Print one line of JSON instead of the tables.") var json = false
    @Option(help: ArgumentHelp("Comma-separated thread counts (default: 1 and all cores).", valueName: "n,n,..."))
    var threadsList: String?
    @Flag(help: "No progress on standard error.") var quiet = false
    /// Test hook: shrinks every problem (a debug build runs the quick sizes in minutes).
    @Option(help: .hidden) var scale: Double = 1

    func run() throws {
        try reportingErrors {
            let threads = try threadsList.map { list in
                try list.split(separator: ",", omittingEmptySubsequences: false).map { part -> Int in
                    let text = part.trimmingCharacters(in: .whitespaces)
                    guard let value = Int(text) else {
                        throw PolicyLabError.invalidArgument(name: "--threads-list", reason: "'\(text)' is not a whole number (example: 1,2,4)")
                    }
                    return value
                }
            }
            let bench = try MachineBench(quick: quick, threads: threads, scale: scale)
            let progress = ProgressLine(enabled: !quiet, label: "bench")
            let report = try bench.run { step in 
                // Padded so that a shorter label overwrites a longer one on the same line.
                progress.stage("\(step.index)/\(step.total) \(step.label)".padding(toLength: 64, withPad: " ", startingAt: 0), done: false)
             }
            progress.finish()
            print(json ? try report.json() : report.text())
        }
    }
}
