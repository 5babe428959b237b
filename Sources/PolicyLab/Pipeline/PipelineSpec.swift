import Foundation
import Regression
import Tabular

/// The spec of `policylab run` / `policylab optimize` / `policylab demo`: the simulate spec
/// (population, simulation, outcome, scenarios) plus where the data come from, the model to
/// estimate, a threshold grid for the fan chart, and the optimizer's levers, budget, goal and
/// fairness constraint. Documented with a worked example in README.md.
public struct PipelineSpec: Sendable {
    /// The data: a CSV file, or the built-in synthetic registry.
    public enum DataSource: Sendable, Equatable {
        /// A CSV file (the path resolved against the spec's directory).
        case csv(path: String)
        /// `SyntheticRegistry` data with these households, provinces and seed (spec defaults
        /// 1,000,000, 34 and 1).
        case generate(households: Int, provinces: Int, seed: UInt64)
    }

    /// Scenarios paying `amount` (cut to `budget`) below each common threshold.
    public struct ThresholdGrid: Sendable, Equatable {
        /// Common thresholds on the score scale; one scenario `threshold_<t>` each.
        public var thresholds: [Double]
        /// The transfer to each unit below the threshold, in outcome units.
        public var amount: Double
        /// Cap on each grid scenario's total weighted cost; nil: no cap.
        public var budget: Double?
    }

    /// Where the estimation (and population) data come from (`data`).
    public var data: DataSource
    /// The model formula (`model.formula`; default `SyntheticRegistry.pmtFormula`).
    public var formula: String
    /// The regression's weight column (`model.weights`); nil: OLS.
    public var regressionWeights: String?
    /// The fit's variance type (`model.vcov`, default iid); the simulation draws β from that covariance.
    public var vcov: VarianceType
    /// The simulation part; its model source is the data above.
    public var simulation: SimulationSpec
    /// The `threshold_grid` section; nil when absent.
    public var grid: ThresholdGrid?
    /// The `optimize` section; nil: no optimization.
    public var optimize: OptimizeSettings?
    /// The spec text as given (the manifest stores it and its SHA-256).
    public var text: String
    /// The spec's path; relative paths in the spec resolve against its directory.
    public var file: String

    /// Reads a pipeline spec file.
    /// - Throws: `SpecError` with file, line, column and spec path.
    public static func load(path: String) throws -> PipelineSpec {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw SpecError(file: path, path: "", line: nil, column: nil, message: "cannot be read (\(error.localizedDescription))")
        }
        return try PipelineSpec(yaml: text, file: path)
    }

    /// Parses spec text; relative paths resolve against the directory of `file`.
    public init(yaml: String, file: String) throws {
        let root = try SpecValue.parse(yaml: yaml, file: file)
        let spec = try SpecObject(root, file: file, path: "")
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent()
        func resolve(_ path: String) -> String { path.hasPrefix("/") ? path : directory.appendingPathComponent(path).path }

        guard let data = try spec.object("data") else { throw spec.error("data", nil, "is required: `csv: FILE` or `generate: {households: N}`") }
        if let csv = try data.string("csv") {
            try data.require(!data.has("generate"), "csv", "give either `csv` or `generate`, not both")
            self.data = .csv(path: resolve(csv))
        } else if let generate = try data.object("generate") {
            let households = try generate.int("households") ?? 1_000_000
            let provinces = try generate.int("provinces") ?? 34
            let seed = try generate.int("seed") ?? 1
            try generate.require(households >= 100, "households", "must be at least 100")
            try generate.require(provinces >= 2 && provinces <= 999, "provinces", "must be between 2 and 999")
            try generate.require(seed >= 0, "seed", "must be non-negative")
            try generate.finish()
            self.data = .generate(households: households, provinces: provinces, seed: UInt64(seed))
        } else {
            throw spec.error("data", spec.value("data"), "needs `csv: FILE` or `generate: {households: N}`")
        }
        try data.finish()

        guard let model = try spec.object("model") else { throw spec.error("model", nil, "is required: `formula:` (and optionally weights, vcov)") }
        formula = try model.string("formula") ?? SyntheticRegistry.pmtFormula
        regressionWeights = try model.string("weights")
        vcov = try SimulationSpec.readVariance(model)
        try model.finish()
        let source = SimulationSpec.ModelSource.table(name: PipelineSpec.dataTableName, formula: formula, weights: regressionWeights, vcov: vcov)

        if let grid = try spec.object("threshold_grid") {
            let thresholds = try grid.doubles("thresholds")
            try grid.require(!thresholds.isEmpty, "thresholds", "needs at least one threshold")
            guard let amount = try grid.double("amount") else { throw grid.missing("amount") }
            let budget = try grid.double("budget")
            try grid.require(amount >= 0, "amount", "must be non-negative")
            try grid.require((budget ?? 1) > 0, "budget", "must be positive")
            try grid.finish()
            self.grid = ThresholdGrid(thresholds: thresholds, amount: amount, budget: budget)
        }

        if let object = try spec.object("optimize") {
            var settings = OptimizeSettings()
            guard let budget = try object.double("budget") else { throw object.missing("budget") }
            try object.require(budget > 0, "budget", "must be positive")
            settings.budget = budget
            if let amount = try object.object("amount") {
                let lower = try amount.double("lower") ?? 0, upper = try amount.double("upper") ?? 1000
                try amount.require(lower >= 0 && lower < upper, "lower", "needs 0 ≤ lower < upper")
                try amount.finish()
                settings.amountBounds = lower...upper
            }
            if let thresholds = try object.object("thresholds") {
                settings.perGroupThresholds = try thresholds.bool("per_group") ?? true
                let lower = try thresholds.double("lower"), upper = try thresholds.double("upper")
                if let lower, let upper {
                    try thresholds.require(lower < upper, "lower", "must be below upper")
                    settings.thresholdBounds = lower...upper
                } else {
                    try thresholds.require(lower == nil && upper == nil, "lower", "give both lower and upper, or neither")
                }
                try thresholds.finish()
            }
            if let goal = try object.string("goal") {
                guard let parsed = OptimizeSettings.Goal(rawValue: goal) else {
                    throw object.error("goal", object.value("goal"), "expected headcount, poverty_gap or severity, got '\(goal)'")
                }
                settings.goal = parsed
            }
            if let fairness = try object.object("fairness") {
                settings.maxExclusionGap = try fairness.double("max_exclusion_gap")
                try fairness.require((settings.maxExclusionGap ?? 0) >= 0, "max_exclusion_gap", "must be non-negative")
                try fairness.finish()
            }
            settings.draws = try object.int("draws") ?? settings.draws
            settings.sampleSize = try object.int("sample") ?? settings.sampleSize
            settings.evaluations = try object.int("evaluations") ?? settings.evaluations
            try object.require(settings.draws >= 1, "draws", "must be at least 1")
            try object.require(settings.sampleSize >= 10, "sample", "must be at least 10")
            try object.require(settings.evaluations >= 10, "evaluations", "must be at least 10")
            let seed = try object.int("seed") ?? 1
            try object.require(seed >= 0, "seed", "must be non-negative")
            settings.seed = UInt64(seed)
            try object.finish()
            self.optimize = settings
        }

        var simulation = try SimulationSpec(spec, file: file, model: source, finish: false, defaultBaseline: true)
        simulation.source = root
        if simulation.scenarios.first?.policy != nil || simulation.scenarios.first?.changes.isEmpty == false {
            throw spec.error("scenarios", spec.value("scenarios"), "the first scenario is the baseline: give it no changes and no policy")
        }
        self.simulation = simulation
        try spec.finish()
        text = yaml
        self.file = file
    }

    /// The name under which the data table is handed to the simulation.
    public static let dataTableName = "pipeline-data"
}
