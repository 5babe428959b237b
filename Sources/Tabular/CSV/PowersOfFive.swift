/// The 128-bit truncated powers of five 5^q, q in -342...308, that the Eisel–Lemire algorithm
/// multiplies a decimal significand by (the table of fast_float's `powers_of_five_128`).
///
/// Entry `2·(q + 342)` holds the high 64 bits and `2·(q + 342) + 1` the low 64 bits of
/// - for q ≥ 0: 5^q shifted so that its leading bit is bit 127, truncated;
/// - for q < 0: ⌊2^b / 5^−q⌋ + 1 truncated to 128 bits, with b = z + 127 for q ≥ −27 and
///   b = 2z + 128 below, z the bit length of 5^−q.
///
/// The table is computed once, exactly, with a small multi-word integer (no 1,300-line literal),
/// and is leaked on purpose: the number parser reads it through a raw pointer for the life of
/// the process. `NumberParsingTests` checks entries against fast_float's published values.
struct PowersOfFive: @unchecked Sendable {
    // @unchecked: `words` points at memory written once in `compute()` and never mutated or freed.
    /// The smallest and largest decimal exponents in the table.
    static let smallestExponent = -342
    static let largestExponent = 308

    /// 2 · 651 words: (high, low) per exponent.
    let words: UnsafePointer<UInt64>

    /// The process-wide table.
    static let shared = PowersOfFive(words: compute())

    /// The (high, low) words for 5^q. - Precondition: q in the table's range.
    func entry(_ q: Int) -> (high: UInt64, low: UInt64) {
        let index = 2 * (q - Self.smallestExponent)
        return (words[index], words[index + 1])
    }

    private static func compute() -> UnsafePointer<UInt64> {
        let count = largestExponent - smallestExponent + 1
        let table = UnsafeMutablePointer<UInt64>.allocate(capacity: 2 * count)
        // Negative exponents: N_k = ⌊2^B / 5^k⌋ by repeated exact division by 5
        // (⌊⌊x⌋/5⌋ = ⌊x/5⌋), then ⌊2^b / 5^k⌋ = ⌊N_k / 2^(B−b)⌋.
        let bigB = 1_856
        var quotient = WideInteger.power(ofTwo: bigB)
        var power = WideInteger(1)
        for k in 1...(-smallestExponent) {
            quotient.divide(by: 5)
            power.multiply(by: 5)
            let z = power.bitLength
            let b = k <= 27 ? z + 127 : 2 * z + 128
            var c = quotient.shiftedRight(by: bigB - b)
            c.add(1)
            let length = c.bitLength
            if length > 128 { c = c.shiftedRight(by: length - 128) }
            let index = 2 * (-k - smallestExponent)
            table[index] = c.word(1)
            table[index + 1] = c.word(0)
        }
        // Non-negative exponents: 5^q normalized so bit 127 is set, truncated.
        power = WideInteger(1)
        for q in 0...largestExponent {
            if q > 0 { power.multiply(by: 5) }
            let length = power.bitLength
            let normalized = length <= 128 ? power.shiftedLeft(by: 128 - length) : power.shiftedRight(by: length - 128)
            let index = 2 * (q - smallestExponent)
            table[index] = normalized.word(1)
            table[index + 1] = normalized.word(0)
        }
        return UnsafePointer(table)
    }
}

/// A non-negative integer of any size, little-endian 64-bit words: only what the table needs.
struct WideInteger {
    private(set) var words: [UInt64]

    init(_ value: UInt64) { words = [value] }

    static func power(ofTwo exponent: Int) -> WideInteger {
        var w = WideInteger(0)
        w.words = [UInt64](repeating: 0, count: exponent / 64 + 1)
        w.words[exponent / 64] = 1 << UInt64(exponent % 64)
        return w
    }

    /// The number of significant bits (0 for zero).
    var bitLength: Int {
        for i in stride(from: words.count - 1, through: 0, by: -1) where words[i] != 0 {
            return i * 64 + 64 - words[i].leadingZeroBitCount
        }
        return 0
    }

    /// Word `i` (0 beyond the top).
    func word(_ i: Int) -> UInt64 { i < words.count ? words[i] : 0 }

    mutating func multiply(by factor: UInt64) {
        var carry: UInt64 = 0
        for i in words.indices {
            let (high, low) = words[i].multipliedFullWidth(by: factor)
            let (sum, overflow) = low.addingReportingOverflow(carry)
            words[i] = sum
            carry = high &+ (overflow ? 1 : 0)
        }
        if carry != 0 { words.append(carry) }
    }

    /// Replaces self by ⌊self / divisor⌋.
    mutating func divide(by divisor: UInt64) {
        var remainder: UInt64 = 0
        for i in stride(from: words.count - 1, through: 0, by: -1) {
            let (q, r) = divisor.dividingFullWidth((high: remainder, low: words[i]))
            words[i] = q
            remainder = r
        }
    }

    mutating func add(_ value: UInt64) {
        var carry = value
        var i = 0
        while carry != 0 {
            if i == words.count { words.append(0) }
            let (sum, overflow) = words[i].addingReportingOverflow(carry)
            words[i] = sum
            carry = overflow ? 1 : 0
            i += 1
        }
    }

    /// ⌊self / 2^shift⌋.
    func shiftedRight(by shift: Int) -> WideInteger {
        let wordShift = shift / 64, bitShift = UInt64(shift % 64)
        var out = WideInteger(0)
        out.words = (0..<Swift.max(1, words.count - wordShift)).map { i in
            let low = word(i + wordShift) >> bitShift
            let high = bitShift == 0 ? 0 : word(i + wordShift + 1) << (64 - bitShift)
            return low | high
        }
        return out
    }

    /// self · 2^shift.
    func shiftedLeft(by shift: Int) -> WideInteger {
        let wordShift = shift / 64, bitShift = UInt64(shift % 64)
        var out = WideInteger(0)
        out.words = (0..<(words.count + wordShift + 1)).map { i in
            guard i >= wordShift else { return 0 }
            let low = word(i - wordShift) << bitShift
            let high = bitShift == 0 || i - wordShift - 1 < 0 ? 0 : word(i - wordShift - 1) >> (64 - bitShift)
            return low | high
        }
        return out
    }
}
