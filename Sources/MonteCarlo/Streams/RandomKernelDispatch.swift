// The run-time choice between the two builds of the random-number lane kernels
// (Sources/RandomKernels/Lanes.swift explains why there are two).
import CPUFeatures
import LinearAlgebra

/// Which build of the lane kernels runs: the AVX2 build when the processor supports it and
/// `POLICYLAB_SIMD` is not `baseline` (read once per process). Both give identical bits
/// (tested), so the choice changes only speed.
public enum RandomKernelDispatch {
    /// The kernel builds.
    public enum Build: String, Sendable {
        /// SSE2, runs on every x86-64 processor (and is the only build elsewhere).
        case baseline
        /// The same source compiled for `haswell` (AVX2, FMA, BMI2).
        case avx2
    }

    /// Whether this processor can run the AVX2 build.
    public static let avx2Supported: Bool = policylab_cpu_supports_haswell() != 0

    /// The build the fills use in this process.
    public static let active: Build = {
        SIMDPreference.baselineRequested || !avx2Supported ? .baseline : .avx2
    }()
}
