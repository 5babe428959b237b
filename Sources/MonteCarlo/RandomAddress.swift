/// The address of one random variate: every draw is a pure function of
/// (seed, replicate, unit, slot), so results do not depend on threads, chunking or ranks.
///
/// The scenario is deliberately not part of the address: a baseline and a policy scenario
/// evaluated for the same (replicate, unit) see the same draws (common random numbers).
///
/// `antithetic` selects the mirror image of the same draw (antithetic variates): a uniform
/// u = k·2⁻⁵² becomes (2⁵² − 1 − k)·2⁻⁵² = 1 − 2⁻⁵² − u (the reflection of the 2⁻⁵² grid
/// onto itself, so it stays in [0, 1) and is exact), and a standard normal z becomes −z.
/// Every distribution built on `uniform()` and `standardNormal()` is mirrored through them:
/// monotone transformations (inverse CDFs, location-scale) then give negatively correlated
/// pairs. The Monte Carlo engine pairs replicates 2p and 2p + 1 this way.
public struct RandomAddress: Sendable, Hashable, Codable {
    /// The run's seed.
    public var seed: UInt64
    /// Monte Carlo replicate (draw) index.
    public var replicate: UInt32
    /// Unit (household, person, parameter block) index.
    public var unit: UInt32
    /// Which variate of the unit (0, 1, 2, …): several independent quantities per unit.
    public var slot: UInt32
    /// Whether the variates at this address are the antithetic mirror of the plain ones.
    public var antithetic: Bool

    /// An address; all parts default to 0 (and `antithetic` to false) except the seed.
    public init(seed: UInt64, replicate: UInt32 = 0, unit: UInt32 = 0, slot: UInt32 = 0, antithetic: Bool = false) {
        self.seed = seed
        self.replicate = replicate
        self.unit = unit
        self.slot = slot
        self.antithetic = antithetic
    }

    private enum CodingKeys: String, CodingKey { case seed, replicate, unit, slot, antithetic }

    /// Decodes an address; a missing `antithetic` key means false (addresses written before it existed).
    /// - Throws: `DecodingError` for a missing or mistyped seed, replicate, unit or slot.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        seed = try c.decode(UInt64.self, forKey: .seed)
        replicate = try c.decode(UInt32.self, forKey: .replicate)
        unit = try c.decode(UInt32.self, forKey: .unit)
        slot = try c.decode(UInt32.self, forKey: .slot)
        antithetic = try c.decodeIfPresent(Bool.self, forKey: .antithetic) ?? false
    }

    /// Encodes all five parts.
    /// - Throws: whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seed, forKey: .seed)
        try c.encode(replicate, forKey: .replicate)
        try c.encode(unit, forKey: .unit)
        try c.encode(slot, forKey: .slot)
        try c.encode(antithetic, forKey: .antithetic)
    }
}
