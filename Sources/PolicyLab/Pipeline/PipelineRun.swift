import Foundation
import LinearAlgebra
import MonteCarlo
import Regression
import Tabular

/// The results of `policylab run`: a pure function of the spec and the data (no timings, no
/// host names), so a re-run on any machine and thread count gives the same bytes.
public struct PipelineResult: Sendable, Encodable {
    /// Where the data came from: `source` with the CSV's `path` and `sha256`, or the synthetic
    /// registry's `households`, `provinces` and `seed`.
    public let data: [String: String]
    /// The model fitted to the data (the one the simulation draws its parameters from).
    public let regression: RegressionResult
    /// Every scenario: the spec's, one `threshold_<t>` per grid threshold, then `optimized` when
    /// the optimizer ran.
    public let simulation: SimulationResult
    /// The optimized policy and its search record; nil without an `optimize` section.
    public let optimization: PolicyOptimization?
    /// The plain-language paragraph of the report.
    public let summary: String

    /// Sorted-key JSON (NaN/inf as null).
    public func json() throws -> String {
        try StableJSON.encode(self) + "\n"
    }

}

/// The pipeline: data → estimate → (optimize) → simulate → results, manifest and report.
public enum PipelineRun {
    /// Named stages and their wall-clock seconds (manifest only).
    public struct Timings: Sendable, Codable, Equatable {
        /// Wall-clock seconds by stage: `data`, `estimate`, `optimize` (when run), `simulate`.
        public var stages: [String: Double] = [:]
    }

    /// What a run produced in memory.
    public struct Outcome: Sendable {
        /// The reproducible results (what results.json holds).
        public let result: PipelineResult
        /// The prepared simulation, including the `optimized` scenario when one was added (the report
        /// reads group sizes from it).
        public let prepared: PreparedSimulation
        /// Hex SHA-256 of every file read, by path (the data CSV and any file the simulation read).
        public let inputs: [String: String]
        /// Wall-clock seconds per stage (for the manifest; not part of `result`).
        public let timings: Timings
    }

    /// Runs everything the spec asks for. `optimizeOnly` skips the scenario simulation beyond
    /// what the optimizer needs (for `policylab optimize`).
    /// - Throws: `SpecError`, `PolicyLabError`, Tabular, Regression and Monte Carlo errors.
    public static func execute(_ spec: PipelineSpec, parallelism: Parallelism, progress: ((String, Double) -> Void)? = nil) throws -> Outcome {
        var timings = Timings()
        let clock = ContinuousClock()
        func timed<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
            progress?(stage, 0)
            let start = clock.now
            let value = try body()
            let elapsed = clock.now - start
            timings.stages[stage] = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            progress?(stage, 1)
            return value
        }
        var inputs: [String: String] = [:]
        var dataDescription: [String: String] = [:]
        let table: Table = try timed("data") {
            switch spec.data {
            case let .csv(path):
                inputs[path] = try FileDigest.sha256(path: path)
                dataDescription = ["source": "csv", "path": path, "sha256": inputs[path] ?? ""]
            case let .generate(households, provinces, seed):
                dataDescription = ["source": "synthetic registry (SyntheticRegistry.generate)", "households": "\(households)",
                                   "provinces": "\(provinces)", "seed": "\(seed)"]
            }
            return try PipelineData.table(spec, parallelism: parallelism)
        }
        var simulationSpec = spec.simulation
        if let grid = spec.grid {
            for threshold in grid.thresholds {
                simulationSpec.scenarios.append(SimulationSpec.Scenario(
                    name: "threshold_\(PipelineText.number(threshold))", changes: [],
                    policy: SimulationSpec.TransferPolicy(threshold: threshold, amount: grid.amount, budget: grid.budget)))
            }
        }
        var prepared = try timed("estimate") {
            try PreparedSimulation(spec: simulationSpec, parallelism: parallelism, tables: [PipelineSpec.dataTableName: table])
        }
        for (path, digest) in prepared.inputs { inputs[path] = digest }
        var optimization: PolicyOptimization?
        if let settings = spec.optimize {
            let found = try timed("optimize") { try PolicyOptimizer.optimize(prepared, settings: settings, parallelism: parallelism) }
            optimization = found
            prepared = try prepared.adding(policyScenarios: [SimulationSpec.Scenario(name: "optimized", changes: [], policy: found.policy)])
        }
        let simulation = try timed("simulate") { try ModelSimulation.run(prepared, parallelism: parallelism) }
        guard let regression = prepared.fit else {
            throw PolicyLabError.invalidArgument(name: "model", reason: "the pipeline estimates its model; a saved model is not supported here")
        }
        let summary = PipelineText.summary(simulation: simulation, optimization: optimization, spec: spec)
        let result = PipelineResult(data: dataDescription, regression: regression, simulation: simulation,
                                    optimization: optimization, summary: summary)
        return Outcome(result: result, prepared: prepared, inputs: inputs, timings: timings)
    }
}

/// Number formatting and the plain-language summary.
enum PipelineText {
    /// A short, locale-independent decimal (trailing zeros trimmed).
    static func number(_ x: Double, digits: Int = 4) -> String {
        guard x.isFinite else { return "NA" }
        var text = String(format: "%.\(digits)f", x)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    static func grouped(_ x: Double) -> String {
        guard x.isFinite else { return "NA" }
        let rounded = Int(x.rounded())
        let digits = String(Swift.abs(rounded))
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (rounded < 0 ? "-" : "") + String(out.reversed())
    }

    static func percent(_ x: Double) -> String { x.isFinite ? String(format: "%.1f%%", 100 * x) : "NA" }

    /// The report's plain-language paragraph: the chosen (or last) policy, its cost, its effect
    /// on poverty with its interval, and the spread of exclusion errors across groups.
    static func summary(simulation: SimulationResult, optimization: PolicyOptimization?, spec: PipelineSpec) -> String {
        func measure(_ scenario: String, _ cell: String, _ name: String) -> SimulationResult.Measure? {
            simulation.scenarios.first { $0.name == scenario }?.cells.first { $0.cell == cell }?.measures.first { $0.measure == name }
        }
        guard let chosen = optimization != nil ? "optimized" : simulation.scenarios.last(where: { $0.policy != nil })?.name,
              let scenario = simulation.scenarios.first(where: { $0.name == chosen }), let policy = scenario.policy else {
            return "No transfer policy was simulated. The model was estimated on \(simulation.units) units and \(simulation.drawsCompleted) draws of its uncertainty were simulated."
        }
        var text = "The \(optimization != nil ? "optimized" : "simulated") policy (\(chosen)) pays \(number(policy.amount, digits: 0)) to each eligible person"
        if let thresholds = policy.groupThresholds, let low = thresholds.values.min(), let high = thresholds.values.max() {
            text += " in households whose predicted welfare score is below a group threshold between \(number(low, digits: 2)) and \(number(high, digits: 2))"
        } else {
            text += " in households whose predicted welfare score is below \(number(policy.threshold, digits: 2))"
        }
        text += "."
        if let cost = measure(chosen, "all", "cost") {
            text += " It costs \(grouped(cost.mean))" + (policy.budget.map { " (budget \(grouped($0)))" } ?? "") + "."
        }
        let base = simulation.baseline
        for (name, label) in [("fgt0", "the poverty headcount"), ("fgt1", "the poverty gap")] {
            if let before = measure(base, "all", name), let after = measure(chosen, "all", name) {
                text += " It lowers \(label) from \(percent(before.mean)) to \(percent(after.mean)) (\(Int((simulation.level * 100).rounded()))% interval \(percent(after.lower))–\(percent(after.upper)))."
            }
        }
        if let scenarioCells = simulation.scenarios.first(where: { $0.name == chosen })?.cells.dropFirst() {
            let errors = scenarioCells.compactMap { cell in cell.measures.first { $0.measure == "exclusion_error" }.map { (cell.cell, $0.mean) } }
            if let low = errors.min(by: { $0.1 < $1.1 }), let high = errors.max(by: { $0.1 < $1.1 }) {
                text += " Exclusion errors (poor people left out) range from \(percent(low.1)) in \(low.0) to \(percent(high.1)) in \(high.0)"
                if let cap = spec.optimize?.maxExclusionGap { text += "; the fairness cap on that spread was \(percent(cap))" }
                text += "."
            }
        }
        if !simulation.withheldGroups.isEmpty {
            text += " \(simulation.withheldGroups.count) group(s) with fewer than \(simulation.minimumCell) units are withheld from by-group results."
        }
        text += " All figures are means over \(simulation.drawsCompleted) draws of the model's parameter and residual uncertainty."
        return text
    }
}
