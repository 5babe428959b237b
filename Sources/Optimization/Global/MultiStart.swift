import Foundation
import LinearAlgebra

/// Multi-start global search in the TikTak style (Arnoud, Guvenen & Kleineberg 2019): evaluate a
/// space-filling design (Sobol or Latin hypercube), keep the best `localStarts` points, and run
/// local searches from them in order of value, each start pulled toward the best point found so
/// far: zᵢ = (1 − θᵢ)sᵢ + θᵢ x_best with θᵢ = min(max(0.1, (i/N)^½), 0.995).
///
/// Parallelism: the design is one parallel batch; local searches run `batchSize` at a time in
/// parallel, each batch pulled toward the best point known when the batch starts. The batch size
/// is a setting, never the thread count, so a seed gives the same result for any thread count.
/// (With `batchSize = 1` it is TikTak exactly.)
public struct MultiStart: Sendable {
    /// The initial design.
    public enum Design: String, Sendable, CaseIterable, Codable {
        /// Digitally shifted Sobol points (Joe–Kuo directions; up to 64 dimensions).
        case sobol
        /// A Latin hypercube.
        case latinHypercube = "latin-hypercube"
    }

    /// The local method.
    public enum LocalMethod: String, Sendable, CaseIterable, Codable {
        /// L-BFGS-B (gradient exact or by finite differences).
        case lbfgsb
        /// Nelder–Mead with bounds by transformation (derivative-free; TikTak's original choice).
        case nelderMead = "nelder-mead"
    }

    /// The design.
    public var design: Design = .sobol
    /// Design points; nil means max(500, 100·n).
    public var designPoints: Int?
    /// Local searches; nil means max(25, designPoints/10).
    public var localStarts: Int?
    /// The local method.
    public var localMethod: LocalMethod = .lbfgsb
    /// Evaluation budget of each local search; nil means 2,000·n.
    public var localEvaluations: Int?
    /// Local searches run together (in parallel); fixed, so results do not depend on threads.
    public var batchSize = 4
    /// Total evaluation budget (design points included); nil means no total budget (each local
    /// search still stops at `localEvaluations`). Local searches share what the design leaves:
    /// each of a batch gets at most the remaining budget divided by the batch size, and no
    /// search starts once the budget is spent (stop reason: the evaluation budget).
    public var maxEvaluations: Int?
    /// Stop as soon as a value ≤ target is found.
    public var target: Double?
    /// The seed (Sobol shift, Latin hypercube permutations).
    public var seed: UInt64 = 0
    /// Threads for the design batch and the local-search batches.
    public var parallelism: Parallelism = .serial
    /// History (one record per batch of local searches) and progress callback.
    public var monitor = RunMonitor()

    /// Default settings.
    public init() {}

    /// Minimizes f over the finite box.
    /// - Throws: `OptimizationError.unboundedSearchSpace`, `.dimensionMismatch`,
    ///   `.invalidSetting` (Sobol beyond 64 dimensions, zero points), `.nonFiniteStart` when no
    ///   design point has a finite value.
    /// - Complexity: designPoints + Σ local evaluations.
    public func minimize(_ f: some ObjectiveFunction, bounds: Bounds) throws -> OptimizationResult {
        try validateGlobal(f, bounds: bounds)
        let n = f.dimension
        let points = designPoints ?? Swift.max(500, 100 * n)
        let starts = Swift.min(points, localStarts ?? Swift.max(25, points / 10))
        guard points >= 1, starts >= 1, batchSize >= 1 else {
            throw OptimizationError.invalidSetting(name: "designPoints/localStarts/batchSize", reason: "must all be at least 1")
        }
        if let maxEvaluations, maxEvaluations <= points {
            throw OptimizationError.invalidSetting(name: "maxEvaluations", reason:
                "a budget of \(maxEvaluations) evaluations does not cover the \(points) design points and a local search; "
                + "give more than \(points) or set designPoints lower")
        }
        var evaluator = Evaluator(f, bounds: bounds, parallelism: parallelism)
        let unit: [[Double]]
        switch design {
        case .sobol:
            var sobol = try SobolSequence(dimension: n, seed: seed)
            _ = sobol.next()  // the first point is the origin (or the shift): skip it
            unit = sobol.next(points)
        case .latinHypercube:
            var stream = SearchRandomStream(seed: seed, stream: 0)
            unit = LatinHypercube.sample(count: points, dimension: n, stream: &stream)
        }
        let designX = unit.map { bounds.scale($0) }
        let designValues = evaluator.values(designX).map { $0.isNaN ? Double.infinity : $0 }
        let order = designValues.indices.sorted { designValues[$0] != designValues[$1] ? designValues[$0] < designValues[$1] : $0 < $1 }
        guard designValues[order[0]].isFinite else { throw OptimizationError.nonFiniteStart(value: designValues[order[0]]) }

        var best = (x: designX[order[0]], value: designValues[order[0]])
        var gradientNorm: Double?
        var bestLocalReason: StopReason?
        var history: [IterationRecord] = []
        var reason: StopReason?
        var round = 0
        let localBudget = localEvaluations ?? 2_000 * n
        let threads = f.isThreadSafe ? parallelism : .serial
        let method = localMethod
        let function = f

        var next = 0
        while next < starts, reason == nil {
            if let target, best.value <= target { reason = .targetReached(target); break }
            let batch = Array(next..<Swift.min(starts, next + batchSize))
            let remainingPerSearch = maxEvaluations.map { ($0 - evaluator.evaluations) / batch.count } ?? localBudget
            if let maxEvaluations, remainingPerSearch < 1 { reason = .evaluationBudget(maxEvaluations); break }
            let searchBudget = Swift.min(localBudget, remainingPerSearch)
            let anchor = best.x
            let startPoints = batch.map { i -> [Double] in
                let theta = Swift.min(Swift.max(0.1, (Double(i + 1) / Double(starts)).squareRoot()), 0.995)
                let s = designX[order[i]]
                return bounds.project((0..<n).map { (1 - theta) * s[$0] + theta * anchor[$0] })
            }
            let results = try Parallel.map(count: batch.count, chunkSize: 1, parallelism: threads) { range -> OptimizationResult? in
                let z = startPoints[range.lowerBound]
                switch method {
                case .lbfgsb:
                    var local = LBFGSB()
                    local.maxEvaluations = searchBudget
                    local.monitor = RunMonitor(recordHistory: false)
                    return try? local.minimize(function, from: z, bounds: bounds)
                case .nelderMead:
                    var local = NelderMead()
                    local.maxEvaluations = searchBudget
                    local.monitor = RunMonitor(recordHistory: false)
                    return try? local.minimize(function, from: z, bounds: bounds)
                }
            }
            for result in results {
                guard let result else { continue }
                evaluator.add(evaluations: result.evaluations, gradientEvaluations: result.gradientEvaluations)
                if result.value < best.value {
                    best = (result.x, result.value)
                    gradientNorm = result.gradientNorm
                    bestLocalReason = result.stopReason
                }
            }
            next += batch.count
            round += 1
            let record = IterationRecord(iteration: round, evaluations: evaluator.evaluations, value: best.value, gradientNorm: gradientNorm)
            if monitor.report(record, into: &history) { reason = .cancelled }
            if reason == nil, let maxEvaluations, next < starts, evaluator.evaluations >= maxEvaluations {
                reason = .evaluationBudget(maxEvaluations)
            }
        }
        if reason == nil, let target, best.value <= target { reason = .targetReached(target) }
        let notes = ["\(points) \(design.rawValue) points, \(next) local \(localMethod.rawValue) searches in batches of \(batchSize); "
            + "the stop reason is that of the local search that found the best point"]
        return OptimizationResult(
            method: "multistart (TikTak)", x: best.x, value: best.value, gradientNorm: gradientNorm, iterations: round,
            evaluations: evaluator.evaluations, gradientEvaluations: evaluator.gradientEvaluations,
            stopReason: reason ?? bestLocalReason ?? .stalled("no local search improved on the best design point"), history: history, notes: notes)
    }
}
