/// One replicate of a Monte Carlo run, as the user's computation sees it: its index and the
/// only random numbers it may use, addressed by (seed, `drawIndex`, unit, slot).
///
/// Reading every draw through this value (never from a generator with hidden state) is what
/// makes a replicate's outputs a pure function of (plan, index): the same bits on any thread,
/// in any batch, before or after a resume.
public struct Replicate: Sendable, Hashable {
    /// The replicate's position in the run (0-based); outputs are stored in this order.
    public let index: Int
    /// The run's seed.
    public let seed: UInt64
    /// The `RandomAddress.replicate` its draws use: `index`, or `index / 2` for antithetic pairs.
    public let drawIndex: UInt32
    /// Whether the draws are the antithetic mirror of the pair's first replicate.
    public let antithetic: Bool

    /// The address of variate `slot` of unit `unit` in this replicate.
    /// - Complexity: O(1).
    public func address(unit: UInt32 = 0, slot: UInt32 = 0) -> RandomAddress {
        RandomAddress(seed: seed, replicate: drawIndex, unit: unit, slot: slot, antithetic: antithetic)
    }

    /// A uniform on [0, 1) at (unit, slot), from ingredient `ingredient`.
    /// - Complexity: one Philox block (about 20 ns).
    public func uniform(unit: UInt32 = 0, slot: UInt32 = 0, ingredient: UInt32 = 0) -> Double {
        address(unit: unit, slot: slot).uniform(ingredient: ingredient)
    }

    /// A standard normal at (unit, slot), from ingredient `ingredient`.
    /// - Complexity: one Philox block and one Box–Muller step.
    public func standardNormal(unit: UInt32 = 0, slot: UInt32 = 0, ingredient: UInt32 = 0) -> Double {
        address(unit: unit, slot: slot).standardNormal(ingredient: ingredient)
    }

    /// The replicate's bulk stream for ingredient `ingredient`: variate i is at unit i / 2³²,
    /// slot i mod 2³². Use it for one quantity per unit of a large population — unit h's
    /// value is `stream(ingredient: k).fill(.normal, count: n)[h]` — at about 4 ns a normal
    /// (SIMD) instead of 20 ns through `standardNormal(unit:slot:)`. Give each kind of
    /// quantity its own ingredient so that they never share draws.
    /// - Complexity: O(1); the fill is O(count).
    public func stream(ingredient: UInt32 = 0) -> RandomStream {
        RandomStream(seed: seed, replicate: drawIndex, ingredient: ingredient, antithetic: antithetic)
    }
}
