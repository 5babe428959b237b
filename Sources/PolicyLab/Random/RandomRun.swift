import Foundation
import LinearAlgebra
import MonteCarlo

/// `policylab random`: draws a stream of variates, summarizes them and optionally writes
/// them as raw little-endian float64.
///
/// Everything in the report except `run` (threads, timings) is a function of the
/// arguments alone: the draws and the summary are bit-identical for any thread count.
public struct RandomRun: Sendable {
    /// The distribution drawn.
    public let kind: RandomStream.Kind
    /// Number of variates.
    public let count: Int
    /// The stream (seed, replicate).
    public let stream: RandomStream
    /// Timed repetitions of the fill (the reported time is the best).
    public let repeats: Int
    /// Threads for the fill and the summary.
    public let parallelism: Parallelism

    /// A run; nothing is drawn until `run()`.
    /// - Throws: `PolicyLabError.invalidArgument` for a negative count or repeats < 1.
    public init(kind: RandomStream.Kind, count: Int, seed: UInt64, replicate: UInt32 = 0, repeats: Int = 1,
                parallelism: Parallelism) throws {
        guard count >= 0 else { throw PolicyLabError.invalidArgument(name: "--count", reason: "must be ≥ 0, got \(count)") }
        guard repeats >= 1 else { throw PolicyLabError.invalidArgument(name: "--repeat", reason: "must be ≥ 1, got \(repeats)") }
        self.kind = kind
        self.count = count
        self.stream = RandomStream(seed: seed, replicate: replicate)
        self.repeats = repeats
        self.parallelism = parallelism
    }

    /// The JSON report: `run` holds the only machine-dependent values.
    public struct Report: Codable, Sendable, Equatable {
        /// "normal" or "uniform".
        public let distribution: String
        /// Number of variates drawn.
        public let count: Int
        /// The stream's seed.
        public let seed: UInt64
        /// The stream's replicate.
        public let replicate: UInt32
        /// Mean of the draws (NaN-free; 0 for an empty draw).
        public let mean: Double
        /// Unbiased sample variance (0 for fewer than two draws).
        public let variance: Double
        /// The generator and address mapping, for the record.
        public let generator: String
        /// Machine-dependent values: the only part that may differ between runs.
        public let run: Timing
        /// Threads and seconds of the fill (best and every repetition).
        public struct Timing: Codable, Sendable, Equatable {
            /// Threads used.
            public let threads: Int
            /// The best fill time in seconds.
            public let seconds: Double
            /// Every repetition's fill time in seconds.
            public let allSeconds: [Double]
            /// Best time per variate in nanoseconds.
            public let nanosecondsPerVariate: Double
            /// The build of the random-number kernels that ran: `baseline` (SSE2) or `avx2`
            /// (chosen at run time; `POLICYLAB_SIMD=baseline` forces the first).
            public let kernels: String
        }
    }

    /// Draws the variates `repeats` times, summarizes the last draw and writes it to `rawPath`.
    /// - Throws: `PolicyLabError.file` if the raw file cannot be written; `MonteCarloError` for
    ///   a count beyond the stream's address space.
    /// - Complexity: O(count) per repetition; memory: count doubles.
    public func run(rawPath: String? = nil) throws -> Report {
        var values: [Double] = []
        var seconds: [Double] = []
        for _ in 0..<repeats {
            values = []
            let (drawn, elapsed) = try Stopwatch.time { try stream.fill(kind, count: count, parallelism: parallelism) }
            values = drawn
            seconds.append(elapsed)
        }
        let moments = SampleMoments(values, parallelism: parallelism)
        if let rawPath { try Self.writeRaw(values, to: rawPath) }
        let best = seconds.min() ?? 0
        return Report(
            distribution: kind.rawValue, count: count, seed: stream.seed, replicate: stream.replicate,
            mean: moments.mean, variance: moments.variance,
            generator: "Philox4x32-10; key = seed halves, counter = (block, unit, replicate, 0); variate i at unit i / 2^32, slot i mod 2^32",
            run: .init(threads: parallelism.threads, seconds: best, allSeconds: seconds,
                       nanosecondsPerVariate: count > 0 ? best * 1e9 / Double(count) : 0,
                       kernels: RandomKernelDispatch.active.rawValue))
    }

    /// Writes little-endian float64 values, no header.
    static func writeRaw(_ x: [Double], to path: String) throws {
        let data = x.withUnsafeBufferPointer { buffer -> Data in
            if 1.littleEndian == 1 { return Data(buffer: buffer) }
            return Data(buffer.map(\.bitPattern.littleEndian).withUnsafeBufferPointer { Data(buffer: $0) })
        }
        do {
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            throw PolicyLabError.file(path: path, reason: "cannot be written (\(error.localizedDescription))")
        }
    }

    /// The report as one line of JSON with sorted keys.
    public static func json(_ report: Report) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }
}
