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

    /// OLS/WLS data from arrays. A column named `(Intercept)` counts as the intercept.
    /// - Throws: `RegressionError.notEstimable` for mismatched lengths, a NaN or infinite value
    ///   in y, X or the weights (naming which and the row), or a negative weight; cluster
    ///   codes must have one entry per row.
    /// - Parameter parallelism: threads for the finite checks of X's columns (the outcome,
    ///   including which column and row an error names, does not depend on it).
    /// - Complexity: O(n·k) for the checks: one vectorized pass per column, columns in
    ///   parallel; the offending row is searched for only when a column fails.
    public init(x: Matrix, y: [Double], columnNames: [String]? = nil, weights: [Double]? = nil,
                clusters: [GroupCodes] = [], response: String = "y", parallelism: Parallelism = .serial) throws {
        let n = x.rows
        guard y.count == n else { throw RegressionError.notEstimable(reason: "X has \(n) rows but y has \(y.count) values") }
        let names = columnNames ?? (0..<x.columns).map { "x\($0 + 1)" }
        guard names.count == x.columns else {
            throw RegressionError.notEstimable(reason: "X has \(x.columns) columns but \(names.count) names were given")
        }
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
    }
}
