import Foundation
import Regression

/// Turns a pipeline outcome into the report's data and HTML.
enum PipelineReport {
    static func html(_ outcome: PipelineRun.Outcome, manifest: RunManifest) -> String {
        HTMLReport.render(data(outcome, manifest: manifest))
    }

    /// The report data: coefficients, per-draw poverty changes, the threshold fan, exclusion and
    /// inclusion errors by group for the chosen policy, disparities, optimizer convergence,
    /// the tables behind them and the manifest.
    static func data(_ outcome: PipelineRun.Outcome, manifest: RunManifest) -> ReportData {
        let result = outcome.result
        let simulation = result.simulation
        let regression = result.regression
        func measure(_ scenario: String, _ cell: String, _ name: String) -> SimulationResult.Measure? {
            simulation.scenarios.first { $0.name == scenario }?.cells.first { $0.cell == cell }?.measures.first { $0.measure == name }
        }
        let level = simulation.level
        let coefficients = regression.coefficients.filter { !$0.term.hasPrefix("factor(") }.map {
            ReportData.CoefficientInterval(term: $0.term, estimate: $0.estimate, low: $0.confLow, high: $0.confHigh)
        }
        let base = simulation.baseline
        let policyScenarios = simulation.scenarios.filter { $0.policy != nil }
        let distributions = policyScenarios.compactMap { scenario -> ReportData.Distribution? in
            guard let after = simulation.drawValues(scenario: scenario.name, measure: "fgt0"),
                  let before = simulation.drawValues(scenario: base, measure: "fgt0") else { return nil }
            return ReportData.Distribution(name: scenario.name, values: zip(after, before).map { 100 * ($0 - $1) })
        }
        let fan = policyScenarios.filter { $0.name.hasPrefix("threshold_") }.compactMap { scenario -> ReportData.FanPoint? in
            guard let policy = scenario.policy, let cost = measure(scenario.name, "all", "cost"),
                  let poverty = measure(scenario.name, "all", "fgt0") else { return nil }
            return ReportData.FanPoint(threshold: policy.threshold, costMean: cost.mean, costLow: cost.lower, costHigh: cost.upper,
                                       povertyMean: 100 * poverty.mean, povertyLow: 100 * poverty.lower, povertyHigh: 100 * poverty.upper)
        }.sorted { $0.threshold < $1.threshold }
        let chosen = result.optimization != nil ? "optimized" : policyScenarios.last?.name
        var groups: [ReportData.GroupErrors] = []
        var disparity: [ReportData.Disparity] = []
        if let chosen, let scenario = simulation.scenarios.first(where: { $0.name == chosen }) {
            let unitCounts = outcome.prepared.population.groups.map { Dictionary(uniqueKeysWithValues: zip($0.labels, $0.unitCounts)) } ?? [:]
            for cell in scenario.cells.dropFirst() {
                guard let exclusion = cell.measures.first(where: { $0.measure == "exclusion_error" }),
                      let inclusion = cell.measures.first(where: { $0.measure == "inclusion_error" }) else { continue }
                groups.append(ReportData.GroupErrors(group: cell.cell, units: unitCounts[cell.cell] ?? 0, withheld: false,
                                                     exclusionMean: exclusion.mean, exclusionLow: exclusion.lower, exclusionHigh: exclusion.upper,
                                                     inclusionMean: inclusion.mean, inclusionLow: inclusion.lower, inclusionHigh: inclusion.upper))
            }
            for withheld in simulation.withheldGroups {
                groups.append(ReportData.GroupErrors.withheld(group: withheld.group, units: withheld.units))
            }
            for (name, value) in [("exclusion error", \ReportData.GroupErrors.exclusionMean), ("inclusion error", \ReportData.GroupErrors.inclusionMean)] {
                let published = groups.filter { !$0.withheld && $0[keyPath: value].isFinite }
                if let high = published.max(by: { $0[keyPath: value] < $1[keyPath: value] }),
                   let low = published.min(by: { $0[keyPath: value] < $1[keyPath: value] }) {
                    disparity.append(ReportData.Disparity(measure: name, highestGroup: high.group, lowestGroup: low.group,
                                                          ratio: high[keyPath: value] / low[keyPath: value],
                                                          difference: high[keyPath: value] - low[keyPath: value]))
                }
            }
        }
        let convergence = (result.optimization?.history ?? []).map { ReportData.ConvergencePoint(evaluation: $0.evaluations, best: $0.best) }

        var tables: [ReportData.ReportTable] = []
        tables.append(ReportData.ReportTable(
            title: "Regression: \(regression.formula)",
            note: "n = \(regression.nobs), R² = \(PipelineText.number(regression.rSquared)), variance \(regression.vcov), solver \(regression.solver)",
            header: ["term", "estimate", "std. error", "t", "p"],
            rows: regression.coefficients.map { [$0.term, PipelineText.number($0.estimate, digits: 5), PipelineText.number($0.stdError, digits: 5),
                                                 PipelineText.number($0.statistic, digits: 2), PipelineText.number($0.pValue, digits: 4)] }))
        tables.append(ReportData.ReportTable(
            title: "Scenarios (all units; mean and \(Int((level * 100).rounded()))% interval over \(simulation.drawsCompleted) draws)",
            note: "cost in outcome units; FGT0 = poverty headcount, FGT1 = poverty gap",
            header: ["scenario", "cost", "FGT0", "FGT1", "exclusion", "inclusion"],
            rows: simulation.scenarios.map { s in
                let cells = ["cost", "fgt0", "fgt1", "exclusion_error", "inclusion_error"].map { name -> String in
                    guard let m = measure(s.name, "all", name) else { return "—" }
                    return name == "cost" ? PipelineText.grouped(m.mean)
                        : "\(PipelineText.percent(m.mean)) [\(PipelineText.percent(m.lower)), \(PipelineText.percent(m.upper))]"
                }
                return [s.name] + cells
            }))
        if let optimization = result.optimization, let thresholds = optimization.policy.groupThresholds {
            tables.append(ReportData.ReportTable(
                title: "Optimized thresholds by group (amount \(PipelineText.number(optimization.policy.amount, digits: 1)))",
                note: "CMA-ES, \(optimization.evaluations) evaluations on \(optimization.sampleUnits) units × \(optimization.draws) common-random-number draws; \(optimization.stopReason)",
                header: ["group", "threshold"],
                rows: thresholds.keys.sorted().map { [$0, PipelineText.number(thresholds[$0] ?? .nan, digits: 3)] }))
        }
        let manifestText = (try? manifest.json()).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let subtitle: String
        if result.data["source"] == "csv" {
            subtitle = "Data: \(result.data["path"] ?? "") (SHA-256 \(String((result.data["sha256"] ?? "").prefix(12)))…)"
        } else {
            subtitle = "Data: synthetic registry of \(result.data["households"] ?? "?") households in \(result.data["provinces"] ?? "?") provinces (seed \(result.data["seed"] ?? "?"))"
        }
        return ReportData(title: "Proxy means test: who gains, what it costs, who is left out", subtitle: subtitle,
                          summary: result.summary, coefficients: coefficients, scenarioDistributions: distributions, fan: fan,
                          groups: groups, disparity: disparity, convergence: convergence, tables: tables, manifest: manifestText,
                          smallCellThreshold: simulation.minimumCell)
    }
}
