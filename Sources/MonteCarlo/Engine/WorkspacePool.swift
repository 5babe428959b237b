import Synchronization

/// Reusable per-replicate scratch space: a replicate takes a workspace (or makes one), uses
/// it, and gives it back, so at most one workspace per concurrently running replicate is
/// ever created and large buffers are not reallocated (and page-faulted) per replicate.
///
/// Which workspace a replicate gets depends on timing; computations must therefore never
/// read what a previous replicate left in it (the engine's documented contract).
final class WorkspacePool<Workspace: Sendable>: Sendable {
    private let free = Mutex<[Workspace]>([])

    /// A free workspace, or a new one from `make`.
    func take(_ make: () throws -> Workspace) rethrows -> Workspace {
        if let workspace = free.withLock({ $0.popLast() }) { return workspace }
        return try make()
    }

    /// Returns a workspace for the next replicate.
    func give(_ workspace: Workspace) {
        free.withLock { $0.append(workspace) }
    }
}
