/// The address of one random variate: every draw is a pure function of
/// (seed, replicate, unit, slot), so results do not depend on threads, chunking or ranks.
///
/// The scenario is deliberately not part of the address: a baseline and a policy scenario
/// evaluated for the same (replicate, unit) see the same draws (common random numbers).
public struct RandomAddress: Sendable, Hashable, Codable {
    /// The run's seed.
    public var seed: UInt64
    /// Monte Carlo replicate (draw) index.
    public var replicate: UInt32
    /// Unit (household, person, parameter block) index.
    public var unit: UInt32
    /// Which variate of the unit (0, 1, 2, …): several independent quantities per unit.
    public var slot: UInt32

    /// An address; all parts default to 0 except the seed.
    public init(seed: UInt64, replicate: UInt32 = 0, unit: UInt32 = 0, slot: UInt32 = 0) {
        self.seed = seed
        self.replicate = replicate
        self.unit = unit
        self.slot = slot
    }
}
