import Dispatch
import Synchronization

/// The one place that runs work on several threads.
///
/// A range `0..<count` is cut into chunks of a fixed `chunkSize` (the last one shorter):
/// the cut depends only on `count` and `chunkSize`, never on the thread count. Up to
/// `parallelism.threads` workers of `DispatchQueue.concurrentPerform` take chunks in
/// turn; each chunk's result lands in its own slot, and reductions combine the slots in
/// chunk order. So the result is bit-identical for 1, 2, 3 or 8 threads. While a region
/// runs, OpenBLAS is held single-threaded (`OpenBLASThreads`), so BLAS calls inside a
/// chunk do not oversubscribe the cores.
public enum Parallel {
    /// The chunks `0..<count` is cut into: `[0, c), [c, 2c), …`.
    /// - Precondition: `count >= 0`, `chunkSize >= 1`.
    /// - Complexity: O(count / chunkSize).
    public static func chunks(count: Int, chunkSize: Int) -> [Range<Int>] {
        precondition(count >= 0 && chunkSize >= 1, "Parallel.chunks needs count ≥ 0 and chunkSize ≥ 1")
        return stride(from: 0, to: count, by: chunkSize).map { $0..<Swift.min($0 + chunkSize, count) }
    }

    /// Computes `body(chunk)` for every chunk of `0..<count`, on up to `parallelism.threads`
    /// threads, and returns the results in chunk order.
    ///
    /// `body` runs concurrently with itself and must only write state it owns (its return
    /// value). If chunks throw, the error of the lowest-numbered failing chunk is rethrown
    /// (deterministically, for any thread count); whether chunks after it ran is unspecified.
    /// - Complexity: the cost of the chunks divided over the threads, plus O(chunks).
    public static func map<T: Sendable>(
        count: Int, chunkSize: Int, parallelism: Parallelism,
        _ body: @Sendable (Range<Int>) throws -> T
    ) throws -> [T] {
        let ranges = chunks(count: count, chunkSize: chunkSize)
        if ranges.isEmpty { return [] }
        let workers = Swift.min(parallelism.threads, ranges.count)
        if workers == 1 {
            return try OpenBLASThreads.singleThreaded { try ranges.map(body) }
        }
        let slots = UnsafeMutableBufferPointer<Result<T, any Error>?>.allocate(capacity: ranges.count)
        slots.initialize(repeating: nil)
        defer {
            slots.deinitialize()
            slots.deallocate()
        }
        let next = Atomic<Int>(0)
        // Each chunk index is claimed once through `next`, so every slot is written by
        // exactly one worker and read only after concurrentPerform returns.
        nonisolated(unsafe) let sharedSlots = slots
        OpenBLASThreads.singleThreaded {
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while true {
                    let index = next.add(1, ordering: .relaxed).oldValue
                    if index >= ranges.count { break }
                    sharedSlots[index] = Result { try body(ranges[index]) }
                }
            }
        }
        var results: [T] = []
        results.reserveCapacity(ranges.count)
        for slot in slots {
            guard let slot else { preconditionFailure("Parallel.map: a chunk was not computed") }
            results.append(try slot.get())
        }
        return results
    }

    /// Runs `body(chunk)` for every chunk of `0..<count` on up to `parallelism.threads` threads.
    /// Errors as in `map`.
    public static func forEach(
        count: Int, chunkSize: Int, parallelism: Parallelism,
        _ body: @Sendable (Range<Int>) throws -> Void
    ) throws {
        _ = try map(count: count, chunkSize: chunkSize, parallelism: parallelism, body)
    }

    /// Maps every chunk with `body` in parallel, then folds the partial results left to
    /// right in chunk order with `combine`: the same bits for any thread count.
    /// - Returns: `nil` when `count == 0`.
    public static func reduce<T: Sendable>(
        count: Int, chunkSize: Int, parallelism: Parallelism,
        _ body: @Sendable (Range<Int>) throws -> T,
        combine: (T, T) throws -> T
    ) throws -> T? {
        let partials = try map(count: count, chunkSize: chunkSize, parallelism: parallelism, body)
        guard var total = partials.first else { return nil }
        for partial in partials.dropFirst() { total = try combine(total, partial) }
        return total
    }
}
