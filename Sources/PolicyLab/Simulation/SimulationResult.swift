import Foundation
import MonteCarlo

/// The result of `policylab simulate`: per scenario and cell, every measure's point estimate
/// (where defined), Monte Carlo mean, standard deviation, Monte Carlo standard error and
/// quantile interval. Everything except `run` is a function of the spec and the data alone,
/// so it is byte-identical for any thread count.
public struct SimulationResult: Sendable, Encodable {
    /// One measure of one cell.
    public struct Measure: Sendable, Encodable, Equatable {
        /// The measure: `ev`, `pv`, `fd_ev`, `fd_pv`, `cost`, `mean`, `gini`, `decile1`…`decile10`,
        /// `winners`, `losers`, `fgt0`…`fgt2`, `exclusion_error` or `inclusion_error`.
        public let measure: String
        /// At (β̂, σ̂) without residual draws (`ev`, `fd_ev`); nil for the others.
        public let point: Double?
        /// Monte Carlo mean over the replicates where the measure is defined (NaN if none).
        public let mean: Double
        /// Standard deviation across those replicates (divisor n − 1; NaN below two).
        public let sd: Double
        /// Monte Carlo standard error of `mean` (of antithetic pair means when antithetic).
        public let mcse: Double
        /// Lower end of the central `level` quantile interval of the replicates (type 7, R's default).
        public let lower: Double
        /// Upper end of the same interval.
        public let upper: Double
        /// Replicates in which the measure was undefined (NaN) and left out.
        public let omitted: Int
    }

    /// The measures of one cell: all units, or one published group.
    public struct Cell: Sendable, Encodable, Equatable {
        /// `all`, or a group label (the group columns' values joined by `/`).
        public let cell: String
        /// The cell's measures, in output order.
        public let measures: [Measure]
    }

    /// One scenario's results.
    public struct Scenario: Sendable, Encodable, Equatable {
        /// The scenario's name from the spec.
        public let name: String
        /// Its covariate changes in words (`add 2.0 to educ where urban == 0.0`).
        public let changes: [String]
        /// Its transfer policy; nil without one.
        public let policy: SimulationSpec.TransferPolicy?
        /// `all` first, then each published group.
        public let cells: [Cell]
    }

    /// A group left out of by-group results for having fewer than `minimumCell` units.
    public struct Withheld: Sendable, Encodable, Equatable {
        /// The group's label.
        public let group: String
        /// Its number of units.
        public let units: Int
    }

    /// The simulated model as text: `formula`, `vcov`, `sigma`, `df_residual`, `terms`.
    public let model: [String: String]
    /// Units simulated (complete population rows).
    public let units: Int
    /// Population rows left out for missing values.
    public let droppedRows: Int
    /// Groups withheld from by-group results, with their sizes.
    public let withheldGroups: [Withheld]
    /// The minimum group size for by-group results (`min_cell`).
    public let minimumCell: Int
    /// Replicates planned (`draws`).
    public let drawsPlanned: Int
    /// Replicates run: `drawsPlanned`, or fewer when `target_se` was met early.
    public let drawsCompleted: Int
    /// Replicates loaded from a checkpoint rather than computed (0 for a fresh run).
    public let resumedDraws: Int
    /// Why the run ended: `allReplicates` or `targetReached`.
    public let stopReason: String
    /// The seed of every draw.
    public let seed: UInt64
    /// Whether replicates ran in antithetic pairs.
    public let antithetic: Bool
    /// Coverage of the `lower`/`upper` intervals.
    public let level: Double
    /// The scenario first differences, winners and losers are taken against.
    public let baseline: String
    /// Results per scenario, in spec order.
    public let scenarios: [Scenario]
    /// Host and timing details; the only part that may differ between runs.
    public var run: [String: String] = [:]
    /// Every replicate's value of every output (not encoded; for plots of whole distributions).
    public let draws: MonteCarloResult

    /// Replicate values of `scenario/cell/measure` (NaN where undefined), or nil if no such output.
    public func drawValues(scenario: String, cell: String = "all", measure: String) -> [Double]? {
        guard let k = draws.outputNames.firstIndex(of: "\(scenario)/\(cell)/\(measure)") else { return nil }
        return draws.values(ofOutput: k)
    }

    enum CodingKeys: String, CodingKey {
        case model, units, scenarios, seed, antithetic, level, baseline, run
        case droppedRows = "dropped_rows", withheldGroups = "withheld_groups", minimumCell = "min_cell"
        case drawsPlanned = "draws_planned", drawsCompleted = "draws_completed", resumedDraws = "resumed_draws", stopReason = "stop_reason"
    }

    init(prepared p: PreparedSimulation, layout: OutputLayout, result: MonteCarloResult, points: [Int: Double]) throws {
        let spec = p.spec
        model = ["formula": p.model.formula, "vcov": p.model.vcov, "sigma": "\(p.model.sigma)",
                 "df_residual": "\(p.model.dfResidual)", "terms": p.model.terms.joined(separator: ", ")]
        units = p.units
        droppedRows = p.droppedRows
        withheldGroups = layout.withheld.map { Withheld(group: $0.label, units: $0.units) }
        minimumCell = spec.minimumCell
        drawsPlanned = spec.draws
        drawsCompleted = result.completedReplicates
        resumedDraws = result.resumedReplicates
        stopReason = result.stopReason.rawValue
        seed = spec.seed
        antithetic = spec.antithetic
        level = spec.level
        baseline = spec.baseline
        draws = result
        var scenarios: [Scenario] = []
        for scenario in spec.scenarios {
            var cells: [Cell] = []
            for cell in layout.cells {
                let prefix = scenario.name + "/" + cell + "/"
                var measures: [Measure] = []
                for (i, name) in layout.names.enumerated() where name.hasPrefix(prefix) {
                    let summary = try OutputSummary(name: name, values: result.values(ofOutput: i), antithetic: spec.antithetic, level: spec.level)
                    measures.append(Measure(measure: String(name.dropFirst(prefix.count)), point: points[i], mean: summary.mean,
                                            sd: summary.standardDeviation, mcse: summary.standardError,
                                            lower: summary.interval.lower, upper: summary.interval.upper, omitted: summary.omitted))
                }
                cells.append(Cell(cell: cell, measures: measures))
            }
            scenarios.append(Scenario(name: scenario.name, changes: scenario.changes.map(ScenarioText.describe),
                                      policy: scenario.policy, cells: cells))
        }
        self.scenarios = scenarios
    }

    /// Sorted-key JSON; NaN/inf as null.
    public func json() throws -> String {
        try StableJSON.encode(self)
    }


    /// scenario,cell,measure,point,mean,sd,mcse,lower,upper.
    public var csv: String {
        var lines = ["scenario,cell,measure,point,mean,sd,mcse,lower,upper"]
        for s in scenarios {
            for c in s.cells {
                for m in c.measures {
                    let fields = [m.point.map { "\($0)" } ?? "", "\(m.mean)", "\(m.sd)", "\(m.mcse)", "\(m.lower)", "\(m.upper)"]
                    lines.append(([CSVText.quote(s.name), CSVText.quote(c.cell), m.measure] + fields).joined(separator: ","))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A readable summary: the overall cell of each scenario, then the count of group cells.
    public var text: String {
        var lines = ["Model-based simulation — \(model["formula"] ?? "")",
                     "Units: \(units)\(droppedRows > 0 ? " (\(droppedRows) rows dropped)" : "")   draws: \(drawsCompleted)/\(drawsPlanned) (\(stopReason))   seed: \(seed)\(antithetic ? "   antithetic" : "")",
                     "Intervals: \(Int((level * 100).rounded()))% Monte Carlo quantiles; baseline for first differences: \(baseline)"]
        if !withheldGroups.isEmpty {
            lines.append("Withheld groups (fewer than \(minimumCell) units): " + withheldGroups.map { "\($0.group) (\($0.units))" }.joined(separator: ", "))
        }
        for s in scenarios {
            lines.append("")
            var header = "Scenario \(s.name)"
            if !s.changes.isEmpty { header += ": " + s.changes.joined(separator: "; ") }
            if let p = s.policy { header += "  policy: threshold \(p.threshold), amount \(p.amount), phase-out \(p.phaseOut)" + (p.budget.map { ", budget \($0)" } ?? "") }
            lines.append(header)
            guard let all = s.cells.first else { continue }
            lines.append("  measure              point          mean      [lower, upper]")
            for m in all.measures where !m.measure.hasPrefix("decile") {
                let point = m.point.map { String(format: "%12.6g", $0) } ?? String(repeating: " ", count: 12)
                lines.append("  " + m.measure.padding(toLength: 17, withPad: " ", startingAt: 0) + point
                             + String(format: "  %12.6g  [%.6g, %.6g]", m.mean, m.lower, m.upper))
            }
            if s.cells.count > 1 { lines.append("  (+ \(s.cells.count - 1) group cells in the JSON and CSV output)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

enum ScenarioText {
    static func describe(_ change: SimulationSpec.Change) -> String {
        let operation: String
        switch change.operation {
        case let .set(v): operation = "set \(change.column) = \(v)"
        case let .add(v): operation = "add \(v) to \(change.column)"
        case let .scale(v): operation = "scale \(change.column) by \(v)"
        }
        return operation + (change.filter.map { " where \($0)" } ?? "")
    }
}

enum CSVText {
    static func quote(_ s: String) -> String {
        s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
