import Foundation

/// What `MachineBench.run` measured: the machine, its ceilings per thread count, every
/// kernel at every thread count, and the speed-ups. `json()` is the machine-readable form
/// (`policylab bench --json`), `text()` the table.
public struct MachineBenchReport: Sendable, Codable, Equatable {
    /// The machine the run measured.
    public struct Machine: Sendable, Codable, Equatable {
        /// Active processor cores.
        public let cores: Int
        /// Physical memory, bytes.
        public let memoryBytes: Double
        /// CPU model name (from /proc/cpuinfo; "unknown" elsewhere).
        public let cpu: String
        /// Operating system version string.
        public let operatingSystem: String

        /// The running machine.
        /// - Complexity: reads /proc/cpuinfo once.
        public static func current() -> Machine {
            let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
            let model = info.split(separator: "\n").first { $0.hasPrefix("model name") }
                .flatMap { $0.split(separator: ":", maxSplits: 1).last }
                .map { $0.trimmingCharacters(in: .whitespaces) }
            return Machine(cores: ProcessInfo.processInfo.activeProcessorCount,
                           memoryBytes: Double(ProcessInfo.processInfo.physicalMemory), cpu: model ?? "unknown",
                           operatingSystem: ProcessInfo.processInfo.operatingSystemVersionString)
        }

        /// The 1, 5 and 15 minute load averages (empty where unavailable). On a shared machine
        /// a load above the core count means the timings are not the machine's best.
        public static func loadAverage() -> [Double] {
            var loads = [Double](repeating: 0, count: 3)
            let got = loads.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { getloadavg($0, 3) } ?? -1 }
            return got == 3 ? loads : []
        }
    }

    /// One kernel at one size and thread count.
    public struct Measurement: Sendable, Codable, Equatable {
        /// Kernel name (`MachineBench.kernelNames`).
        public let kernel: String
        /// Problem size, e.g. "1000000×20".
        public let size: String
        /// Threads.
        public let threads: Int
        /// Best time of the timed runs, seconds.
        public let seconds: Double
        /// Median time, seconds.
        public let medianSeconds: Double
        /// Timed runs (after one untimed warm-up run).
        public let repeats: Int
        /// Throughput at the best time, in `throughputUnit`.
        public let throughput: Double
        /// E.g. "GFLOP/s", "M normals/s".
        public let throughputUnit: String
        /// The least flops of one run (the roofline's compute side).
        public let flops: Double
        /// The least bytes read from memory in one run.
        public let bytesRead: Double
        /// The least bytes written to memory in one run.
        public let bytesWritten: Double
        /// The roofline bound on the time at this thread count's ceilings (nil: no roofline).
        public let boundSeconds: Double?
        /// Which ceiling gives the bound.
        public let limit: MachineBench.Limit?
        /// `boundSeconds / seconds`: 1 at the ceiling (a little above 1 is measurement noise
        /// or a kernel that beats the simple bandwidth model, e.g. by overlapping reads).
        public let ceilingFraction: Double?
        /// Time at the smallest thread count over this time (1 for the smallest).
        public let speedup: Double
        /// A sanity figure of the result (identical across thread counts for the kernels whose
        /// results do not depend on threads).
        public let checksum: Double
    }

    /// The speed-up of one kernel and size from the smallest to the largest thread count.
    public struct Scaling: Sendable, Codable, Equatable {
        /// Kernel name.
        public let kernel: String
        /// Problem size.
        public let size: String
        /// The smallest thread count measured.
        public let fromThreads: Int
        /// The largest.
        public let toThreads: Int
        /// Time at `fromThreads` over time at `toThreads`.
        public let speedup: Double
    }

    /// PolicyLab's version.
    public let version: String
    /// Whether the quick configuration ran.
    public let quick: Bool
    /// Thread counts, ascending.
    public let threads: [Int]
    /// The machine.
    public let machine: Machine
    /// Load averages when the run started.
    public let loadAverageStart: [Double]
    /// Load averages when it ended.
    public let loadAverageEnd: [Double]
    /// Ceilings, one per thread count.
    public let ceilings: [MachineCeilingsByThreads]
    /// Measurements, kernel by kernel, each at every thread count.
    public let kernels: [Measurement]
    /// Speed-ups (empty with one thread count).
    public let scaling: [Scaling]
    /// Wall time of the whole run, data generation included, seconds.
    public let seconds: Double

    /// One line of JSON with snake_case keys, sorted.
    /// - Throws: `EncodingError` (not expected: every number is finite or nil).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The report as aligned text tables: machine and load, ceilings, kernels.
    public func text() -> String {
        var lines: [String] = []
        let load = { (l: [Double]) in l.isEmpty ? "n/a" : l.map { String(format: "%.2f", $0) }.joined(separator: " ") }
        lines.append("PolicyLab \(version) bench\(quick ? " --quick" : ""): \(machine.cpu), \(machine.cores) cores, "
                     + String(format: "%.1f GiB", machine.memoryBytes / 1_073_741_824) + "; threads "
                     + threads.map(String.init).joined(separator: ", "))
        lines.append("load average \(load(loadAverageStart)) at start, \(load(loadAverageEnd)) at end"
                     + (loadAverageStart.first.map { $0 > Double(machine.cores) / 2 ? " (busy machine: figures are noisy)" : "" } ?? ""))
        lines.append("")
        lines.append("Ceilings measured in this run")
        var table = [["threads", "dgemm GFLOP/s", "read GB/s", "write GB/s", "triad GB/s"]]
        for c in ceilings {
            table.append(["\(c.threads)", Self.number(c.dgemmGigaflops), Self.number(c.readGigabytesPerSecond),
                          Self.number(c.writeGigabytesPerSecond), Self.number(c.triadGigabytesPerSecond)])
        }
        lines += Self.align(table, left: [])
        lines.append("")
        table = [["kernel", "size", "threads", "time", "throughput", "bound", "of ceiling", "speed-up"]]
        for m in kernels {
            table.append([m.kernel, m.size, "\(m.threads)", Self.duration(m.seconds),
                          Self.number(m.throughput) + " " + m.throughputUnit, m.limit?.rawValue ?? "-",
                          m.ceilingFraction.map(Self.percent) ?? "-",
                          m.threads == threads.first ? "" : String(format: "%.2f×", m.speedup)])
        }
        lines += Self.align(table, left: [0, 1, 4, 5])
        lines.append("")
        lines.append("time: best of \(kernels.first?.repeats ?? 0) timed runs after a warm-up run.")
        lines.append("bound: the ceiling that limits the kernel's least work (flops at the dgemm rate, or bytes")
        lines.append("  at the read and write bandwidths); of ceiling: the time that work takes at the ceiling")
        lines.append("  over the measured time (kernels bound by other work, e.g. random-number arithmetic, score low).")
        lines.append("speed-up: time at \(threads.first ?? 1) thread\(threads.first == 1 ? "" : "s") over time at this many.")
        lines.append(String(format: "Whole run %.1f s.", seconds))
        return lines.joined(separator: "\n")
    }

    /// 3 significant digits, no exponent for the magnitudes a benchmark prints.
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "-" }
        if x >= 99.95 { return String(format: "%.0f", x) }
        if x >= 9.995 { return String(format: "%.1f", x) }
        if x >= 1 { return String(format: "%.2f", x) }
        return String(format: "%.3g", x)
    }

    /// A fraction as "87 %", "2.5 %" or "<0.1 %".
    static func percent(_ fraction: Double) -> String {
        let p = 100 * fraction
        if p >= 10 { return String(format: "%.0f %%", p) }
        if p >= 0.1 { return String(format: "%.1f %%", p) }
        return "<0.1 %"
    }

    /// Seconds as "1.23 s" or "45.6 ms" or "789 µs".
    static func duration(_ seconds: Double) -> String {
        if seconds >= 1 { return String(format: "%.2f s", seconds) }
        if seconds >= 1e-3 { return number(seconds * 1e3) + " ms" }
        return number(seconds * 1e6) + " µs"
    }

    /// Rows padded to column widths; columns in `left` are left-aligned, the rest right-aligned.
    static func align(_ rows: [[String]], left: Set<Int>) -> [String] {
        let widths = (0..<(rows.first?.count ?? 0)).map { j in rows.map { $0[j].count }.max() ?? 0 }
        return rows.map { row in
            var line = row.enumerated().map { j, cell in
                let pad = String(repeating: " ", count: widths[j] - cell.count)
                return left.contains(j) ? cell + pad : pad + cell
            }.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return line
        }
    }
}
