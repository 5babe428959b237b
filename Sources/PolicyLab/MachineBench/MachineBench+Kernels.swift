import Foundation
import LinearAlgebra
import MonteCarlo
import Optimization
import Regression
import Tabular

/// One kernel at one size, with its data generated: what `MachineBench` times.
struct MachineBenchCase {
    /// Kernel name (one of `MachineBench.kernelNames`).
    let kernel: String
    /// Size label, e.g. "1000000×20".
    let size: String
    /// The least work of one run (the roofline's input).
    let work: MachineBench.Work
    /// What one run processes in throughput units times `unitScale` (flops, rows, normals, …).
    let amount: Double
    /// Throughput unit, e.g. "GFLOP/s".
    let unit: String
    /// `amount / seconds / unitScale` is the throughput in `unit`.
    let unitScale: Double
    /// One run at the given parallelism; returns a checksum of the result (a sanity figure,
    /// the same for every thread count wherever the library promises determinism).
    let run: (Parallelism) throws -> Double
}

// The kernels, with the least work each must do (documented at each builder). Data comes from
// fixed seeds, so every run measures the same problem.
extension MachineBench {
    /// Builders in report order; each generates its data when called, so only one kernel's
    /// data is in memory at a time.
    func caseBuilders() -> [() throws -> MachineBenchCase] {
        var builders: [() throws -> MachineBenchCase] = []
        let s = sizes
        for n in s.gemm { builders.append { try Self.gemm(n) } }
        for (n, k) in s.gram { builders.append { try Self.gram(rows: n, columns: k) } }
        builders.append { try Self.ols(rows: s.ols.rows, columns: s.ols.columns) }
        builders.append { try Self.fixedEffects(rows: s.fixedEffectRows) }
        builders.append { Self.normals(s.normals) }
        builders.append { try Self.expectedValues(units: s.expectedValues.units, coefficients: s.expectedValues.coefficients,
                                                  draws: s.expectedValues.draws) }
        builders.append { try Self.microsimulation(households: s.microsimulation.households, replicates: s.microsimulation.replicates) }
        builders.append { try Self.cmaes(evaluations: s.cmaesEvaluations) }
        return builders
    }

    /// n × n uniform [0, 1) matrix number `stream` (fixed seed).
    private static func uniformMatrix(_ rows: Int, _ columns: Int, stream: UInt32) throws -> Matrix {
        try Matrix(rows: rows, columns: columns,
                   columnMajor: try RandomStream(seed: 7_177, ingredient: stream).fill(.uniform, count: rows * columns))
    }

    /// `gemm`: C = A·B for n × n A, B (`Matrix.product`, one BLAS call on OpenBLAS's threads).
    /// Work: 2n³ flops; read A and B (16n² bytes), write C (8n²).
    static func gemm(_ n: Int) throws -> MachineBenchCase {
        let a = try uniformMatrix(n, n, stream: 0), b = try uniformMatrix(n, n, stream: 1)
        let flops = 2 * Double(n) * Double(n) * Double(n)
        return MachineBenchCase(
            kernel: "gemm", size: "\(n)x\(n)", work: Work(flops: flops, bytesRead: 16 * Double(n * n), bytesWritten: 8 * Double(n * n)),
            amount: flops, unit: "GFLOP/s", unitScale: 1e9
        ) { _ in VectorKernels.sum(try Matrix.product(a.view, b.view).storage) }
    }

    /// n × k standard normal X (the first column all ones when `intercept`).
    private static func design(rows n: Int, columns k: Int, intercept: Bool, seed: UInt64) throws -> Matrix {
        var values = try RandomStream(seed: seed).fill(.normal, count: n * k)
        if intercept { for i in 0..<n { values[i] = 1 } }
        return try Matrix(rows: n, columns: k, columnMajor: values)
    }

    /// `gram`: XᵀX for n × k standard normal X (`Matrix.gram`, parallel row blocks).
    /// Work: the symmetric product's n·k·(k + 1) flops (half of a gemm's 2nk²: no
    /// implementation needs more); read X once (8nk bytes), write k² doubles.
    static func gram(rows n: Int, columns k: Int) throws -> MachineBenchCase {
        let x = try design(rows: n, columns: k, intercept: false, seed: 7_178)
        let flops = Double(n) * Double(k) * Double(k + 1)
        return MachineBenchCase(
            kernel: "gram", size: "\(n)x\(k)", work: Work(flops: flops, bytesRead: 8 * Double(n * k), bytesWritten: 8 * Double(k * k)),
            amount: flops, unit: "GFLOP/s", unitScale: 1e9
        ) { parallelism in VectorKernels.sum(try Matrix.gram(x.view, parallelism: parallelism).storage) }
    }

    /// `ols-hc1`: `LinearRegression.fit(RegressionData(x:y:columnNames:finiteCheck: .byFit), options:
    /// RegressionOptions(vcov: .hc1, parallelism:))` for X n × k (intercept + standard
    /// normals) and y = X·β + ε. Work: XᵀX and the HC1 meat XᵀΩX (symmetric: 2·n·k·(k + 1)
    /// flops) plus Xᵀy, the residuals and their squares (6nk); X read twice (the residuals
    /// need β, which needs the whole of XᵀX) and y twice (16nk + 16n bytes); no n-sized output
    /// has to be written.
    static func ols(rows n: Int, columns k: Int) throws -> MachineBenchCase {
        let x = try design(rows: n, columns: k, intercept: true, seed: 7_179)
        let noise = try RandomStream(seed: 7_180).fill(.normal, count: n)
        let beta = (0..<k).map { Double($0 % 5) - 2 }
        var y = noise
        try BLAS.gemv(1, x.view, beta, 1, &y)
        let names = ["(Intercept)"] + (1..<k).map { "x\($0)" }
        let nk = Double(n) * Double(k)
        let flops = 2 * nk * Double(k + 1) + 6 * nk
        return MachineBenchCase(
            kernel: "ols-hc1", size: "\(n)x\(k)", work: Work(flops: flops, bytesRead: 16 * nk + 16 * Double(n)),
            amount: flops, unit: "GFLOP/s", unitScale: 1e9
        ) { parallelism in
            let result = try LinearRegression.fit(try RegressionData(x: x, y: y, columnNames: names, parallelism: parallelism,
                                                                     finiteCheck: .byFit),
                                                  options: RegressionOptions(vcov: .hc1, parallelism: parallelism))
            return result.coefficients.reduce(0) { $0 + $1.estimate + $1.stdError }
        }
    }

    /// `fe-2way`: `LinearRegression.fit(table:formula: "y ~ x1 + x2 + x3 | f1 + f2")` on a
    /// generated table of n rows, f1 with 1,000 levels and f2 with 50 (random, so neither is
    /// nested in the other), y = x·β + effects + ε. The time is the design build plus the
    /// demeaning by alternating projections (most of it) plus a small OLS. Work: one pass —
    /// read the four value columns and the two code columns (48n bytes), write the four
    /// demeaned columns (32n); a loose bound, since the demeaning sweeps the data several
    /// times, so the fraction reads as "passes' worth" rather than efficiency.
    static func fixedEffects(rows n: Int) throws -> MachineBenchCase {
        let z = try RandomStream(seed: 7_181).fill(.normal, count: 4 * n)
        let u = try RandomStream(seed: 7_182).fill(.uniform, count: 2 * n)
        let f1 = (0..<n).map { Int(u[$0] * 1_000) }
        let f2 = (0..<n).map { Int(u[n + $0] * 50) }
        let x1 = Array(z[0..<n]), x2 = Array(z[n..<(2 * n)]), x3 = Array(z[(2 * n)..<(3 * n)])
        let y = (0..<n).map { i -> Double in
            let slopes: Double = 0.5 * x1[i] - 0.25 * x2[i] + 0.1 * x3[i]
            let effects: Double = 0.001 * Double(f1[i]) + 0.02 * Double(f2[i])
            return slopes + effects + z[3 * n + i]
        }
        let table = try Table(columns: [
            try Column(name: "y", values: .double(y)), try Column(name: "x1", values: .double(x1)),
            try Column(name: "x2", values: .double(x2)), try Column(name: "x3", values: .double(x3)),
            try Column(name: "f1", values: .int(f1)), try Column(name: "f2", values: .int(f2)),
        ])
        return MachineBenchCase(
            kernel: "fe-2way", size: "\(n) rows, 3 x, 1000+50 levels",
            work: Work(bytesRead: 48 * Double(n), bytesWritten: 32 * Double(n)),
            amount: Double(n), unit: "M rows/s", unitScale: 1e6
        ) { parallelism in
            let result = try LinearRegression.fit(table: table, formula: "y ~ x1 + x2 + x3 | f1 + f2",
                                                  options: RegressionOptions(parallelism: parallelism))
            return result.coefficients.reduce(0) { $0 + $1.estimate }
        }
    }

    /// `normals`: `RandomStream(seed:).fill(.normal, count: N, parallelism:)` into a fresh
    /// array (Philox4x32-10 + Box–Muller). Work: write 8N bytes — the generator's arithmetic
    /// is not in the roofline, so the fraction says how close to the memory's write speed
    /// the draws come.
    static func normals(_ count: Int) -> MachineBenchCase {
        MachineBenchCase(
            kernel: "normals", size: "\(count)", work: Work(bytesWritten: 8 * Double(count)),
            amount: Double(count), unit: "M normals/s", unitScale: 1e6
        ) { parallelism in
            let values = try RandomStream(seed: 7_183).fill(.normal, count: count, parallelism: parallelism)
            return VectorKernels.sum(values) / Double(count)
        }
    }

    /// `ev-draws`: the model-based simulation's core (`ExpectedValueDraws.means`): R draws of
    /// β (k coefficients) over n units, one n×k by k×R product and a mean per draw. Work:
    /// 2nkR flops (R rounded up to the draw block, as computed); read X once (8nk), write R
    /// means.
    static func expectedValues(units n: Int, coefficients k: Int, draws: Int) throws -> MachineBenchCase {
        let x = try design(rows: n, columns: k, intercept: true, seed: 7_184)
        let a = try uniformMatrix(k, k, stream: 2)
        var covariance = Matrix.identity(k)
        try BLAS.gemm(1e-4, a.view, a.view.T, 1e-4, &covariance)
        let model = try ExpectedValueDraws(x: x, mean: (0..<k).map { $0 == 0 ? 9 : 0.1 * Double($0 % 5) }, covariance: covariance)
        let block = ExpectedValueDraws.drawBlock
        let computed = Double((draws + block - 1) / block * block)
        let flops = 2 * Double(n) * Double(k) * computed
        return MachineBenchCase(
            kernel: "ev-draws", size: "\(n)x\(k), R = \(draws)",
            work: Work(flops: flops, bytesRead: 8 * Double(n * k), bytesWritten: 8 * Double(draws)),
            amount: flops, unit: "GFLOP/s", unitScale: 1e9
        ) { parallelism in
            let means = try model.means(draws: draws, seed: 7_185, parallelism: parallelism)
            return VectorKernels.sum(means) / Double(draws)
        }
    }

    /// `microsim`: `SyntheticMicrosimulation` (4 scenarios, 34 groups, 20 welfare measures per
    /// cell) through `MonteCarloEngine`, R replicates over H households, population built
    /// untimed. Work: per replicate write the H residual draws (8H bytes) and read the
    /// population (prediction, weight, group code: 20H bytes) once per scenario. Sorting
    /// (Gini, deciles), exp and the draws themselves are outside the roofline.
    static func microsimulation(households: Int, replicates: Int) throws -> MachineBenchCase {
        let scenarios = 4
        let model = try SyntheticMicrosimulation(households: households, groups: 34, scenarios: scenarios, seed: 7_186)
        let plan = try MonteCarloPlan(seed: 7_186, replicates: replicates)
        let h = Double(households), r = Double(replicates)
        return MachineBenchCase(
            kernel: "microsim", size: "\(households) households x \(replicates) replicates",
            work: Work(bytesRead: 20 * h * r * Double(scenarios), bytesWritten: 8 * h * r),
            amount: h * r, unit: "M household-replicates/s", unitScale: 1e6
        ) { parallelism in
            let engine = try MonteCarloEngine(plan: plan, outputNames: model.outputNames, parallelism: parallelism, nonFinite: .omit)
            let result = try engine.run(workspace: { model.makeWorkspace() }) { replicate, workspace in
                try model.outputs(replicate, workspace: &workspace)
            }
            return VectorKernels.sum(result.values.filter(\.isFinite))
        }
    }

    /// `cmaes`: CMA-ES (seed 1, IPOP restarts, no polish) on the 10-dimensional Rosenbrock
    /// function with a fixed evaluation budget; each generation's λ points are one parallel
    /// batch. No roofline: with a 50 ns objective the run is bound by CMA-ES's own O(n²)
    /// sampling and O(n³) eigendecompositions, and more threads mostly add hand-off cost —
    /// the speed-up shows it (an expensive objective scales; see bench-peers' de-busy).
    static func cmaes(evaluations budget: Int) throws -> MachineBenchCase {
        let f = try TestFunction(.rosenbrock, dimension: 10)
        var solver = CMAES()
        solver.seed = 1
        solver.polish = false
        solver.maxEvaluations = budget
        solver.monitor = RunMonitor(recordHistory: false)
        let configured = solver
        // The evaluation count is fixed by the seed; one run learns it.
        let evaluations = try configured.minimize(f, bounds: f.bounds).evaluations
        return MachineBenchCase(
            kernel: "cmaes", size: "Rosenbrock n = 10, \(evaluations) evaluations", work: Work(),
            amount: Double(evaluations), unit: "k evaluations/s", unitScale: 1e3
        ) { parallelism in
            var run = configured
            run.parallelism = parallelism
            return try run.minimize(f, bounds: f.bounds).value
        }
    }
}
