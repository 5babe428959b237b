import Foundation
import LinearAlgebra
import MonteCarlo

/// A synthetic proxy-means-test microsimulation that exercises the Monte Carlo engine and
/// the welfare measures end to end: `policylab mc-selftest` runs it (kill/resume test) and
/// its large configuration is the microsimulation benchmark (BENCHMARKS.md).
///
/// Population (fixed by the seed, drawn from a derived seed so it shares no draws with the
/// replicates): household h has a PMT prediction xₕ = 9 + 0.7·z of log consumption, a weight
/// 1 + 4u and a group ⌊G·u²⌋ (group sizes fall off, so the last groups of a small population
/// are withheld). Replicate r draws a model shift δ ~ N(0, 0.05²) (one normal) and
/// residuals eₕ ~ N(0, 1) (the replicate's bulk stream): the PMT score is xₕ + δ, true
/// consumption yₕ = exp(xₕ + δ + 0.4·eₕ). Scenario s pays `amount` to households whose score
/// is below `threshold`, phased out linearly over `phaseOut` above it. Poor: y below the
/// line exp(8.8). Per scenario and cell (all households, then each published group):
/// cost, mean, FGT 0/1/2, Gini, ten decile means, winners and losers (vs no programme,
/// tolerance 1), exclusion and inclusion error — 20 outputs.
public struct SyntheticMicrosimulation: Sendable {
    /// One transfer rule.
    public struct Scenario: Sendable, Equatable, Codable {
        /// Households with a score below it receive the full amount.
        public let threshold: Double
        /// The transfer.
        public let amount: Double
        /// Width of the linear phase-out above the threshold (0: none).
        public let phaseOut: Double
    }

    /// The welfare measures of each cell, in output order.
    public static let measures = ["cost", "mean", "fgt0", "fgt1", "fgt2", "gini"]
        + (1...10).map { "decile\($0)" } + ["winners", "losers", "exclusion_error", "inclusion_error"]

    /// The scenario menu; scenario s uses entry s mod 4.
    public static let scenarioMenu = [
        Scenario(threshold: 8.6, amount: 800, phaseOut: 0),
        Scenario(threshold: 8.8, amount: 600, phaseOut: 0),
        Scenario(threshold: 9.0, amount: 450, phaseOut: 0),
        Scenario(threshold: 8.7, amount: 600, phaseOut: 0.3),
    ]

    /// The log poverty line.
    public static let logPovertyLine = 8.8

    /// The population.
    public let population: WelfarePopulation
    /// PMT predictions xₕ.
    public let prediction: [Double]
    /// The scenarios.
    public let scenarios: [Scenario]
    /// Output names: "s<scenario>/<cell>/<measure>".
    public let outputNames: [String]
    /// Groups withheld for having too few households (label, households).
    public let withheld: [(label: String, units: Int)]
    /// Indices of the published groups.
    let published: [Int]

    /// Builds the population.
    /// - Throws: `PolicyLabError.invalidArgument` for fewer than 1 household, group or
    ///   scenario, or more than 2³² households.
    /// - Complexity: O(households).
    public init(households: Int, groups: Int, scenarios: Int, seed: UInt64, minimumCellSize: Int = 10) throws {
        guard households >= 1 && households <= Int(UInt32.max) else {
            throw PolicyLabError.invalidArgument(name: "--households", reason: "must be in 1...\(UInt32.max), got \(households)")
        }
        guard groups >= 1 else { throw PolicyLabError.invalidArgument(name: "--groups", reason: "must be ≥ 1, got \(groups)") }
        guard scenarios >= 1 else { throw PolicyLabError.invalidArgument(name: "--scenarios", reason: "must be ≥ 1, got \(scenarios)") }
        var mix = SplitMix64(seed: seed)
        let populationSeed = mix.next()
        let z = try RandomStream(seed: populationSeed, ingredient: 0).fill(.normal, count: households)
        let u = try RandomStream(seed: populationSeed, ingredient: 1).fill(.uniform, count: households)
        let v = try RandomStream(seed: populationSeed, ingredient: 2).fill(.uniform, count: households)
        prediction = z.map { 9 + 0.7 * $0 }
        let codes = v.map { Int32(Swift.min(groups - 1, Int(Double(groups) * $0 * $0))) }
        let labels = (0..<groups).map { "g" + String($0 + 1).leftPadded(to: 2) }
        let grouping = try WelfareGroups(codes: codes, labels: labels, minimumCellSize: minimumCellSize)
        population = try WelfarePopulation(weights: u.map { 1 + 4 * $0 }, groups: grouping)
        self.scenarios = (0..<scenarios).map { Self.scenarioMenu[$0 % Self.scenarioMenu.count] }
        published = (0..<groups).filter { !grouping.isWithheld($0) }
        withheld = (0..<groups).filter { grouping.isWithheld($0) }.map { (labels[$0], grouping.unitCounts[$0]) }
        let cells = ["all"] + published.map { labels[$0] }
        outputNames = (0..<scenarios).flatMap { s in
            cells.flatMap { cell in Self.measures.map { "s\(s + 1)/\(cell)/\($0)" } }
        }
    }

    /// Reusable per-replicate buffers.
    public struct Workspace: Sendable {
        var residual: [Double]
        var welfare: [Double]
        var outcome: [Double]
        var transfer: [Double]
        var poor: [Bool]
        var recipients: [Bool]
    }

    /// Fresh buffers for one replicate at a time.
    public func makeWorkspace() -> Workspace {
        let n = population.count
        return Workspace(residual: Array(repeating: 0, count: n), welfare: Array(repeating: 0, count: n),
                         outcome: Array(repeating: 0, count: n), transfer: Array(repeating: 0, count: n),
                         poor: Array(repeating: false, count: n), recipients: Array(repeating: false, count: n))
    }

    /// Phases of one replicate, for the benchmark's time breakdown.
    public enum Phase: String, Sendable, CaseIterable, Codable {
        /// Residual draws (bulk normals).
        case draws
        /// exp and the poverty flags.
        case welfare
        /// Transfers per scenario.
        case transfers
        /// Totals, means, FGT, winners/losers, targeting (one pass each).
        case levels
        /// Gini and decile means (sort + sorted pass).
        case inequality
    }

    /// The outputs of replicate `replicate`, using `workspace` for its buffers.
    /// - Parameter clock: Called with each phase and its duration (benchmark breakdown).
    /// - Throws: `MonteCarloError` from the measures (not expected for this workload).
    /// - Complexity: O(households · scenarios) plus one radix sort per scenario.
    public func outputs(_ replicate: Replicate, workspace w: inout Workspace,
                        clock: ((Phase, Double) -> Void)? = nil) throws -> [Double] {
        var mark = clock == nil ? 0 : monotonicSeconds()
        func lap(_ phase: Phase) {
            guard let clock else { return }
            let now = monotonicSeconds()
            clock(phase, now - mark)
            mark = now
        }
        let n = population.count
        let shift = 0.05 * replicate.standardNormal(unit: 0, slot: 0, ingredient: 1)
        try replicate.stream(ingredient: 0).fill(.normal, into: &w.residual)
        lap(.draws)
        let logLine = Self.logPovertyLine
        prediction.withUnsafeBufferPointer { x in
            w.residual.withUnsafeBufferPointer { e in
                w.welfare.withUnsafeMutableBufferPointer { y in
                    w.poor.withUnsafeMutableBufferPointer { poor in
                        for h in 0..<n {
                            y[h] = x[h] + shift + 0.4 * e[h]
                            poor[h] = y[h] < logLine
                        }
                    }
                }
            }
        }
        VectorKernels.formExp(&w.welfare)
        let line = Foundation.exp(logLine)
        lap(.welfare)
        var values: [Double] = []
        values.reserveCapacity(outputNames.count)
        for scenario in scenarios {
            let (threshold, amount, width) = (scenario.threshold, scenario.amount, scenario.phaseOut)
            prediction.withUnsafeBufferPointer { x in
                w.welfare.withUnsafeBufferPointer { y in
                    w.transfer.withUnsafeMutableBufferPointer { transfer in
                        w.recipients.withUnsafeMutableBufferPointer { recipients in
                            w.outcome.withUnsafeMutableBufferPointer { outcome in
                                for h in 0..<n {
                                    let score = x[h] + shift
                                    // Full amount below the threshold, linear phase-out above it.
                                    let phase = width > 0 ? Swift.min(1, Swift.max(0, (threshold + width - score) / width)) : 0
                                    let paid = score < threshold ? amount : amount * phase
                                    transfer[h] = paid
                                    recipients[h] = paid > 0
                                    outcome[h] = y[h] + paid
                                }
                            }
                        }
                    }
                }
            }
            lap(.transfers)
            let cost = try population.total(w.transfer)
            let mean = try population.mean(w.outcome)
            let poverty = try population.poverty(w.outcome, line: line)
            let change = try population.winnersAndLosers(baseline: w.welfare, policy: w.outcome, tolerance: 1)
            let targeting = try population.targeting(poor: w.poor, recipients: w.recipients)
            lap(.levels)
            let inequality = try population.inequality(w.outcome)
            lap(.inequality)
            let cells = zip(zip(cost.publishedCells(), mean.publishedCells()),
                            zip(zip(poverty.publishedCells(), inequality.publishedCells()),
                                zip(change.publishedCells(), targeting.publishedCells())))
            for ((c, m), ((p, i), (x, t))) in cells {
                values += [c.value, m.value, p.value.headcount, p.value.gap, p.value.severity, i.value.gini]
                values += i.value.decileMeans
                values += [x.value.winners, x.value.losers, t.value.exclusionError, t.value.inclusionError]
            }
        }
        return values
    }
}

/// Seconds on the monotonic clock.
func monotonicSeconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

extension String {
    /// The string left-padded with zeros to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
