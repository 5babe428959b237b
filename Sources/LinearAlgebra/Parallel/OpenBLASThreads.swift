import CLAPACK
import Synchronization

/// Keeps the one-owner-of-threads rule: while any `Parallel` region runs, OpenBLAS is
/// single-threaded; when the last region ends, its previous thread count comes back.
///
/// `openblas_set_num_threads` is process-wide in Debian's OpenBLAS 0.3.21, so regions
/// (possibly nested, possibly started from several threads) are counted under a lock.
public enum OpenBLASThreads {
    private struct State {
        var depth = 0
        var saved: Int32 = 1
    }

    private static let state = Mutex(State())

    /// OpenBLAS's current thread count for BLAS calls made outside parallel regions.
    public static var current: Int { Int(openblas_get_num_threads()) }

    /// Sets OpenBLAS's thread count for large BLAS calls made from one thread (values below 1 mean 1).
    /// Inside a parallel region the new count takes effect when the region ends.
    public static func set(_ threads: Int) {
        let wanted = Int32(clamping: Swift.max(1, threads))
        state.withLock { s in
            if s.depth == 0 { openblas_set_num_threads(wanted) } else { s.saved = wanted }
        }
    }

    /// Runs `body` with OpenBLAS held at one thread (nesting allowed), so every BLAS/LAPACK
    /// call inside gives the same bits whatever OpenBLAS's thread count is elsewhere. Work
    /// inside may still use `Parallel`, whose regions are single-threaded for OpenBLAS anyway.
    public static func singleThreaded<R>(_ body: () throws -> R) rethrows -> R {
        state.withLock { s in
            if s.depth == 0 {
                s.saved = openblas_get_num_threads()
                openblas_set_num_threads(1)
            }
            s.depth += 1
        }
        defer {
            state.withLock { s in
                s.depth -= 1
                if s.depth == 0 { openblas_set_num_threads(s.saved) }
            }
        }
        return try body()
    }
}
