import LinearAlgebra

/// Count, mean and unbiased variance of a sample, computed with per-chunk Welford sums
/// combined in chunk order (Chan, Golub & LeVeque's pairwise update), so the bits do not
/// depend on the thread count.
public struct SampleMoments: Sendable, Equatable {
    /// Number of values.
    public let count: Int
    /// The mean (0 for an empty sample).
    public let mean: Double
    /// The unbiased variance (0 for fewer than two values).
    public let variance: Double

    /// Summarizes `x` on `parallelism` threads (chunks of 65 536 values).
    /// - Complexity: O(n), no allocation beyond one partial per chunk.
    public init(_ x: [Double], parallelism: Parallelism = .serial) {
        struct Partial: Sendable { var n: Double, mean: Double, m2: Double }
        let total = x.withUnsafeBufferPointer { buffer -> Partial? in
            // Read-only view shared by the chunks; it outlives the parallel region.
            nonisolated(unsafe) let shared = buffer
            let partial: @Sendable (Range<Int>) -> Partial = { range in
                var p = Partial(n: 0, mean: 0, m2: 0)
                for i in range {
                    p.n += 1
                    let delta = shared[i] - p.mean
                    p.mean += delta / p.n
                    p.m2 += delta * (shared[i] - p.mean)
                }
                return p
            }
            // The chunk bodies cannot throw, so neither can the reduction.
            return try? Parallel.reduce(count: x.count, chunkSize: 1 << 16, parallelism: parallelism, partial) { a, b in
                let n = a.n + b.n
                let delta = b.mean - a.mean
                return Partial(n: n, mean: a.mean + delta * b.n / n, m2: a.m2 + b.m2 + delta * delta * a.n * b.n / n)
            }
        }
        count = x.count
        mean = total?.mean ?? 0
        variance = (total.map { $0.n > 1 ? $0.m2 / ($0.n - 1) : 0 }) ?? 0
    }
}
