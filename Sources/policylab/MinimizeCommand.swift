import ArgumentParser
import Foundation
import PolicyLab

extension OptimizationMethod: ExpressibleByArgument {}

/// `policylab minimize FUNCTION --method M --dim N --seed S`: runs one optimizer on a built-in
/// test function (for benchmarking). Bad input exits with code 1 and one line on stderr.
struct MinimizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "minimize",
        abstract: "Minimize a built-in test function: \(TestFunction.Kind.allCases.map(\.rawValue).joined(separator: ", ")) (prefix shifted- for the shifted variants)."
    )

    @Argument(help: "Test function, e.g. rastrigin or shifted-rastrigin.") var function: String
    @Option(help: "Method: \(OptimizationMethod.allCases.map(\.rawValue).joined(separator: ", ")).") var method: OptimizationMethod = .differentialEvolution
    @Option(name: .customLong("dim"), help: "Dimension.") var dimension: Int = 2
    @Option(help: "Seed (unsigned 64-bit).") var seed: UInt64 = 1
    @Option(help: "Evaluation budget (default: the method's own).") var maxEvaluations: Int?
    @Option(help: "Start point of local methods, comma-separated (default: drawn from the seed).") var start: String?
    @Option(help: "Output format: text or json.") var format: TableOutputFormat = .text
    @OptionGroup var threadOptions: ThreadOptions

    func run() throws {
        try reportingErrors {
            let startPoint = try start.map { text in
                try text.split(separator: ",").map { part -> Double in
                    guard let v = Double(part.trimmingCharacters(in: .whitespaces)) else {
                        throw PolicyLabError.invalidArgument(name: "--start", reason: "'\(part)' is not a number")
                    }
                    return v
                }
            }
            let run = try MinimizeRun(functionName: function, method: method, dimension: dimension, seed: seed,
                                      maxEvaluations: maxEvaluations, start: startPoint, parallelism: threadOptions.parallelism)
            let report = try run.run()
            print(format == .json ? try MinimizeRun.json(report) : MinimizeRun.text(report))
        }
    }
}
