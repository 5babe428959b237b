import LinearAlgebra

/// The PolicyLab side of `scripts/bench-peers`: one named task, run on data loaded from
/// raw float64 files, run once untimed, then timed `repeats` times (load excluded).
public struct BenchTask: Sendable {
    /// The tasks the peer harness knows.
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// C = A·B for square A, B (one `BLAS.gemm`).
        case gemm
        /// XᵀX for tall X (`Matrix.gram`, parallel row blocks).
        case gram
        /// Reads a numeric CSV file into a `Table` (`CSVReader.read`); checksum = sum of all values.
        case csv
        /// L-BFGS-B on the `rows`-dimensional Rosenbrock function (no input files); checksum = final f.
        case lbfgsbRosenbrock = "lbfgsb-rosenbrock"
        /// Logit MLE on X (rows×cols) and y (rows×1) with standard errors; checksum = Σ β̂.
        case logitMLE = "logit-mle"
        /// Differential evolution with a 1 ms objective (parallel speed-up); checksum = best value.
        case deBusy = "de-busy"
        /// DE success counts over seeds 1…cols on the six test functions in `rows` dimensions.
        case deSuccess = "de-success"
        /// OLS + HC1 on X (rows×cols, intercept first) and y (rows×1); checksum = Σ β̂.
        case olsHC1 = "ols-hc1"
        /// Two-way fixed effects clustered by the first, from [y, x…, f1, f2] (rows×cols); checksum = Σ β̂.
        case fe2
        /// 2SLS + HC1 from [y, d, z1, z2, z3, x…] (rows×cols); checksum = Σ β̂.
        case iv
        /// Expected values over X (rows×cols) of `draws` β draws from N(β̂ (cols×1), V̂ (cols×cols))
        /// (`ExpectedValueDraws.means`), beside the one dgemm of the same shapes; checksum = Σ evᵣ.
        case evDraws = "ev-draws"
    }

    /// The result of a run, as the harness reads it.
    public struct Report: Sendable, Codable, Equatable {
        public let task: Kind
        public let rows: Int
        public let cols: Int
        public let threads: Int
        public let seconds: [Double]
        public let best: Double
        public let median: Double
        /// Sum of all entries of the result matrix, for the harness to check agreement with the peer.
        public let checksum: Double
        /// Task-specific figures (evaluations, success counts, estimates), when the task has any.
        public var extra: [String: Double]? = nil
    }

    public let kind: Kind
    public let inputs: [String]
    public let rows: Int
    public let columns: Int
    public let repeats: Int
    public let parallelism: Parallelism
    /// Draws R for `ev-draws` (nil there means 1,000; unused by the other tasks).
    public var draws: Int? = nil

    /// A task over `inputs` (raw float64 column-major files; one CSV file for `csv`).
    /// - Throws: `PolicyLabError.invalidArgument` when the number of inputs or repeats is wrong.
    public init(kind: Kind, inputs: [String], rows: Int, columns: Int, repeats: Int, parallelism: Parallelism) throws {
        let needed: Int
        switch kind {
        case .gemm, .logitMLE, .olsHC1: needed = 2
        case .lbfgsbRosenbrock, .deBusy, .deSuccess: needed = 0
        case .gram, .csv, .fe2, .iv: needed = 1  // csv: one CSV file
        case .evDraws: needed = 3
        }
        guard inputs.count == needed else {
            throw PolicyLabError.invalidArgument(name: "--input", reason: "\(kind.rawValue) takes \(needed) input file(s), got \(inputs.count)")
        }
        guard repeats >= 1 else {
            throw PolicyLabError.invalidArgument(name: "--repeat", reason: "must be at least 1, got \(repeats)")
        }
        if kind == .gemm, rows != columns {
            throw PolicyLabError.invalidArgument(name: "--rows/--cols", reason: "gemm takes square matrices, got \(rows)×\(columns)")
        }
        self.kind = kind
        self.inputs = inputs
        self.rows = rows
        self.columns = columns
        self.repeats = repeats
        self.parallelism = parallelism
    }

    /// Loads the inputs, runs the task, and reports timings and the checksum.
    /// - Throws: file errors from `RawMatrixFile`, and any `LinearAlgebraError`; for `csv`, the
    ///   reader's `TabularError` and `PolicyLabError.file` when the table is not rows × cols.
    public func run() throws -> Report {
        switch kind {
        case .csv: return try runCSV()
        case .lbfgsbRosenbrock: return try runLBFGSBRosenbrock()
        case .logitMLE: return try runLogitMLE()
        case .deBusy: return try runDEBusy()
        case .deSuccess: return try runDESuccess()
        case .olsHC1: return try runOLSHC1()
        case .fe2: return try runFE2()
        case .iv: return try runIV()
        case .evDraws: return try runEVDraws()
        case .gemm, .gram: break
        }
        let matrices = try inputs.map { try RawMatrixFile.read(path: $0, rows: rows, columns: columns) }
        var times: [Double] = []
        var result = Matrix(rows: 0, columns: 0)
        let parallelism = self.parallelism
        OpenBLASThreads.set(parallelism.threads)
        let compute = { () throws -> Matrix in
            switch self.kind {
            case .gemm: return try Matrix.product(matrices[0].view, matrices[1].view)
            case .gram: return try Matrix.gram(matrices[0].view, parallelism: parallelism)
            case .csv, .lbfgsbRosenbrock, .logitMLE, .deBusy, .deSuccess, .olsHC1, .fe2, .iv, .evDraws:
                throw PolicyLabError.invalidArgument(name: "task", reason: "\(self.kind.rawValue) has its own runner")
            }
        }
        // One untimed run first: page faults, OpenBLAS thread start-up and lazy
        // initialization belong to the process, not to the task (the peer runs warm too).
        _ = try compute()
        for _ in 0..<repeats {
            let (value, seconds) = try Stopwatch.time(compute)
            result = value
            times.append(seconds)
        }
        let timing = TimingSummary(times)
        return Report(task: kind, rows: rows, cols: columns, threads: parallelism.threads, seconds: timing.seconds,
                      best: timing.best, median: timing.median, checksum: VectorKernels.sum(result.storage))
    }
}

extension BenchTask {
    /// `csv`: each timed run reads the whole file into a `Table` with `parallelism` threads
    /// (the file itself comes from the page cache, as for the peers). Checksum: the sum of
    /// every value, column by column.
    func runCSV() throws -> Report {
        let path = inputs[0]
        let options = CSVOptions(parallelism: parallelism)
        let read = { () throws -> Table in try CSVReader.read(path: path, options: options) }
        // One untimed run first (page cache, allocator warm-up), as the peers run warm.
        _ = try read()
        var times: [Double] = []
        var checksum = 0.0
        for _ in 0..<repeats {
            let (table, seconds) = try Stopwatch.time(read)
            times.append(seconds)
            guard table.rowCount == rows, table.columnNames.count == columns else {
                throw PolicyLabError.file(path: path, reason: "has \(table.rowCount)×\(table.columnNames.count) values, expected \(rows)×\(columns)")
            }
            checksum = 0
            for column in table.storedColumns {
                guard let values = column.doubleValues else {
                    throw PolicyLabError.file(path: path, reason: "column '\(column.name)' is not numeric")
                }
                checksum += VectorKernels.sum(values)
            }
        }
        let timing = TimingSummary(times)
        return Report(task: kind, rows: rows, cols: columns, threads: parallelism.threads, seconds: timing.seconds,
                      best: timing.best, median: timing.median, checksum: checksum)
    }
}
