/// A branch-light scanner for the common shape of a numeric CSV field: an optional sign, up
/// to seven integer digits, and optionally a `.` and up to 23 fraction digits, at most 19
/// digits in all, no exponent. It reads fixed 8-byte words and combines their digit runs
/// with conditional moves instead of loops, so fields of varying length (15, 16 or 17 digits)
/// do not mispredict. Anything else (exponents, long integers, the end of the buffer near)
/// is left to `NumberParsing.scan`, which accepts the full grammar; both agree on every
/// text this one accepts.
enum FastNumberScan {
    /// The number at `p[i]` in the common shape, or nil.
    /// - Precondition: `i + 40 <= end of the readable bytes` (the kernel reads fixed words).
    /// - Complexity: O(1): four 8-byte loads.
    @inline(__always)
    static func scan(_ p: UnsafePointer<UInt8>, _ i: Int, tens: UnsafePointer<UInt64>) -> (number: DecimalNumber, end: Int)? {
        let raw = UnsafeRawPointer(p)
        let first = p[i]
        let negative = first == UInt8(ascii: "-")
        var pos = i &+ (negative || first == UInt8(ascii: "+") ? 1 : 0)
        var m: UInt64
        var n0: Int
        let d0 = p[pos] &- 48
        if d0 < 10, p[pos &+ 1] == UInt8(ascii: ".") {
            // One integer digit (|x| < 10, the most common shape): no word needed.
            m = UInt64(d0)
            n0 = 1
        } else {
            let w0 = load(raw, pos)
            n0 = digitRun(w0)
            if n0 == 8 { return nil }
            m = value(w0, n0)
        }
        pos &+= n0
        var digits = n0
        var exponent = 0
        var isInteger = true
        if p[pos] == UInt8(ascii: ".") {
            isInteger = false
            pos &+= 1
            let w1 = load(raw, pos), w2 = load(raw, pos &+ 8), w3 = load(raw, pos &+ 16)
            // A run continues into the next word only when the previous word was all digits
            // (run length 8, so `0 - (run >> 3)` is all ones); masking keeps this branch-free.
            let n1 = digitRun(w1)
            let n2 = digitRun(w2) & (0 &- (n1 &>> 3))
            let n3 = digitRun(w3) & (0 &- (n2 &>> 3))
            if n3 == 8 { return nil }
            m = m &* tens[n1] &+ value(w1, n1)
            m = m &* tens[n2] &+ value(w2, n2)
            m = m &* tens[n3] &+ value(w3, n3)
            let fraction = n1 &+ n2 &+ n3
            pos &+= fraction
            digits &+= fraction
            exponent = -fraction
        }
        // No digit at all, too many for the wrapping accumulation, or an exponent: general path.
        if digits == 0 || digits > 19 || p[pos] | 0x20 == UInt8(ascii: "e") { return nil }
        var d = DecimalNumber()
        d.significand = m
        d.exponent = exponent
        d.negative = negative
        d.isInteger = isInteger
        return (d, pos)
    }

    @inline(__always)
    static func load(_ raw: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// The number of leading ASCII digits in the 8 bytes of `w` (byte 0 first), 0…8.
    @inline(__always)
    static func digitRun(_ w: UInt64) -> Int {
        let nonDigit = ((w &+ 0x4646_4646_4646_4646) | (w &- 0x3030_3030_3030_3030)) & 0x8080_8080_8080_8080
        return nonDigit.trailingZeroBitCount &>> 3
    }

    /// The value of the first `n` digits of `w` (n in 0…8).
    @inline(__always)
    static func value(_ w: UInt64, _ n: Int) -> UInt64 {
        // Move the n digits to the top bytes; two shifts of at most 32 bits each, so n = 0
        // (a shift by 64) clears the word without a branch.
        let half = UInt64(truncatingIfNeeded: (8 &- n) &<< 2)
        let digits = ((w &- 0x3030_3030_3030_3030) &<< half) &<< half
        return NumberParsing.eightDigits(digits)
    }
}
