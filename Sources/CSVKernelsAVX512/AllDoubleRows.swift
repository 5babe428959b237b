// The all-double row loop of the CSV reader on AVX-512 with VBMI.
//
// This module is compiled only for `cannonlake` (skylake-avx512 plus AVX-512 VBMI and IFMA) on
// x86-64; Tabular enters it only when `policylab_cpu_supports_avx512vbmi()` says the processor
// and the operating system run such code (`CSVKernelDispatch`). Like GramKernelsAVX512 it declares
// no types, only free functions, so that it defines no weak symbols a baseline caller could end
// up running (scripts/check-kernel-symbols).
//
// Why: in the scalar loop (`CSVRangeParser.runDoubleRows`) a field costs about 15 ns, most of it
// finding the digit runs eight bytes at a time and combining them. Here one 32-byte load per
// field gives, by byte compares into mask registers, the field's end, its digits, its dot and its
// sign; one `vpermb` drops the dot and right-aligns up to 24 digits, and three multiply-adds
// (`vpmaddubsw`, `vpmaddwd`, `vpmaddwd`) turn them into three 8-digit integers. Fields with
// leading zeros (0.00123…, up to 24 digits with at most 19 significant) stay on this path too.
// 256-bit registers, not 512: the fields fit, and Zen 4 splits 512-bit operations in two (the
// same loop on 512-bit registers read the benchmark file in 0.395 s on one thread, this one in
// 0.37 s). The intrinsics come from clang's `_Builtin_intrinsics.intel` module, so the kernel is
// Swift.
//
// The value of an accepted field is the binary64 nearest to its decimal text (ties to even),
// computed by the Eisel–Lemire algorithm exactly as Tabular's `EiselLemire.bits` does; a field
// whose rounding that algorithm cannot decide, or anything that is not a plain decimal, stops
// the loop at its row's start and Tabular's general loop, which has every fallback, takes the row.

#if arch(x86_64)
import _Builtin_intrinsics.intel

/// Parses rows of a CSV whose columns are all doubles, from `start` while the row start is
/// before `rangeEnd`, the row index is below `capacity` and `rowLimit`, writing each value's bits
/// to `slots[column · capacity + row]`.
///
/// A field is taken when it is an optional `-` and digits with at most one `.` (`12`, `1.5`, `.5`,
/// `5.`) — at least one digit, at most 24 digits with at most 19 after the leading zeros, shorter
/// than 32 bytes — followed by `delimiter`, or in the last column by `\n` or `\r\n`, with 32
/// bytes readable from its start. At the first
/// field that is anything else (a `+`, an exponent, a quote, a missing value, the block end near,
/// or a rounding Eisel–Lemire leaves undecided) the loop stops at that row's start; slots of the
/// row already written are simply written again by the caller.
///
/// - Parameters:
///   - powersOfFive: Tabular's `PowersOfFive.words` (the 128-bit table for q in −342…308).
/// - Returns: the start of the first row not parsed and the index that row gets.
/// - Complexity: O(bytes of the rows parsed); about 9 ns a field on this project's 2.6 GHz Zen 4
///   machine (BENCHMARKS.md, "Tabular CSV").
/// - Precondition: the processor runs `cannonlake` code; `columnCount ≥ 1`; `delimiter` is not a
///   digit, `.`, `-` or a line end.
public func parseAllDoubleRowsAVX512(
    bytes p: UnsafePointer<UInt8>, end: Int, from start: Int, until rangeEnd: Int,
    row firstRow: Int, rowLimit: Int, columnCount: Int, delimiter: UInt8,
    slots: UnsafeMutablePointer<UInt64>, capacity: Int, powersOfFive: UnsafePointer<UInt64>
) -> (next: Int, row: Int) {
    let last = columnCount &- 1
    let lane = _mm256_set_epi8(31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
    let zeroCharacter = _mm256_set1_epi8(48), nine = _mm256_set1_epi8(9), one = _mm256_set1_epi8(1)
    let dotCharacter = _mm256_set1_epi8(46), minusCharacter = _mm256_set1_epi8(45)
    let delimiterCharacter = _mm256_set1_epi8(Int8(bitPattern: delimiter)), newline = _mm256_set1_epi8(10)
    let tenOne = _mm256_set1_epi16(0x010A), hundredOne = _mm256_set1_epi32(0x0001_0064)
    let tenThousandOne = _mm256_set1_epi32(0x0001_2710)
    // Decoded fields of one batch (up to 16 columns of a row) wait in two stack arrays for
    // rounding: decoding and rounding in two tight loops keeps more fields in flight than one
    // long loop body (0.216 vs 0.230 s a read on two threads). On the stack because a call is
    // made per row range and again after each row the loop stops at.
    let batchSize = 16
    return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 2 &* batchSize) { scratch in
        let significands = scratch.baseAddress.unsafelyUnwrapped
        // Each field's decimal exponent q and sign s packed as the word 2·q + s.
        let exponents = significands + batchSize
        var k = start
        var r = firstRow
        rows: while k < rangeEnd, r < capacity, r < rowLimit {
            var f = k
            var batchStart = 0
            while batchStart <= last {
                let batchEnd = Swift.min(batchStart &+ batchSize, columnCount)
                for j in batchStart..<batchEnd {
                    guard f &+ 32 <= end else { break rows }
                    let v = _mm256_loadu_epi8(p + f)
                    // The field's terminator: the delimiter, or the line feed in the last column.
                    let x = _mm256_xor_si256(v, j < last ? delimiterCharacter : newline)
                    let terminator = UInt32(_mm256_testn_epi8_mask(x, x)).trailingZeroBitCount
                    guard terminator < 32 else { break rows }
                    let carriageReturn = j == last && terminator > 0 && p[f &+ terminator &- 1] == 13 ? 1 : 0
                    let length = terminator &- carriageReturn
                    // Byte classes as lane masks: digits (b − '0' ≤ 9 unsigned), the dot, a leading minus.
                    let t = _mm256_sub_epi8(v, zeroCharacter)
                    let above = _mm256_subs_epu8(t, nine)
                    let xd = _mm256_xor_si256(v, dotCharacter)
                    let xm = _mm256_xor_si256(v, minusCharacter)
                    let field = lowBits(length)
                    let digits = UInt64(_mm256_testn_epi8_mask(above, above)) & field
                    let dots = UInt64(_mm256_testn_epi8_mask(xd, xd)) & field
                    let minus = UInt64(_mm256_testn_epi8_mask(xm, xm)) & 1
                    let count = digits.nonzeroBitCount
                    guard (digits | dots | minus) == field, dots & (dots &- 1) == 0, count != 0, count <= 24 else { break rows }
                    if count > 19 {
                        // More than 19 digits: fine when the leading zeros bring it down to 19.
                        let zeros = UInt64(_mm256_testn_epi8_mask(t, t))
                        let firstSignificant = (digits & ~zeros).trailingZeroBitCount
                        guard (digits & ~lowBits(firstSignificant)).nonzeroBitCount <= 19 else { break rows }
                    }
                    let sign = Int(truncatingIfNeeded: minus)
                    let dotPosition = dots.trailingZeroBitCount  // 64 without a dot
                    let exponent = dots == 0 ? 0 : dotPosition &+ 1 &- length
                    // Output lane i of 0..<24 takes digit i − (24 − count): source byte sign + that
                    // digit's index, plus one for the digits after the dot.
                    let firstLane = UInt64(truncatingIfNeeded: 24 &- count)
                    let valid = (UInt64(0xFF_FFFF) &>> firstLane) &<< firstLane
                    let afterDot = UInt64(truncatingIfNeeded: Swift.min(Int(truncatingIfNeeded: firstLane) &+ dotPosition &- sign, 24))
                    let shifted = (UInt64(0xFF_FFFF) &>> afterDot) &<< afterDot
                    var index = _mm256_add_epi8(lane, _mm256_set1_epi8(Int8(truncatingIfNeeded: sign &- Int(truncatingIfNeeded: firstLane))))
                    index = _mm256_mask_add_epi8(index, UInt32(truncatingIfNeeded: shifted), index, one)
                    let aligned = _mm256_maskz_permutexvar_epi8(UInt32(truncatingIfNeeded: valid), index, t)
                    // Pairs, then groups of four, then of eight digits: three 8-digit integers.
                    let pairs = _mm256_maddubs_epi16(aligned, tenOne)
                    let fours = _mm256_madd_epi16(pairs, hundredOne)
                    let packed = _mm256_packus_epi32(fours, fours)
                    let eights = _mm256_madd_epi16(packed, tenThousandOne)
                    let low = UInt64(bitPattern: eights[0]), high = UInt64(bitPattern: eights[2])
                    let leading: UInt64 = (low & 0xFFFF_FFFF) &* 100_000_000 &+ (low &>> 32)
                    significands[j &- batchStart] = leading &* 100_000_000 &+ (high & 0xFFFF_FFFF)
                    exponents[j &- batchStart] = UInt64(bitPattern: Int64(exponent &* 2 &+ sign))
                    f = f &+ terminator &+ 1
                }
                var slot = batchStart &* capacity &+ r
                for b in 0..<(batchEnd &- batchStart) {
                    let significand = significands[b]
                    let exponentAndSign = Int(Int64(bitPattern: exponents[b]))
                    var bits = UInt64(truncatingIfNeeded: exponentAndSign & 1) &<< 63
                    if significand != 0 {
                        guard let magnitude = nearestDoubleBits(significand, exponentAndSign &>> 1, powersOfFive) else { break rows }
                        bits |= magnitude
                    }
                    slots[slot] = bits
                    slot &+= capacity
                }
                batchStart = batchEnd
            }
            k = f
            r &+= 1
        }
        return (k, r)
    }
}

/// Bits 0..<n set (n in 0...63; 64 gives 0, which callers treat as "no field").
@inline(__always)
func lowBits(_ n: Int) -> UInt64 { (UInt64(1) &<< UInt64(truncatingIfNeeded: n)) &- 1 }

/// The bits of the binary64 nearest to w · 10^q (ties to even), or nil when the truncated
/// 128-bit power leaves the rounding undecided: Tabular's `EiselLemire.bits` for the inputs this
/// loop produces (1 ≤ w < 10^19 and −31 ≤ q ≤ 0, whose results are always normal numbers), with
/// wrapping arithmetic and without the subnormal and overflow branches.
/// - Complexity: O(1): one or two 64×64→128-bit products.
@inline(__always)
func nearestDoubleBits(_ w: UInt64, _ q: Int, _ powersOfFive: UnsafePointer<UInt64>) -> UInt64? {
    let leadingZeros = UInt64(truncatingIfNeeded: w.leadingZeroBitCount)
    let normalized = w &<< leadingZeros
    let index = 2 &* (q &+ 342)
    var (high, low) = normalized.multipliedFullWidth(by: powersOfFive[index])
    if high & 0x1FF == 0x1FF {
        let second = normalized.multipliedFullWidth(by: powersOfFive[index &+ 1]).high
        let sum = low &+ second
        if second > sum { high &+= 1 }
        low = sum
    }
    if low == .max, q < -27 { return nil }
    let upperBit = high &>> 63
    let shift = upperBit &+ 9
    var mantissa = high &>> shift
    var power2 = ((((152_170 &+ 65_536) &* q) &>> 16) &+ 63) &+ Int(truncatingIfNeeded: upperBit)
        &- Int(truncatingIfNeeded: leadingZeros) &+ 1023
    // Exactly halfway between two doubles: round to even instead of up.
    if low <= 1, q >= -4, mantissa & 3 == 1, (mantissa &<< shift) == high { mantissa &= ~1 }
    mantissa &+= mantissa & 1
    mantissa &>>= 1
    let carry = mantissa &>> 53
    mantissa &>>= carry
    power2 &+= Int(truncatingIfNeeded: carry)
    return (mantissa & ((1 &<< 52) &- 1)) | (UInt64(truncatingIfNeeded: power2) &<< 52)
}

#else

/// Off x86-64 there is no such kernel: this parses no row and returns `(start, row)`.
/// `CSVKernelDispatch` never chooses it there (`policylab_cpu_supports_avx512vbmi()` is 0).
public func parseAllDoubleRowsAVX512(
    bytes p: UnsafePointer<UInt8>, end: Int, from start: Int, until rangeEnd: Int,
    row firstRow: Int, rowLimit: Int, columnCount: Int, delimiter: UInt8,
    slots: UnsafeMutablePointer<UInt64>, capacity: Int, powersOfFive: UnsafePointer<UInt64>
) -> (next: Int, row: Int) {
    (start, firstRow)
}

#endif
