import ArgumentParser
import Foundation
import PolicyLab

extension RandomStream.Kind: ExpressibleByArgument {}

/// `policylab random normal|uniform --count N --seed S`: draws a Philox stream, prints a JSON
/// summary (timings only under "run"), optionally writes the raw float64 draws.
struct RandomCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "random",
        abstract: "Draw standard normals or uniforms from the counter-based generator; print a JSON summary.",
        discussion: """
        Examples:
          policylab random normal --count 100000000 --seed 42 --threads 2
          policylab random uniform --count 1000 --seed 7 --replicate 3 --raw draws.f64
        """
    )

    @Argument(help: "Distribution: \(RandomStream.Kind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var distribution: RandomStream.Kind

    @Option(help: "Number of variates.") var count: Int
    @Option(help: "Seed (unsigned 64-bit).") var seed: UInt64
    @Option(help: "Replicate index of the stream.") var replicate: UInt32 = 0
    @Option(name: .customLong("repeat"), help: "Timed repetitions (the best is reported).") var repeats: Int = 1
    @Option(help: "Write the draws to FILE as raw little-endian float64.") var raw: String?
    @OptionGroup var threadOptions: ThreadOptions

    func validate() throws {
        if count < 1 { throw ValidationError("--count must be at least 1, got \(count)") }
        if repeats < 1 { throw ValidationError("--repeat must be ≥ 1, got \(repeats)") }
    }

    func run() throws {
        try reportingErrors {
            let run = try RandomRun(kind: distribution, count: count, seed: seed, replicate: replicate, repeats: repeats,
                                    parallelism: threadOptions.parallelism)
            print(try RandomRun.json(try run.run(rawPath: raw)))
        }
    }
}
