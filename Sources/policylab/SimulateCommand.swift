import ArgumentParser
import Foundation
import PolicyLab

/// `policylab simulate SPEC.yaml`: model-based policy simulation with microsimulation outputs.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate policy scenarios from a linear model with every source of uncertainty (see README for the spec).",
        discussion: """
        Examples:
          policylab estimate survey.csv --formula 'log(consumption) ~ size + educ + urban' --vcov hc1 --save model.json
          policylab simulate spec.yaml --draws 1000 --seed 7 --format json --out results.json
          policylab simulate spec.yaml --checkpoint run.ckpt     # resumes from run.ckpt if it exists
        Everything but the "run" key of the JSON is identical for any --threads.
        """
    )

    @Argument(help: "The simulation spec (YAML).") var spec: String
    @Option(help: "Number of draws (overrides simulation.draws).") var draws: Int?
    @Option(help: "Seed (overrides simulation.seed).") var seed: UInt64?
    @OptionGroup var threadOptions: ThreadOptions
    @Option(help: "Output format: text, json or csv.") var format: SimulationFormat = .text
    @Option(help: "Write the output to this file instead of standard output.") var out: String?
    @Option(help: "Checkpoint file: written as the run goes, resumed from when present.") var checkpoint: String?
    @Flag(help: "No progress on standard error.") var quiet = false
    @Option(help: "Write a run manifest (version, commit, spec, input SHA-256, seed, threads, platform, timings) to this file.")
    var manifest: String?

    enum SimulationFormat: String, ExpressibleByArgument, CaseIterable { case text, json, csv }

    func run() throws {
        try reportingErrors {
            var parsed = try SimulationSpec.load(path: spec)
            if let draws {
                guard draws >= 1 else { throw PolicyLabError.invalidArgument(name: "--draws", reason: "must be at least 1, got \(draws)") }
                parsed.draws = draws
            }
            if let seed { parsed.seed = seed }
            let parallelism = threadOptions.parallelism
            let clock = ContinuousClock()
            let start = clock.now
            let prepared = try PreparedSimulation(spec: parsed, parallelism: parallelism)
            let progress = ProgressLine(enabled: !quiet, label: "simulate")
            var result = try ModelSimulation.run(prepared, parallelism: parallelism,
                                                 checkpoint: try checkpoint.map { try CheckpointOptions(path: $0) }) { p in
                progress.update(done: p.completedReplicates, total: p.plannedReplicates)
            }
            progress.finish()
            let elapsed = clock.now - start
            result.run = ["seconds": String(format: "%.3f", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18),
                          "threads": "\(parallelism.threads)", "host": ProcessInfo.processInfo.hostName]
            let text: String
            switch format {
            case .text: text = result.text
            case .json: text = try result.json() + "\n"
            case .csv: text = result.csv
            }
            if let out { try writeFile(Data(text.utf8), to: out) } else { print(text, terminator: "") }
            if let manifest {
                var inputs = prepared.inputs
                inputs[spec] = try FileDigest.sha256(path: spec)
                let specText = try String(contentsOfFile: spec, encoding: .utf8)
                let deterministic = format == .json ? try { var r = result; r.run = [:]; return try r.json() }() : text
                let record = RunManifest.command(
                    CommandLine.arguments, specFile: URL(fileURLWithPath: spec).standardizedFileURL.path, specText: specText,
                    inputs: inputs, seed: parsed.seed, threads: parallelism.threads,
                    timings: ["total": Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18],
                    results: deterministic, outputs: [out].compactMap { $0 })
                try writeFile(try record.json(), to: manifest)
            }
        }
    }
}

/// A one-line progress display on standard error, shown only on a terminal, at most every 0.2 s.
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let label: String
    private var last = ContinuousClock.now
    private var shown = false

    init(enabled: Bool, label: String) {
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
        self.label = label
    }

    func update(done: Int, total: Int) {
        guard enabled, ContinuousClock.now - last > .milliseconds(200) || done == total else { return }
        last = ContinuousClock.now
        let width = 30, filled = total > 0 ? width * done / total : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total)".utf8))
        shown = true
    }

    /// Names the pipeline stage under way.
    func stage(_ name: String, done: Bool) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\(label): \(name)\(done ? " done" : "…")        ".utf8))
        shown = true
    }

    func finish() {
        if shown { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
