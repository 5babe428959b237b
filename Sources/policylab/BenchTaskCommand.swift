import ArgumentParser
import Foundation
import PolicyLab

/// `policylab bench-task`: the PolicyLab side of scripts/bench-peers. Prints one JSON object.
struct BenchTaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-task",
        abstract: "Time one task on raw float64 column-major input files, or a CSV file for csv (used by scripts/bench-peers).",
        discussion: """
        Examples (normally run by scripts/bench-peers):
          policylab bench-task gram --input X.f64 --rows 1000000 --cols 20 --repeat 5 --threads 2
          policylab bench-task csv --input data.csv --repeat 3
        """
    )

    @Argument(help: "Task: \(BenchTask.Kind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var task: String

    @Option(name: .long, help: "Input file (raw little-endian float64, column-major; a CSV file for csv); repeat for several.")
    var input: [String] = []

    @Option(help: "Rows of each input matrix (data rows of the CSV file).") var rows: Int
    @Option(help: "Columns of each input matrix (of the CSV file).") var cols: Int
    @Option(name: .customLong("repeat"), help: "Timed repetitions.") var repeats: Int = 3
    @Option(help: "Draws R (ev-draws only; default 1000).") var draws: Int?
    @OptionGroup var threadOptions: ThreadOptions

    func run() throws {
        guard let kind = BenchTask.Kind(rawValue: task) else {
            throw ValidationError("unknown task '\(task)'; known: \(BenchTask.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var benchTask = try BenchTask(kind: kind, inputs: input, rows: rows, columns: cols, repeats: repeats,
                                      parallelism: threadOptions.parallelism)
        benchTask.draws = draws
        let report = try benchTask.run()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    }
}
