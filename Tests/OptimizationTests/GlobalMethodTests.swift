import Foundation
import Testing
import LinearAlgebra
@testable import Optimization

/// Global methods on the six benchmark functions. The always-on sweep uses 3 seeds (1 in ten
/// dimensions); POLICYLAB_LONG_TESTS=1 runs 20 seeds on all six functions and their shifted
/// variants and prints the success table — use a release build for it
/// (`POLICYLAB_LONG_TESTS=1 swift test -c release --filter GlobalMethodTests`), minutes there,
/// far longer in debug. BENCHMARKS.md has the measured table.
@Suite("Global methods")
struct GlobalMethodTests {
    static let long = ProcessInfo.processInfo.environment["POLICYLAB_LONG_TESTS"] == "1"

    enum Method: String, CaseIterable { case de, cmaes, multistart }

    /// One run; the target f* + 1e-7 (inside the success band) ends a solved run early, which keeps
    /// the debug-build test time down without changing what counts as success.
    static func run(_ method: Method, _ f: TestFunction, seed: UInt64, threads: Int = 1) throws -> OptimizationResult {
        let parallelism = Parallelism(threads: threads)
        let target = f.minimum + 1e-7
        switch method {
        case .de:
            var de = DifferentialEvolution()
            de.seed = seed
            de.parallelism = parallelism
            de.maxGenerations = f.dimension <= 2 ? 300 : 1_000
            de.relativeTolerance = 1e-6
            de.absoluteTolerance = 1e-9
            de.monitor = RunMonitor(recordHistory: false)
            de.target = target
            return try de.minimize(f, bounds: f.bounds)
        case .cmaes:
            var cma = CMAES()
            cma.seed = seed
            cma.parallelism = parallelism
            cma.maxEvaluations = 4_000 * f.dimension * (f.dimension <= 2 ? 2 : 4)
            cma.functionTolerance = 1e-10
            cma.monitor = RunMonitor(recordHistory: false)
            cma.target = target
            return try cma.minimize(f, bounds: f.bounds)
        case .multistart:
            var ms = MultiStart()
            ms.seed = seed
            ms.parallelism = parallelism
            ms.monitor = RunMonitor(recordHistory: false)
            ms.target = target
            return try ms.minimize(f, bounds: f.bounds)
        }
    }

    @Test("success on the six functions, dimension 2", arguments: Method.allCases)
    func sixFunctionsDimension2(method: Method) throws {
        let seeds: [UInt64] = Self.long ? Array(1...20) : [1, 2, 3]
        var lines: [String] = []
        var total = 0
        for kind in TestFunction.Kind.allCases {
            let f = try TestFunction(kind, dimension: 2)
            var wins = 0
            for seed in seeds where f.isSuccess(try Self.run(method, f, seed: seed).value) { wins += 1 }
            total += wins
            lines.append("\(method.rawValue) \(kind.rawValue) d=2: \(wins)/\(seeds.count)")
        }
        print(lines.joined(separator: "\n"))
        // In two dimensions every method should solve nearly every function from every seed.
        #expect(total >= (6 * seeds.count * 3) / 4, "\(lines)")
    }

    @Test("success in dimension 10: DE on all six (3 seeds), CMA-ES and multistart on two (1 seed); all with POLICYLAB_LONG_TESTS=1")
    func tenDimensions() throws {
        var deWins = 0, deRuns = 0
        for method in Method.allCases {
            let seeds: [UInt64] = Self.long ? Array(1...20) : (method == .de ? [1, 2, 3] : [1])
            let kinds: [TestFunction.Kind] = Self.long || method == .de ? TestFunction.Kind.allCases : [.rosenbrock, .styblinskiTang]
            for kind in kinds {
                for shifted in Self.long ? [false, true] : [false] {
                    let f = try TestFunction(kind, dimension: 10, shifted: shifted)
                    var wins = 0
                    for seed in seeds where f.isSuccess(try Self.run(method, f, seed: seed).value) { wins += 1 }
                    print("\(method.rawValue) \(f) d=10: \(wins)/\(seeds.count)")
                    if kind == .rosenbrock { #expect(wins == seeds.count, "\(method) on \(f)") }
                    if method == .de { deWins += wins; deRuns += seeds.count }
                }
            }
        }
        // JADE solved all 120 unshifted runs (6 functions × 20 seeds) in the release sweep.
        #expect(deWins * 10 >= deRuns * 9, "DE: \(deWins)/\(deRuns)")
    }

    @Test("a seed gives bit-identical results on 1, 2, 3 and 8 threads", arguments: Method.allCases)
    func determinismAcrossThreadCounts(method: Method) throws {
        let f = try TestFunction(.rastrigin, dimension: 4, shifted: true)
        var results: [OptimizationResult] = []
        for threads in [1, 2, 3, 8] { results.append(try Self.run(method, f, seed: 7, threads: threads)) }
        for r in results.dropFirst() {
            #expect(r.x.map(\.bitPattern) == results[0].x.map(\.bitPattern))
            #expect(r.value.bitPattern == results[0].value.bitPattern)
            #expect(r.evaluations == results[0].evaluations)
            #expect(r.iterations == results[0].iterations)
        }
    }

    @Test func differentSeedsGiveDifferentSearches() throws {
        let f = try TestFunction(.rastrigin, dimension: 3)
        var de = DifferentialEvolution()
        de.maxGenerations = 5
        de.polish = false
        de.seed = 1
        let a = try de.minimize(f, bounds: f.bounds)
        de.seed = 2
        let b = try de.minimize(f, bounds: f.bounds)
        #expect(a.x != b.x)
    }

    @Test func classicStrategiesWork() throws {
        let f = try TestFunction(.styblinskiTang, dimension: 2)
        for strategy in [DifferentialEvolution.Strategy.best1bin, .rand1bin] {
            var de = DifferentialEvolution()
            de.strategy = strategy
            de.seed = 3
            let r = try de.minimize(f, bounds: f.bounds)
            #expect(f.isSuccess(r.value), "\(strategy): \(r.value)")
            #expect(r.message.contains(strategy.rawValue))
        }
    }

    @Test func multistartWithLatinHypercubeAndNelderMead() throws {
        let f = try TestFunction(.griewank, dimension: 2, shifted: true)
        var ms = MultiStart()
        ms.design = .latinHypercube
        ms.localMethod = .nelderMead
        ms.seed = 5
        let r = try ms.minimize(f, bounds: f.bounds)
        #expect(f.isSuccess(r.value), "\(r.value) at \(r.x)")
    }

    @Test func targetStopsEarlyAndHistoryIsKept() throws {
        let f = try TestFunction(.rastrigin, dimension: 2)
        var de = DifferentialEvolution()
        de.target = 1e-3
        de.polish = false
        de.seed = 1
        let r = try de.minimize(f, bounds: f.bounds)
        #expect(r.stopReason == .targetReached(1e-3))
        #expect(r.value <= 1e-3)
        #expect(r.history.count == r.iterations - 1 || r.history.count == r.iterations)
        #expect(zip(r.history, r.history.dropFirst()).allSatisfy { $0.value >= $1.value })
    }
}
