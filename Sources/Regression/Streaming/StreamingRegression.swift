import Foundation
import LinearAlgebra
import Tabular

/// OLS and WLS over a CSV file read in chunks, for files larger than memory.
///
/// Memory: O(k²) for the fit plus O(G·k) for G clusters, whatever the file size, plus one
/// chunk and its design. Passes over the file:
/// 0. (only when the formula uses a text or integer column as a factor) collect the levels of
///    those columns over the whole file, so every chunk codes factors alike;
/// 1. the fit: each chunk's [√W·X, √W·y] is stacked under the running k+1-row factor S and
///    compressed by a pivoted QR (S ← R·Pᵀ of [S; chunk], so SᵀS = [X y]ᵀW[X y] exactly as a
///    tall-skinny QR would give) — QR accuracy, never the normal equations; then S is solved by
///    `LeastSquaresFit`'s QR path with alias detection;
/// 2. (robust and cluster variances only) residuals per chunk, accumulating the HC meat or the
///    per-cluster score sums by level name.
/// The coefficients equal the in-memory fit's to about 1e-13 relative on well-conditioned data
/// (the tests require 1e-10). Factor levels absent from the rows a model uses become aliased
/// (all-zero) columns here, where the in-memory design leaves them out.
public enum StreamingRegression {
    /// What `fit` reports while it reads.
    public struct Progress: Sendable {
        /// 0 (levels), 1 (fit) or 2 (variance).
        public let pass: Int
        /// Rows read so far in this pass.
        public let rows: Int
    }

    /// Fits `formula` on the CSV at `path`, `rowsPerChunk` rows at a time.
    /// - Throws: `RegressionError.invalidOption` for fixed effects, instruments or Newey–West
    ///   (not available in streaming mode; use in-memory estimation); `.notEstimable` for no
    ///   rows, fewer rows than coefficients or chunks whose designs differ; Tabular errors with
    ///   the row range of the chunk at fault.
    /// - Complexity: O(n·k²) flops, 2–3 passes over the file.
    public static func fit(path: String, formula formulaText: String, weights: String? = nil,
                           options: RegressionOptions = RegressionOptions(), csv: CSVOptions = CSVOptions(),
                           rowsPerChunk: Int = 100_000, progress: (@Sendable (Progress) -> Void)? = nil) throws -> RegressionResult {
        try OpenBLASThreads.singleThreaded {
            try fitSingleThreadedBLAS(path: path, formula: formulaText, weights: weights, options: options, csv: csv,
                                      rowsPerChunk: rowsPerChunk, progress: progress)
        }
    }

    private static func fitSingleThreadedBLAS(path: String, formula formulaText: String, weights: String?, options: RegressionOptions,
                                              csv: CSVOptions, rowsPerChunk: Int, progress: (@Sendable (Progress) -> Void)?) throws -> RegressionResult {
        try options.validate()
        let formula = try Formula(formulaText)
        guard formula.fixedEffects == nil, formula.instrumental == nil else {
            throw RegressionError.invalidOption(option: "formula", value: formulaText,
                                                expected: "no fixed effects or instruments in streaming mode (estimate in memory instead)")
        }
        if case .neweyWest = options.vcov {
            throw RegressionError.invalidOption(option: "vcov", value: options.vcov.description,
                                                expected: "iid, hc0–hc3 or cluster in streaming mode (Newey–West needs the rows in memory)")
        }
        let (levels, types) = try factorLevels(path: path, formula: formula, csv: csv, rowsPerChunk: rowsPerChunk, progress: progress)
        // The later passes declare every column's type as the first reader found it, so their
        // readers skip the whole-file inference pass (two parses of the file fewer).
        var csv = csv
        csv.columnTypes = types

        // Pass 1: the stacked QR factor of [√W·X, √W·y] and the response moments.
        var names: [String]?
        var factor: Matrix?
        var moments = WeightedMoments()
        var hasIntercept = false
        var rowsSeen = 0, nobs = 0, droppedRows = 0
        try forEachDesign(path: path, formula: formula, weights: weights, clusters: [], levels: levels, csv: csv,
                          rowsPerChunk: rowsPerChunk) { design, firstRow in
            if let names, names != design.columnNames {
                throw RegressionError.notEstimable(reason: "rows \(firstRow + 1)–\(firstRow + design.rows.count + design.droppedRowCount): the design's columns \(design.columnNames) differ from the first chunk's \(names)")
            }
            names = design.columnNames
            hasIntercept = design.hasIntercept
            let k = design.x.columns
            let block = Matrix(rows: design.y.count, columns: k + 1) { i, j in
                let root = design.weights.map { $0[i].squareRoot() } ?? 1
                return root * (j < k ? design.x[i, j] : design.y[i])
            }
            factor = try compress(factor, block)
            for i in design.y.indices where (design.weights?[i] ?? 1) > 0 {
                moments.add(design.y[i], weight: design.weights?[i] ?? 1)
                nobs += 1
            }
            droppedRows += design.droppedRowCount + design.y.count - design.y.indices.filter { (design.weights?[$0] ?? 1) > 0 }.count
            rowsSeen += design.rows.count + design.droppedRowCount
            progress?(Progress(pass: 1, rows: rowsSeen))
        }
        guard let names, let factor else { throw RegressionError.notEstimable(reason: "\(path) has no complete rows") }
        let k = names.count
        guard nobs > k else {
            throw RegressionError.notEstimable(reason: "\(nobs) observations for \(k) coefficients: at least one more observation than coefficients is needed")
        }
        let sx = Matrix(rows: factor.rows, columns: k) { i, j in factor[i, j] }
        let sy = (0..<factor.rows).map { factor[$0, k] }
        var solveOptions = options.solve
        solveOptions.strategy = .qr
        let fit = try LeastSquaresFit(x: sx.view, y: sy, options: solveOptions)
        let kept = fit.kept, p = kept.count
        let beta = fit.coefficients.map { $0.isNaN ? 0 : $0 }
        let rss = VectorKernels.sumOfSquares(fit.residuals)
        let residualDF = nobs - p

        // Pass 2: the meat.
        let covariance: Matrix
        var clusterCounts: [Int] = []
        var inferenceDF = residualDF
        switch options.vcov {
        case .iid:
            let sigma2 = rss / Double(residualDF)
            covariance = Matrix(rows: p, columns: p) { i, j in sigma2 * fit.bread[i, j] }
        case .hc0, .hc1, .hc2, .hc3:
            var meat = Matrix(rows: p, columns: p)
            try forEachDesign(path: path, formula: formula, weights: weights, clusters: [], levels: levels, csv: csv,
                              rowsPerChunk: rowsPerChunk) { design, _ in
                let x = design.x.selectingColumns(kept)
                let psi = try scores(design, beta: beta)
                var scale = psi.map(Swift.abs)
                if options.vcov == .hc2 || options.vcov == .hc3 {
                    let h = try ScoreKernels.leverages(x: x.view, bread: fit.bread, weights: design.weights, parallelism: options.parallelism)
                    for i in scale.indices {
                        guard 1 - h[i] > 1e-10 else {
                            throw RegressionError.variance(type: options.vcov.description, reason: "an observation has leverage 1; use hc0/hc1")
                        }
                        scale[i] /= options.vcov == .hc2 ? (1 - h[i]).squareRoot() : 1 - h[i]
                    }
                }
                meat = meat.adding(try Matrix.gram(x.view, rowScale: scale, parallelism: options.parallelism), scale: 1)
            }
            let factor = options.vcov == .hc1 ? Double(nobs) / Double(nobs - p) : 1
            covariance = try CovarianceEstimator.sandwich(bread: fit.bread, meat: meat, scale: factor)
        case let .cluster(clusterColumns):
            let subsets = ClusterCombinations.subsets(count: clusterColumns.count)
            var sums = subsets.map { _ in ClusterSums(columns: p) }
            try forEachDesign(path: path, formula: formula, weights: weights, clusters: clusterColumns, levels: levels, csv: csv,
                              rowsPerChunk: rowsPerChunk) { design, _ in
                let x = design.x.selectingColumns(kept)
                let psi = try scores(design, beta: beta)
                for (s, subset) in subsets.enumerated() {
                    // Rows of weight 0 are not observations (as in memory): they name no cluster.
                    let keys = design.y.indices.map { i -> String? in
                        guard (design.weights?[i] ?? 1) > 0 else { return nil }
                        return subset.map { design.clusters[$0].levels[design.clusters[$0].codes[i]] }.joined(separator: "\u{1F}")
                    }
                    sums[s].add(x: x, scores: psi, keys: keys)
                }
            }
            var meat = Matrix(rows: p, columns: p)
            let counts = sums.prefix(clusterColumns.count).map(\.count)
            for (s, subset) in subsets.enumerated() {
                guard sums[s].count >= 2 || subset.count > 1 else {
                    throw RegressionError.variance(type: options.vcov.description, reason:
                        "cluster variable '\(clusterColumns[subset[0]])' has \(sums[s].count) level; clustering needs at least 2")
                }
                let g = Double(sums[s].count)
                let adjust = g > 1 ? g / (g - 1) : 1
                meat = meat.adding(try sums[s].meat(), scale: (subset.count % 2 == 1 ? 1 : -1) * adjust)
            }
            covariance = try CovarianceEstimator.sandwich(bread: fit.bread, meat: meat, scale: Double(nobs - 1) / Double(nobs - p))
            clusterCounts = Array(counts)
            inferenceDF = (counts.min() ?? 2) - 1
        case .neweyWest:
            preconditionFailure("rejected above")
        }

        let keptNames = kept.map { names[$0] }
        let estimates = fit.keptCoefficients
        let rows = Inference.coefficientRows(terms: keptNames, estimates: estimates, covariance: covariance,
                                             degreesOfFreedom: inferenceDF, level: options.confidenceLevel)
        let tss = hasIntercept ? moments.centeredSumOfSquares : moments.rawSumOfSquares
        let rSquared = 1 - rss / tss
        let adjusted = 1 - (1 - rSquared) * Double(nobs - (hasIntercept ? 1 : 0)) / Double(residualDF)
        let slopes = keptNames.indices.filter { keptNames[$0] != "(Intercept)" }
        var slopeTest: FTest?
        if !slopes.isEmpty {
            var r = Matrix(rows: slopes.count, columns: p)
            for (i, j) in slopes.enumerated() { r[i, j] = 1 }
            slopeTest = try? Inference.wald(estimates: estimates, covariance: covariance, restrictions: r,
                                            values: Array(repeating: 0, count: slopes.count), denominatorDF: residualDF)
        }
        return RegressionResult(
            model: weights == nil ? "ols" : "wls", formula: formula.description, response: formula.response.description, nobs: nobs,
            dfResidual: residualDF, rSquared: rSquared, adjRSquared: adjusted, withinRSquared: nil,
            sigma: (rss / Double(residualDF)).squareRoot(), vcov: options.vcov.description, inferenceDF: inferenceDF,
            confidenceLevel: options.confidenceLevel, dropped: fit.aliased.map { names[$0] }, fixedEffects: [], fixedEffectLevels: [],
            coefficients: rows, vcovMatrix: (0..<p).map { i in (0..<p).map { covariance[i, $0] } }, fStatistic: slopeTest,
            firstStage: nil, weakInstrumentF: nil, clusterCounts: clusterCounts.isEmpty ? nil : clusterCounts,
            droppedRows: droppedRows, singletonsRemoved: 0, solver: "streaming-qr", conditionNumber: fit.conditionNumber,
            warnings: [])
    }

    /// S ← R·Pᵀ of [S; block]: a (k+1)-row matrix with the same Gram matrix as all rows so far.
    static func compress(_ factor: Matrix?, _ block: Matrix) throws -> Matrix {
        let stacked: Matrix
        if let factor {
            stacked = Matrix(rows: factor.rows + block.rows, columns: block.columns) { i, j in
                i < factor.rows ? factor[i, j] : block[i - factor.rows, j]
            }
        } else {
            stacked = block
        }
        guard VectorKernels.allFinite(stacked.storage) else {
            throw RegressionError.notEstimable(reason: "a regressor or the response has a NaN or infinite value")
        }
        return AliasDetection.unpivotedR(try PivotedQR(stacked))
    }

    /// ψᵢ = wᵢ(yᵢ − xᵢβ) for a chunk.
    static func scores(_ design: DesignMatrix, beta: [Double]) throws -> [Double] {
        let residuals = try LeastSquaresFit.residuals(x: design.x.view, y: design.y, beta: beta, parallelism: .serial)
        guard let w = design.weights else { return residuals }
        return zip(residuals, w).map { $0 * $1 }
    }

    /// Calls `body` with the design of every chunk and the chunk's first (0-based) file row.
    static func forEachDesign(path: String, formula: Formula, weights: String?, clusters: [String], levels: [String: [String]],
                              csv: CSVOptions, rowsPerChunk: Int, _ body: (DesignMatrix, Int) throws -> Void) throws {
        var reader = try CSVChunkReader(path: path, options: csv, rowsPerChunk: rowsPerChunk)
        var firstRow = 0
        while let chunk = try reader.next() {
            defer { firstRow += chunk.rowCount }
            let design: DesignMatrix
            do {
                design = try DesignMatrix(formula: formula, table: chunk, weights: weights, clusters: clusters, levels: levels)
            } catch let error as TabularError {
                throw RegressionError.notEstimable(reason: "\(path), data rows \(firstRow + 1)–\(firstRow + chunk.rowCount): \(error.oneLine)")
            }
            try body(design, firstRow)
        }
    }

    /// The sorted levels of every text or integer column the formula names, over the whole file,
    /// and the type of every column (declared or inferred by the reader).
    static func factorLevels(path: String, formula: Formula, csv: CSVOptions, rowsPerChunk: Int,
                             progress: (@Sendable (Progress) -> Void)?) throws -> (levels: [String: [String]], types: [String: ColumnType]) {
        var reader = try CSVChunkReader(path: path, options: csv, rowsPerChunk: rowsPerChunk)
        let types = Dictionary(zip(reader.columnNames, reader.columnTypes), uniquingKeysWith: { first, _ in first })
        let used = Set(formula.columnNames)
        let wanted = zip(reader.columnNames, reader.columnTypes).filter { used.contains($0.0) && ($0.1 == .categorical || $0.1 == .int) }
        guard !wanted.isEmpty else { return ([:], types) }
        var text: [String: Set<String>] = [:], integers: [String: Set<Int>] = [:]
        var rows = 0
        while let chunk = try reader.next() {
            for (name, type) in wanted {
                let column = try chunk.column(named: name)
                if type == .categorical, case let .categorical(codes, names) = column.values {
                    var seen = Set<Int32>()
                    for i in 0..<column.count where column.validity.isValid(i) { seen.insert(codes[i]) }
                    text[name, default: []].formUnion(seen.map { names[Int($0)] })
                } else if case let .int(values) = column.values, integers[name, default: []].count <= 100_000 {
                    for i in 0..<column.count where column.validity.isValid(i) { integers[name, default: []].insert(values[i]) }
                }
            }
            rows += chunk.rowCount
            progress?(Progress(pass: 0, rows: rows))
        }
        var levels: [String: [String]] = [:]
        for (name, set) in text { levels[name] = set.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
        for (name, set) in integers where set.count <= 100_000 { levels[name] = set.sorted().map(String.init) }
        return (levels, types)
    }
}

/// Per-cluster score sums keyed by level name, growing as new clusters appear: O(G·k) memory.
struct ClusterSums {
    let columns: Int
    private var index: [String: Int] = [:]
    private var sums: [Double] = []

    init(columns: Int) { self.columns = columns }

    var count: Int { index.count }

    mutating func add(x: Matrix, scores: [Double], keys: [String?]) {
        for i in keys.indices {
            guard let key = keys[i] else { continue }
            let g: Int
            if let known = index[key] { g = known } else {
                g = index.count
                index[key] = g
                sums.append(contentsOf: repeatElement(0, count: columns))
            }
            for j in 0..<columns { sums[g * columns + j] += scores[i] * x[i, j] }
        }
    }

    /// Σ_g s_g s_gᵀ.
    func meat() throws -> Matrix {
        let s = try Matrix(rows: columns, columns: count, columnMajor: sums)   // column g = s_g
        return try Matrix.product(s.view, s.view.T)
    }
}

/// Weighted mean and sum of squared deviations, merged chunk by chunk (West's update).
struct WeightedMoments {
    private(set) var weight = 0.0
    private(set) var mean = 0.0
    private(set) var centeredSumOfSquares = 0.0
    private(set) var rawSumOfSquares = 0.0

    mutating func add(_ y: Double, weight w: Double) {
        guard w > 0 else { return }
        weight += w
        let delta = y - mean
        mean += w / weight * delta
        centeredSumOfSquares += w * delta * (y - mean)
        rawSumOfSquares += w * y * y
    }
}

extension Matrix {
    /// self + scale·other.
    func adding(_ other: Matrix, scale: Double) -> Matrix {
        Matrix(rows: rows, columns: columns) { i, j in self[i, j] + scale * other[i, j] }
    }
}
