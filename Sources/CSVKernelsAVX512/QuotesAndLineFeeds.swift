// Pass 1 of the CSV reader (Tabular's `CSVChunking.count`) on AVX-512: the quotes and line feeds
// of a chunk, 64 bytes a step. Compiled for `cannonlake` like the row loop in this module, and
// entered only through `CSVKernelDispatch`.

#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// The number of `"` bytes and of line feeds in `p[start..<end]`.
///
/// Reads only those bytes: the last partial step uses a masked load, which does not touch the
/// bytes it leaves out.
/// - Complexity: O(end − start): two byte compares and two population counts per 64 bytes.
/// - Precondition: the processor runs `cannonlake` code; `start ≤ end`. Off x86-64 this counts
///   nothing and returns zeros.
public func countQuotesAndLineFeedsAVX512(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int) -> (quotes: Int, lineFeeds: Int) {
    #if arch(x86_64)
    let quote = _mm512_set1_epi8(34), lineFeed = _mm512_set1_epi8(10)
    var quotes = 0, lineFeeds = 0
    var i = start
    while i &+ 64 <= end {
        let v = _mm512_loadu_epi8(p + i)
        let q = _mm512_xor_si512(v, quote), n = _mm512_xor_si512(v, lineFeed)
        quotes &+= _mm512_testn_epi8_mask(q, q).nonzeroBitCount
        lineFeeds &+= _mm512_testn_epi8_mask(n, n).nonzeroBitCount
        i &+= 64
    }
    if i < end {
        let present = (UInt64(1) &<< UInt64(truncatingIfNeeded: end &- i)) &- 1
        let v = _mm512_maskz_loadu_epi8(present, p + i)
        let q = _mm512_xor_si512(v, quote), n = _mm512_xor_si512(v, lineFeed)
        quotes &+= (_mm512_testn_epi8_mask(q, q) & present).nonzeroBitCount
        lineFeeds &+= (_mm512_testn_epi8_mask(n, n) & present).nonzeroBitCount
    }
    return (quotes, lineFeeds)
    #else
    // Off x86-64 there is no such kernel: nothing is counted. `CSVKernelDispatch` never chooses
    // it there (`policylab_cpu_supports_avx512vbmi()` is 0).
    return (0, 0)
    #endif
}
