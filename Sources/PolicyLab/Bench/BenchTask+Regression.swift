import Foundation
import LinearAlgebra
import Regression
import Tabular

/// The regression tasks of `scripts/bench-peers` (issue 4). Inputs are raw float64
/// column-major files written once by the harness (the peers read the same bytes):
/// - `ols-hc1`: X (rows × cols, first column the intercept) and y (rows × 1); timed:
///   `RegressionData(x:y:columnNames:finiteCheck: .byFit)` + `LinearRegression.fit` with HC1
///   (the fit checks y and X for NaN/∞ within its first pass over X).
/// - `fe2`: one rows × cols file [y, x1…x_p, f1, f2] (p = cols − 3; f1, f2 integer codes
///   stored as doubles); timed: `LinearRegression.fit(table:formula:)` on
///   `y ~ x1 + … + x_p | f1 + f2` clustered by f1 (the table is built untimed).
/// - `iv`: one rows × cols file [y, d, z1, z2, z3, x1…x_m] (m = cols − 5); timed:
///   `LinearRegression.fit(table:formula:)` on `y ~ x1 + … + x_m | d ~ z1 + z2 + z3` with HC1.
///
/// Every task reports the coefficients and standard errors in `extra` (`beta000`, `se000`, …
/// in the result's term order), the process's peak resident set size after the timed fits
/// (`peak_rss_bytes`: VmHWM, see `BenchMemory`; the inputs are read with `read(2)` straight into their arrays,
/// so the file is never resident twice), and a breakdown of where the time goes.
extension BenchTask {
    func runOLSHC1() throws -> Report {
        let x = try BenchInput.readRaw(path: inputs[0], rows: rows, columns: columns)
        let y = try BenchInput.readRaw(path: inputs[1], rows: rows, columns: 1).storage
        let names = ["(Intercept)"] + (1..<Swift.max(1, columns)).map { "x\($0)" }
        let parallelism = self.parallelism
        let options = RegressionOptions(vcov: .hc1, parallelism: parallelism)
        let fit = { () throws -> RegressionResult in
            try LinearRegression.fit(try RegressionData(x: x, y: y, columnNames: Array(names.prefix(self.columns)), parallelism: parallelism,
                                                        finiteCheck: .byFit), options: options)
        }
        let (timed, result) = try timedFits(fit)
        var report = timed
        let peak = BenchMemory.peakResidentBytes()
        let xBytes = Double(rows * columns * 8)

        // Where the time goes: the passes the fit makes, each timed alone (best of 2), with
        // OpenBLAS held at one thread as `LinearRegression.fit` holds it (Parallel splits rows).
        // The construction-time scan (`.onConstruction`), which the timed fits no longer make.
        let validate = try BenchTiming.best(2) { _ = try RegressionData(x: x, y: y, columnNames: Array(names.prefix(self.columns)), parallelism: parallelism) }
        let scale = [Double](repeating: 1, count: rows)
        let (gram, meat, gemv) = try OpenBLASThreads.singleThreaded {
            (try BenchTiming.best(2) { _ = try Matrix.gram(x.view, parallelism: parallelism) },
             try BenchTiming.best(2) { _ = try Matrix.gram(x.view, rowScale: scale, parallelism: parallelism) },
             try BenchTiming.best(2) { _ = try Matrix.transposedProduct(x.view, y, parallelism: parallelism) })
        }
        // The two passes the Cholesky path of the fit makes (XᵀX with Xᵀy; Σu² with the HC
        // meat), timed alone with the fit's coefficients.
        let beta = result.coefficients.map { $0.estimate }
        let (gramAndXty, residualsAndMeat) = try OpenBLASThreads.singleThreaded {
            (try BenchTiming.best(2) { _ = try Matrix.gramAndTransposedProduct(x.view, y, parallelism: parallelism) },
             try BenchTiming.best(2) { _ = try Matrix.residualSumOfSquaresAndScaledGram(x.view, y, beta, parallelism: parallelism) })
        }
        let dgemm = try BenchMachine.dgemmGigaflops(threads: parallelism.threads)
        let flops = 2 * Double(rows) * Double(columns) * Double(columns)

        var extra = BenchTask.coefficientExtras(result)
        extra["seconds_pass_gram_and_xty"] = gramAndXty
        extra["seconds_pass_residuals_and_meat"] = residualsAndMeat
        extra["gram_kernel_avx512"] = GramKernelDispatch.active == .avx512 ? 1 : 0
        extra["peak_rss_bytes"] = peak
        extra["ru_maxrss_bytes"] = BenchMemory.maxRSSBytes()
        extra["x_bytes"] = xBytes
        extra["peak_rss_over_x"] = peak / xBytes
        extra["seconds_regression_data_init"] = validate
        extra["seconds_gram_xtx"] = gram
        extra["seconds_gram_row_scaled"] = meat
        extra["seconds_xty"] = gemv
        extra["dgemm_gflops"] = dgemm
        extra["flops_2nk2"] = flops
        extra["flop_bound_seconds"] = flops / (dgemm * 1e9)
        extra["best_over_flop_bound"] = report.best / (flops / (dgemm * 1e9))
        extra["cholesky_path"] = result.solver == SolveMethod.cholesky.rawValue ? 1 : 0
        report.extra = extra
        return report
    }

    func runFE2() throws -> Report {
        let p = columns - 3
        guard p >= 1 else { throw PolicyLabError.invalidArgument(name: "--cols", reason: "fe2 needs [y, x1…, f1, f2]: at least 4 columns, got \(columns)") }
        let data = try BenchInput.readRaw(path: inputs[0], rows: rows, columns: columns)
        var columnsOut: [Column] = [try Column(name: "y", values: .double(Array(data.column(0))))]
        for j in 1...p { columnsOut.append(try Column(name: "x\(j)", values: .double(Array(data.column(j))))) }
        for (offset, name) in ["f1", "f2"].enumerated() {
            columnsOut.append(try Column(name: name, values: .int(data.column(p + 1 + offset).map { Int($0) })))
        }
        let table = try Table(columns: columnsOut)
        let formula = "y ~ " + (1...p).map { "x\($0)" }.joined(separator: " + ") + " | f1 + f2"
        return try runTableFit(table: table, formula: formula, vcov: .cluster(["f1"]))
    }

    func runIV() throws -> Report {
        let m = columns - 5
        guard m >= 1 else { throw PolicyLabError.invalidArgument(name: "--cols", reason: "iv needs [y, d, z1, z2, z3, x1…]: at least 6 columns, got \(columns)") }
        let data = try BenchInput.readRaw(path: inputs[0], rows: rows, columns: columns)
        let names = ["y", "d", "z1", "z2", "z3"] + (1...m).map { "x\($0)" }
        let table = try Table(columns: names.enumerated().map { j, name in try Column(name: name, values: .double(Array(data.column(j)))) })
        let formula = "y ~ " + (1...m).map { "x\($0)" }.joined(separator: " + ") + " | d ~ z1 + z2 + z3"
        return try runTableFit(table: table, formula: formula, vcov: .hc1)
    }

    /// Times `LinearRegression.fit(table:formula:options:)`; extras: coefficients, SEs, peak RSS,
    /// and the design build (`DesignMatrix`) against the fit of a built design.
    private func runTableFit(table: Table, formula: String, vcov: VarianceType) throws -> Report {
        let options = RegressionOptions(vcov: vcov, parallelism: parallelism)
        let fit = { () throws -> RegressionResult in try LinearRegression.fit(table: table, formula: formula, options: options) }
        let (timed, result) = try timedFits(fit)
        var report = timed
        let peak = BenchMemory.peakResidentBytes()
        var design: DesignMatrix?
        let build = try BenchTiming.best(2) {
            design = try DesignMatrix(formula: formula, table: table, clusters: vcov.clusterColumns, parallelism: self.parallelism)
        }
        var extra = BenchTask.coefficientExtras(result)
        if let design {
            extra["seconds_design"] = build
            extra["seconds_fit_of_design"] = try BenchTiming.best(2) { _ = try LinearRegression.fit(design, options: options) }
        }
        extra["peak_rss_bytes"] = peak
        extra["ru_maxrss_bytes"] = BenchMemory.maxRSSBytes()
        extra["nobs"] = Double(result.nobs)
        if let f = result.weakInstrumentF { extra["weak_instrument_f"] = f }
        report.extra = extra
        return report
    }

    /// One untimed fit, then `repeats` timed fits; the report and the last result.
    private func timedFits(_ fit: () throws -> RegressionResult) throws -> (Report, RegressionResult) {
        var last = try fit()
        var times: [Double] = []
        for _ in 0..<repeats {
            let (result, seconds) = try Stopwatch.time(fit)
            times.append(seconds)
            last = result
        }
        let timing = TimingSummary(times)
        let report = Report(task: kind, rows: rows, cols: columns, threads: parallelism.threads, seconds: timing.seconds,
                            best: timing.best, median: timing.median,
                            checksum: last.coefficients.reduce(0) { $0 + $1.estimate })
        return (report, last)
    }

    /// `beta000…` and `se000…` in the result's term order, plus the solver and σ.
    static func coefficientExtras(_ result: RegressionResult) -> [String: Double] {
        var extra: [String: Double] = ["coefficients": Double(result.coefficients.count), "sigma": result.sigma]
        for (j, row) in result.coefficients.enumerated() {
            extra[String(format: "beta%03d", j)] = row.estimate
            extra[String(format: "se%03d", j)] = row.stdError
        }
        return extra
    }
}

/// Raw float64 input read with `read(2)` directly into the matrix's storage: no mapping and no
/// second copy, so a benchmark's peak resident set is the data plus what the task allocates.
enum BenchInput {
    static func readRaw(path: String, rows: Int, columns: Int) throws -> Matrix {
        let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard rows >= 0, columns >= 0, !overflow, count <= Int.max / 8 else {
            throw PolicyLabError.invalidArgument(name: "rows/cols", reason: "\(rows)×\(columns) is not a valid size")
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw PolicyLabError.file(path: path, reason: "cannot be opened (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, Int(status.st_size) == count * 8 else {
            throw PolicyLabError.file(path: path, reason: "has \(status.st_size) bytes; a \(rows)×\(columns) float64 matrix needs \(count * 8)")
        }
        var failure: String?
        let values = [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = 0
            guard let base = UnsafeMutableRawPointer(buffer.baseAddress) else { return }
            var done = 0
            let total = count * 8
            while done < total {
                let got = read(fd, base + done, Swift.min(total - done, 1 << 30))
                if got <= 0 { failure = got == 0 ? "ended early" : String(cString: strerror(errno)); break }
                done += got
            }
            if failure == nil {
                #if _endian(big)
                for i in 0..<count { buffer[i] = Double(bitPattern: UInt64(littleEndian: buffer[i].bitPattern)) }
                #endif
                initialized = count
            }
        }
        if let failure { throw PolicyLabError.file(path: path, reason: "cannot be read (\(failure))") }
        return try Matrix(rows: rows, columns: columns, columnMajor: values)
    }
}

enum BenchMemory {
    /// The peak resident set size of this process's address space in bytes: `VmHWM` of
    /// /proc/self/status where it exists, else getrusage's `ru_maxrss`.
    ///
    /// `ru_maxrss` alone is wrong for a process started by a large one: Linux keeps the
    /// maximum across `execve`, and a forked child's address space starts as a copy of its
    /// parent's, so a PolicyLab run forked by a harness holding 1.3 GB reports at least 1.3 GB.
    /// `VmHWM` is the high-water mark of the address space made by `execve`, i.e. this program's.
    static func peakResidentBytes() -> Double {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let field = line.dropFirst("VmHWM:".count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first,
           let kilobytes = Double(field) {
            return kilobytes * 1024
        }
        return maxRSSBytes()
    }

    /// getrusage(RUSAGE_SELF) `ru_maxrss` in bytes (kilobytes on Linux); see `peakResidentBytes`.
    static func maxRSSBytes() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        return Double(usage.ru_maxrss) * 1024
    }
}

enum BenchTiming {
    /// The fastest of `count` runs of `body`, in seconds.
    static func best(_ count: Int, _ body: () throws -> Void) throws -> Double {
        var best = Double.infinity
        for _ in 0..<Swift.max(1, count) { best = Swift.min(best, try Stopwatch.time(body).seconds) }
        return best
    }
}

enum BenchMachine {
    /// dgemm rate of the BLAS PolicyLab links, on `threads` OpenBLAS threads: best of 3
    /// products of 3,000 × 3,000 matrices (2·3000³ flops each), after one warm-up product.
    static func dgemmGigaflops(threads: Int, size: Int = 3_000) throws -> Double {
        let a = Matrix(rows: size, columns: size) { i, j in Double((i &* 31 &+ j &* 17) % 1_000) / 1_000 }
        let b = Matrix(rows: size, columns: size) { i, j in Double((i &* 13 &+ j &* 7) % 1_000) / 1_000 }
        let saved = OpenBLASThreads.current
        OpenBLASThreads.set(threads)
        defer { OpenBLASThreads.set(saved) }
        _ = try Matrix.product(a.view, b.view)
        let seconds = try BenchTiming.best(3) { _ = try Matrix.product(a.view, b.view) }
        return 2 * Double(size) * Double(size) * Double(size) / seconds / 1e9
    }
}
