import Foundation
import LinearAlgebra
import Optimization

extension BenchTask {
    /// `lbfgsb-rosenbrock`: L-BFGS-B (exact gradient, m = 10, scipy's tolerances) on the
    /// `rows`-dimensional Rosenbrock function from (−1.2, 1, −1.2, 1, …). Checksum: f at the end.
    func runLBFGSBRosenbrock() throws -> Report {
        let f = try TestFunction(.rosenbrock, dimension: rows)
        let start = (0..<rows).map { $0 % 2 == 0 ? -1.2 : 1.0 }
        var solver = LBFGSB()
        solver.monitor = RunMonitor(recordHistory: false)
        let solve = { () throws -> OptimizationResult in try solver.minimize(f, from: start) }
        return try timed(solve) { r in
            (r.value, ["evaluations": Double(r.evaluations), "iterations": Double(r.iterations), "value": r.value])
        }
    }

    /// `logit-mle`: X (rows×cols) and y (rows×1, 0/1) from raw files; L-BFGS-B with the analytic
    /// gradient, then standard errors from the analytic Hessian. Checksum: Σ β̂.
    func runLogitMLE() throws -> Report {
        let x = try RawMatrixFile.read(path: inputs[0], rows: rows, columns: columns)
        let y = try RawMatrixFile.read(path: inputs[1], rows: rows, columns: 1).storage
        let likelihood = try LogitLikelihood(x: x, y: y, parallelism: parallelism)
        let fit = { () throws -> MaximumLikelihoodFit in
            try MaximumLikelihood().fit(negativeLogLikelihood: likelihood, start: [Double](repeating: 0, count: self.columns))
        }
        return try timed(fit) { r in
            var extra = ["evaluations": Double(r.optimization.evaluations), "iterations": Double(r.optimization.iterations),
                         "log_likelihood": r.logLikelihood]
            for (j, b) in r.estimates.enumerated() { extra[String(format: "beta%02d", j)] = b }
            for (j, s) in (r.standardErrors ?? []).enumerated() { extra[String(format: "se%02d", j)] = s }
            return (r.estimates.reduce(0, +), extra)
        }
    }

    /// `de-busy`: differential evolution (JADE, 20 members, 25 generations, no polish, seed 1)
    /// on the 5-dimensional Rastrigin function made to cost ≥ 1 ms per evaluation by spinning
    /// on the clock. Checksum: the best value (identical for any thread count).
    func runDEBusy() throws -> Report {
        let f = try TestFunction(.rastrigin, dimension: rows)
        let busy = Objective(dimension: rows) { x in
            let start = DispatchTime.now().uptimeNanoseconds
            let value = f.value(at: x)
            while DispatchTime.now().uptimeNanoseconds &- start < 1_000_000 {}
            return value
        }
        var de = DifferentialEvolution()
        de.populationSize = 20
        de.maxGenerations = 25
        de.relativeTolerance = 0
        de.polish = false
        de.seed = 1
        de.parallelism = parallelism
        de.monitor = RunMonitor(recordHistory: false)
        let solve = { () throws -> OptimizationResult in try de.minimize(busy, bounds: f.bounds) }
        return try timed(solve) { r in (r.value, ["evaluations": Double(r.evaluations), "value": r.value]) }
    }

    /// `de-success`: DE with default settings (JADE, L-BFGS-B polish) on the six test functions
    /// in `rows` dimensions, seeds 1…`columns`; counts |f − f*| < 1e-5. Checksum: total successes.
    func runDESuccess() throws -> Report {
        let kinds = TestFunction.Kind.allCases
        let functions = try kinds.map { try TestFunction($0, dimension: rows) }
        let parallelism = self.parallelism
        let seeds = self.columns
        let sweep = { () throws -> [String: Double] in
            var extra: [String: Double] = [:]
            for f in functions {
                var wins = 0, evaluations = 0
                for seed in 1...seeds {
                    var de = DifferentialEvolution()
                    de.seed = UInt64(seed)
                    de.parallelism = parallelism
                    de.monitor = RunMonitor(recordHistory: false)
                    let r = try de.minimize(f, bounds: f.bounds)
                    if f.isSuccess(r.value) { wins += 1 }
                    evaluations += r.evaluations
                }
                extra["success_" + f.kind.rawValue] = Double(wins)
                extra["evaluations_" + f.kind.rawValue] = Double(evaluations) / Double(seeds)
            }
            return extra
        }
        return try timed(sweep) { extra in (kinds.reduce(0) { $0 + (extra["success_" + $1.rawValue] ?? 0) }, extra) }
    }

    /// One untimed run, then `repeats` timed runs; the last run's checksum and extras.
    private func timed<R>(_ body: () throws -> R, summary: (R) -> (Double, [String: Double])) throws -> Report {
        _ = try body()
        var times: [Double] = []
        var last: R?
        for _ in 0..<repeats {
            let (value, seconds) = try Stopwatch.time(body)
            times.append(seconds)
            last = value
        }
        guard let last else { throw PolicyLabError.invalidArgument(name: "--repeat", reason: "must be at least 1") }
        let (checksum, extra) = summary(last)
        let timing = TimingSummary(times)
        return Report(task: kind, rows: rows, cols: columns, threads: parallelism.threads, seconds: timing.seconds,
                      best: timing.best, median: timing.median, checksum: checksum, extra: extra)
    }
}
