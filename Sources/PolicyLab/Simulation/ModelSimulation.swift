import Foundation
import LinearAlgebra
import MonteCarlo
import Regression

/// Model-based policy simulation (King–Tomz–Wittenberg) with microsimulation outputs.
///
/// Replicate r draws β_r ~ N(β̂, V̂) (pivoted Cholesky: V̂ may be only semi-definite),
/// σ_r² = σ̂²·df/χ²_df (scaled inverse χ²), and one standard normal εᵤ per unit from the
/// replicate's stream — the same draws for every scenario (common random numbers). For each
/// scenario s with design X_s and μ = X_s·β_r:
/// - `ev` (expected value): weighted mean of E[g(μ + σε)] — μ, or exp(μ + σ²/2) on the exp scale;
/// - `pv` (predicted value): weighted mean of the simulated outcome yᵤ = g(μᵤ + σ_r·εᵤ);
/// - `fd_ev`, `fd_pv`: the same minus the baseline scenario's, replicate by replicate;
/// - with a poverty line or a policy, welfare after the scenario's transfers tᵤ (yᵤ + tᵤ):
///   `cost` (Σw·t), `mean`, `fgt0/1/2`, `gini`, `decile1…10` (means of welfare deciles),
///   `winners`/`losers` (vs baseline, tolerance 0), and with a policy and a line
///   `exclusion_error`/`inclusion_error` (poor = yᵤ below the line before transfers;
///   recipients = tᵤ > 0).
/// Each output is reported for all units and each published group (groups below the minimum
/// cell size are withheld and listed). `ev` and `fd_ev` also get the point estimate at (β̂, σ̂).
public enum ModelSimulation {
    /// Runs the simulation of `prepared`.
    /// - Throws: `MonteCarloError` (checkpoint problems, non-finite outputs), `PolicyLabError`.
    /// - Complexity: draws × (distinct designs × n·k + scenarios × O(n log n) welfare measures).
    public static func run(_ prepared: PreparedSimulation, parallelism: Parallelism = .serial,
                           checkpoint: CheckpointOptions? = nil,
                           progress: ((MonteCarloProgress) -> Void)? = nil) throws -> SimulationResult {
        let spec = prepared.spec
        let layout = OutputLayout(prepared)
        let stopping = try spec.targetStandardError.map {
            try StoppingRule(target: $0, relative: true, outputs: layout.overallExpectedValues, minimumReplicates: Swift.min(64, Swift.max(2, spec.draws)))
        }
        let plan = try MonteCarloPlan(seed: spec.seed, replicates: spec.draws, antithetic: spec.antithetic, stopping: stopping,
                                      fingerprint: SimulationFingerprint.of(prepared))
        // A measure can be undefined in a replicate (a Gini with a non-positive mean, a poverty
        // gap without poor units in a group): it is omitted there and the omission counted.
        let engine = try MonteCarloEngine(plan: plan, outputNames: layout.names, parallelism: parallelism, nonFinite: .omit,
                                          checkpoint: checkpoint)
        let n = prepared.units
        let result = try engine.run(workspace: { [Double](repeating: 0, count: n) }, progress: progress) { replicate, noise in
            try replicateOutputs(prepared, layout: layout, replicate: replicate, noise: &noise)
        }
        let points = try pointEstimates(prepared, layout: layout)
        return try SimulationResult(prepared: prepared, layout: layout, result: result, points: points)
    }

    /// The outputs of one replicate, in `layout` order.
    static func replicateOutputs(_ p: PreparedSimulation, layout: OutputLayout, replicate: Replicate, noise: inout [Double]) throws -> [Double] {
        let beta = p.coefficients.sample(at: replicate.address(unit: 0, slot: 0))
        let chiSquare = try ChiSquareDistribution(degreesOfFreedom: Double(p.degreesOfFreedom)).sample(at: replicate.address(unit: 1, slot: 0))
        let variance = p.sigma * p.sigma * Double(p.degreesOfFreedom) / chiSquare
        try replicate.stream(ingredient: 0).fill(.normal, into: &noise)
        return try outputs(p, layout: layout, beta: beta, variance: variance, noise: noise)
    }

    /// Point estimates (β̂, σ̂; no residual draws) of `ev` and `fd_ev`, by output index.
    static func pointEstimates(_ p: PreparedSimulation, layout: OutputLayout) throws -> [Int: Double] {
        let predictions = p.pointPredictions
        var points: [Int: Double] = [:]
        var baseline: [Double] = []
        for s in p.spec.scenarios.indices {
            let expected = OutcomeScaleMath.expected(predictions[p.designIndex[s]], variance: p.sigma * p.sigma, scale: p.spec.scale)
            let cells = try p.population.mean(expected).publishedCells().map(\.value)
            if s == 0 { baseline = cells }
            for (c, value) in cells.enumerated() {
                if let i = layout.index[OutputLayout.name(s: p.spec.scenarios[s].name, cell: layout.cells[c], measure: "ev")] { points[i] = value }
                if s > 0, let i = layout.index[OutputLayout.name(s: p.spec.scenarios[s].name, cell: layout.cells[c], measure: "fd_ev")] {
                    points[i] = value - baseline[c]
                }
            }
        }
        return points
    }

    /// Every output for given (β, σ², ε).
    static func outputs(_ p: PreparedSimulation, layout: OutputLayout, beta: [Double], variance: Double, noise: [Double]) throws -> [Double] {
        let spec = p.spec
        let sigma = variance.squareRoot()
        let means = try p.designs.map { try Matrix.blockedProduct($0.view, beta) }
        var values = [Double](repeating: .nan, count: layout.names.count)
        func put(_ s: Int, _ measure: String, _ cells: [Double]) {
            for (c, value) in cells.enumerated() {
                if let i = layout.index[OutputLayout.name(s: spec.scenarios[s].name, cell: layout.cells[c], measure: measure)] { values[i] = value }
            }
        }
        var baseline: (ev: [Double], pv: [Double], welfare: [Double])?
        // Scenarios that only change the policy share their design: outcomes and means once per design.
        var perDesign: [Int: (outcome: [Double], ev: [Double], pv: [Double])] = [:]
        for s in spec.scenarios.indices {
            let d = p.designIndex[s]
            if perDesign[d] == nil {
                let mu = means[d]
                let expected = OutcomeScaleMath.expected(mu, variance: variance, scale: spec.scale)
                let outcome = OutcomeScaleMath.simulated(mu, noise: noise, sigma: sigma, scale: spec.scale)
                perDesign[d] = (outcome, try p.population.mean(expected).publishedCells().map(\.value),
                                try p.population.mean(outcome).publishedCells().map(\.value))
            }
            guard let (outcome, ev, pv) = perDesign[d] else { continue }
            put(s, "ev", ev)
            put(s, "pv", pv)
            let transfers = p.transfers[s]
            let welfare = layout.welfare ? zip(outcome, transfers).map { $0 + $1 } : []
            if let baseline {
                put(s, "fd_ev", zip(ev, baseline.ev).map { $0 - $1 })
                put(s, "fd_pv", zip(pv, baseline.pv).map { $0 - $1 })
                if layout.welfare && spec.changes {
                    let change = try p.population.winnersAndLosers(baseline: baseline.welfare, policy: welfare).publishedCells().map(\.value)
                    put(s, "winners", change.map(\.winners))
                    put(s, "losers", change.map(\.losers))
                }
            } else {
                baseline = (ev, pv, welfare)
            }
            guard layout.welfare else { continue }
            put(s, "cost", try p.population.total(transfers).publishedCells().map(\.value))
            put(s, "mean", try p.population.mean(welfare).publishedCells().map(\.value))
            if spec.inequality {
                let inequality = try p.population.inequality(welfare).publishedCells().map(\.value)
                put(s, "gini", inequality.map(\.gini))
                for d in 0..<10 { put(s, "decile\(d + 1)", inequality.map { $0.decileMeans[d] }) }
            }
            if let line = spec.povertyLine {
                let poverty = try p.population.poverty(welfare, line: line).publishedCells().map(\.value)
                put(s, "fgt0", poverty.map(\.headcount))
                put(s, "fgt1", poverty.map(\.gap))
                put(s, "fgt2", poverty.map(\.severity))
                if spec.scenarios[s].policy != nil {
                    let targeting = try p.population.targeting(welfare: outcome, line: line, recipients: transfers.map { $0 > 0 })
                        .publishedCells().map(\.value)
                    put(s, "exclusion_error", targeting.map(\.exclusionError))
                    put(s, "inclusion_error", targeting.map(\.inclusionError))
                }
            }
        }
        return values
    }
}

/// g(μ) under each outcome scale.
/// Exponentials through the SIMD kernel (`VectorKernels.formExp`, ≤ 2 ulp, same bits on every
/// thread), the most frequent operation of an exp-scale simulation.
enum OutcomeScaleMath {
    static func expected(_ mu: [Double], variance: Double, scale: SimulationSpec.OutcomeScale) -> [Double] {
        switch scale {
        case .identity: return mu
        case .exp:
            let half = 0.5 * variance
            var values = mu.map { $0 + half }
            VectorKernels.formExp(&values)
            return values
        }
    }

    static func simulated(_ mu: [Double], noise: [Double], sigma: Double, scale: SimulationSpec.OutcomeScale) -> [Double] {
        var values = (0..<mu.count).map { mu[$0] + sigma * noise[$0] }
        if scale == .exp { VectorKernels.formExp(&values) }
        return values
    }
}

/// The flat output vector: "scenario/cell/measure" names, with an index.
struct OutputLayout: Sendable {
    let names: [String]
    let index: [String: Int]
    /// "all", then the published group labels.
    let cells: [String]
    /// Whether welfare measures are computed (a poverty line or a policy is given).
    let welfare: Bool
    /// Indices of the overall expected values (the early-stopping rule's outputs).
    let overallExpectedValues: [Int]
    /// Withheld groups (label, units).
    let withheld: [(label: String, units: Int)]

    static func name(s: String, cell: String, measure: String) -> String { "\(s)/\(cell)/\(measure)" }

    init(_ p: PreparedSimulation) {
        let spec = p.spec
        let labels = p.population.groups?.labels ?? []
        let withheldFlags = labels.indices.map { p.population.groups?.isWithheld($0) ?? false }
        cells = ["all"] + labels.indices.filter { !withheldFlags[$0] }.map { labels[$0] }
        withheld = labels.indices.filter { withheldFlags[$0] }.map { (labels[$0], p.population.groups?.unitCounts[$0] ?? 0) }
        welfare = spec.povertyLine != nil || spec.scenarios.contains { $0.policy != nil }
        var names: [String] = []
        for (s, scenario) in spec.scenarios.enumerated() {
            var measures = ["ev", "pv"]
            if s > 0 { measures += ["fd_ev", "fd_pv"] }
            if welfare {
                measures += ["cost", "mean"]
                if spec.inequality { measures += ["gini"] + (1...10).map { "decile\($0)" } }
                if s > 0 && spec.changes { measures += ["winners", "losers"] }
                if spec.povertyLine != nil {
                    measures += ["fgt0", "fgt1", "fgt2"]
                    if scenario.policy != nil { measures += ["exclusion_error", "inclusion_error"] }
                }
            }
            for cell in cells { for m in measures { names.append(Self.name(s: scenario.name, cell: cell, measure: m)) } }
        }
        self.names = names
        var index: [String: Int] = [:]
        for (i, name) in names.enumerated() { index[name] = i }
        self.index = index
        overallExpectedValues = spec.scenarios.compactMap { index[Self.name(s: $0.name, cell: "all", measure: "ev")] }
    }
}

/// A fingerprint of what determines the replicate outputs (checkpoints refuse other runs).
enum SimulationFingerprint {
    static func of(_ p: PreparedSimulation) -> String {
        var text = "\(p.model.terms)|\(p.model.coefficients)|\(p.model.covariance)|\(p.model.sigma)|\(p.model.dfResidual)|"
        text += "\(p.units)|\(p.spec.scale)|\(String(describing: p.spec.povertyLine))|\(p.spec.inequality)|\(p.spec.changes)|"
        for scenario in p.spec.scenarios { text += "\(scenario)|" }
        text += p.inputs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        return FileDigest.sha256(bytes: Array(text.utf8))
    }
}
