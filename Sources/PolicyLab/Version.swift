/// The version of PolicyLab, as `policylab_version()` (the C ABI) reports it.
public enum PolicyLabVersion {
    /// Semantic version: the major number changes when the C ABI (`include/policylab.h`) or a
    /// public Swift API breaks.
    public static let current = "0.1.0"
}
