import LinearAlgebra

/// A weighted population (and optional groups) over which welfare and targeting measures are
/// computed: validated once, then reused for every replicate and scenario.
///
/// Every measure is weighted by `weights` (household or person expansion factors) and comes
/// for the whole population and, with `groups`, for each group (withheld below the minimum
/// cell size). Sums run over units in index order (or in the stable sorted order for Gini and
/// deciles), so the bits never depend on threads. Integer weights give the same measures as
/// repeating each unit that many times with weight 1 (up to rounding).
///
/// Failure modes, shared by all measures: an outcome vector whose length is not `count`
/// (`lengthMismatch`) or that holds NaN/±∞ (`nonFiniteValue`, naming the first such unit) is
/// rejected. A ratio whose denominator is zero in a group — a mean over zero weight, the
/// exclusion error of a group without poor units — is NaN, documented per measure: it is
/// undefined, not 0 (the Monte Carlo engine's `NonFiniteOutputPolicy.omit` handles it).
public struct WelfarePopulation: Sendable {
    /// The number of units.
    public let count: Int
    /// The units' weights (finite, ≥ 0, positive sum).
    public let weights: [Double]
    /// Σ weights.
    public let totalWeight: Double
    /// The groups, if any.
    public let groups: WelfareGroups?
    /// Σ weights per group.
    public let groupWeights: [Double]

    /// A population with the given weights.
    /// - Throws: `MonteCarloError.emptyInput` for no units, `.nonFiniteValue` or
    ///   `.negativeWeight` naming the first bad weight, `.invalidArgument` when the weights sum
    ///   to 0, `.lengthMismatch` when `groups` has another number of units.
    /// - Complexity: O(n).
    public init(weights: [Double], groups: WelfareGroups? = nil) throws {
        guard !weights.isEmpty else { throw MonteCarloError.emptyInput(name: "population") }
        var total = 0.0
        for (i, w) in weights.enumerated() {
            guard w.isFinite else { throw MonteCarloError.nonFiniteValue(name: "weights", index: i) }
            guard w >= 0 else { throw MonteCarloError.negativeWeight(index: i, value: w) }
            total += w
        }
        try require(total > 0 && total.isFinite, "weights", "sum to \(total); need a positive finite total weight")
        var groupWeights: [Double] = []
        if let groups {
            guard groups.codes.count == weights.count else {
                throw MonteCarloError.lengthMismatch(name: "groups", expected: weights.count, actual: groups.codes.count)
            }
            groupWeights = [Double](repeating: 0, count: groups.labels.count)
            for (i, code) in groups.codes.enumerated() where code >= 0 { groupWeights[Int(code)] += weights[i] }
        }
        self.count = weights.count
        self.weights = weights
        self.totalWeight = total
        self.groups = groups
        self.groupWeights = groupWeights
    }

    /// A population of `count` units of weight 1.
    /// - Throws: as `init(weights:groups:)`.
    public init(unitWeights count: Int, groups: WelfareGroups? = nil) throws {
        guard count >= 1 else { throw MonteCarloError.emptyInput(name: "population") }
        try self.init(weights: [Double](repeating: 1, count: count), groups: groups)
    }

    /// The number of groups (0 without groups).
    public var groupCount: Int { groups?.labels.count ?? 0 }

    /// Throws unless `values` has one finite value per unit.
    func validate(_ values: [Double], _ name: String) throws {
        guard values.count == count else { throw MonteCarloError.lengthMismatch(name: name, expected: count, actual: values.count) }
        // The SIMD check first; the index of the culprit only on failure.
        if !VectorKernels.allFinite(values), let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw MonteCarloError.nonFiniteValue(name: name, index: bad)
        }
    }

    /// Throws unless `flags` has one value per unit.
    func validate(_ flags: [Bool], _ name: String) throws {
        guard flags.count == count else { throw MonteCarloError.lengthMismatch(name: name, expected: count, actual: flags.count) }
    }

    /// Sums per-unit contribution vectors (up to eight sums) for the population and for each
    /// group, in unit order, then builds the result from each sum; withheld groups are marked
    /// without calling `finish`. `contribution` receives the unit and its weight.
    ///
    /// The population's sums stay in registers and each unit adds its whole vector at once
    /// (accumulating slot by slot through memory chained every add on a store: twice as slow).
    @inline(__always)
    func byGroup<Value: Sendable>(
        _ contribution: (Int, Double) -> SIMD8<Double>, finish: (SIMD8<Double>, Int?) -> Value
    ) -> ByGroup<Value> {
        var overall = SIMD8<Double>()
        var sums = [SIMD8<Double>](repeating: SIMD8(), count: groupCount)
        sums.withUnsafeMutableBufferPointer { s in
            weights.withUnsafeBufferPointer { w in
                if let codes = groups?.codes {
                    codes.withUnsafeBufferPointer { c in
                        for i in 0..<count {
                            let x = contribution(i, w[i])
                            overall += x
                            let code = Int(c[i])
                            if code >= 0 { s[code] += x }
                        }
                    }
                } else {
                    for i in 0..<count { overall += contribution(i, w[i]) }
                }
            }
        }
        return assemble(overall: finish(overall, nil)) { finish(sums[$0], $0) }
    }

    /// The result for the population and each group, withheld groups marked.
    func assemble<Value: Sendable>(overall: Value, group: (Int) -> Value) -> ByGroup<Value> {
        guard let groups else { return ByGroup(overall: overall, labels: [], groups: []) }
        let cells: [GroupCell<Value>] = (0..<groups.labels.count).map { g in
            groups.isWithheld(g) ? .withheld(units: groups.unitCounts[g]) : .published(group(g))
        }
        return ByGroup(overall: overall, labels: groups.labels, groups: cells)
    }

    /// The total weight of the population (nil) or of group g.
    func weight(of group: Int?) -> Double { group.map { groupWeights[$0] } ?? totalWeight }
}
