/// The Monte Carlo summary of one output over the replicates of a run.
///
/// Plain runs: the mean x̄ of the n finite replicate values, their standard deviation s
/// (divisor n − 1) and the standard error s/√n. Antithetic runs: the estimate is the mean of
/// the pair means yₚ = (x₂ₚ + x₂ₚ₊₁)/2 over the m pairs whose two values are finite, and the
/// standard error is sd(y)/√m — the valid one, since the two members of a pair are dependent;
/// `naiveStandardError` = s/√(2m) is what the same values would claim if they were
/// independent, so naive/standardError shows the variance reduction. Sums run in replicate
/// order, so the bits depend only on the values.
public struct OutputSummary: Sendable, Equatable, Codable {
    /// The output's name.
    public let name: String
    /// Replicate values used (finite; for antithetic runs, members of complete pairs).
    public let replicates: Int
    /// Replicate values left out because they (or their antithetic partner) are not finite.
    public let omitted: Int
    /// The Monte Carlo estimate (mean of the values used; NaN when none).
    public let mean: Double
    /// The standard deviation of the values used (divisor n − 1; NaN below two values).
    public let standardDeviation: Double
    /// The Monte Carlo standard error of `mean` (of pair means for antithetic runs; NaN
    /// below two values or two pairs).
    public let standardError: Double
    /// s/√n: equal to `standardError` for plain runs; for antithetic runs, the standard error
    /// the values would have if they were independent.
    public let naiveStandardError: Double
    /// The correlation of the two members of antithetic pairs (nil for plain runs; NaN when
    /// undefined). Negative values are what makes antithetic variates pay.
    public let pairCorrelation: Double?
    /// The central quantile interval of the values used.
    public let interval: QuantileInterval

    /// Summarizes `values` (replicate order) of one output.
    /// - Parameters:
    ///   - antithetic: Whether consecutive values (2p, 2p + 1) are antithetic pairs.
    ///   - level: The coverage of `interval`, in (0, 1).
    /// - Throws: `MonteCarloError.invalidArgument` for a level outside (0, 1).
    /// - Complexity: O(n log n) (the interval sorts a copy).
    public init(name: String, values: [Double], antithetic: Bool, level: Double = 0.95) throws {
        try require(level > 0 && level < 1, "level", "an interval level must be in (0, 1), got \(level)")
        self.name = name
        var used: [Double] = []
        used.reserveCapacity(values.count)
        var pairMeans: [Double] = []
        if antithetic {
            var p = 0
            while p + 1 < values.count {
                let a = values[p], b = values[p + 1]
                if a.isFinite && b.isFinite {
                    used.append(a)
                    used.append(b)
                    pairMeans.append((a + b) / 2)
                }
                p += 2
            }
        } else {
            used = values.filter(\.isFinite)
        }
        replicates = used.count
        omitted = values.count - used.count
        let (m, s) = Self.meanAndDeviation(used)
        standardDeviation = s
        naiveStandardError = s / Double(used.count).squareRoot()
        if antithetic {
            let (pm, ps) = Self.meanAndDeviation(pairMeans)
            mean = pm
            standardError = ps / Double(pairMeans.count).squareRoot()
            pairCorrelation = Self.pairCorrelation(used, mean: m)
        } else {
            mean = m
            standardError = naiveStandardError
            pairCorrelation = nil
        }
        interval = try QuantileInterval(level: level, values: used)
    }

    /// Mean and standard deviation (divisor n − 1) by two passes in order; NaN when undefined.
    static func meanAndDeviation(_ x: [Double]) -> (mean: Double, deviation: Double) {
        guard !x.isEmpty else { return (.nan, .nan) }
        var sum = 0.0
        for v in x { sum += v }
        let mean = sum / Double(x.count)
        guard x.count > 1 else { return (mean, .nan) }
        var squares = 0.0
        for v in x { squares += (v - mean) * (v - mean) }
        return (mean, (squares / Double(x.count - 1)).squareRoot())
    }

    /// The correlation between x[2p] and x[2p + 1] around the common mean.
    static func pairCorrelation(_ x: [Double], mean: Double) -> Double {
        guard x.count >= 4 else { return .nan }
        var cross = 0.0, squares = 0.0
        var p = 0
        while p + 1 < x.count {
            let a = x[p] - mean, b = x[p + 1] - mean
            cross += a * b
            squares += (a * a + b * b) / 2
            p += 2
        }
        return squares > 0 ? cross / squares : .nan
    }

    /// The Monte Carlo standard error a stopping rule compares with its target, without
    /// building the interval: the same value as `OutputSummary.standardError`.
    /// - Complexity: O(n).
    static func standardError(values: [Double], antithetic: Bool) -> (mean: Double, standardError: Double) {
        if antithetic {
            var pairMeans: [Double] = []
            pairMeans.reserveCapacity(values.count / 2)
            var p = 0
            while p + 1 < values.count {
                let a = values[p], b = values[p + 1]
                if a.isFinite && b.isFinite { pairMeans.append((a + b) / 2) }
                p += 2
            }
            let (m, s) = meanAndDeviation(pairMeans)
            return (m, s / Double(pairMeans.count).squareRoot())
        }
        let used = values.filter(\.isFinite)
        let (m, s) = meanAndDeviation(used)
        return (m, s / Double(used.count).squareRoot())
    }
}

/// A central quantile interval of replicate values: [Q(α/2), Q(1 − α/2)] for level 1 − α,
/// with Q the Hyndman–Fan type 7 quantile (R's and numpy's default): for sorted values
/// x₀ ≤ … ≤ xₙ₋₁ and h = (n − 1)p, Q(p) = x⌊h⌋ + (h − ⌊h⌋)(x⌊h⌋₊₁ − x⌊h⌋).
public struct QuantileInterval: Sendable, Equatable, Codable {
    /// The coverage level, e.g. 0.95.
    public let level: Double
    /// Q(α/2) (NaN when there are no values).
    public let lower: Double
    /// Q(1 − α/2) (NaN when there are no values).
    public let upper: Double

    /// The interval of the finite entries of `values` (NaN and ±∞ are left out).
    /// - Throws: `MonteCarloError.invalidArgument` unless 0 < level < 1.
    /// - Complexity: O(n log n): sorts a copy.
    public init(level: Double, values: [Double]) throws {
        try require(level > 0 && level < 1, "level", "an interval level must be in (0, 1), got \(level)")
        self.level = level
        let sorted = values.filter(\.isFinite).sorted()
        let alpha = 1 - level
        lower = Self.quantile(sorted, alpha / 2)
        upper = Self.quantile(sorted, 1 - alpha / 2)
    }

    /// The type 7 quantile of ascending `sorted` at probability `p` in [0, 1]; NaN if empty.
    /// - Complexity: O(1).
    public static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let h = Double(sorted.count - 1) * Swift.min(Swift.max(p, 0), 1)
        let low = Int(h.rounded(.down))
        let high = Swift.min(low + 1, sorted.count - 1)
        return sorted[low] + (h - Double(low)) * (sorted[high] - sorted[low])
    }
}
