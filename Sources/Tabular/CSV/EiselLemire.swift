/// Correctly rounded decimal → binary64 conversion for significands of up to 19 digits
/// (Lemire, "Number parsing at a gigabyte per second", 2021; the fast_float algorithm).
///
/// `w · 10^q` is multiplied by a 128-bit truncation of 5^q; the top bits give the binary
/// significand, and the rare cases where truncation could change the rounding are detected
/// and sent back to the caller, who falls back to the standard library's parser.
enum EiselLemire {
    /// The bit pattern of the binary64 nearest to `w · 10^q` (round half to even), positive
    /// sign, or nil when the fast computation cannot decide (the caller falls back).
    /// - Precondition: `w != 0`.
    /// - Complexity: O(1): one or two 64×64→128-bit products.
    @inline(__always)
    static func bits(significand w: UInt64, exponent q: Int, powers: PowersOfFive) -> UInt64? {
        if q < PowersOfFive.smallestExponent { return 0 }
        if q > PowersOfFive.largestExponent { return infinityBits }
        let leadingZeros = w.leadingZeroBitCount
        let normalized = w << UInt64(leadingZeros)
        let (tableHigh, tableLow) = powers.entry(q)
        var (high, low) = normalized.multipliedFullWidth(by: tableHigh)
        // 64 + 55 bits of precision needed; the second product only when the low 9 bits
        // of the first product's high word are all ones.
        let precisionMask: UInt64 = 0x1FF
        if high & precisionMask == precisionMask {
            let second = normalized.multipliedFullWidth(by: tableLow).high
            let sum = low &+ second
            if second > sum { high &+= 1 }
            low = sum
        }
        // Conservative guard from fast_float's original algorithm (the 2023 proof shows it
        // is never needed with 128-bit entries; kept because it costs one predictable branch).
        if low == .max, q < -27 || q > 55 { return nil }
        let upperBit = Int(high >> 63)
        let shift = UInt64(upperBit + 64 - 52 - 3)
        var mantissa = high >> shift
        var power2 = power(q) + upperBit - leadingZeros + 1023
        if power2 <= 0 {
            // Subnormal (or zero) result.
            if -power2 + 1 >= 64 { return 0 }
            mantissa >>= UInt64(-power2 + 1)
            mantissa += mantissa & 1
            mantissa >>= 1
            power2 = mantissa < (1 << 52) ? 0 : 1
            return mantissa | (UInt64(power2) << 52)
        }
        // Exactly halfway between two floats: round to even instead of up.
        if low <= 1, q >= -4, q <= 23, mantissa & 3 == 1, (mantissa << shift) == high {
            mantissa &= ~1
        }
        mantissa += mantissa & 1
        mantissa >>= 1
        if mantissa >= (2 << 52) {
            mantissa = 1 << 52
            power2 += 1
        }
        mantissa &= ~(1 << 52)
        if power2 >= 0x7FF { return infinityBits }
        return mantissa | (UInt64(power2) << 52)
    }

    /// ⌊q · log2(10)⌋ + 63, exact for |q| ≤ 1,233 (fast_float's `detail::power`).
    @inline(__always)
    static func power(_ q: Int) -> Int { (((152_170 + 65_536) * q) >> 16) + 63 }

    static let infinityBits: UInt64 = 0x7FF0_0000_0000_0000
}
