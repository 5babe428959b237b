/// What `policylab describe` reports for one column: the numbers Stata's `summarize` /
/// `tabulate` and pandas' `describe` give.
public struct ColumnSummary: Sendable, Codable, Equatable {
    /// One level of a categorical (or boolean) column with its count.
    public struct Level: Sendable, Codable, Equatable {
        public let level: String
        public let count: Int
    }

    /// Column name.
    public let name: String
    /// Storage type (`double`, `int`, `bool`, `categorical`).
    public let type: ColumnType
    /// Rows holding a value.
    public let count: Int
    /// Rows missing.
    public let missing: Int
    /// Arithmetic mean of the valid values (numeric and bool columns).
    public let mean: Double?
    /// Sample standard deviation (n − 1 denominator, as Stata and pandas), nil for < 2 values.
    public let std: Double?
    public let min: Double?
    /// 25th, 50th and 75th percentiles by linear interpolation between order statistics
    /// (R's type 7, pandas' default).
    public let q25: Double?
    public let median: Double?
    public let q75: Double?
    public let max: Double?
    /// Levels with counts, most frequent first then by name (categorical and bool columns),
    /// at most `levelLimit` of them.
    public let levels: [Level]?
    /// Number of distinct levels (categorical and bool columns).
    public let distinctLevels: Int?

    /// Summarizes `column`. NaN values that are *present* (not missing) are excluded from the
    /// moments and quantiles and make `mean` NaN-free; they are counted as values.
    /// - Complexity: O(n log n) for the quantiles (one sort of the valid values).
    public init(_ column: Column, levelLimit: Int = 20) {
        name = column.name
        type = column.type
        missing = column.missingCount
        count = column.count - missing
        var numbers: [Double] = []
        var levelCounts: [String: Int]?
        switch column.values {
        case let .double(v): numbers = column.validity.validIndices.map { v[$0] }.filter { !$0.isNaN }
        case let .int(v): numbers = column.validity.validIndices.map { Double(v[$0]) }
        case let .bool(v):
            numbers = column.validity.validIndices.map { v[$0] ? 1 : 0 }
            let trues = numbers.reduce(0, +)
            levelCounts = ["true": Int(trues), "false": numbers.count - Int(trues)]
        case let .categorical(codes, levelNames):
            var counts = [Int](repeating: 0, count: levelNames.count)
            for i in column.validity.validIndices { counts[Int(codes[i])] += 1 }
            levelCounts = Dictionary(uniqueKeysWithValues: zip(levelNames, counts).filter { $0.1 > 0 })
        }
        if let levelCounts {
            distinctLevels = levelCounts.count
            levels = levelCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .prefix(levelLimit).map { Level(level: $0.key, count: $0.value) }
        } else {
            distinctLevels = nil
            levels = nil
        }
        guard type != .categorical, !numbers.isEmpty else {
            mean = nil; std = nil; min = nil; q25 = nil; median = nil; q75 = nil; max = nil
            return
        }
        let sorted = numbers.sorted()
        let mean = Self.mean(sorted)
        self.mean = mean
        std = sorted.count > 1 ? Self.standardDeviation(sorted, mean: mean) : nil
        min = sorted.first
        max = sorted.last
        q25 = Self.quantile(sorted, 0.25)
        median = Self.quantile(sorted, 0.5)
        q75 = Self.quantile(sorted, 0.75)
    }

    /// Mean by pairwise-friendly compensated summation (Kahan–Babuška), accurate for 10⁸ values.
    static func mean(_ x: [Double]) -> Double {
        var sum = 0.0, compensation = 0.0
        for v in x {
            let t = sum + v
            compensation += Swift.abs(sum) >= Swift.abs(v) ? (sum - t) + v : (v - t) + sum
            sum = t
        }
        return (sum + compensation) / Double(x.count)
    }

    /// Two-pass sample standard deviation (n − 1).
    static func standardDeviation(_ x: [Double], mean: Double) -> Double {
        var ss = 0.0, correction = 0.0
        for v in x {
            let d = v - mean
            ss += d * d
            correction += d
        }
        let n = Double(x.count)
        return ((ss - correction * correction / n) / (n - 1)).squareRoot()
    }

    /// Type-7 quantile of sorted values: x[h] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]), h = (n − 1)p.
    static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        let h = Double(sorted.count - 1) * p
        let lower = Int(h.rounded(.down))
        let upper = Swift.min(lower + 1, sorted.count - 1)
        return sorted[lower] + (h - Double(lower)) * (sorted[upper] - sorted[lower])
    }
}
