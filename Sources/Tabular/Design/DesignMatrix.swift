import LinearAlgebra

/// The numbers a regression needs, built from a formula and a table: the response `y`, the
/// regressor matrix `x` with R's column names, optional weights, cluster codes, fixed-effect
/// codes, and for instrumental variables the endogenous and instrument matrices.
///
/// Columns are laid out and named exactly as R's `model.matrix` does for the same formula
/// (see `ColumnPlan`): `(Intercept)`, `x1`, `x1:x2`, `gJava` for a text column `g`,
/// `factor(g)Java`, `urbanTRUE` for a logical column, `I(x^2)`, `log(x)`, `poly(x, 3)1`.
/// Column types: `Double` and `Int` columns are numeric. A `Bool` column is coded as R
/// codes a logical one — a factor with levels FALSE, TRUE, so `urban` gives `urbanTRUE`
/// (0/1) beside an intercept, `urbanFALSE` and `urbanTRUE` without one; inside arithmetic
/// (`I(2*urban)`) it is 0/1. Text (categorical) columns are factors: `g` gives `gBali`, ….
/// Levels sort in byte order and the first is the reference (R's order for text under
/// `LC_COLLATE=C`); `i(g, ref = "Java")` makes Java the reference instead.
/// Differences from R, on purpose:
/// - `poly(x, d)` is raw powers, R's `poly(x, d, raw = TRUE)` but named `poly(x, d)1` ….
/// - `i(g)` and `i(g, ref = "Java")` (fixest) are named like `factor(g)`: `factor(g)Bali`.
/// - Unused factor levels are dropped after removing incomplete rows, as `lm` does
///   (`model.frame(drop.unused.levels = TRUE)`), and text levels sort in byte order
///   (R's order under `LC_COLLATE=C`).
/// - Where R would produce NaN or ±Inf (log of 0, division by zero), this is an error.
/// - With fixed effects, factors are coded as with an intercept and the intercept column is
///   left out (it is absorbed), as fixest does.
public struct DesignMatrix: Sendable {
    /// The formula the design was built from.
    public let formula: Formula
    /// The response on the kept rows.
    public let y: [Double]
    /// The response's name (`y`, `log(y)`).
    public let responseName: String
    /// The regressors (exogenous), `rows.count × columnNames.count`, column-major.
    public let x: Matrix
    /// The names of `x`'s columns, as R's `model.matrix` names them.
    public let columnNames: [String]
    /// R's `assign`: for each column of `x`, 0 for the intercept or the 1-based index into `termLabels`.
    public let assign: [Int]
    /// The regressor terms (`x1`, `x1:factor(g)`), in model order.
    public let termLabels: [String]
    /// Whether `x` has an `(Intercept)` column (false with `- 1`, `+ 0` or fixed effects).
    public let hasIntercept: Bool
    /// The weights on the kept rows, when a weight column was given.
    public let weights: [Double]?
    /// One code array per cluster column, in the order given.
    public let clusters: [GroupCodes]
    /// One code array per fixed-effect term (`fe1^fe2` is one term), in formula order.
    public let fixedEffects: [GroupCodes]
    /// The endogenous regressors of an IV formula (`rows × endogenousNames.count`), else nil.
    public let endogenous: Matrix?
    /// The names of `endogenous`'s columns.
    public let endogenousNames: [String]
    /// The excluded instruments of an IV formula, else nil.
    public let instruments: Matrix?
    /// The names of `instruments`'s columns.
    public let instrumentNames: [String]
    /// The table rows used (0-based indices into the table's rows), ascending.
    public let rows: [Int]
    /// How many table rows were dropped because a variable the model uses was missing there.
    public let droppedRowCount: Int

    /// Parses `formula` and builds its design on `table`. See `init(formula:table:…)` with a `Formula`.
    /// - Throws: `TabularError.formula` when the text does not parse; otherwise as the other initializer.
    public init(
        formula: String, table: Table, weights: String? = nil, clusters: [String] = [],
        missingWeights: MissingWeightPolicy = .error, parallelism: Parallelism = .serial,
        levels: [String: [String]] = [:]
    ) throws {
        try self.init(formula: try Formula(formula), table: table, weights: weights, clusters: clusters,
                      missingWeights: missingWeights, parallelism: parallelism, levels: levels)
    }

    /// Builds the design of `formula` on `table`.
    ///
    /// Rows with a missing value in any column the model uses (formula, weights, clusters)
    /// are dropped and counted in `droppedRowCount`. Variables, then output columns, are
    /// computed in parallel (`Parallel.map` over them); the result does not depend on
    /// `parallelism`.
    /// - Parameters:
    ///   - weights: a numeric column of non-negative weights.
    ///   - clusters: columns whose values identify clusters (any type), each coded separately.
    ///   - missingWeights: whether a missing weight is an error (default) or drops the row.
    ///   - levels: level lists fixed in advance by column name (in R's order; the first is the
    ///     reference): a factor of such a column gets a dummy for every listed level even if absent
    ///     here, so designs of different chunks of one file line up. A value outside the list is an error.
    /// - Throws: `TabularError.formula` for a column the table lacks (position, did-you-mean);
    ///   `.unknownColumn` for a missing weight or cluster column; `.invalidVariable` for a
    ///   factor with one level, a categorical column in arithmetic, a non-finite value
    ///   (log of a non-positive number, …) naming the term and row, a `poly` degree at or
    ///   above the number of distinct values, an absent `ref` level, a negative or missing
    ///   weight (column and row), no complete row, a variable both exogenous and endogenous,
    ///   or fewer instruments than endogenous variables.
    /// - Complexity: O(rows · (columns read + output columns · term order)).
    public init(
        formula: Formula, table: Table, weights: String? = nil, clusters: [String] = [],
        missingWeights: MissingWeightPolicy = .error, parallelism: Parallelism = .serial,
        levels: [String: [String]] = [:]
    ) throws {
        let frame = try ModelFrame(formula: formula, table: table, weights: weights, clusters: clusters, missingWeights: missingWeights)
        let exogenous = ModelTerms(formula.regressors)
        let endogenousTerms = formula.instrumental.map { ModelTerms($0.endogenous) }
        let instrumentTerms = formula.instrumental.map { ModelTerms($0.instruments) }

        // One evaluation per distinct variable across the parts.
        var expressions: [FormulaExpression] = []
        var keys: [String: Int] = [:]
        func indices(_ terms: ModelTerms?) -> [Int] {
            (terms?.variables ?? []).map { e in
                if let k = keys[e.description] { return k }
                keys[e.description] = expressions.count
                expressions.append(e)
                return expressions.count - 1
            }
        }
        let exogenousIndex = indices(exogenous)
        let endogenousIndex = indices(endogenousTerms)
        let instrumentIndex = indices(instrumentTerms)
        let evaluator = VariableEvaluator(frame: frame, fixedLevels: levels)
        let pending = expressions
        let variables = try Parallel.map(count: pending.count, chunkSize: 1, parallelism: parallelism) { range in
            try range.map { try evaluator.evaluate(pending[$0]) }
        }.flatMap { $0 }

        let hasFixedEffects = formula.fixedEffects != nil
        let coding = exogenous.hasIntercept || hasFixedEffects
        let xPlan = ColumnPlan.columns(for: exogenous, variableIndex: exogenousIndex, variables: variables,
                                       codingIntercept: coding, emitIntercept: exogenous.hasIntercept && !hasFixedEffects)
        let endogenousPlan = endogenousTerms.map {
            ColumnPlan.columns(for: $0, variableIndex: endogenousIndex, variables: variables, codingIntercept: coding, emitIntercept: false)
        } ?? []
        let instrumentPlan = instrumentTerms.map {
            ColumnPlan.columns(for: $0, variableIndex: instrumentIndex, variables: variables, codingIntercept: coding, emitIntercept: false)
        } ?? []
        try DesignMatrix.checkInstruments(x: xPlan, endogenous: endogenousPlan, instruments: instrumentPlan)

        let n = frame.rows.count
        let plans = xPlan + endogenousPlan + instrumentPlan
        try DesignMatrix.checkFits(rows: n, plans: plans, labels: exogenous.labels, fixedEffects: hasFixedEffects)
        let chunk = max(1, 65_536 / max(1, n))
        let columns = try Parallel.map(count: plans.count, chunkSize: chunk, parallelism: parallelism) { range in
            range.map { ColumnPlan.values(of: plans[$0], variables: variables, rows: n) }
        }.flatMap { $0 }
        // One copy of each column into the column-major storage (appends of whole arrays are
        // memcpy; a joined sequence was copied element by element).
        func matrix(_ range: Range<Int>) throws -> Matrix {
            var storage: [Double] = []
            storage.reserveCapacity(n * range.count)
            for column in columns[range] { storage.append(contentsOf: column) }
            return try Matrix(rows: n, columns: range.count, columnMajor: storage)
        }
        let xEnd = xPlan.count, endogenousEnd = xEnd + endogenousPlan.count

        self.formula = formula
        self.y = try evaluator.response(formula.response)
        self.responseName = formula.response.description
        self.x = try matrix(0..<xEnd)
        self.columnNames = xPlan.map(\.name)
        self.assign = xPlan.map(\.term)
        self.termLabels = exogenous.labels
        self.hasIntercept = exogenous.hasIntercept && !hasFixedEffects
        self.weights = frame.weights
        self.clusters = try clusters.map { GroupCodes.combining([try frame.column($0)], name: $0, rows: frame.rows) }
        self.fixedEffects = try formula.fixedEffectTerms.map { names in
            GroupCodes.combining(try names.map { try frame.column($0) }, name: names.joined(separator: "^"), rows: frame.rows)
        }
        self.endogenous = formula.instrumental == nil ? nil : try matrix(xEnd..<endogenousEnd)
        self.endogenousNames = endogenousPlan.map(\.name)
        self.instruments = formula.instrumental == nil ? nil : try matrix(endogenousEnd..<plans.count)
        self.instrumentNames = instrumentPlan.map(\.name)
        self.rows = frame.rows
        self.droppedRowCount = frame.droppedRowCount
    }

    /// Refuses a design whose columns (built once, then copied into X: about 16 bytes a cell
    /// at the peak) cannot fit in this machine's memory (`MemoryBudget`) — the usual cause is a
    /// factor of an identifier with one level per row, which belongs among the fixed effects.
    /// - Throws: `TabularError.invalidVariable` naming the term with the most columns.
    static func checkFits(rows n: Int, plans: [PlannedColumn], labels: [String], fixedEffects: Bool) throws {
        guard MemoryBudget.bytesIfAvailable(n, bytesPerItem: 16 * Swift.max(1, plans.count)) == nil else { return }
        var counts: [Int: Int] = [:]
        for plan in plans { counts[plan.term, default: 0] += 1 }
        let widest = counts.max { $0.value < $1.value || $0.value == $1.value && $0.key > $1.key }
        let label = widest.flatMap { $0.key >= 1 && $0.key <= labels.count ? labels[$0.key - 1] : nil } ?? "the terms"
        var reason = "the design matrix would be \(n) × \(plans.count): \(MemoryBudget.shortfall(n, bytesPerItem: 16 * plans.count))"
        if let widest, widest.value > 1 {
            reason += "; '\(label)' alone has \(widest.value) columns"
            if label.hasPrefix("factor(") || label.hasPrefix("i("), let open = label.firstIndex(of: "(") {
                let inner = label[label.index(after: open)...].prefix { $0 != "," && $0 != ")" }
                reason += " — a factor with that many levels belongs in the fixed-effects part: " + (fixedEffects ? "after '|', add + \(inner)" : "… | \(inner)")
            }
        }
        throw TabularError.invalidVariable(name: label, reason: reason)
    }

    /// An IV model needs disjoint exogenous/endogenous/instrument columns and at least as
    /// many instruments as endogenous columns.
    private static func checkInstruments(x: [PlannedColumn], endogenous: [PlannedColumn], instruments: [PlannedColumn]) throws {
        guard !endogenous.isEmpty || !instruments.isEmpty else { return }
        let exogenousNames = Set(x.map(\.name))
        let endogenousNames = Set(endogenous.map(\.name))
        if let both = endogenous.first(where: { exogenousNames.contains($0.name) }) {
            throw TabularError.invalidVariable(name: both.name, reason: "is both exogenous (before '|') and endogenous (before the second '~'); list it once")
        }
        if let both = instruments.first(where: { exogenousNames.contains($0.name) || endogenousNames.contains($0.name) }) {
            throw TabularError.invalidVariable(name: both.name, reason:
                "is listed as an excluded instrument and also as a regressor; exogenous regressors instrument themselves, list them before '|' only")
        }
        guard instruments.count >= endogenous.count else {
            throw TabularError.invalidVariable(name: endogenous.map(\.name).joined(separator: ", "), reason:
                "\(endogenous.count) endogenous columns need at least as many instruments, got \(instruments.count)")
        }
    }
}
