import ArgumentParser
import Foundation
import PolicyLab

/// `policylab run SPEC.yaml --out DIR`: estimate, optimize, simulate, report.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the whole pipeline of a spec: estimate, optimize the policy levers, simulate, and write results, manifest and report.",
        discussion: """
        Examples:
          policylab run pmt.yaml --out results/
          policylab run pmt.yaml --out results/ --threads 1     # the same results.json bytes
        Writes DIR/results.json, DIR/manifest.json and DIR/report.html. See README for the spec.
        """
    )

    @Argument(help: "The pipeline spec (YAML).") var spec: String
    @Option(help: "Directory for results.json, manifest.json and report.html.") var out: String
    @OptionGroup var threadOptions: ThreadOptions
    @Flag(help: "No progress on standard error.") var quiet = false

    func run() throws {
        try reportingErrors {
            let parsed = try PipelineSpec.load(path: spec)
            try PipelineCommandSupport.execute(parsed, out: out, command: CommandLine.arguments, threads: threadOptions.parallelism, quiet: quiet)
        }
    }
}

/// `policylab optimize SPEC.yaml`: only the optimization, printed as JSON.
struct OptimizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize",
        abstract: "Optimize a spec's policy levers under its budget and fairness constraint, and print the chosen policy.",
        discussion: "Example:\n  policylab optimize pmt.yaml --threads 2"
    )

    @Argument(help: "The pipeline spec (YAML) with an `optimize:` section.") var spec: String
    @OptionGroup var threadOptions: ThreadOptions

    func run() throws {
        try reportingErrors {
            let parsed = try PipelineSpec.load(path: spec)
            guard let settings = parsed.optimize else {
                throw PolicyLabError.invalidArgument(name: "optimize", reason: "the spec has no `optimize:` section")
            }
            let table = try PipelineData.table(parsed, parallelism: threadOptions.parallelism)
            let prepared = try PreparedSimulation(spec: parsed.simulation, parallelism: threadOptions.parallelism,
                                                  tables: [PipelineSpec.dataTableName: table])
            let result = try PolicyOptimizer.optimize(prepared, settings: settings, parallelism: threadOptions.parallelism)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        }
    }
}

/// `policylab demo`: the flagship PMT case on a synthetic registry.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the flagship proxy-means-test demo on a synthetic registry and write its report.",
        discussion: """
        Examples:
          policylab demo                          # 1,000,000 households, report in policylab-demo/report.html
          policylab demo --households 20000 --out /tmp/demo
        """
    )

    @Option(help: "Households in the synthetic registry.") var households = 1_000_000
    @Option(help: "Output directory.") var out = "policylab-demo"
    @OptionGroup var threadOptions: ThreadOptions
    @Flag(help: "No progress on standard error.") var quiet = false

    func run() throws {
        try reportingErrors {
            guard households >= 1_000 else {
                throw PolicyLabError.invalidArgument(name: "--households", reason: "must be at least 1000, got \(households)")
            }
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let specPath = URL(fileURLWithPath: out).appendingPathComponent("demo-spec.yaml").path
            let text = DemoSpec.yaml(households: households)
            try writeFile(Data(text.utf8), to: specPath)
            let parsed = try PipelineSpec(yaml: text, file: specPath)
            try PipelineCommandSupport.execute(parsed, out: out, command: CommandLine.arguments, threads: threadOptions.parallelism, quiet: quiet)
        }
    }
}

/// `policylab reproduce DIR/manifest.json`: re-run and compare every number.
struct ReproduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Re-run a manifest and check that every number of its results matches; exit 1 naming the first difference.",
        discussion: "Example:\n  policylab reproduce results/manifest.json --threads 1"
    )

    @Argument(help: "A manifest.json written by run or demo.") var manifest: String
    @OptionGroup var threadOptions: ThreadOptions

    func run() throws {
        try reportingErrors {
            let check = try PipelineArtifacts.reproduce(manifestPath: manifest, parallelism: threadOptions.parallelism)
            if let difference = check.difference {
                FileHandle.standardError.write(Data("error: not reproduced: \(difference)\n".utf8))
                throw ExitCode.failure
            }
            print("reproduced: all \(check.numbersCompared) numbers of results.json match")
        }
    }
}

/// Shared by run and demo.
enum PipelineCommandSupport {
    static func execute(_ spec: PipelineSpec, out: String, command: [String], threads: Parallelism, quiet: Bool) throws {
        let progress = ProgressLine(enabled: !quiet, label: "run")
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = try PipelineRun.execute(spec, parallelism: threads) { stage, fraction in
            progress.stage(stage, done: fraction >= 1)
        }
        progress.finish()
        let manifest = try PipelineArtifacts.write(outcome, spec: spec, command: command, threads: threads.threads, directory: out)
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let report = URL(fileURLWithPath: out).appendingPathComponent("report.html").standardizedFileURL.path
        print("report:   \(report)")
        print("results:  \(URL(fileURLWithPath: out).appendingPathComponent("results.json").standardizedFileURL.path)")
        print("manifest: \(URL(fileURLWithPath: out).appendingPathComponent("manifest.json").standardizedFileURL.path)")
        print(String(format: "finished in %.1f s on %d thread(s); results SHA-256 %@", seconds, threads.threads, String(manifest.resultsSHA256.prefix(16))))
        print(outcome.result.summary)
    }
}
