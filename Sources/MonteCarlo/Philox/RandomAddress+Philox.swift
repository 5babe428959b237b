// How a `RandomAddress` becomes Philox4x32-10 input — the contract every variate follows.
//
//   key     = (seed mod 2³², seed / 2³²)
//   counter = (block, unit, replicate, ingredient)
//
// A variate may need several random ingredients (a uniform or a standard normal each);
// ingredient j of the variate at `slot` reads a block whose counter word 3 is j. Each block
// yields P variates of one kind (its "positions"); slots are laid out in groups of 4P so
// that slot s = 4P·g + 4p + l (l, p < 4) is position p of block 4g + l:
//   - uniforms, P = 2: position p is the 64-bit half p of the block (words 2p, 2p + 1, low
//     word first) as u = (bits >> 12)·2⁻⁵² in [0, 1) (52 random bits, exact);
//   - standard normals, P = 4: positions 2q and 2q + 1 are the cosine and sine branches of
//     Box–Muller on words (2q, 2q + 1) = (a, b), with u₁ = (2³² − a)·2⁻³² in (0, 1] and
//     u₂ = b·2⁻³² in [0, 1). The four are independent N(0, 1) up to the 32-bit grid of u₁ and
//     u₂ (as cuRAND's Philox normals): |z| ≤ √(64 ln 2) ≈ 6.66, so the tails beyond 6.66σ
//     (probability 2.7·10⁻¹¹) are cut, and the 2³² angles are evenly spaced.
// The layout lets the bulk fills store whole SIMD vectors (position p of four neighbouring
// blocks is four consecutive slots). Every variate is a pure function of (seed, replicate,
// unit, slot), whatever thread, chunk or process computes it, and the bulk fills produce
// exactly the bits of these scalar functions.

import RandomKernels

extension RandomAddress {
    /// The Philox4x32 key of this address's seed.
    @inlinable
    public var philoxKey: SIMD2<UInt32> {
        SIMD2(UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
    }

    /// The Philox4x32 counter of ingredient `ingredient` when each block yields
    /// `variatesPerBlock` variates (2 for uniforms, 4 for normals; see the file header).
    /// - Precondition: `variatesPerBlock` is 1, 2 or 4.
    @inlinable
    public func philoxCounter(ingredient: UInt32 = 0, variatesPerBlock: UInt32 = 2) -> SIMD4<UInt32> {
        precondition(variatesPerBlock == 1 || variatesPerBlock == 2 || variatesPerBlock == 4,
                     "variatesPerBlock must be 1, 2 or 4")
        let groupSize = 4 * variatesPerBlock
        return SIMD4(slot / groupSize * 4 + slot % 4, unit, replicate, ingredient)
    }

    /// Which of its block's variates this slot is (see the file header).
    @inlinable
    func position(variatesPerBlock: UInt32) -> UInt32 { (slot / 4) % variatesPerBlock }

    /// The Philox4x32-10 block that ingredient `ingredient` of this address reads, when each
    /// block yields `variatesPerBlock` variates.
    /// - Complexity: one Philox4x32-10 block (about 20 ns).
    @inlinable
    public func philoxBlock(ingredient: UInt32 = 0, variatesPerBlock: UInt32 = 2) -> SIMD4<UInt32> {
        Philox4x32.block(counter: philoxCounter(ingredient: ingredient, variatesPerBlock: variatesPerBlock),
                         key: philoxKey)
    }

    /// A uniform variate in [0, 1) on the 2⁻⁵² grid (see the file header); for an antithetic
    /// address, 1 − 2⁻⁵² − u of the plain one (exact, still in [0, 1)).
    /// - Complexity: one Philox block.
    public func uniform(ingredient: UInt32 = 0) -> Double {
        let b = philoxBlock(ingredient: ingredient, variatesPerBlock: 2)
        let (low, high) = position(variatesPerBlock: 2) == 0 ? (b.x, b.y) : (b.z, b.w)
        let bits = (UInt64(high) << 32 | UInt64(low)) >> 12
        // The antithetic mirror k → 2⁵² − 1 − k (see RandomAddress).
        let mirrored = antithetic ? bits ^ 0x000F_FFFF_FFFF_FFFF : bits
        return Double(bitPattern: mirrored | 0x3FF0_0000_0000_0000) - 1
    }

    /// A standard normal variate by Box–Muller (see the file header), bit-identical to the
    /// bulk fills of `RandomStream`; for an antithetic address, −z of the plain one.
    /// - Complexity: one Philox block and one SIMD Box–Muller step.
    public func standardNormal(ingredient: UInt32 = 0) -> Double {
        let b = philoxBlock(ingredient: ingredient, variatesPerBlock: 4)
        let p = position(variatesPerBlock: 4)
        let (x, y) = p < 2 ? (b.x, b.y) : (b.z, b.w)
        let tables = BoxMullerTables.shared
        let pair = boxMullerPair(x, y, logTable: tables.logTable, sinCosTable: tables.sinCosTable)
        let z = p % 2 == 0 ? pair.cos : pair.sin
        return antithetic ? -z : z
    }
}
