import Foundation
import LinearAlgebra
import MonteCarlo

/// Throughput ceilings measured on the running machine, against which the microsimulation's
/// time is judged: how fast normals can be drawn and how fast memory can be read and copied.
public struct MachineCeilings: Sendable, Codable, Equatable {
    /// Nanoseconds per standard normal, bulk fill into a reused 2²²-value buffer, one thread.
    public let nanosecondsPerNormal1Thread: Double
    /// The same on all the run's threads (wall time per normal).
    public let nanosecondsPerNormalAllThreads: Double
    /// Read bandwidth (SIMD sum of 2²⁵ doubles, 256 MiB), one thread, GB/s.
    public let readGigabytesPerSecond1Thread: Double
    /// Read bandwidth on all the run's threads, GB/s.
    public let readGigabytesPerSecondAllThreads: Double
    /// Copy bandwidth (memcpy of 256 MiB; bytes read + written), one thread, GB/s.
    public let copyGigabytesPerSecond1Thread: Double

    /// Measures the ceilings (best of 5 for each; about two seconds in all).
    /// - Throws: only if the stream's range check fails (it cannot for these sizes).
    public static func measure(parallelism: Parallelism) throws -> MachineCeilings {
        func best(_ body: () throws -> Void) rethrows -> Double {
            var fastest = Double.infinity
            for _ in 0..<5 {
                let start = monotonicSeconds()
                try body()
                fastest = Swift.min(fastest, monotonicSeconds() - start)
            }
            return fastest
        }
        let normals = 1 << 22
        var buffer = [Double](repeating: 0, count: normals)
        let stream = RandomStream(seed: 1)
        let draw1 = try best { try stream.fill(.normal, into: &buffer) }
        let drawN = try best { try stream.fill(.normal, into: &buffer, parallelism: parallelism) }

        let count = 1 << 25
        let big = [Double](repeating: 1, count: count)
        var sink = 0.0
        let read1 = best { sink += VectorKernels.sum(big) }
        let chunk = count / Swift.max(1, parallelism.threads)
        let readN = best {
            let partials = (try? big.withUnsafeBufferPointer { b -> [Double] in
                nonisolated(unsafe) let shared = b  // read-only, outlives the region
                return try Parallel.map(count: count, chunkSize: chunk, parallelism: parallelism) { r in
                    VectorKernels.sum(UnsafeBufferPointer(rebasing: shared[r]))
                }
            }) ?? []
            sink += partials.reduce(0, +)
        }
        var copy = [Double](repeating: 0, count: count)
        let copy1 = best {
            copy.withUnsafeMutableBytes { d in big.withUnsafeBytes { s in
                if let dst = d.baseAddress, let src = s.baseAddress { _ = memcpy(dst, src, s.count) }
            } }
        }
        if sink == -1 || copy[count - 1] == -1 { print("") }  // keep the work observable
        let bytes = Double(count * 8)
        return MachineCeilings(
            nanosecondsPerNormal1Thread: draw1 * 1e9 / Double(normals),
            nanosecondsPerNormalAllThreads: drawN * 1e9 / Double(normals),
            readGigabytesPerSecond1Thread: bytes / read1 / 1e9,
            readGigabytesPerSecondAllThreads: bytes / readN / 1e9,
            copyGigabytesPerSecond1Thread: 2 * bytes / copy1 / 1e9)
    }

    /// The process's peak resident set size in MB (getrusage; 0 where unavailable).
    public static func maxResidentMegabytes() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
    }
}
