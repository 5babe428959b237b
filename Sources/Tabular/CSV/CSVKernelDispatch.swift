// Which loops the CSV reader runs: the AVX-512 kernels of Sources/CSVKernelsAVX512 or the portable ones.
import CPUFeatures
import LinearAlgebra

/// Which kernel parses rows whose columns are all doubles: the AVX-512 VBMI kernel when the
/// processor runs it and `POLICYLAB_SIMD` is not `baseline`, else the scalar fused loop
/// (`CSVRangeParser.runDoubleRows`). The same choice picks pass 1's quote and line-feed count
/// (`CSVChunking.count`). Read once per process.
///
/// Both give the same bits: each value is the double nearest to its text (tested against
/// each other and against `Double(String)`); they differ only in which fields they leave to
/// the general loop, which gives the same value again.
public enum CSVKernelDispatch {
    /// The two kernels.
    public enum Kernel: String, Sendable {
        /// The scalar fused row loop (every processor).
        case scalar
        /// The AVX-512 VBMI row loop.
        case avx512
    }

    /// Whether this processor and operating system run the AVX-512 VBMI build.
    public static let avx512Supported: Bool = policylab_cpu_supports_avx512vbmi() != 0

    /// The kernel all-double rows use in this process.
    public static let active: Kernel = SIMDPreference.baselineRequested || !avx512Supported ? .scalar : .avx512
}
