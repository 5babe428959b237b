import Foundation
import MonteCarlo
import Regression
import Tabular

/// The `policylab simulate` spec (YAML), documented with a worked example in README.md.
///
/// ```yaml
/// model:                      # a saved model, or `data` + `formula` (+ weights, vcov) to estimate here
///   saved: model.json
/// population:
///   data: households.csv      # the units to simulate
///   weights: weight           # optional
///   groups: [province]        # optional by-group outputs
///   min_cell: 10              # groups with fewer units are withheld
/// simulation: {draws: 1000, seed: 7, antithetic: false, level: 0.95, target_se: 0.01}
/// outcome: {scale: exp, poverty_line: 8000}
/// scenarios:
///   - name: baseline
///   - name: schooling
///     changes: [{column: educ, add: 2, where: "urban == 0"}]
///   - name: transfer
///     policy: {threshold: 8.9, amount: 600, phase_out: 0.2, budget: 3.0e8}
/// ```
/// Paths are relative to the spec's directory.
public struct SimulationSpec: Sendable {
    /// Where the model comes from.
    public enum ModelSource: Sendable, Equatable {
        /// A model written by `policylab estimate --save`.
        case saved(path: String)
        /// Estimate on a CSV file with this formula, weight column and variance type.
        case estimate(data: String, formula: String, weights: String?, vcov: VarianceType)
        /// Estimate on a table held in memory (the pipeline's generated registry), by name.
        case table(name: String, formula: String, weights: String?, vcov: VarianceType)
    }

    /// How the model's linear prediction maps to the outcome.
    public enum OutcomeScale: String, Sendable, Codable, CaseIterable {
        /// The outcome is the prediction (a model of y).
        case identity
        /// The outcome is exp(prediction) (a model of log y): E = exp(μ + σ²/2).
        case exp
    }

    /// A covariate change of a scenario: set, add to or scale a numeric column, optionally only
    /// on the rows a filter selects.
    public struct Change: Sendable, Equatable {
        /// Set the column to the value, add the value to it, or multiply it by the value.
        public enum Operation: Sendable, Equatable { case set(Double), add(Double), scale(Double) }
        /// The numeric population column changed.
        public let column: String
        /// What is done to it.
        public let operation: Operation
        /// The rows changed; nil: every row (missing values are never changed).
        public let filter: RowFilter?
    }

    /// A transfer rule: units whose model score (prediction with the point coefficients) is
    /// below `threshold` receive `amount`, phased out linearly over `phaseOut` above it; if the
    /// weighted cost exceeds `budget`, every amount is scaled down in proportion.
    public struct TransferPolicy: Sendable, Equatable, Codable {
        /// The common eligibility threshold on the score scale (the linear prediction at β̂).
        public var threshold: Double
        /// The transfer per eligible unit, in outcome units.
        public var amount: Double
        /// Width on the score scale over which the amount falls linearly to 0; 0: a sharp cut.
        public var phaseOut: Double
        /// Cap on the total weighted cost Σwᵤtᵤ; nil: no cap.
        public var budget: Double?
        /// Thresholds by group label (the population's `groups`), overriding `threshold`.
        public var groupThresholds: [String: Double]?

        /// A policy; the defaults are no phase-out, no budget and one common threshold.
        public init(threshold: Double, amount: Double, phaseOut: Double = 0, budget: Double? = nil, groupThresholds: [String: Double]? = nil) {
            self.threshold = threshold
            self.amount = amount
            self.phaseOut = phaseOut
            self.budget = budget
            self.groupThresholds = groupThresholds
        }

        enum CodingKeys: String, CodingKey {
            case threshold, amount, budget
            case phaseOut = "phase_out", groupThresholds = "group_thresholds"
        }
    }

    /// One scenario.
    public struct Scenario: Sendable, Equatable {
        /// The scenario's name (unique in the spec).
        public let name: String
        /// Covariate changes, applied in order to the population.
        public let changes: [Change]
        /// The transfer rule; nil for none.
        public let policy: TransferPolicy?
    }

    /// Where the model comes from (`model`).
    public var model: ModelSource
    /// The population CSV (`population.data`, resolved); nil: the estimation data.
    public var populationData: String?
    /// The unit weight column (`population.weights`); nil: every unit weighs 1.
    public var populationWeights: String?
    /// Columns whose joined values define by-group cells (`population.groups`); empty: only `all`.
    public var groups: [String]
    /// Groups with fewer units are withheld (`min_cell`, default 10).
    public var minimumCell: Int
    /// Replicates planned (`draws`, default 1000).
    public var draws: Int
    /// The seed of every draw (`seed`, default 1).
    public var seed: UInt64
    /// Run replicates in antithetic pairs of mirrored draws (`antithetic`, default false).
    public var antithetic: Bool
    /// Coverage of the quantile intervals, in (0, 1) (`level`, default 0.95).
    public var level: Double
    /// Stop early once every scenario's overall `ev` has Monte Carlo SE ≤ target·|mean|
    /// (`target_se`); nil: run every draw.
    public var targetStandardError: Double?
    /// How the prediction maps to the outcome (`outcome.scale`, default identity).
    public var scale: OutcomeScale
    /// The poverty line on the outcome scale (`outcome.poverty_line`); nil: no poverty or
    /// targeting measures.
    public var povertyLine: Double?
    /// Welfare measure families to compute (default all): `inequality` (Gini and decile means,
    /// which sort the population every draw — the costly part), `changes` (winners and losers).
    public var inequality = true
    /// Whether to compute winners and losers against the baseline (the `changes` family).
    public var changes = true
    /// The scenarios, the first being the baseline.
    public var scenarios: [Scenario]
    /// The scenario first differences are taken against (the first one).
    public var baseline: String { scenarios.first?.name ?? "baseline" }
    /// The spec as given (for manifests).
    public var source: SpecValue
    /// The spec file's path; relative paths in the spec resolve against its directory.
    public var file: String

    /// Reads a spec file.
    /// - Throws: `SpecError` (file, line, column, spec path, what to do) for unreadable files,
    ///   malformed YAML, unknown keys, wrong types and invalid values.
    public static func load(path: String) throws -> SimulationSpec {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw SpecError(file: path, path: "", line: nil, column: nil, message: "cannot be read (\(error.localizedDescription))")
        }
        return try SimulationSpec(yaml: text, file: path)
    }

    /// Parses spec text; relative paths resolve against the directory of `file`.
    public init(yaml: String, file: String) throws {
        let root = try SpecValue.parse(yaml: yaml, file: file)
        let spec = try SpecObject(root, file: file, path: "")
        try self.init(spec, file: file)
        self.source = root
    }

    /// Reads the simulation keys of `spec` (the pipeline spec reuses this for its own file).
    /// - Parameters:
    ///   - presetModel: the model source when the caller (the pipeline) reads `model` itself.
    ///   - finish: whether to reject unknown keys of `spec` here (false when the caller reads more keys).
    ///   - defaultBaseline: without `scenarios`, simulate one scenario named baseline (pipeline).
    public init(_ spec: SpecObject, file: String, model presetModel: ModelSource? = nil, finish: Bool = true,
                defaultBaseline: Bool = false) throws {
        self.file = file
        self.source = .mapping([], line: 1, column: 1)
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent()
        func resolve(_ path: String) -> String {
            path.hasPrefix("/") ? path : directory.appendingPathComponent(path).path
        }
        if let presetModel {
            self.model = presetModel
        } else {
            guard let model = try spec.object("model") else { throw spec.error("model", nil, "is required: `saved: MODEL.json` or `data` and `formula`") }
            self.model = try Self.readModel(model, resolve: resolve)
        }

        let population = try spec.object("population")
        populationData = try population?.string("data").map(resolve)
        populationWeights = try population?.string("weights")
        groups = try population?.strings("groups") ?? []
        minimumCell = try population?.int("min_cell") ?? WelfareGroups.defaultMinimumCellSize
        try population?.require(minimumCell >= 1, "min_cell", "must be at least 1")
        try population?.finish()
        if populationData == nil, case .saved = self.model {
            throw spec.error("population", nil, "needs `data:` when the model is a saved file")
        }

        let simulation = try spec.object("simulation")
        draws = try simulation?.int("draws") ?? 1000
        try simulation?.require(draws >= 1, "draws", "must be at least 1, got \(draws)")
        let seedValue = try simulation?.int("seed") ?? 1
        try simulation?.require(seedValue >= 0, "seed", "must be a non-negative whole number")
        seed = UInt64(seedValue)
        antithetic = try simulation?.bool("antithetic") ?? false
        level = try simulation?.double("level") ?? 0.95
        try simulation?.require(level > 0 && level < 1, "level", "must be strictly between 0 and 1")
        targetStandardError = try simulation?.double("target_se")
        try simulation?.require((targetStandardError ?? 1) > 0, "target_se", "must be positive")
        try simulation?.finish()

        let outcome = try spec.object("outcome")
        let scaleText = try outcome?.string("scale") ?? "identity"
        guard let scale = OutcomeScale(rawValue: scaleText) else {
            throw SpecError(file: file, path: "outcome.scale", line: outcome?.value("scale")?.line, column: outcome?.value("scale")?.column,
                            message: "expected identity or exp, got '\(scaleText)'")
        }
        self.scale = scale
        povertyLine = try outcome?.double("poverty_line")
        try outcome?.require((povertyLine ?? 1) > 0, "poverty_line", "must be positive (on the outcome scale)")
        if let measures = try outcome?.strings("measures"), !measures.isEmpty {
            let known = ["poverty", "targeting", "inequality", "changes"]
            for (i, m) in measures.enumerated() where !known.contains(m) {
                throw SpecError(file: file, path: "outcome.measures[\(i)]", line: nil, column: nil,
                                message: "unknown measure family '\(m)'; known: \(known.joined(separator: ", "))")
            }
            inequality = measures.contains("inequality")
            changes = measures.contains("changes")
        }
        try outcome?.finish()

        var scenarios: [Scenario] = []
        for object in try spec.objects("scenarios") {
            let name = try object.requiredString("name")
            try object.require(!scenarios.contains { $0.name == name }, "name", "scenario name '\(name)' is used twice")
            var changes: [Change] = []
            for change in try object.objects("changes") {
                let column = try change.requiredString("column")
                let operations = try [("set", change.double("set")), ("add", change.double("add")), ("scale", change.double("scale"))]
                    .compactMap { key, value in value.map { (key, $0) } }
                guard operations.count == 1 else {
                    throw change.error("set", nil, "give exactly one of set, add or scale")
                }
                let operation: Change.Operation = operations[0].0 == "set" ? .set(operations[0].1)
                    : operations[0].0 == "add" ? .add(operations[0].1) : .scale(operations[0].1)
                let filter = try change.string("where").map { text -> RowFilter in
                    do { return try RowFilter(parsing: text) } catch let error as RowFilter.ParseError {
                        throw change.error("where", change.value("where"), error.message)
                    }
                }
                try change.finish()
                changes.append(Change(column: column, operation: operation, filter: filter))
            }
            var policy: TransferPolicy?
            if let rule = try object.object("policy") {
                guard let threshold = try rule.double("threshold") else { throw rule.missing("threshold") }
                guard let amount = try rule.double("amount") else { throw rule.missing("amount") }
                let phaseOut = try rule.double("phase_out") ?? 0
                let budget = try rule.double("budget")
                var groupThresholds: [String: Double]?
                if let table = try rule.object("thresholds") {
                    var values: [String: Double] = [:]
                    for (key, _) in table.entries { values[key] = try table.double(key) }
                    try table.finish()
                    groupThresholds = values
                }
                try rule.require(amount >= 0, "amount", "must be non-negative")
                try rule.require(phaseOut >= 0, "phase_out", "must be non-negative")
                try rule.require((budget ?? 1) > 0, "budget", "must be positive")
                try rule.finish()
                policy = TransferPolicy(threshold: threshold, amount: amount, phaseOut: phaseOut, budget: budget, groupThresholds: groupThresholds)
            }
            try object.finish()
            scenarios.append(Scenario(name: name, changes: changes, policy: policy))
        }
        if scenarios.isEmpty && defaultBaseline && !spec.has("scenarios") {
            scenarios = [Scenario(name: "baseline", changes: [], policy: nil)]
        }
        if scenarios.isEmpty { throw spec.error("scenarios", spec.value("scenarios"), "needs at least one scenario (the first is the baseline)") }
        self.scenarios = scenarios
        if finish { try spec.finish() }
    }

    /// Reads `model: {saved: …}` or `model: {data, formula, weights, vcov}`.
    static func readModel(_ model: SpecObject, resolve: (String) -> String) throws -> ModelSource {
        let source: ModelSource
        if let saved = try model.string("saved") {
            try model.require(!model.has("data") && !model.has("formula"), "saved", "give either `saved` or `data` + `formula`, not both")
            source = .saved(path: resolve(saved))
        } else {
            let data = try model.requiredString("data"), formula = try model.requiredString("formula")
            source = .estimate(data: resolve(data), formula: formula, weights: try model.string("weights"), vcov: try readVariance(model))
        }
        try model.finish()
        return source
    }

    /// `vcov:` of a model mapping (default iid).
    static func readVariance(_ model: SpecObject) throws -> VarianceType {
        let text = try model.string("vcov") ?? "iid"
        do { return try VarianceType(parsing: text) } catch {
            throw model.error("vcov", model.value("vcov"), "\(error)")
        }
    }
}

/// A row filter of a scenario change: `column op value`, op one of == != < <= > >=, value a
/// number or a quoted text level (`province == 'Java'`).
public struct RowFilter: Sendable, Equatable, CustomStringConvertible {
    /// The operator, spelled as in the filter text.
    public enum Comparison: String, Sendable, CaseIterable { case equal = "==", notEqual = "!=", lessOrEqual = "<=", greaterOrEqual = ">=", less = "<", greater = ">" }
    /// The right-hand side: a number, or a text level (compared with == and != only).
    public enum Value: Sendable, Equatable { case number(Double), text(String) }
    /// A filter text that does not parse; the spec reader reports its message as a `SpecError`.
    public struct ParseError: Error { let message: String }

    /// The column compared.
    public let column: String
    /// The operator.
    public let comparison: Comparison
    /// The value compared with.
    public let value: Value

    /// Parses `column op value`: the operators are tried in the order == != <= >= < >, and a
    /// value that is not a finite number is text (surrounding quotes removed).
    /// - Throws: `ParseError` without an operator, a column or a value, or for <, <=, >, >= with text.
    public init(parsing text: String) throws {
        for comparison in [Comparison.equal, .notEqual, .lessOrEqual, .greaterOrEqual, .less, .greater] {
            guard let range = text.range(of: comparison.rawValue) else { continue }
            let column = text[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            var right = text[range.upperBound...].trimmingCharacters(in: .whitespaces)
            guard !column.isEmpty, !right.isEmpty else { break }
            self.column = column
            self.comparison = comparison
            if let number = Double(right), number.isFinite {
                value = .number(number)
            } else {
                if (right.hasPrefix("'") && right.hasSuffix("'")) || (right.hasPrefix("\"") && right.hasSuffix("\"")), right.count >= 2 {
                    right = String(right.dropFirst().dropLast())
                }
                guard comparison == .equal || comparison == .notEqual else {
                    throw ParseError(message: "'\(text)': < and > need a number on the right")
                }
                value = .text(right)
            }
            return
        }
        throw ParseError(message: "'\(text)' is not a filter; write `column == value` with ==, !=, <, <=, > or >=")
    }

    /// `column op value`, a text value in single quotes.
    public var description: String {
        switch value {
        case let .number(v): return "\(column) \(comparison.rawValue) \(v)"
        case let .text(s): return "\(column) \(comparison.rawValue) '\(s)'"
        }
    }

    /// Whether row `i` of `column` passes (a missing value never does).
    func matches(_ column: Column, row i: Int) -> Bool {
        guard column.validity.isValid(i) else { return false }
        switch value {
        case let .number(target):
            guard let v = column.doubleValue(at: i) else { return false }
            switch comparison {
            case .equal: return v == target
            case .notEqual: return v != target
            case .less: return v < target
            case .lessOrEqual: return v <= target
            case .greater: return v > target
            case .greaterOrEqual: return v >= target
            }
        case let .text(target):
            let text = column.text(at: i)
            return comparison == .equal ? text == target : text != target
        }
    }
}

extension Column {
    /// Row i as a number (bool as 0/1), nil for text or missing.
    func doubleValue(at i: Int) -> Double? {
        guard validity.isValid(i) else { return nil }
        switch values {
        case let .double(v): return v[i]
        case let .int(v): return Double(v[i])
        case let .bool(v): return v[i] ? 1 : 0
        case .categorical: return nil
        }
    }
}
