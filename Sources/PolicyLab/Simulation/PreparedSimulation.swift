import Foundation
import LinearAlgebra
import MonteCarlo
import Regression
import Tabular

/// Everything a simulation replicate needs, computed once: the model (β̂, V̂, σ̂), the
/// population's design under each scenario aligned to the model's terms, point predictions,
/// transfers, weights and groups.
public struct PreparedSimulation: Sendable {
    /// The simulation spec, with any scenarios added by `adding(policyScenarios:)`.
    public internal(set) var spec: SimulationSpec
    /// The model simulated: the saved file, or the saved form of the fit made here.
    public let model: SavedLinearModel
    /// Units simulated (complete rows of the population) and rows left out for missing values.
    public let units: Int
    /// Population rows left out for missing values (table rows − `units`).
    public let droppedRows: Int
    /// The population table rows simulated (0-based, ascending).
    public let populationRows: [Int]
    /// One design per scenario (units × terms), aligned to `model.terms`.
    let designs: [Matrix]
    /// Index into `designs` of each scenario (scenarios without covariate changes share one).
    var designIndex: [Int]
    /// X_s·β̂ per design.
    let pointPredictions: [[Double]]
    /// The transfer each unit receives in each scenario (zeros without a policy).
    public internal(set) var transfers: [[Double]]
    /// Unit weights (1 without a weight column) and groups, with the minimum-cell rule.
    public let population: WelfarePopulation
    let coefficients: MultivariateNormal
    /// Inputs of the draw of σ: σ̂² and its degrees of freedom.
    let sigma: Double
    let degreesOfFreedom: Int
    /// SHA-256 of the data files read, for the manifest.
    public let inputs: [String: String]
    /// The regression, when the model was estimated here (nil for a saved model).
    public let fit: RegressionResult?
    /// The group label of each unit ("" without groups).
    public let unitGroups: [String]

    /// Loads or estimates the model, reads the population and builds every scenario's design.
    /// - Throws: `SpecError`/`PolicyLabError` for files and spec values (a change naming a
    ///   missing or non-numeric column, a scenario that changes which rows are complete, a term
    ///   the population cannot supply, a model with absorbed fixed effects), Tabular and
    ///   Regression errors from estimation, `MonteCarloError` for a covariance that is not
    ///   positive semi-definite.
    /// - Parameter tables: tables held in memory, by the name a `.table` model source uses.
    public init(spec: SimulationSpec, parallelism: Parallelism = .serial, tables: [String: Table] = [:]) throws {
        self.spec = spec
        var inputs: [String: String] = [:]
        func read(_ path: String) throws -> Table {
            inputs[path] = try FileDigest.sha256(path: path)
            return try CSVReader.read(path: path, options: CSVOptions(parallelism: parallelism))
        }
        var estimationTable: Table?
        var fit: RegressionResult?
        switch spec.model {
        case let .saved(path):
            inputs[path] = try FileDigest.sha256(path: path)
            model = try SavedLinearModel.load(path: path)
        case let .estimate(data, formula, weights, vcov):
            let table = try read(data)
            estimationTable = table
            let result = try LinearRegression.fit(table: table, formula: formula, weights: weights,
                                                  options: RegressionOptions(vcov: vcov, parallelism: parallelism))
            model = try SavedLinearModel(result: result, table: table, weights: weights)
            fit = result
        case let .table(name, formula, weights, vcov):
            guard let table = tables[name] else { throw PolicyLabError.invalidArgument(name: "model", reason: "no table named '\(name)'") }
            estimationTable = table
            let result = try LinearRegression.fit(table: table, formula: formula, weights: weights,
                                                  options: RegressionOptions(vcov: vcov, parallelism: parallelism))
            model = try SavedLinearModel(result: result, table: table, weights: weights)
            fit = result
        }
        guard model.fixedEffects.isEmpty else {
            throw PolicyLabError.invalidArgument(name: "model", reason:
                "has absorbed fixed effects (\(model.fixedEffects.joined(separator: ", "))) whose estimates are not saved; simulate with a model that includes them as factor() terms")
        }
        let table: Table
        if let path = spec.populationData { table = try read(path) } else if let estimationTable { table = estimationTable } else {
            throw PolicyLabError.invalidArgument(name: "population.data", reason: "is required")
        }

        // The right-hand side of the model, evaluated on each scenario's table.
        let parsed = try Formula(model.formula)
        let rhs = "0 ~ " + parsed.regressors.description + (parsed.instrumental.map { " + " + $0.endogenous.description } ?? "")
        var designs: [Matrix] = [], designIndex: [Int] = [], keys: [String: Int] = [:]
        var rows: [Int]?
        var baseRows: [Int] = []
        for scenario in spec.scenarios {
            let key = scenario.changes.map { "\($0)" }.joined(separator: ";")
            if let known = keys[key] { designIndex.append(known); continue }
            let changed = try ScenarioChanges.apply(scenario.changes, to: table, scenario: scenario.name, file: spec.file)
            let design = try DesignMatrix(formula: rhs, table: changed, weights: spec.populationWeights,
                                          parallelism: parallelism, levels: model.levels)
            if let rows, rows != design.rows {
                throw PolicyLabError.invalidArgument(name: "scenarios.\(scenario.name)", reason:
                    "changes which population rows are complete (\(design.rows.count) instead of \(rows.count)); changes must keep values valid")
            }
            rows = design.rows
            baseRows = design.rows
            keys[key] = designs.count
            designIndex.append(designs.count)
            designs.append(try Self.align(design, to: model.terms, scenario: scenario.name))
        }
        let n = baseRows.count
        guard n > 0 else { throw PolicyLabError.invalidArgument(name: "population", reason: "has no complete row for the model's variables") }
        units = n
        droppedRows = table.rowCount - n
        populationRows = baseRows
        self.designs = designs
        self.designIndex = designIndex
        let beta = model.coefficients
        let predictions = try designs.map { try Matrix.blockedProduct($0.view, beta, parallelism: parallelism) }
        pointPredictions = predictions

        let weights: [Double]
        if let name = spec.populationWeights {
            let column = try table.column(named: name)
            weights = baseRows.map { column.doubleValue(at: $0) ?? 0 }
        } else {
            weights = Array(repeating: 1, count: n)
        }
        var groups: WelfareGroups?
        var unitGroups = [String](repeating: "", count: n)
        if !spec.groups.isEmpty {
            let columns = try spec.groups.map { try table.column(named: $0).selecting(baseRows) }
            let labels = (0..<n).map { i in columns.map { $0.text(at: i) ?? "NA" }.joined(separator: "/") }
            unitGroups = labels
            let distinct = Array(Set(labels)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            var index: [String: Int32] = [:]
            for (k, label) in distinct.enumerated() { index[label] = Int32(k) }
            groups = try WelfareGroups(codes: labels.map { index[$0] ?? 0 }, labels: distinct, minimumCellSize: spec.minimumCell)
        }
        population = try WelfarePopulation(weights: weights, groups: groups)
        self.unitGroups = unitGroups
        transfers = spec.scenarios.enumerated().map { s, scenario in
            guard let policy = scenario.policy else { return Array(repeating: 0, count: n) }
            return TransferRule.amounts(policy, scores: predictions[designIndex[s]], weights: weights, groups: unitGroups)
        }
        let saved = model.covariance
        let covariance = Matrix(rows: beta.count, columns: beta.count) { saved[$0][$1] }
        coefficients = try MultivariateNormal(mean: beta, covariance: covariance)
        sigma = model.sigma
        degreesOfFreedom = model.dfResidual
        self.inputs = inputs
        self.fit = fit
    }

    /// A copy with more scenarios that only add transfer policies (no covariate changes): the
    /// pipeline adds the optimized policy after optimizing on this preparation.
    /// - Throws: `PolicyLabError.invalidArgument` for a scenario with changes or a repeated name.
    public func adding(policyScenarios scenarios: [SimulationSpec.Scenario]) throws -> PreparedSimulation {
        var copy = self
        for scenario in scenarios {
            guard scenario.changes.isEmpty else {
                throw PolicyLabError.invalidArgument(name: "scenarios.\(scenario.name)", reason: "added scenarios may only set a policy")
            }
            guard !copy.spec.scenarios.contains(where: { $0.name == scenario.name }) else {
                throw PolicyLabError.invalidArgument(name: "scenarios.\(scenario.name)", reason: "the name is already used")
            }
            copy.spec.scenarios.append(scenario)
            copy.designIndex.append(designIndex[0])
            copy.transfers.append(scenario.policy.map {
                TransferRule.amounts($0, scores: pointPredictions[designIndex[0]], weights: population.weights, groups: unitGroups)
            } ?? Array(repeating: 0, count: units))
        }
        return copy
    }

    /// The design's columns reordered to `terms`; a term the population lacks (a factor level
    /// absent from it) is a zero column, a column the model does not know is an error.
    static func align(_ design: DesignMatrix, to terms: [String], scenario: String) throws -> Matrix {
        var position: [String: Int] = [:]
        for (j, name) in design.columnNames.enumerated() { position[name] = j }
        for name in design.columnNames where !terms.contains(name) {
            throw PolicyLabError.invalidArgument(name: "scenarios.\(scenario)", reason:
                "the population gives column '\(name)', which the model does not have (a factor level not seen when estimating?)")
        }
        // Whole columns copied (a term the population lacks stays zero).
        var aligned = Matrix(rows: design.x.rows, columns: terms.count)
        let n = design.x.rows
        aligned.withUnsafeMutableBufferPointer { target in
            for (j, term) in terms.enumerated() {
                guard let source = position[term] else { continue }
                let column = design.x.column(source)
                let start = column.startIndex
                for i in 0..<n { target[j * n + i] = column[start + i] }
            }
        }
        return aligned
    }
}

/// The transfer amounts of a policy rule.
enum TransferRule {
    /// Full `amount` below the unit's threshold (its group's, else the common one), linear
    /// phase-out above it, then a proportional cut to the budget.
    static func amounts(_ policy: SimulationSpec.TransferPolicy, scores: [Double], weights: [Double], groups: [String]) -> [Double] {
        var amounts = scores.indices.map { u -> Double in
            let threshold = policy.groupThresholds?[groups[u]] ?? policy.threshold
            let score = scores[u]
            if score < threshold { return policy.amount }
            guard policy.phaseOut > 0, score < threshold + policy.phaseOut else { return 0 }
            return policy.amount * (1 - (score - threshold) / policy.phaseOut)
        }
        if let budget = policy.budget {
            var cost = 0.0
            for i in amounts.indices { cost += weights[i] * amounts[i] }
            if cost > budget {
                let factor = budget / cost
                for i in amounts.indices { amounts[i] *= factor }
            }
        }
        return amounts
    }
}

/// Scenario covariate changes applied to a table (a new table; the original is untouched).
enum ScenarioChanges {
    static func apply(_ changes: [SimulationSpec.Change], to table: Table, scenario: String, file: String) throws -> Table {
        guard !changes.isEmpty else { return table }
        var columns = try table.columnNames.map { try table.column(named: $0) }
        for change in changes {
            guard let j = columns.firstIndex(where: { $0.name == change.column }) else {
                let hint = Suggestions.closest(to: change.column, in: table.columnNames)
                throw PolicyLabError.invalidArgument(name: "scenarios.\(scenario).changes", reason:
                    "column '\(change.column)' is not in the population" + (hint.isEmpty ? "" : "; did you mean \(hint.map { "'\($0)'" }.joined(separator: " or "))?"))
            }
            let filterColumn = try change.filter.map { filter -> Column in
                guard let c = columns.first(where: { $0.name == filter.column }) else {
                    throw PolicyLabError.invalidArgument(name: "scenarios.\(scenario).changes.where", reason: "column '\(filter.column)' is not in the population")
                }
                return c
            }
            let column = columns[j]
            guard column.type != .categorical else {
                throw PolicyLabError.invalidArgument(name: "scenarios.\(scenario).changes", reason: "column '\(change.column)' is text; only numeric columns can be set, added to or scaled")
            }
            var values = (0..<column.count).map { column.doubleValue(at: $0) ?? .nan }
            for i in values.indices where filterColumn.map({ change.filter?.matches($0, row: i) ?? true }) ?? true {
                guard !values[i].isNaN else { continue }
                switch change.operation {
                case let .set(v): values[i] = v
                case let .add(v): values[i] += v
                case let .scale(v): values[i] *= v
                }
            }
            columns[j] = try Column(name: column.name, values: .double(values), validity: column.validity)
        }
        return try Table(columns: columns)
    }
}
