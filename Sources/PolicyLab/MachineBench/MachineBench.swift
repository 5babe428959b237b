import Foundation
import LinearAlgebra

/// `policylab bench`: runs PolicyLab's core kernels on generated data at a few sizes and
/// thread counts, measures the machine's own ceilings in the same run (dgemm rate, read and
/// write bandwidth), and reports each kernel's throughput, the fraction of its ceiling it
/// reaches and its speed-up from the smallest to the largest thread count.
///
/// The kernels (`kernelNames`): dense `gemm`; XᵀX (`gram`); OLS with HC1 standard errors
/// (`ols-hc1`); a two-way fixed-effect fit whose cost is the demeaning (`fe-2way`); bulk
/// standard normals (`normals`); the model-based simulation's expected values over β draws
/// (`ev-draws`); the synthetic proxy-means-test microsimulation through the Monte Carlo engine
/// (`microsim`); and a CMA-ES run on Rosenbrock (`cmaes`).
///
/// "Fraction of the ceiling" is a roofline: each kernel declares the least work any
/// implementation must do (`Work`: flops, bytes read, bytes written — documented per kernel
/// in `MachineBench+Kernels.swift`), the ceilings at the same thread count turn that into a
/// lower bound on the time (the larger of flops / dgemm rate and the memory traffic at the
/// measured bandwidths), and the fraction is bound / measured time. It is near 1 for a
/// kernel that runs at the machine's limit and small for one bound by something the
/// ceilings do not model (random-number arithmetic, sorting, an optimizer's bookkeeping).
/// No timing is ever compared with a threshold: the figures are for reading.
public struct MachineBench: Sendable {
    /// The least work of one kernel run, from which the roofline bound is computed.
    public struct Work: Sendable, Codable, Equatable {
        /// Floating-point operations (a multiply-add counts 2).
        public var flops: Double
        /// Bytes that must come from memory at least once.
        public var bytesRead: Double
        /// Bytes that must be written to memory at least once.
        public var bytesWritten: Double

        /// Work of `flops` operations reading `bytesRead` and writing `bytesWritten` bytes.
        public init(flops: Double = 0, bytesRead: Double = 0, bytesWritten: Double = 0) {
            self.flops = flops
            self.bytesRead = bytesRead
            self.bytesWritten = bytesWritten
        }
    }

    /// Which ceiling bounds a kernel's time.
    public enum Limit: String, Sendable, Codable {
        /// Its flops at the dgemm rate.
        case compute
        /// Its bytes at the measured bandwidths.
        case memory
    }

    /// One step of a run, for a progress display.
    public struct Step: Sendable, Equatable {
        /// 1-based step number.
        public let index: Int
        /// Steps in the run.
        public let total: Int
        /// What is being measured, e.g. "gemm 1000×1000, 2 threads".
        public let label: String
    }

    /// The kernels every run measures, in report order.
    public static let kernelNames = ["gemm", "gram", "ols-hc1", "fe-2way", "normals", "ev-draws", "microsim", "cmaes"]

    /// Whether the small configuration (`--quick`: 4 s on a quiet 2-core machine, 5–10 s under load) is used.
    public let quick: Bool
    /// Thread counts, ascending and distinct; speed-ups are from the first to the last.
    public let threads: [Int]
    /// Sizes and repetitions of the configuration.
    let sizes: Sizes

    /// A benchmark run; `threads` nil means 1 and all cores.
    /// - Parameter scale: Multiplies every problem size (rows, counts, draws; with floors that
    ///   keep each problem meaningful), in (0, 1]. Below 1 only for tests: small problems fit
    ///   in cache and their figures do not describe the machine.
    /// - Throws: `PolicyLabError.invalidArgument` for an empty list, a count below 1 or
    ///   above 1,024, or a scale outside (0, 1].
    public init(quick: Bool, threads: [Int]? = nil, scale: Double = 1) throws {
        guard scale > 0, scale <= 1 else {
            throw PolicyLabError.invalidArgument(name: "scale", reason: "must be in (0, 1], got \(scale)")
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let list = threads ?? [1, cores]
        guard !list.isEmpty else {
            throw PolicyLabError.invalidArgument(name: "--threads-list", reason: "needs at least one thread count")
        }
        if let bad = list.first(where: { $0 < 1 || $0 > 1_024 }) {
            throw PolicyLabError.invalidArgument(name: "--threads-list", reason: "thread counts must be in 1...1024, got \(bad)")
        }
        self.quick = quick
        self.threads = Array(Set(list)).sorted()
        self.sizes = (quick ? Sizes.quick : Sizes.standard).scaled(by: scale)
    }

    /// Runs every kernel at every thread count after measuring the ceilings.
    ///
    /// Kernel by kernel: its data is generated (untimed, from fixed seeds), then for each
    /// thread count it runs once untimed and `repeats` times timed; the best time is
    /// reported with the median. OpenBLAS's thread count is set per measurement and
    /// restored at the end.
    /// - Parameter progress: Called before each step (ceilings per thread count, then each
    ///   kernel and size per thread count).
    /// - Throws: errors of the kernels (not expected: the data is generated valid).
    /// - Complexity: on the 2-core benchmark machine with 1 and 2 threads, 4 s (`quick`) or 35 s
    ///   when quiet; up to 2–3 times that under load from other processes.
    public func run(progress: ((Step) -> Void)? = nil) throws -> MachineBenchReport {
        let started = Stopwatch.now()
        let loadAtStart = MachineBenchReport.Machine.loadAverage()
        let savedBLAS = OpenBLASThreads.current
        defer { OpenBLASThreads.set(savedBLAS) }
        let builders = caseBuilders()
        let total = threads.count * (1 + builders.count)
        var step = 0
        func announce(_ label: String, _ threads: Int) {
            step += 1
            progress?(Step(index: step, total: total, label: "\(label), \(threads == 1 ? "1 thread" : "\(threads) threads")"))
        }

        var ceilings: [MachineCeilingsByThreads] = []
        do {
            let buffers = MachineCeilingsByThreads.Buffers(count: sizes.bandwidthCount)
            for t in threads {
                announce("ceilings", t)
                ceilings.append(try MachineCeilingsByThreads.measure(threads: t, dgemmSize: sizes.ceilingDGEMM, buffers: buffers,
                                                                     repeats: sizes.repeats))
            }
        }

        var rows: [MachineBenchReport.Measurement] = []
        for build in builders {
            let benchCase = try build()
            var caseRows: [MachineBenchReport.Measurement] = []
            for (index, t) in threads.enumerated() {
                announce("\(benchCase.kernel) \(benchCase.size)", t)
                let parallelism = Parallelism(threads: t)
                OpenBLASThreads.set(t)
                var checksum = try benchCase.run(parallelism)  // warm-up
                var times: [Double] = []
                for _ in 0..<sizes.repeats {
                    let (value, seconds) = try Stopwatch.time { try benchCase.run(parallelism) }
                    checksum = value
                    times.append(Swift.max(seconds, 1e-9))
                }
                let timing = TimingSummary(times)
                let bound = ceilings[index].bound(of: benchCase.work)
                let base = caseRows.first
                caseRows.append(MachineBenchReport.Measurement(
                    kernel: benchCase.kernel, size: benchCase.size, threads: t, seconds: timing.best, medianSeconds: timing.median,
                    repeats: times.count, throughput: benchCase.amount / timing.best / benchCase.unitScale,
                    throughputUnit: benchCase.unit, flops: benchCase.work.flops, bytesRead: benchCase.work.bytesRead,
                    bytesWritten: benchCase.work.bytesWritten, boundSeconds: bound?.seconds, limit: bound?.limit,
                    ceilingFraction: bound.map { $0.seconds / timing.best },
                    speedup: base.map { $0.seconds / timing.best } ?? 1, checksum: checksum))
            }
            rows += caseRows
        }
        let scaling: [MachineBenchReport.Scaling] = threads.count < 2 ? [] : stride(from: 0, to: rows.count, by: threads.count).map { i in
            let first = rows[i], last = rows[i + threads.count - 1]
            return .init(kernel: first.kernel, size: first.size, fromThreads: first.threads, toThreads: last.threads,
                         speedup: first.seconds / last.seconds)
        }
        return MachineBenchReport(
            version: PolicyLabVersion.current, quick: quick, threads: threads, machine: .current(), loadAverageStart: loadAtStart,
            loadAverageEnd: MachineBenchReport.Machine.loadAverage(), ceilings: ceilings, kernels: rows, scaling: scaling,
            seconds: Stopwatch.now() - started)
    }
}

extension MachineBench {
    /// Problem sizes of a configuration.
    struct Sizes: Sendable {
        var gemm: [Int]
        var gram: [(rows: Int, columns: Int)]
        var ols: (rows: Int, columns: Int)
        var fixedEffectRows: Int
        var normals: Int
        var expectedValues: (units: Int, coefficients: Int, draws: Int)
        var microsimulation: (households: Int, replicates: Int)
        var cmaesEvaluations: Int
        var ceilingDGEMM: Int
        var bandwidthCount: Int
        var repeats: Int

        /// `--quick`: 4 s on a quiet 2-core machine with 1 and 2 threads (8 s under load).
        static let quick = Sizes(
            gemm: [1_000], gram: [(200_000, 20), (200_000, 100)], ols: (200_000, 20), fixedEffectRows: 200_000,
            normals: 10_000_000, expectedValues: (20_000, 20, 2_000), microsimulation: (100_000, 4),
            cmaesEvaluations: 50_000, ceilingDGEMM: 1_500, bandwidthCount: 1 << 24, repeats: 2)

        /// The default: about the sizes of the peer benchmarks; 35 s on a quiet 2-core machine (85 s under load).
        static let standard = Sizes(
            gemm: [500, 2_000], gram: [(1_000_000, 20), (500_000, 100)], ols: (1_000_000, 20), fixedEffectRows: 1_000_000,
            normals: 50_000_000, expectedValues: (100_000, 20, 10_000), microsimulation: (1_000_000, 8),
            cmaesEvaluations: 200_000, ceilingDGEMM: 2_500, bandwidthCount: 1 << 25, repeats: 3)

        /// Every size times `factor` (gemm orders by its cube root), with floors.
        func scaled(by factor: Double) -> Sizes {
            if factor == 1 { return self }
            func times(_ value: Int, floor: Int) -> Int { Swift.max(floor, Int(Double(value) * factor)) }
            let cubeRoot = Foundation.cbrt(factor)
            return Sizes(
                gemm: gemm.map { Swift.max(32, Int(Double($0) * cubeRoot)) },
                gram: gram.map { (times($0.rows, floor: 1_000), $0.columns) },
                ols: (times(ols.rows, floor: 1_000), ols.columns), fixedEffectRows: times(fixedEffectRows, floor: 10_000),
                normals: times(normals, floor: 10_000),
                expectedValues: (times(expectedValues.units, floor: 1_000), expectedValues.coefficients,
                                 times(expectedValues.draws, floor: 128)),
                microsimulation: (times(microsimulation.households, floor: 2_000), microsimulation.replicates),
                cmaesEvaluations: times(cmaesEvaluations, floor: 2_000), ceilingDGEMM: Swift.max(200, Int(Double(ceilingDGEMM) * cubeRoot)),
                bandwidthCount: times(bandwidthCount, floor: 1 << 22), repeats: repeats)
        }
    }
}

extension Stopwatch {
    /// Seconds on the monotonic clock (for durations only).
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
