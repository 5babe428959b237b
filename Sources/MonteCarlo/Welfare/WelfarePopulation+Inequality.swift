// Gini coefficients and decile means: one stable sort, then one pass in sorted order that
// serves the population and every group at once.

/// The Gini coefficient and decile means of one population or group.
public struct InequalityMeasures: Sendable, Equatable, Codable {
    /// The Gini coefficient (see `WelfarePopulation.gini`).
    public let gini: Double
    /// The ten decile means, poorest first (see `WelfarePopulation.decileMeans`).
    public let decileMeans: [Double]
}

extension WelfarePopulation {
    /// The weighted Gini coefficient: half the weighted mean absolute difference over the mean,
    ///
    ///     G = Σᵢ Σⱼ wᵢ wⱼ |yᵢ − yⱼ| / (2 W² μ),   W = Σ wᵢ,  μ = Σ wᵢyᵢ / W,
    ///
    /// computed exactly in O(n log n): with units in ascending order and Cᵢ the cumulative
    /// weight up to and including unit i, G = Σᵢ wᵢyᵢ(2Cᵢ − wᵢ − W) / (W·Σ wᵢyᵢ). With unit
    /// weights this is Σᵢⱼ|yᵢ − yⱼ| / (2n²μ), the population Gini (no n/(n − 1) factor), and
    /// integer weights equal replicated rows. Outcomes may be negative (G can then exceed 1);
    /// NaN when μ ≤ 0 or the group's weights sum to 0, where the Gini is undefined.
    /// - Throws: `lengthMismatch` or `nonFiniteValue` for a bad `outcome`.
    /// - Complexity: O(n) (radix sort) time, 40 bytes a unit of scratch.
    public func gini(_ outcome: [Double]) throws -> ByGroup<Double> {
        try inequality(outcome).map(\.gini)
    }

    /// The ten decile means of `outcome`, with units ranked by `rankedBy` (default: the
    /// outcome itself; pass baseline welfare to get policy outcomes by baseline decile).
    ///
    /// Definition (mass splitting): units in ascending rank order span the weight interval
    /// (0, W]; decile d (1…10) holds the part in ((d − 1)W/10, dW/10], and its mean is
    /// Σ (weight of each unit inside the decile)·y / (W/10). A unit whose weight straddles a
    /// cut is split in proportion; units tied in rank are pooled and split in proportion
    /// together, so ties need no tie-breaking rule. When ranking by the outcome this is
    /// 10·∫ Q(p) dp over ((d − 1)/10, d/10], Q the left-continuous inverse of the weighted
    /// empirical CDF (type 1 quantile). Integer weights equal replicated rows; the mean of
    /// the ten decile means is the overall mean. NaN for a group whose weights sum to 0.
    /// - Throws: `lengthMismatch` or `nonFiniteValue` for a bad `outcome` or `rankedBy`.
    /// - Complexity: O(n) (radix sort) time.
    public func decileMeans(_ outcome: [Double], rankedBy rank: [Double]? = nil) throws -> ByGroup<[Double]> {
        try validate(outcome, "outcome")
        if let rank { try validate(rank, "rankedBy") }
        let sorted = (rank ?? outcome).withUnsafeBufferPointer { StableOrder.sorted($0) }
        return sortedPass(outcome: rank == nil ? nil : outcome, sorted: sorted, gini: false).map(\.decileMeans)
    }

    /// Gini and decile means (ranked by the outcome) from one sort.
    /// - Throws: `lengthMismatch` or `nonFiniteValue` for a bad `outcome`.
    /// - Complexity: O(n) time.
    public func inequality(_ outcome: [Double]) throws -> ByGroup<InequalityMeasures> {
        try validate(outcome, "outcome")
        let sorted = outcome.withUnsafeBufferPointer { StableOrder.sorted($0) }
        return sortedPass(outcome: nil, sorted: sorted, gini: true)
    }

    /// The pass in ascending rank order (`sorted`: the order and the rank keys in that order)
    /// that accumulates, per slot (0: the population, 1 + g: group g), the Gini sum (when
    /// ranking by the outcome) and the decile sums by mass splitting over runs of tied ranks.
    /// `outcome` is nil when the rank is the outcome (its values are then decoded from the
    /// keys).
    ///
    /// Weights, codes (and the outcome) are first gathered into sorted order by a loop of
    /// independent loads, which the processor overlaps; the pass itself then reads memory
    /// sequentially. (Gathering inside the pass, behind the tie test, made it wait on each
    /// cache miss in turn: 5× slower at 10⁶ units.)
    func sortedPass(outcome: [Double]?, sorted: (order: [UInt32], keys: [UInt64]), gini wantGini: Bool)
        -> ByGroup<InequalityMeasures> {
        let n = count
        let order = sorted.order, keys = sorted.keys
        let hasGroups = groups != nil
        var sortedWeights = [Double](repeating: 0, count: n)
        var sortedValues = [Double](repeating: 0, count: n)
        var sortedCodes = [Int32](repeating: -1, count: hasGroups ? n : 0)
        order.withUnsafeBufferPointer { o in
            weights.withUnsafeBufferPointer { w in
                sortedWeights.withUnsafeMutableBufferPointer { sw in
                    for p in 0..<n { sw[p] = w[Int(o[p])] }
                }
            }
            sortedValues.withUnsafeMutableBufferPointer { sv in
                if let outcome {
                    outcome.withUnsafeBufferPointer { y in for p in 0..<n { sv[p] = y[Int(o[p])] } }
                } else {
                    keys.withUnsafeBufferPointer { k in for p in 0..<n { sv[p] = StableOrder.value(k[p]) } }
                }
            }
            if let codes = groups?.codes {
                codes.withUnsafeBufferPointer { c in
                    sortedCodes.withUnsafeMutableBufferPointer { sc in for p in 0..<n { sc[p] = c[Int(o[p])] } }
                }
            }
        }

        let slots = 1 + groupCount
        let totals = [totalWeight] + groupWeights
        // Per slot: 0 C (cumulative weight), 1 Σ wy(2C − w − W), 2 Σ wy, 3 run mass, 4 run Σ wy,
        // 5 cumulative weight before the run, 6 the decile that cumulative weight is in, 7 its
        // upper cut (runs ending below it go straight to that decile).
        let fields = 8
        var state = [Double](repeating: 0, count: slots * fields)
        for slot in 0..<slots { state[slot * fields + 7] = Self.upperCut(decile: 0, total: totals[slot]) }
        var deciles = [Double](repeating: 0, count: slots * 10)
        var isTouched = [Bool](repeating: false, count: slots)
        var touched = [Int](repeating: 0, count: slots)
        keys.withUnsafeBufferPointer { k in
        sortedValues.withUnsafeBufferPointer { y in
        sortedWeights.withUnsafeBufferPointer { wt in
        sortedCodes.withUnsafeBufferPointer { c in
        totals.withUnsafeBufferPointer { total in
        state.withUnsafeMutableBufferPointer { st in
        deciles.withUnsafeMutableBufferPointer { d in
        isTouched.withUnsafeMutableBufferPointer { flag in
        touched.withUnsafeMutableBufferPointer { list in
            var touchedCount = 0
            @inline(__always) func add(_ slot: Int, _ w: Double, _ wy: Double) {
                let s = slot * fields
                if wantGini {
                    st[s] += w
                    st[s + 1] += wy * (2 * st[s] - w - total[slot])
                }
                st[s + 2] += wy
                st[s + 3] += w
                st[s + 4] += wy
                if !flag[slot] {
                    flag[slot] = true
                    list[touchedCount] = slot
                    touchedCount += 1
                }
            }
            // A unit with no tie: the same arithmetic as a run of one, without the run bookkeeping.
            @inline(__always) func single(_ slot: Int, _ w: Double, _ wy: Double) {
                let s = slot * fields
                if wantGini {
                    st[s] += w
                    st[s + 1] += wy * (2 * st[s] - w - total[slot])
                }
                st[s + 2] += wy
                let start = st[s + 5], end = start + w
                if end <= st[s + 7] {
                    if w > 0 { d[slot * 10 + Int(st[s + 6])] += wy }
                } else {
                    Self.distribute(start: start, mass: w, sum: wy, total: total[slot],
                                    into: UnsafeMutableBufferPointer(rebasing: d[(slot * 10)..<(slot * 10 + 10)]))
                    var decile = Int(st[s + 6])
                    while decile < 9 && end >= Self.upperCut(decile: decile, total: total[slot]) { decile += 1 }
                    st[s + 6] = Double(decile)
                    st[s + 7] = Self.upperCut(decile: decile, total: total[slot])
                }
                st[s + 5] = end
            }
            var p = 0
            while p < n {
                if p + 1 == n || k[p + 1] != k[p] {
                    let w = wt[p], wy = w * y[p]
                    single(0, w, wy)
                    if hasGroups, c[p] >= 0 { single(1 + Int(c[p]), w, wy) }
                    p += 1
                    continue
                }
                // A run of tied ranks: positions p ..< end.
                let key = k[p]
                var end = p
                repeat {
                    let w = wt[end], wy = w * y[end]
                    add(0, w, wy)
                    if hasGroups, c[end] >= 0 { add(1 + Int(c[end]), w, wy) }
                    end += 1
                } while end < n && k[end] == key
                for t in 0..<touchedCount {
                    let slot = list[t], s = slot * fields
                    let end = st[s + 5] + st[s + 3]
                    if end <= st[s + 7] {
                        // Inside the current decile: the whole run's sum goes there.
                        if st[s + 3] > 0 { d[slot * 10 + Int(st[s + 6])] += st[s + 4] }
                    } else {
                        Self.distribute(start: st[s + 5], mass: st[s + 3], sum: st[s + 4], total: total[slot],
                                        into: UnsafeMutableBufferPointer(rebasing: d[(slot * 10)..<(slot * 10 + 10)]))
                        // The decile holding the new cumulative weight: the first whose upper cut exceeds it.
                        var k = Int(st[s + 6])
                        while k < 9 && end >= Self.upperCut(decile: k, total: total[slot]) { k += 1 }
                        st[s + 6] = Double(k)
                        st[s + 7] = Self.upperCut(decile: k, total: total[slot])
                    }
                    st[s + 5] = end
                    st[s + 3] = 0
                    st[s + 4] = 0
                    flag[slot] = false
                }
                touchedCount = 0
                p = end
            }
        }}}}}}}}}
        func measures(_ slot: Int) -> InequalityMeasures {
            let w = totals[slot], s = state[slot * fields + 2]
            let g = wantGini && w > 0 && s > 0 ? state[slot * fields + 1] / (w * s) : .nan
            let width = w / 10
            let means = (0..<10).map { w > 0 ? deciles[slot * 10 + $0] / width : .nan }
            return InequalityMeasures(gini: g, decileMeans: means)
        }
        return assemble(overall: measures(0)) { measures(1 + $0) }
    }

    /// The upper cut (k + 1)W/10 of decile k (0-based), exactly as `distribute` computes it;
    /// +∞ for the last decile.
    @inline(__always)
    static func upperCut(decile k: Int, total: Double) -> Double {
        k == 9 ? .infinity : Double(k + 1) * (total / 10)
    }

    /// Adds sum·(overlap/mass) to each decile that the weight interval (start, start + mass]
    /// overlaps; deciles are (kW/10, (k + 1)W/10], the first and last open-ended so rounding
    /// in the cumulative weights never loses mass.
    static func distribute(start: Double, mass: Double, sum: Double, total: Double, into d: UnsafeMutableBufferPointer<Double>) {
        guard mass > 0, total > 0 else { return }
        let width = total / 10
        let end = start + mass
        // Start one decile early: start/width may round up past a cut.
        var k = Swift.max(0, Swift.min(9, Int((start / width).rounded(.down)) - 1))
        while k <= 9 {
            let low = k == 0 ? -Double.infinity : Double(k) * width
            let high = k == 9 ? Double.infinity : Double(k + 1) * width
            let overlap = Swift.min(end, high) - Swift.max(start, low)
            if overlap > 0 { d[k] += sum * (overlap / mass) }
            if end <= high { break }
            k += 1
        }
    }
}
