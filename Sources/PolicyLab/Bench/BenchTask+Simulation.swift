import Foundation
import LinearAlgebra
import MonteCarlo

/// The model-based simulation task of `scripts/bench-peers` (issue 5): `ev-draws`.
///
/// Inputs (raw float64, column-major): X (rows × cols), β̂ (cols × 1) and V̂ (cols × cols);
/// R = `draws`. Timed: `ExpectedValueDraws.means(draws: R, seed: 20261129)` on `threads`
/// threads. In the same process, alternating with it run for run, the one dgemm of the same
/// shapes — C = X·B with B the k × R matrix of the same β draws, C (n × R) allocated and
/// touched once before timing, OpenBLAS on `threads` threads — so `extra` holds both times
/// and their ratio measured under the same conditions. The dgemm is skipped (and
/// `dgemm_skipped` = 1) when C would take more than half of the machine's memory.
extension BenchTask {
    func runEVDraws() throws -> Report {
        let draws = self.draws ?? 1_000
        guard draws >= 1 else { throw PolicyLabError.invalidArgument(name: "--draws", reason: "must be at least 1, got \(draws)") }
        let x = try BenchInput.readRaw(path: inputs[0], rows: rows, columns: columns)
        let mean = try BenchInput.readRaw(path: inputs[1], rows: columns, columns: 1).storage
        let covariance = try BenchInput.readRaw(path: inputs[2], rows: columns, columns: columns)
        let model = try ExpectedValueDraws(x: x, mean: mean, covariance: covariance)
        let seed: UInt64 = 20_261_129
        let parallelism = self.parallelism
        let compute = { () throws -> [Double] in try model.means(draws: draws, seed: seed, parallelism: parallelism) }

        let productBytes = Double(rows) * Double(draws) * 8
        let runDGEMM = productBytes <= 0.5 * Double(ProcessInfo.processInfo.physicalMemory)
        let beta = try model.coefficientDraws(0..<draws, seed: seed)
        var product = runDGEMM ? Matrix(rows: rows, columns: draws) : Matrix(rows: 0, columns: 0)
        let saved = OpenBLASThreads.current
        OpenBLASThreads.set(parallelism.threads)
        defer { OpenBLASThreads.set(saved) }
        let dgemm = { () throws -> Void in try BLAS.gemm(1, x.view, beta.view, 0, &product) }

        // One untimed run of each first (page faults, OpenBLAS threads), then alternate.
        var values = try compute()
        if runDGEMM { try dgemm() }
        var times: [Double] = [], dgemmTimes: [Double] = []
        for _ in 0..<repeats {
            let (result, seconds) = try Stopwatch.time(compute)
            values = result
            times.append(seconds)
            if runDGEMM { dgemmTimes.append(try Stopwatch.time(dgemm).seconds) }
        }
        product = Matrix(rows: 0, columns: 0)
        let drawSeconds = try BenchTiming.best(2) { _ = try model.coefficientDraws(0..<draws, seed: seed) }

        let timing = TimingSummary(times)
        let flops = 2 * Double(rows) * Double(columns) * Double(draws)
        var extra: [String: Double] = [
            "draws": Double(draws),
            "flops_2nkr": flops,
            "gflops": flops / timing.best / 1e9,
            "seconds_beta_draws": drawSeconds,
            "ev_mean_over_draws": VectorKernels.sum(values) / Double(draws),
            "ev_at_mean_beta": try Self.meanPrediction(x, mean),
            "peak_rss_bytes": BenchMemory.peakResidentBytes(),
            "dgemm_skipped": runDGEMM ? 0 : 1,
        ]
        if runDGEMM {
            let reference = TimingSummary(dgemmTimes)
            extra["dgemm_best"] = reference.best
            extra["dgemm_median"] = reference.median
            extra["dgemm_gflops"] = flops / reference.best / 1e9
            extra["best_over_dgemm_best"] = timing.best / reference.best
            extra["median_over_dgemm_median"] = timing.median / reference.median
        }
        return Report(task: kind, rows: rows, cols: columns, threads: parallelism.threads, seconds: timing.seconds,
                      best: timing.best, median: timing.median, checksum: VectorKernels.sum(values), extra: extra)
    }

    /// x̄ᵀβ̂: the expected value at the point estimate (the mean of the evᵣ converges to it).
    private static func meanPrediction(_ x: Matrix, _ beta: [Double]) throws -> Double {
        let ones = [Double](repeating: 1 / Double(x.rows), count: x.rows)
        var means = [Double](repeating: 0, count: x.columns)
        try BLAS.gemv(1, x.view.T, ones, 0, &means)
        return try VectorKernels.dot(means, beta)
    }
}
