/// The Sobol low-discrepancy sequence (Gray-code construction of Antonov & Saleev) with Joe &
/// Kuo's direction numbers, in up to 64 dimensions and 2³² points, optionally with a random
/// digital shift (each coordinate's 32 bits XORed with a seeded mask) so that different seeds
/// give different designs with the same equidistribution.
///
/// Unshifted, point k is exactly scipy's `Sobol(d, scramble=False)` point k (the first is 0).
public struct SobolSequence: Sendable {
    /// The largest dimension supported.
    public static let maxDimension = SobolDirectionNumbers.table.count + 1
    /// The number of coordinates.
    public let dimension: Int
    private let directions: [[UInt32]]  // [dimension][bit], 32 bits each
    private let shift: [UInt32]
    private var state: [UInt32]
    private var index: UInt32 = 0

    /// A Sobol sequence in `dimension` dimensions; `seed` (when given) applies a digital shift.
    /// - Throws: `OptimizationError.invalidSetting` when `dimension` is not in 1…64.
    public init(dimension: Int, seed: UInt64? = nil) throws {
        guard dimension >= 1, dimension <= Self.maxDimension else {
            throw OptimizationError.invalidSetting(name: "dimension", reason: "Sobol points exist here for 1…\(Self.maxDimension) dimensions, got \(dimension)")
        }
        self.dimension = dimension
        var directions: [[UInt32]] = [(0..<32).map { UInt32(1) << (31 - $0) }]
        for d in 1..<dimension {
            let (s, a, m) = SobolDirectionNumbers.table[d - 1]
            var v = [UInt32](repeating: 0, count: 32)
            for i in 0..<s { v[i] = m[i] << (31 - i) }
            if s < 32 {
                for i in s..<32 {
                    var value = v[i - s] ^ (v[i - s] >> s)
                    for k in 1..<s where (a >> (s - 1 - k)) & 1 == 1 { value ^= v[i - k] }
                    v[i] = value
                }
            }
            directions.append(v)
        }
        self.directions = directions
        if let seed {
            var stream = SearchRandomStream(seed: seed, stream: 0x50B0_1)
            shift = (0..<dimension).map { _ in UInt32(truncatingIfNeeded: stream.next() >> 32) }
        } else {
            shift = [UInt32](repeating: 0, count: dimension)
        }
        state = [UInt32](repeating: 0, count: dimension)
    }

    /// The next point in [0, 1)ᵈ (the first is the origin, or the shift).
    /// - Precondition: fewer than 2³² points drawn.
    /// - Complexity: O(d).
    public mutating func next() -> [Double] {
        let point = state.indices.map { Double(state[$0] ^ shift[$0]) * 0x1.0p-32 }
        // Gray code: the next point flips the direction of the lowest zero bit of the index.
        let bit = (~index).trailingZeroBitCount
        precondition(bit < 32, "SobolSequence: 2³² points exhausted")
        for d in 0..<dimension { state[d] ^= directions[d][bit] }
        index &+= 1
        return point
    }

    /// The next `count` points.
    public mutating func next(_ count: Int) -> [[Double]] { (0..<Swift.max(0, count)).map { _ in next() } }
}

/// Latin hypercube designs: each coordinate's range is cut into `count` equal strata, each
/// stratum holds exactly one point, strata are paired across coordinates by random
/// permutations, and each point sits uniformly inside its cell.
public enum LatinHypercube {
    /// `count` points in [0, 1)^`dimension` drawn from `stream`.
    /// - Complexity: O(count · dimension) draws.
    public static func sample(count: Int, dimension: Int, stream: inout SearchRandomStream) -> [[Double]] {
        var points = [[Double]](repeating: [Double](repeating: 0, count: dimension), count: Swift.max(0, count))
        guard count > 0 else { return [] }
        for d in 0..<dimension {
            let permutation = stream.permutation(count)
            for k in 0..<count { points[k][d] = (Double(permutation[k]) + stream.uniform()) / Double(count) }
        }
        return points
    }
}

extension Bounds {
    /// The point of the box at unit-cube coordinates u: lᵢ + uᵢ(uᵢ − lᵢ) (finite bounds only).
    func scale(_ u: [Double]) -> [Double] {
        (0..<u.count).map { Swift.min(upper[$0], lower[$0] + u[$0] * (upper[$0] - lower[$0])) }
    }
}
