import ArgumentParser
import Foundation
import PolicyLab

/// `policylab estimate DATA.csv --formula F`: OLS, WLS, IV/2SLS and fixed-effect regressions
/// with robust, clustered or HAC standard errors. Bad input exits with code 1 and one line.
struct EstimateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Estimate a linear model (OLS, WLS, IV/2SLS, fixed effects) with its inference.",
        discussion: """
        Examples:
          policylab estimate data.csv --formula 'y ~ x1 + x2 + factor(region)' --vcov hc1
          policylab estimate data.csv --formula 'y ~ x1 | firm + year' --vcov cluster:firm --format json
          policylab estimate data.csv --formula 'y ~ x1 | d ~ z1 + z2' --vcov hc1
          policylab estimate big.csv --formula 'y ~ x1 + x2' --stream --chunk-rows 200000 --vcov hc1
        """
    )

    @OptionGroup var input: CSVInputOptions
    @Option(help: "Model formula, R/fixest style: 'y ~ x1 + x2 | fe1 + fe2 | endog ~ z1 + z2'.") var formula: String
    @Option(help: "Column of non-negative weights (weighted least squares).") var weights: String?
    @Option(help: "Variance: iid, hc0, hc1, hc2, hc3, cluster:V, cluster:V1,V2, nw:L, nw:auto.") var vcov: String = "iid"
    @Option(help: "Output format: text, json, csv or latex.") var format: RegressionFormatArgument = .text
    @Option(help: "Write the output to this file instead of standard output.") var out: String?
    @Option(help: "Write what the simulator needs (coefficients, covariance, σ, formula, levels) to this JSON file.") var save: String?
    @Option(help: "Confidence level of the intervals.") var confidence: Double = 0.95
    @Option(help: "Fixed effects: convergence tolerance of the demeaning.") var feTolerance: Double = 1e-10
    @Option(help: "Fixed effects: most sweeps per column.") var feIterations: Int = 10_000
    @Flag(help: "Fixed effects: keep singleton groups (fixest's default) instead of removing them (reghdfe's).") var keepSingletons = false
    @Option(help: "Least squares: automatic (Cholesky when well conditioned, else QR) or qr.") var solver: String = "automatic"
    @Flag(help: "Read the file in chunks (memory independent of its size; OLS/WLS without fixed effects or instruments).") var stream = false
    @Option(help: "Rows per chunk with --stream.") var chunkRows: Int = 100_000
    @Option(name: .customLong("test"), help: "A linear hypothesis to Wald-test, e.g. 'x1 = x2' or 'gB = 0; gC = 0' (repeatable).")
    var tests: [String] = []
    @Flag(help: "No progress on standard error.") var quiet = false
    @Option(help: "Write a run manifest (version, commit, input SHA-256, command, threads, platform, timings) to this file.")
    var manifest: String?

    func run() throws {
        try reportingErrors {
            let clock = ContinuousClock()
            let start = clock.now
            let progress = ProgressLine(enabled: !quiet, label: "estimate")
            defer { progress.finish() }
            var options = RegressionOptions(vcov: try VarianceType(parsing: vcov), confidenceLevel: confidence,
                                            parallelism: input.threadOptions.parallelism)
            options.fixedEffects = FixedEffectOptions(tolerance: feTolerance, maxIterations: feIterations, removeSingletons: !keepSingletons)
            guard let strategy = SolveStrategy(rawValue: solver) else {
                throw RegressionError.invalidOption(option: "--solver", value: solver, expected: "automatic or qr")
            }
            options.solve.strategy = strategy
            var result: RegressionResult
            if stream {
                guard chunkRows >= 1 else { throw RegressionError.invalidOption(option: "--chunk-rows", value: "\(chunkRows)", expected: "at least 1") }
                if save != nil { throw RegressionError.invalidOption(option: "--save", value: save ?? "", expected: "an in-memory fit (drop --stream)") }
                progress.stage("streaming \(input.data)", done: false)
                result = try StreamingRegression.fit(path: input.data, formula: formula, weights: weights, options: options,
                                                     csv: try input.csvOptions(), rowsPerChunk: chunkRows)
            } else {
                progress.stage("reading \(input.data)", done: false)
                let table = try CSVReader.read(path: input.data, options: try input.csvOptions())
                progress.stage("fitting", done: false)
                result = try LinearRegression.fit(table: table, formula: formula, weights: weights, options: options)
                if let save {
                    try writeFile(try SavedLinearModel(result: result, table: table, weights: weights).json(), to: save)
                }
            }
            if !tests.isEmpty {
                result.hypothesisTests = try tests.map { HypothesisTest(hypothesis: $0, test: try result.wald($0)) }
            }
            let text = try result.formatted(format.value)
            if let out { try writeFile(Data(text.utf8), to: out) } else { print(text, terminator: "") }
            if let manifest {
                let elapsed = clock.now - start
                let record = RunManifest.command(
                    CommandLine.arguments, inputs: [input.data: try FileDigest.sha256(path: input.data)],
                    threads: input.threadOptions.parallelism.threads,
                    timings: ["total": Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18],
                    results: text, outputs: [out, save].compactMap { $0 })
                try writeFile(try record.json(), to: manifest)
            }
        }
    }
}

/// `--format` values of `estimate`.
struct RegressionFormatArgument: ExpressibleByArgument {
    let value: RegressionFormat
    static let text = RegressionFormatArgument(value: .text)
    init(value: RegressionFormat) { self.value = value }
    init?(argument: String) {
        guard let value = RegressionFormat(rawValue: argument) else { return nil }
        self.value = value
    }
    static var allValueStrings: [String] { RegressionFormat.allCases.map(\.rawValue) }
    var defaultValueDescription: String { value.rawValue }
}

/// Writes `data` to `path`, as a one-line user error when that fails.
func writeFile(_ data: Data, to path: String) throws {
    do {
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        throw PolicyLabError.file(path: path, reason: "cannot be written (\(error.localizedDescription))")
    }
}
