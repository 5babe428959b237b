import Foundation
import LinearAlgebra

/// CMA-ES, the covariance matrix adaptation evolution strategy (Hansen & Ostermeier 2001, in
/// the form of Hansen's 2016 tutorial: weighted recombination, cumulative step-size adaptation,
/// rank-one and rank-μ covariance updates), with IPOP restarts (Auger & Hansen 2005: each
/// restart doubles the population) and a final L-BFGS-B polish.
///
/// The search runs in the unit cube mapped affinely onto the box, so one step size fits every
/// coordinate. A sample outside the cube is reflected back in and the repaired point is what
/// the update learns from. Generation g of restart r draws its normals from stream (r, g) of the
/// seed on one thread, then the λ points are evaluated as one parallel batch: the result is the
/// same for any thread count. A NaN or infinite value ranks last.
public struct CMAES: Sendable {
    /// λ of the first run; nil means 4 + ⌊3 ln n⌋.
    public var populationSize: Int?
    /// The initial step size in unit-cube coordinates (0.3 = 30 % of each side).
    public var initialStepSize = 0.3
    /// IPOP restarts after the first run (each doubles λ).
    public var restarts = 9
    /// A run stops when its best values of the last 10 + ⌈30n/λ⌉ generations and the current
    /// generation's values all lie within this range.
    public var functionTolerance = 1e-12
    /// A run stops when σ·max √Cᵢᵢ (unit-cube coordinates) falls below this.
    public var xTolerance = 1e-12
    /// A run stops when the condition number of C exceeds this.
    public var maxCondition = 1e14
    /// Evaluation budget over all runs (polish included); nil means 20,000·n (`effectiveBudget`).
    /// IPOP restarts go on until the budget or `restarts` is spent, so a solved problem still
    /// uses most of it: lower it when evaluations are expensive.
    public var maxEvaluations: Int?
    /// Stop as soon as a value ≤ target is found.
    public var target: Double?
    /// Polish the best point with L-BFGS-B at the end.
    public var polish = true
    /// The seed of every random draw.
    public var seed: UInt64 = 0
    /// Threads for each generation's batch (never changes the result).
    public var parallelism: Parallelism = .serial
    /// History (one record per generation over all runs) and progress callback.
    public var monitor = RunMonitor()

    /// Default settings.
    public init() {}

    /// The evaluation budget in force for dimension n.
    public func effectiveBudget(dimension n: Int) -> Int { maxEvaluations ?? 20_000 * n }

    /// Minimizes f over the finite box, from `start` (nil: a seeded uniform point of the box).
    /// - Throws: `OptimizationError.unboundedSearchSpace`, `.dimensionMismatch`,
    ///   `.startOutsideBounds`, `.invalidSetting` (also for a dimension whose n × n matrices do
    ///   not fit in memory), `.nonFiniteStart` when the first generation has no finite value.
    /// - Complexity: λ evaluations per generation, plus O(n³) for the eigendecomposition of C
    ///   and O(λn²) arithmetic per generation.
    public func minimize(_ f: some ObjectiveFunction, bounds: Bounds, start: [Double]? = nil) throws -> OptimizationResult {
        try validateGlobal(f, bounds: bounds)
        let n = f.dimension
        if let start { try bounds.validateStart(start, dimension: n) }
        try DenseWorkspace.require(matrices: 4, dimension: n, method: "CMA-ES")  // C, B, the eigen copy and its workspace
        let lambda0 = populationSize ?? (4 + Int(3 * Foundation.log(Double(n))))
        guard lambda0 >= 2, initialStepSize > 0, restarts >= 0 else {
            throw OptimizationError.invalidSetting(name: "populationSize/initialStepSize/restarts", reason: "need λ ≥ 2, σ₀ > 0 and restarts ≥ 0")
        }
        let budget = effectiveBudget(dimension: n)
        guard budget >= lambda0 else {
            throw OptimizationError.invalidSetting(name: "maxEvaluations", reason:
                "a budget of \(budget) evaluations is less than one generation (λ = \(lambda0) points); give at least \(lambda0) or a smaller populationSize")
        }
        var evaluator = Evaluator(f, bounds: bounds, parallelism: parallelism)
        var best: (x: [Double], value: Double) = ([], .infinity)
        var history: [IterationRecord] = []
        var generations = 0
        var reason: StopReason?
        var notes: [String] = []
        var anyFinite = false

        run: for restart in 0...restarts {
            let lambda = lambda0 << restart
            var meanStream = SearchRandomStream(seed: seed, stream: UInt64(restart) << 32 | 0xFFFF_FFFF)
            var mean = (restart == 0 ? start.map { x in (0..<n).map { Self.unit(x[$0], bounds, $0) } } : nil)
                ?? (0..<n).map { _ in meanStream.uniform() }
            var state = State(n: n, lambda: lambda, sigma: initialStepSize)
            var recentBest: [Double] = []
            let window = 10 + Int((30 * Double(n) / Double(lambda)).rounded(.up))
            var runReason = ""
            var g = 0
            while true {
                if evaluator.evaluations + lambda > budget { reason = .evaluationBudget(budget); break run }
                g += 1
                generations += 1
                var stream = SearchRandomStream(seed: seed, stream: UInt64(restart) << 32 | UInt64(g))
                var points: [[Double]] = []
                var steps: [[Double]] = []
                for _ in 0..<lambda {
                    let z = (0..<n).map { _ in stream.normal() }
                    var y = [Double](repeating: 0, count: n)
                    for i in 0..<n {
                        var s = 0.0
                        for k in 0..<n { s += state.b[i * n + k] * state.d[k] * z[k] }
                        y[i] = s
                    }
                    var u = (0..<n).map { Self.reflect(mean[$0] + state.sigma * y[$0]) }
                    for i in 0..<n { y[i] = (u[i] - mean[i]) / state.sigma }
                    u = u.map { Swift.min(1, Swift.max(0, $0)) }
                    points.append(u)
                    steps.append(y)
                }
                let values = evaluator.values(points.map { Self.box($0, bounds) }).map { $0.isNaN ? Double.infinity : $0 }
                let order = values.indices.sorted { values[$0] != values[$1] ? values[$0] < values[$1] : $0 < $1 }
                let top = values[order[0]]
                if top.isFinite { anyFinite = true }
                if top < best.value { best = (Self.box(points[order[0]], bounds), top) }
                let record = IterationRecord(iteration: generations, evaluations: evaluator.evaluations, value: best.value, gradientNorm: nil)
                if monitor.report(record, into: &history) { reason = .cancelled; break run }
                if let target, best.value <= target { reason = .targetReached(target); break run }
                if !anyFinite && g == 1 && restart == 0 { throw OptimizationError.nonFiniteStart(value: top) }

                mean = state.update(mean: mean, steps: order.prefix(state.mu).map { steps[$0] }, generation: g)
                do { try state.decompose() } catch { runReason = "the covariance matrix could not be decomposed"; break }
                recentBest.append(top)
                if recentBest.count > window { recentBest.removeFirst() }
                let finiteValues = values.filter(\.isFinite)
                if recentBest.count >= window, let lo = (recentBest + finiteValues).min(), let hi = (recentBest + finiteValues).max(),
                   hi - lo <= functionTolerance {
                    runReason = "values flat"; break
                }
                if state.sigma * state.maxStandardDeviation < xTolerance { runReason = "step size below xTolerance"; break }
                if state.condition > maxCondition { runReason = "covariance condition above \(maxCondition)"; break }
                if !state.sigma.isFinite || state.sigma > 1e8 { runReason = "step size diverged"; break }
            }
            notes.append("run \(restart + 1): λ = \(lambda), \(g) generations, \(runReason)")
            if restart == restarts { reason = .functionTolerance(functionTolerance) }
        }
        var x = best.x, value = best.value
        var gradientNorm: Double?
        if polish, reason != .cancelled, !x.isEmpty {
            let polished = GlobalPolish.polish(&evaluator, x: x, value: value, maxEvaluations: Swift.max(0, budget - evaluator.evaluations))
            x = polished.x; value = polished.value; gradientNorm = polished.gradientNorm
            if let note = polished.note { notes.append(note) }
        }
        return OptimizationResult(
            method: "CMA-ES", x: x, value: value, gradientNorm: gradientNorm, iterations: generations,
            evaluations: evaluator.evaluations, gradientEvaluations: evaluator.gradientEvaluations,
            stopReason: reason ?? .stalled("no progress"), history: history, notes: notes)
    }

    static func unit(_ x: Double, _ bounds: Bounds, _ i: Int) -> Double {
        let w = bounds.upper[i] - bounds.lower[i]
        return w > 0 ? (x - bounds.lower[i]) / w : 0.5
    }

    static func box(_ u: [Double], _ bounds: Bounds) -> [Double] { bounds.scale(u) }

    /// Reflects a coordinate into [0, 1] (x ↦ −x below 0, 2 − x above 1, repeated).
    static func reflect(_ v: Double) -> Double {
        guard v.isFinite else { return 0.5 }
        var x = v.truncatingRemainder(dividingBy: 2)
        if x < 0 { x += 2 }
        return x > 1 ? 2 - x : x
    }

    /// The strategy's state for one run.
    struct State {
        let n: Int, lambda: Int, mu: Int
        let weights: [Double]
        let muEff: Double, cSigma: Double, dSigma: Double, cc: Double, c1: Double, cMu: Double, chiN: Double
        var sigma: Double
        var pSigma: [Double], pc: [Double]
        var c: [Double]      // n×n row-major
        var b: [Double]      // eigenvectors, row-major, column k = vector k
        var d: [Double]      // √eigenvalues
        var condition = 1.0

        init(n: Int, lambda: Int, sigma: Double) {
            self.n = n
            self.lambda = lambda
            let mu = lambda / 2
            self.mu = mu
            let raw = (1...mu).map { Foundation.log(Double(mu) + 0.5) - Foundation.log(Double($0)) }
            let total = raw.reduce(0, +)
            let w = raw.map { $0 / total }
            weights = w
            muEff = 1 / w.reduce(0) { $0 + $1 * $1 }
            let dn = Double(n)
            cSigma = (muEff + 2) / (dn + muEff + 5)
            dSigma = 1 + 2 * Swift.max(0, ((muEff - 1) / (dn + 1)).squareRoot() - 1) + cSigma
            cc = (4 + muEff / dn) / (dn + 4 + 2 * muEff / dn)
            c1 = 2 / ((dn + 1.3) * (dn + 1.3) + muEff)
            cMu = Swift.min(1 - c1, 2 * (muEff - 2 + 1 / muEff) / ((dn + 2) * (dn + 2) + muEff))
            chiN = dn.squareRoot() * (1 - 1 / (4 * dn) + 1 / (21 * dn * dn))
            self.sigma = sigma
            pSigma = [Double](repeating: 0, count: n)
            pc = [Double](repeating: 0, count: n)
            c = [Double](repeating: 0, count: n * n)
            b = [Double](repeating: 0, count: n * n)
            for i in 0..<n { c[i * n + i] = 1; b[i * n + i] = 1 }
            d = [Double](repeating: 1, count: n)
        }

        var maxStandardDeviation: Double {
            var m = 0.0
            for i in 0..<n { m = Swift.max(m, c[i * n + i].squareRoot()) }
            return m
        }

        /// Recombination, evolution paths, covariance and step-size updates; returns the new mean.
        mutating func update(mean: [Double], steps: [[Double]], generation g: Int) -> [Double] {
            var yw = [Double](repeating: 0, count: n)
            for (k, y) in steps.enumerated() { for i in 0..<n { yw[i] += weights[k] * y[i] } }
            let newMean = (0..<n).map { mean[$0] + sigma * yw[$0] }
            // C^{-1/2} y_w = B D⁻¹ Bᵀ y_w.
            var bt = [Double](repeating: 0, count: n)
            for k in 0..<n {
                var s = 0.0
                for i in 0..<n { s += b[i * n + k] * yw[i] }
                bt[k] = s / d[k]
            }
            var invSqrt = [Double](repeating: 0, count: n)
            for i in 0..<n {
                var s = 0.0
                for k in 0..<n { s += b[i * n + k] * bt[k] }
                invSqrt[i] = s
            }
            let sigmaFactor = (cSigma * (2 - cSigma) * muEff).squareRoot()
            for i in 0..<n { pSigma[i] = (1 - cSigma) * pSigma[i] + sigmaFactor * invSqrt[i] }
            let pSigmaNorm = pSigma.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let decay = 1 - Foundation.pow(1 - cSigma, Double(2 * g))
            let hSigma: Double = pSigmaNorm / decay.squareRoot() < (1.4 + 2 / Double(n + 1)) * chiN ? 1 : 0
            let cFactor = (cc * (2 - cc) * muEff).squareRoot()
            for i in 0..<n { pc[i] = (1 - cc) * pc[i] + hSigma * cFactor * yw[i] }
            let keep = 1 - c1 - cMu + (1 - hSigma) * c1 * cc * (2 - cc)
            for i in 0..<n {
                for j in 0...i {
                    var rankMu = 0.0
                    for (k, y) in steps.enumerated() { rankMu += weights[k] * y[i] * y[j] }
                    let v = keep * c[i * n + j] + c1 * pc[i] * pc[j] + cMu * rankMu
                    c[i * n + j] = v
                    c[j * n + i] = v
                }
            }
            sigma *= Foundation.exp((cSigma / dSigma) * (pSigmaNorm / chiN - 1))
            return newMean
        }

        /// B and D from C = B D² Bᵀ (LAPACK dsyevr); eigenvalues below 1e-300 are clamped.
        mutating func decompose() throws {
            let matrix = Matrix(rows: n, columns: n) { i, j in c[i * n + j] }
            // Inside a one-chunk Parallel region so that OpenBLAS runs single-threaded: the
            // bits of dsyevr must not depend on how many threads OpenBLAS would otherwise use.
            let decompositions = try Parallel.map(count: 1, chunkSize: 1, parallelism: .serial) { _ in try SymmetricEigendecomposition(matrix) }
            guard let eigen = decompositions.first else { return }
            for i in 0..<n { for k in 0..<n { b[i * n + k] = eigen.eigenvectors[i, k] } }
            d = eigen.eigenvalues.map { Swift.max($0, 1e-300).squareRoot() }
            let lo = eigen.eigenvalues.first ?? 1, hi = eigen.eigenvalues.last ?? 1
            condition = lo > 0 ? hi / lo : .infinity
        }
    }
}
