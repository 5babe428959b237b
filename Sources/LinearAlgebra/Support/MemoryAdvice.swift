#if canImport(Glibc)
import Glibc
#endif

/// Hints to the kernel about large buffers that are filled right after allocation (CSV columns,
/// residual vectors).
public enum MemoryAdvice {
    /// Asks Linux to back the 2 MiB-aligned part of `buffer` with transparent huge pages, so
    /// filling a large column takes a few hundred page faults instead of one per 4 KiB. It is
    /// advice: nothing changes when huge pages are off, and errors are ignored.
    /// - Complexity: O(1) (one system call for buffers of 4 MiB or more).
    public static func preferHugePages(_ buffer: UnsafeMutableRawBufferPointer) {
        #if canImport(Glibc)
        let huge = 2 << 20
        guard let base = buffer.baseAddress, buffer.count >= 2 * huge else { return }
        let start = (Int(bitPattern: base) + huge - 1) & ~(huge - 1)
        let end = (Int(bitPattern: base) + buffer.count) & ~(huge - 1)
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(aligned, end - start, MADV_HUGEPAGE)
        #endif
    }

    /// An empty array with room for `capacity` elements, huge-page backed where possible,
    /// holding `prefix` first.
    /// - Complexity: O(prefix.count).
    public static func array<T>(reserving capacity: Int, prefix: [T]) -> [T] {
        guard capacity > prefix.count else { return prefix }
        var out = [T](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            preferHugePages(UnsafeMutableRawBufferPointer(buffer))
            initialized = 0
        }
        out.append(contentsOf: prefix)
        return out
    }
}
