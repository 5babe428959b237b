/// The memory-bound inner loops of fixed-effect demeaning, over raw buffers.
///
/// A sweep of the alternating projections subtracts, for each effect q in turn, the
/// (weighted) group means of the current values: one pass that sums by group, one that
/// subtracts. The kernels fuse each subtraction with the summation that follows it (the next
/// effect's, or the next sweep's first effect's), and the last subtraction of a step with the
/// Irons–Tuck statistics, so a two-effect sweep reads the column three times instead of four
/// and no copy is ever made. Every value and every group sum is computed with the same
/// operations in the same row order as the unfused loops, so results are bit-identical to them.
///
/// Callers guarantee: every code is in range of its sums/means buffer, and every buffer holds
/// `count` elements; `source` may equal `target`, no other buffers overlap.
enum DemeaningKernels {
    /// Calls `body` with a pointer to the elements of `values`, or nil when `values` is nil or empty.
    static func withOptionalPointer<R>(_ values: [Double]?, _ body: (UnsafePointer<Double>?) throws -> R) rethrows -> R {
        guard let values else { return try body(nil) }
        return try values.withUnsafeBufferPointer { try body($0.baseAddress) }
    }

    /// Arrays of the given lengths whose elements `fill` writes through the buffers it is
    /// given (no zero fill first). `fill` must write every element; if it throws, so does this.
    static func uninitializedArrays(counts: [Int], fill: ([UnsafeMutableBufferPointer<Double>]) throws -> Void) throws -> [[Double]] {
        func make(_ index: Int, _ buffers: [UnsafeMutableBufferPointer<Double>]) throws -> [[Double]] {
            guard index < counts.count else {
                try fill(buffers)
                return []
            }
            var rest: [[Double]] = []
            let array = try [Double](unsafeUninitializedCapacity: counts[index]) { buffer, initialized in
                rest = try make(index + 1, buffers + [buffer])
                initialized = counts[index]
            }
            return [array] + rest
        }
        return try make(0, [])
    }

    /// sums[codes[i]] += wᵢ·xᵢ (or xᵢ without weights), i in row order.
    static func accumulate(_ x: UnsafePointer<Double>, count n: Int, codes: UnsafePointer<Int32>,
                           weights: UnsafePointer<Double>?, into sums: UnsafeMutablePointer<Double>) {
        if let w = weights {
            for i in 0..<n { sums[Int(codes[i])] += w[i] * x[i] }
        } else {
            for i in 0..<n { sums[Int(codes[i])] += x[i] }
        }
    }

    /// targetᵢ = sourceᵢ − means[codes[i]]; then, when `next` is given, its
    /// sums[nextCodes[i]] += wᵢ·targetᵢ in the same pass.
    static func subtract(_ source: UnsafePointer<Double>, into target: UnsafeMutablePointer<Double>, count n: Int,
                         means: UnsafePointer<Double>, codes: UnsafePointer<Int32>,
                         next: (sums: UnsafeMutablePointer<Double>, codes: UnsafePointer<Int32>)?,
                         weights: UnsafePointer<Double>?) {
        guard let (sums, nextCodes) = next else {
            for i in 0..<n { target[i] = source[i] - means[Int(codes[i])] }
            return
        }
        if let w = weights {
            for i in 0..<n {
                let v = source[i] - means[Int(codes[i])]
                target[i] = v
                sums[Int(nextCodes[i])] += w[i] * v
            }
        } else {
            for i in 0..<n {
                let v = source[i] - means[Int(codes[i])]
                target[i] = v
                sums[Int(nextCodes[i])] += v
            }
        }
    }

    /// The Irons–Tuck statistics of one step x₀ → x₁ → x₂, fused with x₂'s last subtraction
    /// (x₂ᵢ −= means[codes[i]], in place): with d₁ = x₂ − x₁ and d₂ = x₂ − 2x₁ + x₀, returns
    /// max|d₁ᵢ|, Σd₁ᵢd₂ᵢ and Σd₂ᵢ², summed in row order.
    static func subtractWithStatistics(_ x2: UnsafeMutablePointer<Double>, count n: Int,
                                       means: UnsafePointer<Double>, codes: UnsafePointer<Int32>,
                                       x1: UnsafePointer<Double>, x0: UnsafePointer<Double>)
        -> (change: Double, numerator: Double, denominator: Double) {
        var change = 0.0, numerator = 0.0, denominator = 0.0
        for i in 0..<n {
            let v = x2[i] - means[Int(codes[i])]
            x2[i] = v
            let d1 = v - x1[i]
            let d2 = v - 2 * x1[i] + x0[i]
            change = Swift.max(change, Swift.abs(d1))
            numerator += d1 * d2
            denominator += d2 * d2
        }
        return (change, numerator, denominator)
    }

    /// x₀ᵢ = x₂ᵢ − α·(x₂ᵢ − x₁ᵢ) (x₀ᵢ = x₂ᵢ when `alpha` is nil), and sums[codes[i]] += wᵢ·x₀ᵢ
    /// in the same pass (the first effect's sums for the next sweep).
    static func extrapolate(into x0: UnsafeMutablePointer<Double>, count n: Int, x2: UnsafePointer<Double>,
                            x1: UnsafePointer<Double>, alpha: Double?, codes: UnsafePointer<Int32>,
                            weights: UnsafePointer<Double>?, sums: UnsafeMutablePointer<Double>) {
        guard let alpha else {
            for i in 0..<n { x0[i] = x2[i] }
            accumulate(x0, count: n, codes: codes, weights: weights, into: sums)
            return
        }
        if let w = weights {
            for i in 0..<n {
                let v = x2[i] - alpha * (x2[i] - x1[i])
                x0[i] = v
                sums[Int(codes[i])] += w[i] * v
            }
        } else {
            for i in 0..<n {
                let v = x2[i] - alpha * (x2[i] - x1[i])
                x0[i] = v
                sums[Int(codes[i])] += v
            }
        }
    }
}

extension DemeaningKernels {
    /// What every column's demeaning shares: the effects' 32-bit codes and group totals, flat.
    struct Layout: Sendable {
        /// Rows of every column.
        let rows: Int
        /// Groups of each effect.
        let groupCounts: [Int]
        /// Where effect q's groups start in `totals` (and in a column's group sums).
        let offsets: [Int]
        /// Effect q's codes at q·rows ..< (q + 1)·rows.
        let codes: [Int32]
        /// Σ wᵢ (or the row count) of every group, effect after effect.
        let totals: [Double]
    }

    /// The within transformation of one column into `target` (which may be uninitialized): sweeps
    /// of alternating projections with Irons–Tuck extrapolation every two sweeps, stopping when
    /// no value moves by more than `tolerance` × (1 + max|columnᵢ|). Bit-identical to the
    /// unfused loops (sweep in place, copy, sweep, statistics, extrapolate).
    /// - Returns: the sweeps made.
    /// - Throws: `fixedEffectsNotConverged` after `maxIterations` sweeps.
    static func demeanColumn(_ column: UnsafeBufferPointer<Double>, into target: UnsafeMutableBufferPointer<Double>,
                             layout: Layout, weights: UnsafePointer<Double>?,
                             tolerance: Double, maxIterations: Int) throws -> Int {
        let n = layout.rows, effects = layout.groupCounts.count
        precondition(column.count == n && target.count == n && layout.codes.count == effects * n,
                     "demeanColumn needs one value and one code per row")
        guard n > 0, effects > 0, let source = column.baseAddress, let x2 = target.baseAddress else { return 1 }
        let sums = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(1, layout.totals.count))
        defer { sums.deallocate() }
        return try layout.codes.withUnsafeBufferPointer { codeBuffer in
            try layout.totals.withUnsafeBufferPointer { totalBuffer in
                guard let allCodes = codeBuffer.baseAddress, let totals = totalBuffer.baseAddress else { return 1 }
                func codes(_ q: Int) -> UnsafePointer<Int32> { allCodes + q * n }
                func group(_ q: Int) -> UnsafeMutablePointer<Double> { sums + layout.offsets[q] }
                func clear(_ q: Int) { group(q).update(repeating: 0, count: layout.groupCounts[q]) }
                func divide(_ q: Int) {
                    let s = group(q), t = totals + layout.offsets[q]
                    for g in 0..<layout.groupCounts[q] { s[g] /= t[g] }
                }
                // One sweep source → destination; effect 0's sums over `source` are already in
                // place. With `accumulateNext`, the last pass also sums the result by effect 0
                // (for the next sweep); with `deferLast`, the last effect's means are left for
                // the caller to subtract.
                func sweep(_ from: UnsafePointer<Double>, _ to: UnsafeMutablePointer<Double>, accumulateNext: Bool, deferLast: Bool) {
                    for q in 0..<effects {
                        divide(q)
                        let last = q == effects - 1
                        if last && deferLast { return }
                        var next: (sums: UnsafeMutablePointer<Double>, codes: UnsafePointer<Int32>)?
                        if !last {
                            clear(q + 1)
                            next = (group(q + 1), codes(q + 1))
                        } else if accumulateNext {
                            clear(0)
                            next = (group(0), codes(0))
                        }
                        subtract(q == 0 ? from : UnsafePointer(to), into: to, count: n, means: group(q), codes: codes(q),
                                 next: next, weights: weights)
                    }
                }

                clear(0)
                accumulate(source, count: n, codes: codes(0), weights: weights, into: group(0))
                if effects == 1 {
                    sweep(source, x2, accumulateNext: false, deferLast: false)
                    return 1
                }
                // 1 + max|xᵢ|, with `Sequence.max()`'s comparisons.
                var largest = Swift.abs(source[0])
                for i in 1..<n where largest < Swift.abs(source[i]) { largest = Swift.abs(source[i]) }
                let scale = 1 + largest
                let threshold = tolerance * scale
                let x0 = UnsafeMutablePointer<Double>.allocate(capacity: n)
                let x1 = UnsafeMutablePointer<Double>.allocate(capacity: n)
                defer {
                    x0.deallocate()
                    x1.deallocate()
                }
                sweep(source, x0, accumulateNext: true, deferLast: false)
                var iterations = 1
                var change = Double.infinity
                while iterations < maxIterations {
                    sweep(x0, x1, accumulateNext: true, deferLast: false)
                    sweep(x1, x2, accumulateNext: false, deferLast: true)
                    let statistics = subtractWithStatistics(x2, count: n, means: group(effects - 1), codes: codes(effects - 1),
                                                            x1: x1, x0: x0)
                    iterations += 2
                    change = statistics.change
                    if change <= threshold { return iterations }
                    let extrapolated = statistics.denominator > 0 && statistics.numerator.isFinite
                    clear(0)
                    extrapolate(into: x0, count: n, x2: x2, x1: x1,
                                alpha: extrapolated ? statistics.numerator / statistics.denominator : nil,
                                codes: codes(0), weights: weights, sums: group(0))
                }
                throw RegressionError.fixedEffectsNotConverged(iterations: iterations, change: change / scale, tolerance: tolerance)
            }
        }
    }
}
