import CPolicyLabHeader
import Glibc
import PolicyLab

// The library-wide entry points of include/policylab.h: version, errors, memory, threads.

/// "" in static storage (a string literal is NUL-terminated): what `policylab_last_error()`
/// returns when the thread's last call succeeded.
private let emptyLiteral: StaticString = ""
private var emptyCString: UnsafePointer<CChar> { UnsafeRawPointer(emptyLiteral.utf8Start).assumingMemoryBound(to: CChar.self) }

/// `policylab_version()`'s string, allocated once and never freed ("" if that allocation failed).
/// Written only by its lazy initializer, then read-only: safe to share across threads.
nonisolated(unsafe) private let versionCString: UnsafePointer<CChar> = strdup(PolicyLabVersion.current).map { UnsafePointer($0) } ?? emptyCString

@c @implementation
public func policylab_version() -> UnsafePointer<CChar>? {
    versionCString
}

@c @implementation
public func policylab_last_error() -> UnsafePointer<CChar>? {
    LastError.current ?? emptyCString
}

@c @implementation
public func policylab_free(_ pointer: UnsafeMutableRawPointer?) {
    free(pointer)
}

@c @implementation
public func policylab_set_threads(_ threads: Int32) -> Int32 {
    entryPoint {
        guard threads >= 0 else { throw ABIError.argument("threads must be 0 (one per core) or positive, got \(threads)") }
        threadSetting.store(Int(threads), ordering: .relaxed)
    }
}
