import LinearAlgebra
import Tabular

/// Fixed effects to absorb: the groups on the kept rows, singletons removed, and the
/// within transformation (demeaning) by alternating projections.
struct AbsorbedEffects: Sendable {
    /// One grouping per fixed-effect term, recoded densely on `keptRows`.
    let groups: [GroupCodes]
    /// Indices (into the design's rows) of the observations kept after singleton removal.
    let keptRows: [Int]
    /// How many observations singleton removal dropped.
    let singletonsRemoved: Int

    /// Removes singletons (when asked) from `groups` on `rows` rows, repeatedly: dropping one
    /// can make another group a singleton.
    /// - Complexity: O(n·Q) per round, rounds rarely more than a few.
    init(groups original: [GroupCodes], rows: Int, removeSingletons: Bool) {
        var kept = Array(0..<rows)
        if removeSingletons {
            while true {
                var alone = Set<Int>()
                for fe in original {
                    var counts = [Int](repeating: 0, count: fe.count)
                    for i in kept { counts[fe.codes[i]] += 1 }
                    for (position, i) in kept.enumerated() where counts[fe.codes[i]] == 1 { alone.insert(position) }
                }
                if alone.isEmpty { break }
                kept = kept.enumerated().filter { !alone.contains($0.offset) }.map(\.element)
            }
        }
        self.keptRows = kept
        self.singletonsRemoved = rows - kept.count
        self.groups = original.map { AbsorbedEffects.recode($0, rows: kept) }
    }

    /// Codes of `groups` on `rows`, renumbered densely in order of the original codes.
    static func recode(_ groups: GroupCodes, rows: [Int]) -> GroupCodes {
        var present = [Bool](repeating: false, count: groups.count)
        for i in rows { present[groups.codes[i]] = true }
        var newCode = [Int](repeating: -1, count: groups.count)
        var levels: [String] = []
        for g in 0..<groups.count where present[g] {
            newCode[g] = levels.count
            levels.append(groups.levels[g])
        }
        return GroupCodes(name: groups.name, codes: rows.map { newCode[groups.codes[$0]] }, levels: levels)
    }

    /// The within transformation of each column of `columns` (n × p): the residual of its
    /// weighted projection on all fixed-effect dummies, by alternating projections (one sweep
    /// subtracts each effect's weighted group means in turn; exact in one sweep for a single
    /// effect) with Irons–Tuck extrapolation every two sweeps, as fixest does. Columns run in
    /// parallel, each sequentially, so the result does not depend on the thread count.
    /// - Throws: `fixedEffectsNotConverged` naming the iterations, the last change and the tolerance.
    /// - Complexity: O(n·Q) per sweep per column.
    func demean(_ columns: Matrix, weights: [Double]?, options: FixedEffectOptions, parallelism: Parallelism) throws -> (Matrix, iterations: Int) {
        let n = columns.rows
        let totals = groups.map { fe -> [Double] in
            var total = [Double](repeating: 0, count: fe.count)
            for i in 0..<n { total[fe.codes[i]] += weights?[i] ?? 1 }
            return total
        }
        guard groups.allSatisfy({ $0.count < Int(Int32.max) }) else {
            throw RegressionError.notEstimable(reason: "a fixed effect has more than 2³¹ groups")
        }
        let codes32 = groups.map { $0.codes.map { Int32(truncatingIfNeeded: $0) } }
        let results = try Parallel.map(count: columns.columns, chunkSize: 1, parallelism: parallelism) { range in
            try range.map { j in try demeanColumn(Array(columns.column(j)), weights: weights, totals: totals, codes32: codes32, options: options) }
        }.flatMap { $0 }
        let data = results.map(\.0)
        let matrix = try Matrix(rows: n, columns: columns.columns, columnMajor: Array(data.joined()))
        return (matrix, results.map(\.1).max() ?? 0)
    }

    /// One sweep: x ← x − (weighted group means of x) for each effect in turn. Codes are read
    /// as 32-bit integers (`codes32`) to halve the memory traffic of the gather/scatter passes.
    private func sweep(_ x: inout [Double], weights: [Double]?, totals: [[Double]], codes32: [[Int32]]) {
        let n = x.count
        for q in groups.indices {
            var sums = [Double](repeating: 0, count: groups[q].count)
            codes32[q].withUnsafeBufferPointer { codes in
                x.withUnsafeMutableBufferPointer { values in
                    sums.withUnsafeMutableBufferPointer { s in
                        if let weights {
                            weights.withUnsafeBufferPointer { w in
                                for i in 0..<n { s[Int(codes[i])] += w[i] * values[i] }
                            }
                        } else {
                            for i in 0..<n { s[Int(codes[i])] += values[i] }
                        }
                        let total = totals[q]
                        for g in 0..<s.count { s[g] /= total[g] }
                        for i in 0..<n { values[i] -= s[Int(codes[i])] }
                    }
                }
            }
        }
    }

    private func demeanColumn(_ column: [Double], weights: [Double]?, totals: [[Double]], codes32: [[Int32]],
                              options: FixedEffectOptions) throws -> ([Double], Int) {
        var x0 = column
        sweep(&x0, weights: weights, totals: totals, codes32: codes32)
        if groups.count <= 1 { return (x0, 1) }
        let scale = 1 + (column.map(Swift.abs).max() ?? 0)
        let threshold = options.tolerance * scale
        var iterations = 1
        var change = Double.infinity
        while iterations < options.maxIterations {
            var x1 = x0
            sweep(&x1, weights: weights, totals: totals, codes32: codes32)
            var x2 = x1
            sweep(&x2, weights: weights, totals: totals, codes32: codes32)
            iterations += 2
            change = 0
            var numerator = 0.0, denominator = 0.0
            for i in x0.indices {
                let d1 = x2[i] - x1[i]
                let d2 = x2[i] - 2 * x1[i] + x0[i]
                change = Swift.max(change, Swift.abs(d1))
                numerator += d1 * d2
                denominator += d2 * d2
            }
            if change <= threshold { return (x2, iterations) }
            if denominator > 0, numerator.isFinite {
                let alpha = numerator / denominator
                for i in x0.indices { x0[i] = x2[i] - alpha * (x2[i] - x1[i]) }
            } else {
                x0 = x2
            }
        }
        throw RegressionError.fixedEffectsNotConverged(iterations: iterations, change: change / scale, tolerance: options.tolerance)
    }

    /// Whether every group of effect `q` lies inside one group of `cluster` (the effect is nested).
    func isNested(_ q: Int, in cluster: GroupCodes) -> Bool {
        let fe = groups[q]
        var owner = [Int](repeating: -1, count: fe.count)
        for i in fe.codes.indices {
            let g = fe.codes[i], c = cluster.codes[i]
            if owner[g] == -1 { owner[g] = c } else if owner[g] != c { return false }
        }
        return true
    }
}
