import LinearAlgebra
import Tabular

/// The numbers a linear model is fitted to: from a `DesignMatrix` (formula and table), or
/// from arrays a caller already has (the C ABI, benchmarks, simulations).
public struct RegressionData: Sendable {
    /// The response.
    public var y: [Double]
    /// The exogenous regressors, n × k column-major.
    public var x: Matrix
    /// The names of `x`'s columns.
    public var columnNames: [String]
    /// Whether one of `x`'s columns is the intercept `(Intercept)` (R² is then centered).
    public var hasIntercept: Bool
    /// Non-negative row weights, or nil.
    public var weights: [Double]?
    /// Cluster codes, one grouping per cluster variable a cluster variance names.
    public var clusters: [GroupCodes]
    /// Fixed effects to absorb.
    public var fixedEffects: [GroupCodes]
    /// The endogenous regressors of an IV model (n × e, column-major), else nil.
    public var endogenous: Matrix?
    /// The names of `endogenous`'s columns (empty without IV).
    public var endogenousNames: [String]
    /// The excluded instruments of an IV model (n × m, column-major), else nil.
    public var instruments: Matrix?
    /// The formula text reported with the result.
    public var formula: String
    /// The response's name, reported with the result.
    public var response: String
    /// Rows left out before these data were made (missing values), reported with the result.
    public var droppedRows: Int

    /// The data of a design built from a formula and a table.
    public init(design: DesignMatrix) {
        y = design.y
        x = design.x
        columnNames = design.columnNames
        hasIntercept = design.hasIntercept
        weights = design.weights
        clusters = design.clusters
        fixedEffects = design.fixedEffects
        endogenous = design.endogenous
        endogenousNames = design.endogenousNames
        instruments = design.instruments
        formula = design.formula.description
        response = design.responseName
        droppedRows = design.droppedRowCount
    }

    /// When `init(x:y:…)` scans y and X for NaN and infinite values.
    public enum FiniteCheck: Sendable, Equatable {
        /// On construction (the default): the initializer reads all of X once and throws.
        case onConstruction
        /// By `LinearRegression.fit`: construction reads neither X nor y, and the fit throws
        /// the error, with the message, that construction would have thrown. An unweighted
        /// fit without fixed effects or instruments folds the check into its first pass over
        /// X (a NaN or ±∞ in X makes a diagonal entry of XᵀX non-finite, and the solve checks
        /// y) and scans only when the fit fails; every other fit scans before it starts, as
        /// construction would. For data fitted right away (the C ABI, benchmarks): one read
        /// of X fewer. Nothing else is deferred: lengths, names and weights are checked here.
        case byFit
    }

    /// Whether y and X still have to be scanned for non-finite values by the fit
    /// (`FiniteCheck.byFit`); false for data checked on construction and for data from a
    /// design (Tabular checks those).
    var finiteCheckPending = false

    /// OLS/WLS data from arrays. A column named `(Intercept)` counts as the intercept.
    /// - Throws: `RegressionError.notEstimable` for mismatched lengths, a NaN or infinite value
    ///   in y, X or the weights (naming which and the row), or a negative weight; cluster
    ///   codes must have one entry per row. With `finiteCheck: .byFit` the NaN/∞ errors of y
    ///   and X are thrown by `LinearRegression.fit` instead (same messages).
    /// - Parameters:
    ///   - parallelism: threads for the finite checks of X's columns (the outcome, including
    ///     which column and row an error names, does not depend on it).
    ///   - finiteCheck: when y and X are checked (default: here).
    /// - Complexity: O(n·k) for the checks: one vectorized pass per column, columns in
    ///   parallel; the offending row is searched for only when a column fails. With `.byFit`,
    ///   O(n) (the weights, when given).
    public init(x: Matrix, y: [Double], columnNames: [String]? = nil, weights: [Double]? = nil,
                clusters: [GroupCodes] = [], response: String = "y", parallelism: Parallelism = .serial,
                finiteCheck: FiniteCheck = .onConstruction) throws {
        let n = x.rows
        guard y.count == n else { throw RegressionError.notEstimable(reason: "X has \(n) rows but y has \(y.count) values") }
        let names = columnNames ?? (0..<x.columns).map { "x\($0 + 1)" }
        guard names.count == x.columns else {
            throw RegressionError.notEstimable(reason: "X has \(x.columns) columns but \(names.count) names were given")
        }
        if finiteCheck == .onConstruction {
            try RegressionData.checkFinite(x: x, y: y, names: names, parallelism: parallelism)
        }
        if let weights {
            guard weights.count == n else { throw RegressionError.notEstimable(reason: "X has \(n) rows but \(weights.count) weights were given") }
            if let i = weights.firstIndex(where: { !($0 >= 0) || !$0.isFinite }) {
                throw RegressionError.notEstimable(reason: "weight \(weights[i]) at row \(i + 1) is not a finite non-negative number")
            }
        }
        for groups in clusters where groups.codes.count != n {
            throw RegressionError.notEstimable(reason: "cluster '\(groups.name)' has \(groups.codes.count) codes for \(n) rows")
        }
        self.y = y
        self.x = x
        self.columnNames = names
        self.hasIntercept = names.contains("(Intercept)")
        self.weights = weights
        self.clusters = clusters
        self.fixedEffects = []
        self.endogenous = nil
        self.endogenousNames = []
        self.instruments = nil
        self.formula = response + " ~ " + (names.isEmpty ? "0" : names.joined(separator: " + "))
        self.response = response
        self.droppedRows = 0
        self.finiteCheckPending = finiteCheck == .byFit
    }

    /// Throws the error of `init(x:y:…)` for the first non-finite value: in y (naming its
    /// row), else in the first column of X that has one (its name, the value, its first bad row).
    /// - Complexity: O(n·k): one vectorized pass per column, columns in parallel; the row is
    ///   searched for only in a column that fails.
    static func checkFinite(x: Matrix, y: [Double], names: [String], parallelism: Parallelism) throws {
        if !VectorKernels.allFinite(y), let i = y.firstIndex(where: { !$0.isFinite }) {
            throw RegressionError.notEstimable(reason: "y has a non-finite value (\(y[i])) at row \(i + 1)")
        }
        let finiteColumns = try Parallel.map(count: x.columns, chunkSize: 1, parallelism: parallelism) { columns in
            columns.map { VectorKernels.allFinite(x.column($0)) }
        }.flatMap { $0 }
        if let j = finiteColumns.firstIndex(of: false) {
            let column = x.column(j)
            if let i = column.firstIndex(where: { !$0.isFinite }) {
                throw RegressionError.notEstimable(reason: "column \(j + 1) of X (\(names[j])) has a non-finite value (\(column[i])) at row \(i - column.startIndex + 1)")
            }
        }
    }

    /// The scan `FiniteCheck.byFit` leaves to the fit, run once an unweighted fit has failed:
    /// throws the construction error for a NaN or ±∞ in y or X; failing that, names the first
    /// column of X whose sum of squares overflows (XᵀX is then not finite although every value
    /// is), with its largest value and that value's row. Returns when neither holds, so that
    /// the fit's own error stands.
    /// - Complexity: O(n·k), only on the error path.
    func diagnoseFailedFit(parallelism: Parallelism) throws {
        try RegressionData.checkFinite(x: x, y: y, names: columnNames, parallelism: parallelism)
        for j in 0..<x.columns {
            let column = x.column(j)
            guard !VectorKernels.sumOfSquares(column).isFinite,
                  let i = column.indices.max(by: { abs(column[$0]) < abs(column[$1]) }) else { continue }
            throw RegressionError.notEstimable(reason:
                "column \(j + 1) of X (\(columnNames[j])) has values too large to square (\(column[i]) at row \(i - column.startIndex + 1)): "
                + "XᵀX overflows; rescale the data")
        }
    }
}
