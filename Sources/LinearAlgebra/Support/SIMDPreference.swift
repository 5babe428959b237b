import Foundation

/// The one switch over PolicyLab's run-time choice of SIMD kernels: `POLICYLAB_SIMD=baseline`
/// makes every dispatcher (random-number lanes in MonteCarlo, Gram products here) take the
/// build or path that runs on any x86-64 processor, to reproduce on a wider processor the bits
/// of a narrower one or to compare speeds.
public enum SIMDPreference {
    /// Whether `POLICYLAB_SIMD` is `baseline` (read once per process).
    public static let baselineRequested: Bool = ProcessInfo.processInfo.environment["POLICYLAB_SIMD"] == "baseline"
}
