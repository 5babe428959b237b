import Dispatch

/// Wall-clock timing for benchmarks and self-checks (monotonic, nanosecond resolution).
public enum Stopwatch {
    /// Runs `body` and returns its result with the elapsed seconds.
    public static func time<R>(_ body: () throws -> R) rethrows -> (result: R, seconds: Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try body()
        let end = DispatchTime.now().uptimeNanoseconds
        return (result, Double(end &- start) / 1e9)
    }
}

/// Summary statistics of repeated timings.
public struct TimingSummary: Sendable, Codable, Equatable {
    /// Every measurement, in seconds, in the order taken.
    public let seconds: [Double]
    /// The fastest measurement.
    public let best: Double
    /// The median measurement (mean of the middle two for an even count).
    public let median: Double

    /// Summarizes `seconds` (must not be empty).
    public init(_ seconds: [Double]) {
        precondition(!seconds.isEmpty, "TimingSummary needs at least one measurement")
        let sorted = seconds.sorted()
        self.seconds = seconds
        self.best = sorted[0]
        let mid = sorted.count / 2
        self.median = sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}
