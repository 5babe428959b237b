import Foundation
import LinearAlgebra
import Optimization

/// `policylab minimize`: one optimizer on one built-in test function, reported as JSON or text.
/// The result depends on the seed, never on the thread count (timings sit under "run").
public struct MinimizeRun: Sendable {
    /// The test function.
    public let function: TestFunction
    /// The method.
    public let method: OptimizationMethod
    /// The seed (global methods' draws; local methods' start point when none is given).
    public let seed: UInt64
    /// The evaluation budget (nil: the method's default).
    public let maxEvaluations: Int?
    /// The start point of local methods.
    public let start: [Double]
    /// Threads.
    public let parallelism: Parallelism

    /// Builds a run.
    /// - Parameters:
    ///   - functionName: a `TestFunction.names` entry (`rastrigin`, `shifted-ackley`, …).
    ///   - start: the local methods' start point; nil means a point of the box drawn from the seed.
    /// - Throws: `OptimizationError.unknownName` / `.invalidSetting` for a bad name or dimension,
    ///   `PolicyLabError.invalidArgument` for a start point of the wrong length or a budget below 1.
    public init(functionName: String, method: OptimizationMethod, dimension: Int, seed: UInt64,
                maxEvaluations: Int? = nil, start: [Double]? = nil, parallelism: Parallelism) throws {
        function = try TestFunction(named: functionName, dimension: dimension)
        if let maxEvaluations, maxEvaluations < 1 {
            throw PolicyLabError.invalidArgument(name: "--max-evaluations", reason: "must be at least 1, got \(maxEvaluations)")
        }
        if let start, start.count != dimension {
            throw PolicyLabError.invalidArgument(name: "--start", reason: "has \(start.count) value(s) for dimension \(dimension)")
        }
        self.method = method
        self.seed = seed
        self.maxEvaluations = maxEvaluations
        self.parallelism = parallelism
        var stream = SearchRandomStream(seed: seed, stream: 0x57A2_7)
        let box = function.bounds
        self.start = start ?? (0..<dimension).map { box.lower[$0] + (box.upper[$0] - box.lower[$0]) * stream.uniform() }
    }

    /// What the command prints.
    public struct Report: Codable, Sendable, Equatable {
        /// The test function's name (`shifted-` prefix for the shifted variant).
        public let function: String
        /// The method's name.
        public let method: String
        /// n.
        public let dimension: Int
        /// The seed.
        public let seed: UInt64
        /// The best point found.
        public let x: [Double]
        /// f(x).
        public let value: Double
        /// f*, the function's global minimum.
        public let knownMinimum: Double
        /// |f − f*| < 1e-5, the benchmark's success test.
        public let success: Bool
        /// The projected-gradient norm at x, when the method computed one.
        public let gradientNorm: Double?
        /// Iterations (generations).
        public let iterations: Int
        /// Objective evaluations.
        public let evaluations: Int
        /// Exact-gradient evaluations.
        public let gradientEvaluations: Int
        /// Whether the stop reason is a convergence.
        public let converged: Bool
        /// The stop reason in words, with the method's notes.
        public let message: String
        /// Threads and wall time.
        public let run: Timing
        enum CodingKeys: String, CodingKey {
            case function, method, dimension, seed, x, value, success, iterations, evaluations, converged, message, run
            case knownMinimum = "known_minimum", gradientNorm = "gradient_norm", gradientEvaluations = "gradient_evaluations"
        }
        /// Machine-dependent facts, kept apart so the rest is byte-identical across thread counts.
        public struct Timing: Codable, Sendable, Equatable {
            /// Threads used.
            public let threads: Int
            /// Wall-clock seconds of the minimization.
            public let seconds: Double
        }
    }

    /// Runs the method.
    /// - Throws: the method's `OptimizationError` (e.g. a start point outside the box).
    /// - Complexity: that of the method.
    public func run() throws -> Report {
        let box = function.bounds
        let (result, seconds): (OptimizationResult, Double) = try Stopwatch.time {
            if method == .trustNewton {
                return try method.minimize(AutoDiffObjective(function), bounds: box, start: start, seed: seed,
                                           parallelism: parallelism, maxEvaluations: maxEvaluations)
            }
            return try method.minimize(function, bounds: box, start: start, seed: seed, parallelism: parallelism,
                                       maxEvaluations: maxEvaluations)
        }
        return Report(function: function.description, method: method.rawValue, dimension: function.dimension, seed: seed,
                      x: result.x, value: result.value, knownMinimum: function.minimum, success: function.isSuccess(result.value),
                      gradientNorm: result.gradientNorm, iterations: result.iterations, evaluations: result.evaluations,
                      gradientEvaluations: result.gradientEvaluations, converged: result.converged, message: result.message,
                      run: .init(threads: parallelism.threads, seconds: seconds))
    }

    /// The report as JSON (`StableJSON`: sorted snake_case keys, non-finite numbers as null).
    public static func json(_ report: Report) throws -> String { try StableJSON.encode(report) }

    /// The report as aligned text.
    public static func text(_ report: Report) -> String {
        func number(_ v: Double) -> String { String(format: "%.12g", v) }
        var lines = [
            "\(report.method) on \(report.function), dimension \(report.dimension), seed \(report.seed)",
            "  f(x)         \(number(report.value))   (known minimum \(number(report.knownMinimum)); success: \(report.success ? "yes" : "no"))",
        ]
        if let g = report.gradientNorm { lines.append("  |proj grad|  \(number(g))") }
        lines += [
            "  iterations   \(report.iterations)",
            "  evaluations  \(report.evaluations) (\(report.gradientEvaluations) with exact gradient)",
            "  x            " + report.x.prefix(10).map(number).joined(separator: ", ") + (report.x.count > 10 ? ", …" : ""),
            "  \(report.message)",
            "  \(report.run.threads) thread(s), \(String(format: "%.3f", report.run.seconds)) s",
        ]
        return lines.joined(separator: "\n")
    }
}
