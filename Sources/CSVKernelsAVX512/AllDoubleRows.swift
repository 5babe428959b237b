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
// sign; one two-source byte permute (`vpermt2b`, its index read from a table by digit count and
// dot position) drops the dot and right-aligns up to 24 digits, and three multiply-adds
// (`vpmaddubsw`, `vpmaddwd`, `vpmaddwd`) turn them into three 8-digit integers. Fields with
// leading zeros (0.00123…, up to 24 digits with at most 19 significant) stay on this path too.
// A whole row is decoded first; then its fields are rounded eight at a time in 512-bit
// registers (`nearestDoubleBitsEight`), the 64×64→128-bit products from 32-bit multiplies.
// Decoding uses 256-bit registers, not 512: a field fits, and Zen 4 splits 512-bit operations in
// two. The intrinsics come from clang's `_Builtin_intrinsics.intel` module, so the kernel is
// Swift.
//
// The value of an accepted field is the binary64 nearest to its decimal text (ties to even),
// computed by the Eisel–Lemire algorithm exactly as Tabular's `EiselLemire.bits` does; a field
// whose rounding that algorithm cannot decide, or anything that is not a plain decimal, stops
// the loop at its row's start and Tabular's general loop, which has every fallback, takes the row.

#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// The scratch words `parseAllDoubleRowsAVX512` needs for `columnCount` columns: three per column,
/// the column count rounded up to a multiple of eight.
public func kernelScratchWords(columnCount: Int) -> Int { 3 &* ((columnCount &+ 7) & ~7) }

/// Parses rows of a CSV whose columns are all doubles, from `start` while the row start is
/// before `rangeEnd`, the row index is below `capacity` and `rowLimit`, writing each value's bits
/// to `columnSlots[column][row]` (each column's own place: the caller's slots, or the column's
/// final storage). A row's values are written only once the whole row is taken.
///
/// A field is taken when it is an optional `-` and digits with at most one `.` (`12`, `1.5`, `.5`,
/// `5.`) — at least one digit, at most 24 digits with at most 19 after the leading zeros, shorter
/// than 32 bytes — followed by `delimiter`, or in the last column by `\n` or `\r\n`, with 32
/// bytes readable from its start. At the first
/// field that is anything else (a `+`, an exponent, a quote, a missing value, the block end near,
/// or a rounding Eisel–Lemire leaves undecided) the loop stops at that row's start, having
/// written nothing of that row.
///
/// - Parameters:
///   - columnSlots: `columnCount` pointers, each to row 0 of a column with room for `capacity` rows.
///   - powersOfFive: Tabular's `PowersOfFive.words` (the 128-bit table for q in −342…308).
///   - digitPermutations: Tabular's `NumberTables.digitPermutations` (20,000 bytes).
///   - scratch: `kernelScratchWords(columnCount:)` initialized words, any values: lanes past the
///     last column are rounded too and ignored.
/// - Returns: the start of the first row not parsed and the index that row gets.
/// - Complexity: O(bytes of the rows parsed); about 7.7 ns a field on this project's 2.6 GHz Zen 4
///   machine for the benchmark file's 17-digit values (BENCHMARKS.md, "Tabular CSV").
/// - Precondition: the processor runs `cannonlake` code; `columnCount ≥ 1`; `delimiter` is not a
///   digit, `.`, `-` or a line end. Off x86-64 this parses no row and returns `(start, firstRow)`.
public func parseAllDoubleRowsAVX512(
    bytes p: UnsafePointer<UInt8>, end: Int, from start: Int, until rangeEnd: Int,
    row firstRow: Int, rowLimit: Int, columnCount: Int, delimiter: UInt8,
    columnSlots: UnsafePointer<UnsafeMutablePointer<UInt64>>, capacity: Int, powersOfFive: UnsafePointer<UInt64>,
    digitPermutations: UnsafePointer<UInt8>, scratch: UnsafeMutablePointer<UInt64>
) -> (next: Int, row: Int) {
    #if arch(x86_64)
    let last = columnCount &- 1
    let delimiterCharacter = _mm256_set1_epi8(Int8(bitPattern: delimiter)), lineFeed = _mm256_set1_epi8(10)
    // The high words of 5^q for q in −31…0, eight to a register, for `nearestDoubleBitsEight`.
    let (powers0, powers1, powers2, powers3) = highPowerWords(powersOfFive)
    // A row's decoded fields wait in the caller's scratch for rounding: decoding and rounding in
    // two tight loops keeps more fields in flight than one long loop body. (Not a
    // `withUnsafeTemporaryAllocation` here: an optimized build emits its closure as a weak symbol,
    // see scripts/check-kernel-symbols; nor an allocation a call: a file whose every row leaves
    // this loop calls it once a row.)
    let lanes = (columnCount &+ 7) & ~7
    let significands = scratch
    // Each field's decimal exponent q and sign s packed as the word 2·q + s.
    let exponents = significands + lanes
    let rounded = exponents + lanes
    var k = start
    var r = firstRow
    rows: while k < rangeEnd, r < capacity, r < rowLimit {
        var f = k
        var j = 0
        while j < last {
            guard let field = decodeField(p, f, end, delimiterCharacter, lastColumn: false, digitPermutations) else { break rows }
            significands[j] = field.significand
            exponents[j] = field.exponentAndSign
            f = field.next
            j &+= 1
        }
        guard let field = decodeField(p, f, end, lineFeed, lastColumn: true, digitPermutations) else { break rows }
        significands[last] = field.significand
        exponents[last] = field.exponentAndSign
        f = field.next
        // Round eight fields at a time; lanes the vector code leaves undecided (a 128-bit
        // product whose low bits are all ones, about one field in 500) take the scalar code.
        var v = 0
        while v < columnCount {
            let live = UInt8(truncatingIfNeeded: (1 &<< Swift.min(8, columnCount &- v)) &- 1)
            let (bits, undecided) = nearestDoubleBitsEight(
                _mm512_loadu_si512(significands + v), _mm512_loadu_si512(exponents + v),
                powers0, powers1, powers2, powers3)
            _mm512_storeu_si512(rounded + v, bits)
            var rest = undecided & live
            while rest != 0 {
                let b = v &+ rest.trailingZeroBitCount
                rest &= rest &- 1
                let exponentAndSign = Int(Int64(bitPattern: exponents[b]))
                guard let magnitude = nearestDoubleBits(significands[b], exponentAndSign &>> 1, powersOfFive) else { break rows }
                rounded[b] = UInt64(truncatingIfNeeded: exponentAndSign & 1) &<< 63 | magnitude
            }
            v &+= 8
        }
        var c = 0
        while c < columnCount {
            columnSlots[c][r] = rounded[c]
            c &+= 1
        }
        k = f
        r &+= 1
    }
    return (k, r)
    #else
    // Off x86-64 there is no such kernel: no row is parsed. `CSVKernelDispatch` never chooses it
    // there (`policylab_cpu_supports_avx512vbmi()` is 0).
    return (start, firstRow)
    #endif
}

#if arch(x86_64)

/// Decodes the plain decimal field at `f` ended by the byte `terminatorCharacter` holds in every
/// lane (the delimiter, or in the last column a line feed, then `\r\n` too): its significand w (the
/// digits as an integer, below 10¹⁹), its exponent q and sign s packed as the word 2·q + s, and
/// the offset after the terminator. Nil for anything else, or when 32 bytes from `f` are not
/// readable before `end`.
/// - Complexity: O(1): one 32-byte load, four byte compares, one two-source byte permute and
///   four multiply-adds.
@inline(__always)
func decodeField(
    _ p: UnsafePointer<UInt8>, _ f: Int, _ end: Int, _ terminatorCharacter: __m256i, lastColumn: Bool,
    _ digitPermutations: UnsafePointer<UInt8>
) -> (significand: UInt64, exponentAndSign: UInt64, next: Int)? {
    guard f &+ 32 <= end else { return nil }
    let v = _mm256_loadu_epi8(p + f)
    let x = _mm256_xor_si256(v, terminatorCharacter)
    let terminator = UInt32(_mm256_testn_epi8_mask(x, x)).trailingZeroBitCount
    guard terminator < 32 else { return nil }
    let carriageReturn = lastColumn && terminator > 0 && p[f &+ terminator &- 1] == 13 ? 1 : 0
    let length = terminator &- carriageReturn
    // Byte classes as lane masks: digits (b − '0' ≤ 9 unsigned), the dot, a leading minus.
    let t = _mm256_sub_epi8(v, _mm256_set1_epi8(48))
    let above = _mm256_subs_epu8(t, _mm256_set1_epi8(9))
    let xd = _mm256_xor_si256(v, _mm256_set1_epi8(46))
    let xm = _mm256_xor_si256(v, _mm256_set1_epi8(45))
    let field = lowBits(length)
    let digits = UInt64(_mm256_testn_epi8_mask(above, above)) & field
    let dots = UInt64(_mm256_testn_epi8_mask(xd, xd)) & field
    let minus = UInt64(_mm256_testn_epi8_mask(xm, xm)) & 1
    let count = digits.nonzeroBitCount
    guard (digits | dots | minus) == field, dots & (dots &- 1) == 0, count != 0, count <= 24 else { return nil }
    if count > 19 {
        // More than 19 digits: fine when the leading zeros bring it down to 19.
        let zeros = UInt64(_mm256_testn_epi8_mask(t, t))
        let firstSignificant = (digits & ~zeros).trailingZeroBitCount
        guard (digits & ~lowBits(firstSignificant)).nonzeroBitCount <= 19 else { return nil }
    }
    let sign = Int(truncatingIfNeeded: minus)
    // d: the digits before the dot (all of them without one); the exponent is d − count.
    let d = dots == 0 ? count : dots.trailingZeroBitCount &- sign
    // The permutation right-aligns the digits in bytes 0..<24, dropping the dot; its other lanes
    // select the zero register. It is for an unsigned field: a minus moves every digit by one.
    let permutation = _mm256_loadu_epi8(digitPermutations + (count &* 25 &+ d) &* 32)
    let index = _mm256_add_epi8(permutation, _mm256_set1_epi8(Int8(truncatingIfNeeded: sign)))
    let aligned = _mm256_permutex2var_epi8(t, index, _mm256_setzero_si256())
    // Pairs, then groups of four, then of eight digits: three 8-digit integers.
    let pairs = _mm256_maddubs_epi16(aligned, _mm256_set1_epi16(0x010A))
    let fours = _mm256_madd_epi16(pairs, _mm256_set1_epi32(0x0001_0064))
    let packed = _mm256_packus_epi32(fours, fours)
    let eights = _mm256_madd_epi16(packed, _mm256_set1_epi32(0x0001_2710))
    let low = UInt64(bitPattern: eights[0]), high = UInt64(bitPattern: eights[2])
    let leading: UInt64 = (low & 0xFFFF_FFFF) &* 100_000_000 &+ (low &>> 32)
    let significand = leading &* 100_000_000 &+ (high & 0xFFFF_FFFF)
    return (significand, UInt64(bitPattern: Int64((d &- count) &* 2 &+ sign)), f &+ terminator &+ 1)
}

/// The high 64-bit words of 5^q for q = −31…0 (`powersOfFive` holds (high, low) pairs from
/// q = −342), in four registers: lane i of register g is q = −31 + 8g + i.
@inline(__always)
func highPowerWords(_ powersOfFive: UnsafePointer<UInt64>) -> (__m512i, __m512i, __m512i, __m512i) {
    let even = _mm512_set_epi64(14, 12, 10, 8, 6, 4, 2, 0)
    let first = powersOfFive + 2 &* (342 &- 31)
    func group(_ g: Int) -> __m512i {
        _mm512_permutex2var_epi64(_mm512_loadu_si512(first + 16 &* g), even, _mm512_loadu_si512(first + (16 &* g &+ 8)))
    }
    return (group(0), group(1), group(2), group(3))
}

/// `nearestDoubleBits` for eight fields at once, with the sign: lane i of `significands` is w
/// and lane i of `exponentsAndSigns` is 2·q + s (−31 ≤ q ≤ 0). Returns each lane's double bits,
/// and the lanes whose rounding needs the second 128-bit product or may be undecided (the high
/// product word ends in nine ones, or the low word is all ones): their bits are not valid and
/// the caller computes them with `nearestDoubleBits`. A zero significand gives ±0.
/// - Complexity: O(1): about 45 vector instructions, four 32×32→64-bit multiplies for the
///   64×64→128-bit product.
@inline(__always)
func nearestDoubleBitsEight(
    _ w: __m512i, _ exponentsAndSigns: __m512i,
    _ powers0: __m512i, _ powers1: __m512i, _ powers2: __m512i, _ powers3: __m512i
) -> (bits: __m512i, undecided: UInt8) {
    let one = _mm512_set1_epi64(1), allOnes = _mm512_set1_epi64(-1), low32 = _mm512_set1_epi64(0xFFFF_FFFF)
    let q = _mm512_srai_epi64(exponentsAndSigns, 1)
    let sign = _mm512_slli_epi64(exponentsAndSigns, 63)
    let leadingZeros = _mm512_lzcnt_epi64(w)
    let normalized = _mm512_sllv_epi64(w, leadingZeros)
    // The power's high word: entry q + 31 of the 32-entry table.
    let entry = _mm512_add_epi64(q, _mm512_set1_epi64(31))
    let upperHalf = _mm512_test_epi64_mask(entry, _mm512_set1_epi64(16))
    let power = _mm512_mask_blend_epi64(upperHalf, _mm512_permutex2var_epi64(powers0, entry, powers1),
                                        _mm512_permutex2var_epi64(powers2, entry, powers3))
    // normalized × power as 128 bits, from four 32×32→64-bit products.
    let normalizedHigh = _mm512_srli_epi64(normalized, 32), powerHigh = _mm512_srli_epi64(power, 32)
    let ll = _mm512_mul_epu32(normalized, power)
    let lh = _mm512_mul_epu32(normalized, powerHigh)
    let hl = _mm512_mul_epu32(normalizedHigh, power)
    let hh = _mm512_mul_epu32(normalizedHigh, powerHigh)
    let middle = _mm512_add_epi64(_mm512_add_epi64(_mm512_srli_epi64(ll, 32), _mm512_and_si512(lh, low32)),
                                  _mm512_and_si512(hl, low32))
    let low = _mm512_or_si512(_mm512_and_si512(ll, low32), _mm512_slli_epi64(middle, 32))
    let high = _mm512_add_epi64(_mm512_add_epi64(hh, _mm512_srli_epi64(lh, 32)),
                                _mm512_add_epi64(_mm512_srli_epi64(hl, 32), _mm512_srli_epi64(middle, 32)))
    let highTail = _mm512_andnot_si512(high, _mm512_set1_epi64(0x1FF))
    let lowComplement = _mm512_andnot_si512(low, allOnes)
    let undecided = _mm512_testn_epi64_mask(highTail, highTail) | _mm512_testn_epi64_mask(lowComplement, lowComplement)
    let upperBit = _mm512_srli_epi64(high, 63)
    let shift = _mm512_add_epi64(upperBit, _mm512_set1_epi64(9))
    var mantissa = _mm512_srlv_epi64(high, shift)
    var power2 = _mm512_add_epi64(
        _mm512_srai_epi64(_mm512_mul_epi32(q, _mm512_set1_epi64(152_170 + 65_536)), 16),
        _mm512_sub_epi64(_mm512_add_epi64(upperBit, _mm512_set1_epi64(63 + 1023)), leadingZeros))
    // Exactly halfway between two doubles: round to even instead of up.
    let back = _mm512_xor_si512(_mm512_sllv_epi64(mantissa, shift), high)
    let tie = _mm512_testn_epi64_mask(low, _mm512_set1_epi64(~1))
        & _mm512_testn_epi64_mask(_mm512_add_epi64(q, _mm512_set1_epi64(4)), _mm512_set1_epi64(Int64.min))
        & _mm512_testn_epi64_mask(_mm512_xor_si512(mantissa, one), _mm512_set1_epi64(3))
        & _mm512_testn_epi64_mask(back, back)
    mantissa = _mm512_mask_and_epi64(mantissa, tie, mantissa, _mm512_set1_epi64(~1))
    mantissa = _mm512_srli_epi64(_mm512_add_epi64(mantissa, _mm512_and_si512(mantissa, one)), 1)
    let carry = _mm512_srli_epi64(mantissa, 53)
    mantissa = _mm512_srlv_epi64(mantissa, carry)
    power2 = _mm512_add_epi64(power2, carry)
    let magnitude = _mm512_or_si512(_mm512_and_si512(mantissa, _mm512_set1_epi64((1 << 52) - 1)), _mm512_slli_epi64(power2, 52))
    let zero = _mm512_testn_epi64_mask(w, w)
    let bits = _mm512_mask_mov_epi64(_mm512_or_si512(magnitude, sign), zero, sign)
    return (bits, undecided & ~zero)
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

#endif
