// The SIMD core of the bulk fills: Philox4x32-10 on several counters at once, one per lane.
//
// The default x86-64 target has SSE2 only, whose one 32×32→64-bit multiply (pmuludq)
// works on the low halves of 64-bit lanes. So each Philox word lives in the low 32 bits
// of a `UInt64` lane; a round masks the multiplicands (LLVM folds the mask into pmuludq),
// takes hi = product >> 32 and keeps the whole product as "lo" (its high half is garbage
// that the next mask or the final truncation drops). The ten rounds are written out and
// their keys computed once per fill: with a loop LLVM kept a per-round branch and
// shuffled lanes (measured 2× slower). Bit-identical to `Philox4x32.block`.

/// Philox4x32 words, one counter per lane, in the low 32 bits of each lane: four counters,
/// so that the four words of state (eight SSE2 registers) leave room for the round keys.
public typealias PhiloxWords = SIMD4<UInt64>
/// Doubles of the same width, for uniforms.
public typealias PhiloxDoubles = SIMD4<Double>

/// The twenty round keys of Philox4x32-10 for one key, broadcast to all lanes: k0[r] and
/// k1[r] are the two key words of round r. (A tuple, not a struct: this module declares no
/// types, see Lanes.swift.)
public typealias PhiloxRoundKeys = (k0: InlineArray<10, PhiloxWords>, k1: InlineArray<10, PhiloxWords>)

/// The round keys of `key`: key word i of round r is key_i + r·(Weyl increment i) mod 2³².
/// - Complexity: 20 broadcasts.
public func philoxRoundKeys(_ key: SIMD2<UInt32>) -> PhiloxRoundKeys {
    var a = key.x, b = key.y
    var k0 = InlineArray<10, PhiloxWords>(repeating: .zero)
    var k1 = InlineArray<10, PhiloxWords>(repeating: .zero)
    for round in 0..<10 {
        k0[round] = PhiloxWords(repeating: UInt64(a))
        k1[round] = PhiloxWords(repeating: UInt64(b))
        a &+= 0x9E37_79B9
        b &+= 0xBB67_AE85
    }
    return (k0, k1)
}

/// One Philox4x32 round on every lane.
@inline(__always)
func philoxRound(
    _ x0: inout PhiloxWords, _ x1: inout PhiloxWords, _ x2: inout PhiloxWords, _ x3: inout PhiloxWords,
    _ k0: PhiloxWords, _ k1: PhiloxWords
) {
    let mask = PhiloxWords(repeating: 0xFFFF_FFFF)
    let p0 = (x0 & mask) &* PhiloxWords(repeating: 0xD251_1F53)
    let p1 = (x2 & mask) &* PhiloxWords(repeating: 0xCD9E_8D57)
    x0 = (p1 &>> 32) ^ x1 ^ k0
    x2 = (p0 &>> 32) ^ x3 ^ k1
    x1 = p1
    x3 = p0
}

/// The four output words of Philox4x32-10, one counter per lane (words c0…c3, values
/// < 2³²); results are masked to 32 bits.
/// - Complexity: 10 rounds of 4 pmuludq per pair of lanes.
@inline(__always)
public func philox10Lanes(
    _ c0: PhiloxWords, _ c1: PhiloxWords, _ c2: PhiloxWords, _ c3: PhiloxWords, keys: PhiloxRoundKeys
) -> (PhiloxWords, PhiloxWords, PhiloxWords, PhiloxWords) {
    var (x0, x1, x2, x3) = (c0, c1, c2, c3)
    philoxRound(&x0, &x1, &x2, &x3, keys.k0[0], keys.k1[0])
    philoxRound(&x0, &x1, &x2, &x3, keys.k0[1], keys.k1[1])
    philoxRound(&x0, &x1, &x2, &x3, keys.k0[2], keys.k1[2])
    philoxRound(&x0, &x1, &x2, &x3, keys.k0[3], keys.k1[3])
    philoxRound(&x0, &x1, &x2, &x3, keys.k0[4], keys.k1[4])
    philoxRound(&x0, &x1, &x2, &x3, keys.k0[5], keys.k1[5])
    philoxRound(&x0, &x1, &x2, &x3, keys.k0[6], keys.k1[6])
    philoxRound(&x0, &x1, &x2, &x3, keys.k0[7], keys.k1[7])
    philoxRound(&x0, &x1, &x2, &x3, keys.k0[8], keys.k1[8])
    philoxRound(&x0, &x1, &x2, &x3, keys.k0[9], keys.k1[9])
    let mask = PhiloxWords(repeating: 0xFFFF_FFFF)
    return (x0 & mask, x1 & mask, x2 & mask, x3 & mask)
}

/// Uniforms in [0, 1) on the 2⁻⁵² grid from 64-bit words: u = (bits >> 12)·2⁻⁵², built
/// exactly as the double 1 + (bits >> 12)·2⁻⁵² minus 1 (no integer-to-double conversion).
@inline(__always)
public func unitIntervalLanes(low: PhiloxWords, high: PhiloxWords) -> PhiloxDoubles {
    let bits = (high &<< 32) | low
    let oneToTwo = (bits &>> 12) | PhiloxWords(repeating: 0x3FF0_0000_0000_0000)
    return unsafeBitCast(oneToTwo, to: PhiloxDoubles.self) - 1
}
