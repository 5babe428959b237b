import Foundation

/// How many threads a computation may use. Passed explicitly to every parallel
/// algorithm (never read from global state), so a caller always knows what runs.
///
/// The thread count never changes a result: work is cut into chunks that depend
/// only on the problem size, and partial results are combined in chunk order.
public struct Parallelism: Sendable, Equatable, CustomStringConvertible {
    /// The number of threads, at least 1.
    public let threads: Int

    /// Up to `threads` threads; values below 1 mean 1.
    public init(threads: Int) {
        self.threads = Swift.max(1, threads)
    }

    /// One thread: everything runs on the caller's thread.
    public static let serial = Parallelism(threads: 1)

    /// One thread per active processor core.
    public static var allCores: Parallelism {
        Parallelism(threads: ProcessInfo.processInfo.activeProcessorCount)
    }

    /// "N thread(s)".
    public var description: String { threads == 1 ? "1 thread" : "\(threads) threads" }
}
