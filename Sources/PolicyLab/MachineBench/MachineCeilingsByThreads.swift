import Foundation
import LinearAlgebra

/// The machine's own ceilings at one thread count, measured in the same run as the kernels
/// that `MachineBench` judges against them: dgemm rate and memory bandwidth.
///
/// Unlike `MachineCeilings` (the microsimulation benchmark's draw rate and bandwidth on one
/// and all threads), these are measured at any thread count and include the dgemm rate.
public struct MachineCeilingsByThreads: Sendable, Codable, Equatable {
    /// Threads used (OpenBLAS threads for dgemm, `Parallel` workers for the memory passes).
    public let threads: Int
    /// Order n of the square dgemm measured (2n³ flops per product).
    public let dgemmSize: Int
    /// The best dgemm rate, GFLOP/s (10⁹ flops per second).
    public let dgemmGigaflops: Double
    /// Read bandwidth: OpenBLAS's ddot of an array of `arrayBytes` with itself (each element
    /// read once), GB/s (10⁹ bytes per second).
    public let readGigabytesPerSecond: Double
    /// Write bandwidth: `memset` of `arrayBytes`, GB/s.
    public let writeGigabytesPerSecond: Double
    /// STREAM triad a ← b + s·c over three such arrays, counted as STREAM does (24 bytes an
    /// element: two read, one written), GB/s. Reported for comparison with STREAM figures.
    public let triadGigabytesPerSecond: Double
    /// Bytes of each array the memory passes stream over (far larger than the caches).
    public let arrayBytes: Int

    /// Reusable arrays for the memory passes, so that each thread count measures warm memory
    /// (page faults excluded) and the arrays are allocated once per run.
    public final class Buffers: @unchecked Sendable {
        // Written only by the measuring passes, each chunk by one worker.
        var a: [Double]
        var b: [Double]
        var c: [Double]

        /// Three arrays of `count` doubles, touched once.
        /// - Complexity: O(count) time, 24·count bytes of memory.
        public init(count: Int) {
            a = [Double](repeating: 1, count: Swift.max(1, count))
            b = [Double](repeating: 2, count: Swift.max(1, count))
            c = [Double](repeating: 3, count: Swift.max(1, count))
        }
    }

    /// Measures the ceilings on `threads` threads: the best of `repeats` runs of each pass after
    /// one warm-up run. OpenBLAS's thread count is set to `threads` and restored afterwards.
    /// - Parameters:
    ///   - dgemmSize: n of the n × n dgemm (≥ 1).
    ///   - buffers: the arrays of the memory passes (their length sets `arrayBytes`).
    /// - Throws: `LinearAlgebraError` from the dgemm (not expected for valid sizes).
    /// - Complexity: (repeats + 1)·(2n³ flops + 5 passes over the arrays).
    public static func measure(threads: Int, dgemmSize: Int, buffers: Buffers, repeats: Int) throws -> MachineCeilingsByThreads {
        let parallelism = Parallelism(threads: threads)
        let n = Swift.max(1, dgemmSize)
        let a = Matrix(rows: n, columns: n) { i, j in Double((i &* 31 &+ j &* 17) % 1_000) / 1_000 }
        let b = Matrix(rows: n, columns: n) { i, j in Double((i &* 13 &+ j &* 7) % 1_000) / 1_000 }
        var c = Matrix(rows: n, columns: n)
        let saved = OpenBLASThreads.current
        OpenBLASThreads.set(parallelism.threads)
        let dgemm = try bestOf(repeats) { try BLAS.gemm(1, a.view, b.view, 0, &c) }
        OpenBLASThreads.set(saved)

        let count = buffers.a.count
        // One chunk per thread: the memory passes only time the machine, so the cut may
        // depend on the thread count here.
        let chunk = (count + parallelism.threads - 1) / parallelism.threads
        var sink = 0.0
        // Read through OpenBLAS's ddot (x·x reads x once), so that the ceiling is the same in a
        // debug build of PolicyLab as in a release build.
        let read = try bestOf(repeats) {
            let partials = try buffers.a.withUnsafeBufferPointer { source -> [Double] in
                nonisolated(unsafe) let shared = source  // read-only, outlives the region
                return try Parallel.map(count: count, chunkSize: chunk, parallelism: parallelism) { range in
                    let part = UnsafeBufferPointer(rebasing: shared[range])
                    return try BLAS.dot(part, part)
                }
            }
            sink += partials.reduce(0, +)
        }
        let write = try bestOf(repeats) {
            try buffers.b.withUnsafeMutableBufferPointer { target in
                nonisolated(unsafe) let shared = target  // each chunk writes its own range
                try Parallel.forEach(count: count, chunkSize: chunk, parallelism: parallelism) { range in
                    let part = UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: shared[range]))
                    if let base = part.baseAddress { memset(base, 0x3F, part.count) }
                }
            }
        }
        let triad = try bestOf(repeats) {
            try buffers.a.withUnsafeMutableBufferPointer { target in
                try buffers.b.withUnsafeBufferPointer { left in
                    try buffers.c.withUnsafeBufferPointer { right in
                        // Each chunk writes its own range of `target`; `left`, `right` are read-only.
                        nonisolated(unsafe) let t = target
                        nonisolated(unsafe) let l = left
                        nonisolated(unsafe) let r = right
                        try Parallel.forEach(count: count, chunkSize: chunk, parallelism: parallelism) { range in
                            for i in range { t[i] = l[i] + 3 * r[i] }
                        }
                    }
                }
            }
        }
        if sink.isNaN || c[0, 0].isNaN { FileHandle.standardError.write(Data()) }  // keep the work observable
        let bytes = Double(count * 8)
        return MachineCeilingsByThreads(
            threads: parallelism.threads, dgemmSize: n, dgemmGigaflops: 2 * Double(n) * Double(n) * Double(n) / dgemm / 1e9,
            readGigabytesPerSecond: bytes / read / 1e9, writeGigabytesPerSecond: bytes / write / 1e9,
            triadGigabytesPerSecond: 3 * bytes / triad / 1e9, arrayBytes: count * 8)
    }

    /// The time bound of `work` at these ceilings: the larger of its flops at the dgemm rate
    /// and its memory traffic (bytes read at the read bandwidth plus bytes written at the
    /// write bandwidth), with which of the two it is.
    /// - Returns: nil when the work counts neither flops nor bytes.
    public func bound(of work: MachineBench.Work) -> (seconds: Double, limit: MachineBench.Limit)? {
        let compute = work.flops / (dgemmGigaflops * 1e9)
        let memory = work.bytesRead / (readGigabytesPerSecond * 1e9) + work.bytesWritten / (writeGigabytesPerSecond * 1e9)
        guard compute > 0 || memory > 0, compute.isFinite, memory.isFinite else { return nil }
        return compute >= memory ? (compute, .compute) : (memory, .memory)
    }

    /// The fastest of one warm-up and then `repeats` runs of `body`, in seconds (warm-up excluded).
    static func bestOf(_ repeats: Int, _ body: () throws -> Void) throws -> Double {
        try body()
        var best = Double.infinity
        for _ in 0..<Swift.max(1, repeats) { best = Swift.min(best, try Stopwatch.time(body).seconds) }
        return best
    }
}
