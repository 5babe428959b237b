// Scalar Philox generators (Salmon, Moraes, Dror & Shaw, "Parallel Random Numbers: As Easy
// as 1, 2, 3", SC'11), bit-compatible with Random123's philox2x32, philox4x32, philox2x64
// and philox4x64 for any round count (the KAT tests cover 7 and 10 rounds).
//
// A Philox generator is a keyed bijection of its counter: the same (counter, key) always
// gives the same block, and distinct counters give independent-looking blocks. PolicyLab
// uses Philox4x32-10 (see `RandomAddress+Philox.swift`); the other widths exist so that
// every Random123 known-answer vector can be checked and for callers that want them.

/// Philox4x32: a 128-bit counter and a 64-bit key give a 128-bit block.
public enum Philox4x32 {
    /// The block for `counter` under `key` after `rounds` rounds (10 is the standard strength).
    ///
    /// Word i of the result is Random123's `.v[i]`. Multipliers 0xD2511F53 and 0xCD9E8D57,
    /// key increments 0x9E3779B9 and 0xBB67AE85, as in Random123's philox.h.
    /// - Complexity: O(rounds); about 20 ns on one core for 10 rounds (scalar; the SIMD kernel
    ///   behind the bulk fills computes 8 blocks at once).
    @inlinable
    public static func block(counter: SIMD4<UInt32>, key: SIMD2<UInt32>, rounds: Int = 10) -> SIMD4<UInt32> {
        var c = counter
        var k = key
        for round in 0..<rounds {
            if round > 0 {
                k.x &+= 0x9E37_79B9
                k.y &+= 0xBB67_AE85
            }
            let p0 = UInt64(c.x) &* 0xD251_1F53
            let p1 = UInt64(c.z) &* 0xCD9E_8D57
            c = SIMD4(UInt32(truncatingIfNeeded: p1 >> 32) ^ c.y ^ k.x, UInt32(truncatingIfNeeded: p1),
                      UInt32(truncatingIfNeeded: p0 >> 32) ^ c.w ^ k.y, UInt32(truncatingIfNeeded: p0))
        }
        return c
    }
}

/// Philox2x32: a 64-bit counter and a 32-bit key give a 64-bit block.
public enum Philox2x32 {
    /// The block for `counter` under `key` after `rounds` rounds.
    /// - Complexity: O(rounds).
    @inlinable
    public static func block(counter: SIMD2<UInt32>, key: UInt32, rounds: Int = 10) -> SIMD2<UInt32> {
        var c = counter
        var k = key
        for round in 0..<rounds {
            if round > 0 { k &+= 0x9E37_79B9 }
            let p = UInt64(c.x) &* 0xD256_D193
            c = SIMD2(UInt32(truncatingIfNeeded: p >> 32) ^ k ^ c.y, UInt32(truncatingIfNeeded: p))
        }
        return c
    }
}

/// Philox4x64: a 256-bit counter and a 128-bit key give a 256-bit block.
public enum Philox4x64 {
    /// The block for `counter` under `key` after `rounds` rounds.
    /// - Complexity: O(rounds); two 64×64→128-bit multiplies per round.
    @inlinable
    public static func block(counter: SIMD4<UInt64>, key: SIMD2<UInt64>, rounds: Int = 10) -> SIMD4<UInt64> {
        var c = counter
        var k = key
        for round in 0..<rounds {
            if round > 0 {
                k.x &+= 0x9E37_79B9_7F4A_7C15
                k.y &+= 0xBB67_AE85_84CA_A73B
            }
            let p0 = UInt64(0xD2E7_470E_E14C_6C93).multipliedFullWidth(by: c.x)
            let p1 = UInt64(0xCA5A_8263_9512_1157).multipliedFullWidth(by: c.z)
            c = SIMD4(p1.high ^ c.y ^ k.x, p1.low, p0.high ^ c.w ^ k.y, p0.low)
        }
        return c
    }
}

/// Philox2x64: a 128-bit counter and a 64-bit key give a 128-bit block.
public enum Philox2x64 {
    /// The block for `counter` under `key` after `rounds` rounds.
    /// - Complexity: O(rounds).
    @inlinable
    public static func block(counter: SIMD2<UInt64>, key: UInt64, rounds: Int = 10) -> SIMD2<UInt64> {
        var c = counter
        var k = key
        for round in 0..<rounds {
            if round > 0 { k &+= 0x9E37_79B9_7F4A_7C15 }
            let p = UInt64(0xD2B7_4407_B1CE_6E93).multipliedFullWidth(by: c.x)
            c = SIMD2(p.high ^ k ^ c.y, p.low)
        }
        return c
    }
}
