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
        self.groups = original.map { AbsorbedEffects.recode($0, rows: kept.count == rows ? nil : kept) }
    }

    /// Codes of `groups` on `rows` (nil: every row, in order), renumbered densely in order of
    /// the original codes. Returns `groups` itself when every row is kept and every level occurs.
    static func recode(_ groups: GroupCodes, rows: [Int]?) -> GroupCodes {
        var present = [Bool](repeating: false, count: groups.count)
        guard let rows else {
            for code in groups.codes { present[code] = true }
            if !present.contains(false) { return groups }
            return recode(groups, rows: Array(groups.codes.indices))
        }
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
        let (demeaned, iterations) = try demean([columns], weights: weights, options: options, parallelism: parallelism)
        return (demeaned[0], iterations)
    }

    /// `demean` for several matrices of the same row count at once (y, X, endogenous,
    /// instruments): all their columns run in parallel as one set of tasks, and each matrix
    /// comes back on its own, without stacking them into (or cutting them out of) one copy.
    func demean(_ matrices: [Matrix], weights: [Double]?, options: FixedEffectOptions,
                parallelism: Parallelism) throws -> ([Matrix], iterations: Int) {
        let n = matrices.first?.rows ?? 0
        precondition(matrices.allSatisfy { $0.rows == n }, "demean needs matrices with the same row count")
        guard groups.allSatisfy({ $0.count < Int(Int32.max) }) else {
            throw RegressionError.notEstimable(reason: "a fixed effect has more than 2³¹ groups")
        }
        let layout = demeaningLayout(rows: n, weights: weights)
        // Task t demeans column `tasks[t].column` of matrix `tasks[t].matrix`.
        let tasks = matrices.enumerated().flatMap { m, matrix in (0..<matrix.columns).map { (matrix: m, column: $0) } }
        var iterations = 0
        // Each column is demeaned straight into its slot of its matrix's new storage; work
        // buffers live only while a column is demeaned.
        let storages = try DemeaningKernels.uninitializedArrays(counts: matrices.map { n * $0.columns }) { buffers in
            // Task t writes only its own column's n elements of one buffer, and the buffers are
            // read only after `Parallel.map` returns: the writes never overlap.
            nonisolated(unsafe) let outputs = buffers
            let counts = try Parallel.map(count: tasks.count, chunkSize: 1, parallelism: parallelism) { range in
                try range.map { t in
                    let (m, j) = tasks[t]
                    return try matrices[m].column(j).withUnsafeBufferPointer { column in
                        try DemeaningKernels.withOptionalPointer(weights) { w in
                            try DemeaningKernels.demeanColumn(
                                column, into: UnsafeMutableBufferPointer(rebasing: outputs[m][(j * n)..<((j + 1) * n)]),
                                layout: layout, weights: w, tolerance: options.tolerance, maxIterations: options.maxIterations)
                        }
                    }
                }
            }.flatMap { $0 }
            iterations = counts.max() ?? 0
        }
        return (try zip(matrices, storages).map { try Matrix(rows: n, columns: $0.columns, columnMajor: $1) }, iterations)
    }

    /// The effects' codes as 32-bit integers (half the memory traffic of the gather/scatter
    /// passes) and their group totals Σwᵢ, flat.
    private func demeaningLayout(rows n: Int, weights: [Double]?) -> DemeaningKernels.Layout {
        var offsets: [Int] = []
        var next = 0
        for fe in groups {
            offsets.append(next)
            next += fe.count
        }
        var totals = [Double](repeating: 0, count: next)
        var codes: [Int32] = []
        codes.reserveCapacity(groups.count * n)
        for (q, fe) in groups.enumerated() {
            for i in 0..<n { totals[offsets[q] + fe.codes[i]] += weights?[i] ?? 1 }
            codes.append(contentsOf: fe.codes.lazy.map { Int32(truncatingIfNeeded: $0) })
        }
        return DemeaningKernels.Layout(rows: n, groupCounts: groups.map(\.count), offsets: offsets, codes: codes, totals: totals)
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
