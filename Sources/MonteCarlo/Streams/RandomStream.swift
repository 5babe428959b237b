import LinearAlgebra

/// A long run of variates at consecutive addresses, filled in bulk with the SIMD kernel and
/// `Parallel` — the same bits for any thread count and any chunking.
///
/// Variate `i` (0-based) of the stream has the address (seed, replicate, unit: i / 2³²,
/// slot: i mod 2³²), so it equals `RandomAddress(...).uniform()` or `.standardNormal()`
/// at that address bit for bit. An antithetic stream holds the mirror images of the plain
/// one's variates (1 − 2⁻⁵² − u, −z; see `RandomAddress`).
public struct RandomStream: Sendable, Hashable {
    /// The run's seed.
    public var seed: UInt64
    /// The replicate every variate of the stream belongs to.
    public var replicate: UInt32
    /// Which ingredient (Philox counter word 3) the stream reads; 0 unless a caller needs
    /// several independent streams over the same addresses.
    public var ingredient: UInt32
    /// Whether the variates are the antithetic mirror of the plain stream's.
    public var antithetic: Bool

    /// A stream; replicate and ingredient default to 0, `antithetic` to false.
    public init(seed: UInt64, replicate: UInt32 = 0, ingredient: UInt32 = 0, antithetic: Bool = false) {
        self.seed = seed
        self.replicate = replicate
        self.ingredient = ingredient
        self.antithetic = antithetic
    }

    /// The address of variate `index`.
    /// - Precondition: `index >= 0` and index / 2³² fits a `UInt32`.
    public func address(of index: Int) -> RandomAddress {
        precondition(index >= 0 && index >> 32 <= Int(UInt32.max), "RandomStream index out of range")
        return RandomAddress(seed: seed, replicate: replicate, unit: UInt32(truncatingIfNeeded: index >> 32),
                             slot: UInt32(truncatingIfNeeded: index), antithetic: antithetic)
    }

    /// Which variates a fill draws.
    public enum Kind: String, Sendable, CaseIterable {
        /// Uniform on [0, 1) (52 random bits).
        case uniform
        /// Standard normal by Box–Muller.
        case normal
    }

    /// Variates `first ..< first + count` of the stream.
    ///
    /// On one core of the build machine: 4.7 ns per normal into a fresh 10⁸-element array with
    /// the baseline (SSE2) kernels, 3.4 ns with the AVX2 build that `RandomKernelDispatch`
    /// picks where the processor has it (about 3× numpy's `standard_normal`; the same bits);
    /// two threads run 1.8× faster (BENCHMARKS.md, "Random numbers"). The array is advised
    /// onto transparent huge pages (`HugePages`).
    /// - Throws: `MonteCarloError.invalidArgument` for a negative `first` or `count`, a
    ///   range beyond the `maximumVariates` (2⁶²) variates a stream serves, or more doubles
    ///   than the machine's memory holds (`MemoryBudget`).
    /// - Complexity: O(count) time, one allocation of `count` doubles.
    public func fill(_ kind: Kind, count: Int, first: Int = 0, parallelism: Parallelism = .serial) throws -> [Double] {
        try Self.checkRange(count: count, first: first)
        guard MemoryBudget.bytesIfAvailable(count, bytesPerItem: MemoryLayout<Double>.stride) != nil else {
            throw MonteCarloError.invalidArgument(
                name: "count", reason: "\(count) doubles need \(MemoryBudget.shortfall(count, bytesPerItem: 8)); draw fewer at a time")
        }
        return try [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            HugePages.advise(buffer)
            try uncheckedFill(kind, buffer, first: first, parallelism: parallelism)
            initialized = count
        }
    }

    /// Overwrites `buffer` with variates `first ..< first + buffer.count` of the stream: the
    /// same bits as `fill(_:count:first:parallelism:)`, without allocating — for replicates
    /// that reuse a workspace.
    /// - Throws: as `fill(_:count:first:parallelism:)`.
    /// - Complexity: O(buffer.count), no allocation.
    public func fill(_ kind: Kind, into buffer: inout [Double], first: Int = 0, parallelism: Parallelism = .serial) throws {
        try Self.checkRange(count: buffer.count, first: first)
        try buffer.withUnsafeMutableBufferPointer { try uncheckedFill(kind, $0, first: first, parallelism: parallelism) }
    }

    private static func checkRange(count: Int, first: Int) throws {
        // 2⁶² variates per stream (units below 2³⁰): the kernels round range ends up to whole
        // SIMD steps in `Int`, which must stay far from overflow.
        guard count >= 0, first >= 0, count <= Self.maximumVariates - first else {
            throw MonteCarloError.invalidArgument(
                name: "count/first", reason: "need 0 ≤ first, 0 ≤ count and first + count ≤ 2⁶²; got first \(first), count \(count)")
        }
    }

    /// Fills `buffer` in parallel chunks; the range was checked by the caller.
    private func uncheckedFill(_ kind: Kind, _ buffer: UnsafeMutableBufferPointer<Double>, first: Int,
                               parallelism: Parallelism) throws {
        // Each chunk writes only its own range of `buffer`, which outlives the parallel region.
        nonisolated(unsafe) let shared = buffer
        // The kernels compute the plain stream; an antithetic one mirrors each chunk while hot.
        let plain = RandomStream(seed: seed, replicate: replicate, ingredient: ingredient)
        let mirror = antithetic
        try Parallel.forEach(count: buffer.count, chunkSize: Self.chunkSize, parallelism: parallelism) { range in
            let part = UnsafeMutableBufferPointer(rebasing: shared[range])
            switch kind {
            case .normal:
                plain.uncheckedFillNormals(part, first: first + range.lowerBound)
                if mirror { for i in part.indices { part[i] = -part[i] } }
            case .uniform:
                plain.uncheckedFillUniforms(part, first: first + range.lowerBound)
                // Exact: both terms and the result are multiples of 2⁻⁵² in [0, 1).
                if mirror { for i in part.indices { part[i] = (1 - 0x1p-52) - part[i] } }
            }
        }
    }

    /// The variates a stream serves: indices 0 ..< 2⁶².
    public static let maximumVariates = 1 << 62

    /// Variates per parallel chunk: the cut depends on nothing but this constant (a multiple
    /// of 32, so that every chunk starts on a whole SIMD step of the kernels). 2 MiB of doubles,
    /// one transparent huge page: threads then rarely fault on the same page of a fresh array
    /// (with 512 KiB chunks the second thread waited on the first one's page zeroing, and two
    /// threads ran 1.7–1.8× one instead of 1.8–1.95×).
    static let chunkSize = 1 << 18
}
