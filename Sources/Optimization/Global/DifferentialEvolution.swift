import Foundation
import LinearAlgebra

/// Differential evolution (Storn & Price 1997) over a box, with generation-synchronous
/// ("deferred") updating so that every generation is one parallel batch, and a final
/// L-BFGS-B polish of the best point.
///
/// Determinism: generation g draws all its random numbers — parents, mutation factors,
/// crossover masks — from stream g of the seed, in member order, on one thread; then the trial
/// vectors are evaluated as a batch on `parallelism.threads` threads; then selection runs in
/// member order. So a seed gives the same result, bit for bit, for any thread count.
///
/// Strategies: `best1bin` and `rand1bin` (the classics, with the mutation factor dithered per
/// generation as scipy does), and `jade` — current-to-pbest/1 with an archive of replaced
/// parents and self-adapted F and CR (Zhang & Sanderson 2009), the most reliable of the three on
/// multimodal functions and the default. A trial coordinate that leaves the box is set halfway
/// between the parent and the violated bound. A NaN or infinite value never survives selection.
public struct DifferentialEvolution: Sendable {
    /// How trial vectors are made.
    public enum Strategy: String, Sendable, CaseIterable, Codable {
        /// v = x_best + F(x_r1 − x_r2), binomial crossover (scipy's default).
        case best1bin
        /// v = x_r0 + F(x_r1 − x_r2), binomial crossover.
        case rand1bin
        /// JADE: v = xᵢ + Fᵢ(x_pbest − xᵢ) + Fᵢ(x_r1 − x̃_r2), x̃ from population ∪ archive, with
        /// Fᵢ ~ Cauchy(μF, 0.1), CRᵢ ~ N(μCR, 0.1) adapted from successful values.
        case jade
    }

    /// The strategy.
    public var strategy: Strategy = .jade
    /// Members; nil means max(5, 10·n) for JADE and 15·n for the classics (scipy's popsize 15).
    public var populationSize: Int?
    /// Dither range of F for the classic strategies (a new F per generation).
    public var mutation: ClosedRange<Double> = 0.5...1.0
    /// Crossover probability for the classic strategies (JADE adapts its own, from 0.5).
    public var crossover = 0.7
    /// JADE: the share of best members the pbest is drawn from.
    public var greedyShare = 0.1
    /// Generation budget.
    public var maxGenerations = 1_000
    /// Evaluation budget (polish included); nil: no limit besides generations.
    public var maxEvaluations: Int?
    /// Converged when the standard deviation of the population's values ≤
    /// absoluteTolerance + relativeTolerance·|mean| (scipy's test).
    public var relativeTolerance = 0.01
    /// See `relativeTolerance`.
    public var absoluteTolerance = 0.0
    /// Stop as soon as a value ≤ target is found (benchmarks).
    public var target: Double?
    /// Polish the best point with L-BFGS-B at the end.
    public var polish = true
    /// Initial population: Latin hypercube (default) or uniform.
    public var latinHypercubeStart = true
    /// The seed of every random draw.
    public var seed: UInt64 = 0
    /// Threads for each generation's batch (never changes the result).
    public var parallelism: Parallelism = .serial
    /// History (one record per generation) and progress callback.
    public var monitor = RunMonitor()

    /// Default settings.
    public init() {}

    /// Minimizes f over the finite box `bounds`.
    /// - Throws: `OptimizationError.unboundedSearchSpace` for an infinite bound,
    ///   `.dimensionMismatch`, `.invalidSetting` (population below 4, crossover outside [0, 1],
    ///   …), `.nonFiniteStart` when no member of the initial population has a finite value.
    /// - Complexity: population × generations evaluations, plus the polish; O(pop·n) arithmetic
    ///   per generation.
    public func minimize(_ f: some ObjectiveFunction, bounds: Bounds) throws -> OptimizationResult {
        try validateGlobal(f, bounds: bounds)
        let n = f.dimension
        let np = populationSize ?? (strategy == .jade ? Swift.max(5, 10 * n) : 15 * n)
        guard np >= 4 else { throw OptimizationError.invalidSetting(name: "populationSize", reason: "needs at least 4 members, got \(np)") }
        // The population, its unit-cube copy, the trials and JADE's archive: up to 4 × np points.
        try DenseWorkspace.require(points: np, dimension: n, copies: 4, method: "differential evolution")
        guard (0...1).contains(crossover), mutation.lowerBound >= 0, (0...1).contains(greedyShare) else {
            throw OptimizationError.invalidSetting(name: "crossover/mutation/greedyShare", reason: "crossover and greedyShare must lie in [0, 1] and mutation be ≥ 0")
        }
        guard maxGenerations >= 1 else { throw OptimizationError.invalidSetting(name: "maxGenerations", reason: "must be at least 1") }
        let budget = maxEvaluations ?? Int.max
        guard budget >= np else {
            throw OptimizationError.invalidSetting(name: "maxEvaluations", reason:
                "a budget of \(budget) evaluations does not cover the initial population of \(np); give at least \(np) or a smaller populationSize")
        }
        var evaluator = Evaluator(f, bounds: bounds, parallelism: parallelism)

        var initStream = SearchRandomStream(seed: seed, stream: 0)
        let unit = latinHypercubeStart
            ? LatinHypercube.sample(count: np, dimension: n, stream: &initStream)
            : (0..<np).map { _ in (0..<n).map { _ in initStream.uniform() } }
        var population = unit.map { bounds.scale($0) }
        var values = evaluator.values(population).map { $0.isNaN ? Double.infinity : $0 }
        guard let first = values.min(), first.isFinite else { throw OptimizationError.nonFiniteStart(value: values.first ?? .nan) }

        var archive: [[Double]] = []
        var muF = 0.5, muCR = 0.5
        var history: [IterationRecord] = []
        var generation = 0
        var reason: StopReason?
        func bestIndex() -> Int {
            var b = 0
            for i in 1..<np where values[i] < values[b] { b = i }
            return b
        }

        while reason == nil {
            let b = bestIndex()
            if let target, values[b] <= target { reason = .targetReached(target); break }
            if generation > 0 {
                let record = IterationRecord(iteration: generation, evaluations: evaluator.evaluations, value: values[b], gradientNorm: nil)
                if monitor.report(record, into: &history) { reason = .cancelled; break }
                if Self.converged(values, absolute: absoluteTolerance, relative: relativeTolerance) {
                    reason = .functionTolerance(relativeTolerance); break
                }
            }
            if generation >= maxGenerations { reason = .iterationBudget(maxGenerations); break }
            if evaluator.evaluations + np > budget { reason = .evaluationBudget(budget); break }
            generation += 1

            // 1. Draw every random number of the generation, in member order, from its own stream.
            var stream = SearchRandomStream(seed: seed, stream: UInt64(generation))
            var trials: [[Double]] = []
            trials.reserveCapacity(np)
            var usedF = [Double](repeating: 0, count: np), usedCR = [Double](repeating: 0, count: np)
            let ranked = strategy == .jade ? values.indices.sorted { values[$0] != values[$1] ? values[$0] < values[$1] : $0 < $1 } : []
            let ditherF = stream.uniform(mutation.lowerBound, mutation.upperBound)
            for i in 0..<np {
                var donor = [Double](repeating: 0, count: n)
                var cr = crossover
                switch strategy {
                case .best1bin, .rand1bin:
                    let base = strategy == .best1bin ? b : Self.distinct(&stream, np, excluding: [i])
                    let r1 = Self.distinct(&stream, np, excluding: [i, base])
                    let r2 = Self.distinct(&stream, np, excluding: [i, base, r1])
                    for j in 0..<n { donor[j] = population[base][j] + ditherF * (population[r1][j] - population[r2][j]) }
                    usedF[i] = ditherF
                case .jade:
                    var fi = 0.0
                    repeat {
                        fi = muF + 0.1 * Foundation.tan(Double.pi * (stream.uniform() - 0.5))
                    } while fi <= 0
                    fi = Swift.min(fi, 1)
                    cr = Swift.min(1, Swift.max(0, muCR + 0.1 * stream.normal()))
                    let top = Swift.max(1, Int((greedyShare * Double(np)).rounded()))
                    let pbest = ranked[stream.index(below: top)]
                    let r1 = Self.distinct(&stream, np, excluding: [i])
                    var r2 = 0
                    repeat { r2 = stream.index(below: np + archive.count) } while r2 == i || r2 == r1
                    let x2 = r2 < np ? population[r2] : archive[r2 - np]
                    for j in 0..<n {
                        donor[j] = population[i][j] + fi * (population[pbest][j] - population[i][j]) + fi * (population[r1][j] - x2[j])
                    }
                    usedF[i] = fi
                }
                usedCR[i] = cr
                let jRand = stream.index(below: n)
                var trial = population[i]
                for j in 0..<n where j == jRand || stream.uniform() < cr {
                    var v = donor[j]
                    if v < bounds.lower[j] { v = (bounds.lower[j] + population[i][j]) / 2 }
                    if v > bounds.upper[j] { v = (bounds.upper[j] + population[i][j]) / 2 }
                    trial[j] = v
                }
                trials.append(trial)
            }
            // 2. Evaluate the generation as one batch (in parallel).
            let trialValues = evaluator.values(trials)
            // 3. Select in member order.
            var goodF: [Double] = [], goodCR: [Double] = []
            for i in 0..<np {
                let v = trialValues[i]
                guard !v.isNaN, v <= values[i] else { continue }
                if strategy == .jade, v < values[i] {
                    archive.append(population[i])
                    goodF.append(usedF[i]); goodCR.append(usedCR[i])
                }
                population[i] = trials[i]
                values[i] = v
            }
            if strategy == .jade {
                // Trim the archive to np members, dropping deterministic pseudo-random ones.
                while archive.count > np { archive.remove(at: stream.index(below: archive.count)) }
                if !goodF.isEmpty {
                    let sumF = goodF.reduce(0, +), sumF2 = goodF.reduce(0) { $0 + $1 * $1 }
                    muF = 0.9 * muF + 0.1 * (sumF2 / sumF)
                    muCR = 0.9 * muCR + 0.1 * (goodCR.reduce(0, +) / Double(goodCR.count))
                }
            }
        }
        let b = bestIndex()
        var x = population[b], value = values[b]
        var notes: [String] = ["\(generation) generations of \(np) members (\(strategy.rawValue))"]
        var gradientNorm: Double?
        if polish, reason != .cancelled {
            let left = budget == Int.max ? 100_000 * n : budget - evaluator.evaluations
            let polished = GlobalPolish.polish(&evaluator, x: x, value: value, maxEvaluations: left)
            x = polished.x; value = polished.value; gradientNorm = polished.gradientNorm
            if let note = polished.note { notes.append(note) }
        }
        return OptimizationResult(
            method: "differential evolution", x: x, value: value, gradientNorm: gradientNorm, iterations: generation,
            evaluations: evaluator.evaluations, gradientEvaluations: evaluator.gradientEvaluations,
            stopReason: reason ?? .stalled("no progress"), history: history, notes: notes)
    }

    /// A uniform index in 0..<n not in `excluding`.
    static func distinct(_ stream: inout SearchRandomStream, _ n: Int, excluding: [Int]) -> Int {
        var k = 0
        repeat { k = stream.index(below: n) } while excluding.contains(k)
        return k
    }

    /// scipy's convergence test on the population's values (all finite).
    static func converged(_ values: [Double], absolute: Double, relative: Double) -> Bool {
        guard values.allSatisfy(\.isFinite) else { return false }
        let mean = values.reduce(0, +) / Double(values.count)
        var ss = 0.0
        for v in values { ss += (v - mean) * (v - mean) }
        return (ss / Double(values.count)).squareRoot() <= absolute + relative * Swift.abs(mean)
    }
}
