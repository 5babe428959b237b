/// Vectorized kernels for what BLAS lacks: reductions and elementwise maps over `Double`.
///
/// Each reduction keeps four `SIMD4<Double>` accumulators (16 elements a step) so the
/// strict floating-point order does not serialize the loop, then handles the tail in
/// scalar code. The order of additions depends only on the length, so results are
/// reproducible bit for bit; they differ from a naive left-to-right loop by rounding
/// only (and are usually more accurate). Public entry points take any collection of
/// `Double` and read it in place when it is contiguous (Array, ArraySlice).
public enum VectorKernels {}

extension VectorKernels {
    /// Elements per chunk of the parallel reductions below: 512 KiB, so a long vector (10⁶
    /// elements and more) splits into enough chunks for every thread. Depends on nothing else.
    public static let reductionChunk = 65_536

    /// Σ xᵢ in chunks of `reductionChunk` elements summed in parallel, then in chunk order: the
    /// same bits for any `parallelism` (and the bits of `sum` for up to one chunk).
    /// - Complexity: O(n) over the threads.
    public static func sum(_ x: [Double], parallelism: Parallelism) throws -> Double {
        try chunkedReduction(x, parallelism: parallelism) { uncheckedSum($0) }
    }

    /// Σ xᵢ² in chunks, as `sum(_:parallelism:)`.
    /// - Complexity: O(n) over the threads.
    public static func sumOfSquares(_ x: [Double], parallelism: Parallelism) throws -> Double {
        try chunkedReduction(x, parallelism: parallelism) { uncheckedDot($0, $0) }
    }

    /// Σ (xᵢ − c)² in chunks, as `sum(_:parallelism:)`.
    /// - Complexity: O(n) over the threads.
    public static func sumOfSquaredDeviations(_ x: [Double], from c: Double, parallelism: Parallelism) throws -> Double {
        try chunkedReduction(x, parallelism: parallelism) { uncheckedSumOfSquaredDeviations($0, from: c) }
    }

    private static func chunkedReduction(
        _ x: [Double], parallelism: Parallelism, _ kernel: @escaping @Sendable (UnsafeBufferPointer<Double>) -> Double
    ) throws -> Double {
        try Parallel.reduce(count: x.count, chunkSize: reductionChunk, parallelism: parallelism) { range in
            x.withUnsafeBufferPointer { kernel(UnsafeBufferPointer(rebasing: $0[range])) }
        } combine: { $0 + $1 } ?? 0
    }
}

extension VectorKernels {
    /// Σ xᵢ.
    /// - Complexity: O(n), at memory bandwidth for large n.
    public static func sum(_ x: some Collection<Double>) -> Double {
        Contiguous.withBuffer(x) { uncheckedSum($0) }
    }

    /// Σ xᵢ².
    /// - Complexity: O(n).
    public static func sumOfSquares(_ x: some Collection<Double>) -> Double {
        Contiguous.withBuffer(x) { uncheckedDot($0, $0) }
    }

    /// Σ (xᵢ − c)²: the total sum of squares about c (the mean, for R²).
    /// - Complexity: O(n).
    public static func sumOfSquaredDeviations(_ x: some Collection<Double>, from c: Double) -> Double {
        Contiguous.withBuffer(x) { uncheckedSumOfSquaredDeviations($0, from: c) }
    }

    /// Σ xᵢ·yᵢ.
    /// - Throws: `dimensionMismatch` when the lengths differ.
    /// - Complexity: O(n).
    public static func dot(_ x: some Collection<Double>, _ y: some Collection<Double>) throws -> Double {
        guard x.count == y.count else {
            throw LinearAlgebraError.dimensionMismatch(operation: "VectorKernels.dot", detail: "lengths \(x.count) and \(y.count)")
        }
        return Contiguous.withBuffer(x) { bx in Contiguous.withBuffer(y) { by in uncheckedDot(bx, by) } }
    }

    /// Σ wᵢ·xᵢ.
    /// - Throws: `dimensionMismatch` when the lengths differ.
    /// - Complexity: O(n).
    public static func weightedSum(_ x: some Collection<Double>, weights w: some Collection<Double>) throws -> Double {
        try dot(x, w)
    }

    /// Σ wᵢ·xᵢ².
    /// - Throws: `dimensionMismatch` when the lengths differ.
    /// - Complexity: O(n).
    public static func weightedSumOfSquares(_ x: some Collection<Double>, weights w: some Collection<Double>) throws -> Double {
        guard x.count == w.count else {
            throw LinearAlgebraError.dimensionMismatch(
                operation: "VectorKernels.weightedSumOfSquares", detail: "lengths \(x.count) and \(w.count)")
        }
        return Contiguous.withBuffer(x) { bx in Contiguous.withBuffer(w) { bw in uncheckedWeightedDot(bx, bx, bw) } }
    }

    /// Σ wᵢ·xᵢ·yᵢ.
    /// - Throws: `dimensionMismatch` when the lengths differ.
    /// - Complexity: O(n).
    public static func weightedDot(
        _ x: some Collection<Double>, _ y: some Collection<Double>, weights w: some Collection<Double>
    ) throws -> Double {
        guard x.count == y.count, x.count == w.count else {
            throw LinearAlgebraError.dimensionMismatch(
                operation: "VectorKernels.weightedDot", detail: "lengths \(x.count), \(y.count) and \(w.count)")
        }
        return Contiguous.withBuffer(x) { bx in
            Contiguous.withBuffer(y) { by in Contiguous.withBuffer(w) { bw in uncheckedWeightedDot(bx, by, bw) } }
        }
    }

    /// α·x as a new array.
    /// - Complexity: O(n).
    public static func scaledCopy(_ alpha: Double, _ x: some Collection<Double>) -> [Double] {
        Contiguous.withBuffer(x) { bx in
            [Double](unsafeUninitializedCapacity: bx.count) { out, initialized in
                uncheckedScale(alpha, bx, out)
                initialized = bx.count
            }
        }
    }

    /// x ← α·x.
    /// - Complexity: O(n).
    public static func scale(_ alpha: Double, _ x: inout [Double]) {
        x.withUnsafeMutableBufferPointer { bx in uncheckedScale(alpha, UnsafeBufferPointer(bx), bx) }
    }

    /// Whether no element is NaN or ±infinity.
    /// - Complexity: O(n); stops at the first 16-element block holding a non-finite value.
    public static func allFinite(_ x: some Collection<Double>) -> Bool {
        Contiguous.withBuffer(x) { uncheckedAllFinite($0) }
    }
}

// MARK: - Unchecked cores

extension VectorKernels {
    @inline(__always)
    static func load(_ p: UnsafePointer<Double>, _ i: Int) -> SIMD4<Double> {
        UnsafeRawPointer(p + i).loadUnaligned(as: SIMD4<Double>.self)
    }

    /// Σ xᵢ over a buffer.
    @usableFromInline
    static func uncheckedSum(_ x: UnsafeBufferPointer<Double>) -> Double {
        guard let p = x.baseAddress else { return 0 }
        let n = x.count
        var a0 = SIMD4<Double>(), a1 = SIMD4<Double>(), a2 = SIMD4<Double>(), a3 = SIMD4<Double>()
        var i = 0
        while i + 16 <= n {
            a0 += load(p, i); a1 += load(p, i + 4); a2 += load(p, i + 8); a3 += load(p, i + 12)
            i += 16
        }
        var total = ((a0 + a1) + (a2 + a3)).sum()
        while i < n { total += p[i]; i += 1 }
        return total
    }

    /// Σ xᵢ·yᵢ over two buffers of equal length.
    @usableFromInline
    static func uncheckedDot(_ x: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>) -> Double {
        guard let p = x.baseAddress, let q = y.baseAddress else { return 0 }
        let n = Swift.min(x.count, y.count)
        var a0 = SIMD4<Double>(), a1 = SIMD4<Double>(), a2 = SIMD4<Double>(), a3 = SIMD4<Double>()
        var i = 0
        while i + 16 <= n {
            a0 += load(p, i) * load(q, i)
            a1 += load(p, i + 4) * load(q, i + 4)
            a2 += load(p, i + 8) * load(q, i + 8)
            a3 += load(p, i + 12) * load(q, i + 12)
            i += 16
        }
        var total = ((a0 + a1) + (a2 + a3)).sum()
        while i < n { total += p[i] * q[i]; i += 1 }
        return total
    }

    /// Σ (xᵢ − c)² over a buffer.
    @usableFromInline
    static func uncheckedSumOfSquaredDeviations(_ x: UnsafeBufferPointer<Double>, from c: Double) -> Double {
        guard let p = x.baseAddress else { return 0 }
        let n = x.count
        let center = SIMD4<Double>(repeating: c)
        var a0 = SIMD4<Double>(), a1 = SIMD4<Double>(), a2 = SIMD4<Double>(), a3 = SIMD4<Double>()
        var i = 0
        while i + 16 <= n {
            let d0 = load(p, i) - center, d1 = load(p, i + 4) - center
            let d2 = load(p, i + 8) - center, d3 = load(p, i + 12) - center
            a0 += d0 * d0; a1 += d1 * d1; a2 += d2 * d2; a3 += d3 * d3
            i += 16
        }
        var total = ((a0 + a1) + (a2 + a3)).sum()
        while i < n { total += (p[i] - c) * (p[i] - c); i += 1 }
        return total
    }

    /// Σ wᵢ·xᵢ·yᵢ over three buffers of equal length.
    @usableFromInline
    static func uncheckedWeightedDot(
        _ x: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>, _ w: UnsafeBufferPointer<Double>
    ) -> Double {
        guard let p = x.baseAddress, let q = y.baseAddress, let r = w.baseAddress else { return 0 }
        let n = Swift.min(x.count, y.count, w.count)
        var a0 = SIMD4<Double>(), a1 = SIMD4<Double>(), a2 = SIMD4<Double>(), a3 = SIMD4<Double>()
        var i = 0
        while i + 16 <= n {
            a0 += load(r, i) * load(p, i) * load(q, i)
            a1 += load(r, i + 4) * load(p, i + 4) * load(q, i + 4)
            a2 += load(r, i + 8) * load(p, i + 8) * load(q, i + 8)
            a3 += load(r, i + 12) * load(p, i + 12) * load(q, i + 12)
            i += 16
        }
        var total = ((a0 + a1) + (a2 + a3)).sum()
        while i < n { total += r[i] * p[i] * q[i]; i += 1 }
        return total
    }

    /// out ← α·x (out may alias x).
    @usableFromInline
    static func uncheckedScale(_ alpha: Double, _ x: UnsafeBufferPointer<Double>, _ out: UnsafeMutableBufferPointer<Double>) {
        guard let p = x.baseAddress, let o = out.baseAddress else { return }
        let n = Swift.min(x.count, out.count)
        let a = SIMD4<Double>(repeating: alpha)
        var i = 0
        while i + 8 <= n {
            let v0 = load(p, i) * a, v1 = load(p, i + 4) * a
            UnsafeMutableRawPointer(o + i).storeBytes(of: v0, as: SIMD4<Double>.self)
            UnsafeMutableRawPointer(o + i + 4).storeBytes(of: v1, as: SIMD4<Double>.self)
            i += 8
        }
        while i < n { o[i] = alpha * p[i]; i += 1 }
    }

    /// out[i] ← s[i]·x[i] for i < count (one rounding per element; out may alias x or s).
    /// The kernel behind `MatrixView.rowScaled` and the row-scaled Gram matrix.
    @usableFromInline
    static func uncheckedMultiply(_ s: UnsafePointer<Double>, _ x: UnsafePointer<Double>,
                                  into out: UnsafeMutablePointer<Double>, count n: Int) {
        var i = 0
        while i + 8 <= n {
            let v0 = load(s, i) * load(x, i), v1 = load(s, i + 4) * load(x, i + 4)
            UnsafeMutableRawPointer(out + i).storeBytes(of: v0, as: SIMD4<Double>.self)
            UnsafeMutableRawPointer(out + i + 4).storeBytes(of: v1, as: SIMD4<Double>.self)
            i += 8
        }
        while i < n { out[i] = s[i] * x[i]; i += 1 }
    }

    /// Whether every element is finite: x − x is 0 for finite x and NaN otherwise.
    @usableFromInline
    static func uncheckedAllFinite(_ x: UnsafeBufferPointer<Double>) -> Bool {
        guard let p = x.baseAddress else { return true }
        let n = x.count
        var i = 0
        while i + 16 <= n {
            var a = load(p, i) - load(p, i)
            a += load(p, i + 4) - load(p, i + 4)
            a += load(p, i + 8) - load(p, i + 8)
            a += load(p, i + 12) - load(p, i + 12)
            if a != SIMD4<Double>() { return false }
            i += 16
        }
        while i < n {
            if !p[i].isFinite { return false }
            i += 1
        }
        return true
    }
}
