/// Bernoulli(p): 1 if u < p, else 0 (one uniform on the 2⁻⁵² grid, so p is honoured to 2⁻⁵²).
public struct BernoulliDistribution: UnivariateDistribution {
    /// The success probability p.
    public let probability: Double
    /// - Throws: `invalidArgument` unless 0 ≤ p ≤ 1.
    public init(probability: Double) throws {
        try require(probability >= 0 && probability <= 1, "bernoulli", "need 0 ≤ p ≤ 1, got \(probability)")
        self.probability = probability
    }
    /// 1 ingredient per variate.
    public var ingredients: Int { 1 }
    /// Whether the trial at `address` succeeds.
    public func success(at address: RandomAddress) -> Bool { address.uniform() < probability }
    /// 1 or 0.
    public func sample(at address: RandomAddress) -> Double { success(at: address) ? 1 : 0 }
}

/// Categorical over 0 ..< k with given probabilities: the first i with u < F(i), F the
/// cumulative sum (one uniform; a binary search, O(log k)).
public struct CategoricalDistribution: UnivariateDistribution {
    /// The normalized probabilities.
    public let probabilities: [Double]
    let cumulative: [Double]
    /// - Parameter weights: Non-negative finite weights with a positive sum (normalized here).
    /// - Throws: `invalidArgument` for an empty list, a negative or non-finite weight, or a zero sum.
    public init(weights: [Double]) throws {
        try require(!weights.isEmpty, "categorical", "needs at least one weight")
        for (i, w) in weights.enumerated() {
            try require(w.isFinite && w >= 0, "categorical", "weight \(i) is \(w); weights must be finite and ≥ 0")
        }
        let total = weights.reduce(0, +)
        try require(total > 0 && total.isFinite, "categorical", "the weights sum to \(total); need a positive finite sum")
        probabilities = weights.map { $0 / total }
        var running = 0.0
        var cumulative = weights.map { running += $0; return running / total }
        // The last category with positive weight takes everything up to 1 (rounding).
        if let last = weights.lastIndex(where: { $0 > 0 }) {
            for i in last..<cumulative.count { cumulative[i] = 1 }
        }
        self.cumulative = cumulative
    }
    /// 1 ingredient per variate.
    public var ingredients: Int { 1 }
    /// The category index at `address`.
    /// - Complexity: one Philox block and O(log k).
    public func category(at address: RandomAddress) -> Int {
        let u = address.uniform()
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if u < cumulative[mid] { high = mid } else { low = mid + 1 }
        }
        return low
    }
    /// The category index as a Double.
    public func sample(at address: RandomAddress) -> Double { Double(category(at: address)) }
}
