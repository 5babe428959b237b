import Foundation
import LinearAlgebra
import MonteCarlo
import Optimization

/// What the policy optimizer may change and must respect.
public struct OptimizeSettings: Sendable, Equatable {
    /// The poverty measure to minimize (expected over the draws): FGT 0, 1 or 2.
    public enum Goal: String, Sendable, Codable, CaseIterable {
        case headcount, povertyGap = "poverty_gap", severity
        var alpha: Int { self == .headcount ? 0 : self == .povertyGap ? 1 : 2 }
    }

    /// One threshold per published group (true) or one common threshold.
    public var perGroupThresholds = true
    /// Threshold bounds on the score scale; nil: the 2nd and 98th percentiles of the scores.
    public var thresholdBounds: ClosedRange<Double>?
    /// Bounds of the transfer amount.
    public var amountBounds: ClosedRange<Double> = 0...1000
    /// The budget: total weighted cost is cut to it in proportion when a policy exceeds it.
    public var budget: Double = 1e6
    /// The measure to minimize (default the poverty gap, FGT 1).
    public var goal: Goal = .povertyGap
    /// Fairness: the largest allowed difference between the highest and lowest expected
    /// exclusion error of the published groups (nil: no constraint).
    public var maxExclusionGap: Double?
    /// Common-random-number draws the objective averages over (the simulation's first draws).
    public var draws = 16
    /// Units the objective uses (a fixed pseudo-random subsample when the population is larger).
    public var sampleSize = 100_000
    /// Objective evaluations allowed to CMA-ES.
    public var evaluations = 2_000
    /// Seed of CMA-ES and of the unit subsample (the draws use the simulation's seed).
    public var seed: UInt64 = 1

    /// The defaults shown on each property.
    public init() {}
}

/// The optimized policy and how the search went.
public struct PolicyOptimization: Sendable, Codable {
    /// A point of the convergence curve.
    public struct Step: Sendable, Codable, Equatable {
        /// Objective evaluations so far.
        public let evaluations: Int
        /// The lowest penalized objective seen so far.
        public let best: Double
    }

    /// The best policy: per-group thresholds in `groupThresholds` (their mean in `threshold`) when
    /// `perGroupThresholds`, else one common threshold; the amount; no phase-out; the settings' budget.
    public let policy: SimulationSpec.TransferPolicy
    /// Expected poverty measure of the policy on the optimizer's sample and draws.
    public let objective: Double
    /// Expected poverty measure without any transfer, same sample and draws.
    public let baselineObjective: Double
    /// max − min expected exclusion error over published groups.
    public let exclusionGap: Double
    /// Whether `exclusionGap` is within the fairness cap (true without a cap).
    public let feasible: Bool
    /// Objective evaluations CMA-ES used.
    public let evaluations: Int
    /// Why CMA-ES stopped (its stop reason's description).
    public let stopReason: String
    /// The search method: `cma-es`.
    public let method: String
    /// Units in the optimizer's subsample.
    public let sampleUnits: Int
    /// Common-random-number draws the objective averaged over.
    public let draws: Int
    /// The running best after each recorded evaluation.
    public let history: [Step]

    enum CodingKeys: String, CodingKey {
        case policy, objective, feasible, evaluations, method, draws, history
        case baselineObjective = "baseline_objective", exclusionGap = "exclusion_gap", stopReason = "stop_reason", sampleUnits = "sample_units"
    }
}

/// Chooses thresholds (per group or common) and the transfer amount that minimize the expected
/// poverty measure under the budget, with an optional fairness cap on exclusion errors, by
/// CMA-ES over a fixed set of common-random-number draws — so the objective is the same
/// function at every evaluation and the search sees policy differences, not simulation noise.
///
/// Objective: E_r[FGT_α(yᵣ + t(θ))] + 10·max(0, gap(θ) − cap), where yᵣ is draw r's pre-transfer
/// welfare (β_r, σ_r, εᵣ exactly as the simulation draws them), t(θ) pays `amount` to units whose
/// score (prediction at β̂) is below their group's threshold, cut in proportion to the budget
/// (cost scaled from the sample to the population), and gap is max − min over published groups
/// of the expected exclusion error. CMA-ES with bounds, no gradient polish (the objective is
/// piecewise constant in the thresholds); evaluations in parallel, identical for any thread count.
public enum PolicyOptimizer {
    /// - Throws: `PolicyLabError.invalidArgument` without a poverty line, for empty bounds or a
    ///   non-positive budget; optimizer errors.
    /// - Complexity: evaluations × draws × sample units.
    public static func optimize(_ p: PreparedSimulation, settings: OptimizeSettings, parallelism: Parallelism = .serial,
                                progress: (@Sendable (Int, Double) -> Void)? = nil) throws -> PolicyOptimization {
        guard let line = p.spec.povertyLine else {
            throw PolicyLabError.invalidArgument(name: "outcome.poverty_line", reason: "is required to optimize a poverty objective")
        }
        guard settings.budget > 0 else { throw PolicyLabError.invalidArgument(name: "optimize.budget", reason: "must be positive") }
        guard settings.draws >= 1, settings.sampleSize >= 10, settings.evaluations >= 10 else {
            throw PolicyLabError.invalidArgument(name: "optimize", reason: "draws ≥ 1, sample ≥ 10 and evaluations ≥ 10 are needed")
        }
        let problem = try OptimizerProblem(p, settings: settings, line: line)
        let dimension = problem.groupCount + 1
        let scoreBounds = settings.thresholdBounds ?? problem.scoreRange
        let lower = Array(repeating: scoreBounds.lowerBound, count: problem.groupCount) + [settings.amountBounds.lowerBound]
        let upper = Array(repeating: scoreBounds.upperBound, count: problem.groupCount) + [settings.amountBounds.upperBound]
        let bounds = try Bounds(lower: lower, upper: upper)
        let objective = Objective(dimension: dimension, threadSafe: true) { x in problem.penalized(x) }
        var cmaes = CMAES()
        cmaes.maxEvaluations = settings.evaluations
        cmaes.seed = settings.seed
        cmaes.polish = false
        cmaes.restarts = 0
        cmaes.parallelism = parallelism
        var handler: ProgressHandler?
        if let progress {
            handler = { record in
                progress(record.evaluations, record.value)
                return ProgressDecision.proceed
            }
        }
        cmaes.monitor = RunMonitor(recordHistory: true, progress: handler)
        let start = zip(lower, upper).map { 0.5 * ($0 + $1) }
        let result = try cmaes.minimize(objective, bounds: bounds, start: start)
        let evaluation = problem.evaluate(result.x)
        var best = Double.infinity
        let history = result.history.map { record -> PolicyOptimization.Step in
            best = Swift.min(best, record.value)
            return PolicyOptimization.Step(evaluations: record.evaluations, best: best)
        }
        let thresholds = Array(result.x.prefix(problem.groupCount))
        let policy = SimulationSpec.TransferPolicy(
            threshold: thresholds.reduce(0, +) / Double(thresholds.count), amount: result.x[problem.groupCount], phaseOut: 0,
            budget: settings.budget,
            groupThresholds: settings.perGroupThresholds ? Dictionary(uniqueKeysWithValues: zip(problem.groupLabels, thresholds)) : nil)
        return PolicyOptimization(policy: policy, objective: evaluation.objective, baselineObjective: problem.evaluate(problem.noTransfer).objective,
                                  exclusionGap: evaluation.gap, feasible: settings.maxExclusionGap.map { evaluation.gap <= $0 + 1e-12 } ?? true,
                                  evaluations: result.evaluations, stopReason: result.stopReason.description, method: "cma-es",
                                  sampleUnits: problem.units, draws: settings.draws, history: history)
    }
}

/// The optimizer's fixed data: sampled units, their scores, weights, groups and the welfare
/// of every draw.
struct OptimizerProblem: Sendable {
    let units: Int
    let weights: [Double]
    let scores: [Double]
    let group: [Int]              // threshold index of each unit (0 with a common threshold)
    let fairnessGroup: [Int]      // published group of each unit, −1 when withheld / ungrouped
    let groupCount: Int
    let fairnessGroups: Int
    let groupLabels: [String]
    let welfare: [[Double]]       // draws × units
    let line: Double
    let alpha: Int
    let populationScale: Double   // population weight / sample weight
    let budget: Double
    let cap: Double?
    let scoreRange: ClosedRange<Double>

    init(_ p: PreparedSimulation, settings: OptimizeSettings, line: Double) throws {
        let n = p.units
        // A fixed pseudo-random subsample (SplitMix64 of the unit index and the seed).
        var sample: [Int] = []
        if n <= settings.sampleSize {
            sample = Array(0..<n)
        } else {
            let keep = Double(settings.sampleSize) / Double(n)
            for u in 0..<n {
                var mix = SplitMix64(seed: settings.seed &+ UInt64(u) &* 0x9E37_79B9_7F4A_7C15)
                if Double(mix.next() >> 11) * 0x1p-53 < keep { sample.append(u) }
            }
        }
        units = sample.count
        let allWeights = p.population.weights
        weights = sample.map { allWeights[$0] }
        let base = p.pointPredictions[p.designIndex[0]]
        scores = sample.map { base[$0] }
        let sorted = scores.sorted()
        scoreRange = sorted[Int(0.02 * Double(sorted.count - 1))]...sorted[Int(0.98 * Double(sorted.count - 1))]
        let groups = p.population.groups
        let labels = groups?.labels ?? []
        let published = labels.indices.filter { !(groups?.isWithheld($0) ?? true) }
        var publishedIndex = [Int](repeating: -1, count: labels.count)
        for (k, g) in published.enumerated() { publishedIndex[g] = k }
        let codes = groups?.codes ?? []
        fairnessGroup = sample.map { codes.isEmpty ? -1 : publishedIndex[Int(codes[$0])] }
        fairnessGroups = published.count
        if settings.perGroupThresholds, !labels.isEmpty {
            groupLabels = labels
            groupCount = labels.count
            group = sample.map { Int(codes[$0]) }
        } else {
            groupLabels = ["all"]
            groupCount = 1
            group = Array(repeating: 0, count: sample.count)
        }
        populationScale = p.population.totalWeight / weights.reduce(0, +)
        // Draw r: the simulation's replicate r (same seed, same addresses).
        let design = p.designs[p.designIndex[0]].selectingRows(sample)
        var welfare: [[Double]] = []
        for r in 0..<settings.draws {
            let address = RandomAddress(seed: p.spec.seed, replicate: UInt32(r), unit: 0, slot: 0)
            let beta = p.coefficients.sample(at: address)
            let chiSquare = try ChiSquareDistribution(degreesOfFreedom: Double(p.degreesOfFreedom))
                .sample(at: RandomAddress(seed: p.spec.seed, replicate: UInt32(r), unit: 1, slot: 0))
            let sigma = (p.sigma * p.sigma * Double(p.degreesOfFreedom) / chiSquare).squareRoot()
            let noise = try RandomStream(seed: p.spec.seed, replicate: UInt32(r), ingredient: 0).fill(.normal, count: n)
            let mu = try Matrix.blockedProduct(design.view, beta)
            welfare.append(OutcomeScaleMath.simulated(mu, noise: sample.map { noise[$0] }, sigma: sigma, scale: p.spec.scale))
        }
        self.welfare = welfare
        self.line = line
        alpha = settings.goal.alpha
        budget = settings.budget
        cap = settings.maxExclusionGap
    }

    /// Expected poverty measure and exclusion-error gap of the policy x = (thresholds…, amount).
    func evaluate(_ x: [Double]) -> (objective: Double, gap: Double) {
        let amount = x.count > groupCount ? Swift.max(0, x[groupCount]) : 0
        var transfer = [Double](repeating: 0, count: units)
        var cost = 0.0
        for u in 0..<units where scores[u] < x[group[u]] {
            transfer[u] = amount
            cost += weights[u] * amount
        }
        let populationCost = cost * populationScale
        if populationCost > budget {
            let factor = budget / populationCost
            for u in 0..<units { transfer[u] *= factor }
        }
        var total = 0.0, weightSum = 0.0
        var poor = [Double](repeating: 0, count: fairnessGroups), excluded = [Double](repeating: 0, count: fairnessGroups)
        for y in welfare {
            for u in 0..<units {
                let w = weights[u]
                weightSum += w
                let after = y[u] + transfer[u]
                if after < line {
                    let gap = (line - after) / line
                    total += w * (alpha == 0 ? 1 : alpha == 1 ? gap : gap * gap)
                }
                let g = fairnessGroup[u]
                if g >= 0, y[u] < line {
                    poor[g] += w
                    if transfer[u] == 0 { excluded[g] += w }
                }
            }
        }
        var highest = -Double.infinity, lowest = Double.infinity
        for g in 0..<fairnessGroups where poor[g] > 0 {
            let rate = excluded[g] / poor[g]
            highest = Swift.max(highest, rate)
            lowest = Swift.min(lowest, rate)
        }
        return (total / weightSum, highest >= lowest ? highest - lowest : 0)
    }

    /// Levers that pay nothing: every threshold below every score, amount 0.
    var noTransfer: [Double] { Array(repeating: -.infinity, count: groupCount) + [0] }

    func penalized(_ x: [Double]) -> Double {
        let (objective, gap) = evaluate(x)
        guard let cap else { return objective }
        return objective + 10 * Swift.max(0, gap - cap)
    }
}
