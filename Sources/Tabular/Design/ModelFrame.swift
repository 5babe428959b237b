import LinearAlgebra

/// What to do with a row whose weight is missing.
public enum MissingWeightPolicy: Sendable, Equatable {
    /// Throw `TabularError.invalidVariable` naming the weight column and the row (default:
    /// a survey weight that is absent is usually a data error).
    case error
    /// Drop the row like a missing regressor, as R's `lm(weights = w)` does.
    case dropRow
}

/// The rows a model uses and the columns it reads (R's `model.frame` with `na.omit`):
/// a row is kept when every column the model names — response, regressors, fixed effects,
/// endogenous variables, instruments, clusters, weights — holds a value there. A NaN stored
/// in a `Double` column counts as missing, as `is.na(NaN)` does in R.
struct ModelFrame: Sendable {
    /// The formula's text, for errors that point into it.
    let formulaText: String
    /// The columns read, by name (the table's row selection applied).
    let columns: [String: Column]
    /// The kept rows, as ascending indices of the table's rows.
    let rows: [Int]
    /// Whether no row was dropped (then `rows` is 0..<n and the columns are used as they are).
    let keepsEveryRow: Bool
    /// How many table rows were dropped for a missing value.
    let droppedRowCount: Int
    /// The weights on the kept rows, if a weight column was given.
    let weights: [Double]?

    /// Resolves every column and finds the complete rows.
    /// - Throws: `TabularError.formula` for a column name in the formula that the table lacks
    ///   (position and did-you-mean); `.unknownColumn` for a missing weight or cluster column;
    ///   `.invalidVariable` for a weight that is not numeric, negative, infinite or (with
    ///   `.error`) missing, and when no row is complete.
    init(formula: Formula, table: Table, weights: String?, clusters: [String], missingWeights: MissingWeightPolicy) throws {
        var columns: [String: Column] = [:]
        let formulaNames = formula.columnNames
        for name in formulaNames {
            do {
                columns[name] = try table.column(named: name)
            } catch let TabularError.unknownColumn(_, suggestions) {
                let hint = suggestions.isEmpty ? "" : "; did you mean " + suggestions.map { "'\($0)'" }.joined(separator: " or ") + "?"
                throw TabularError.formula(formula: formula.text, position: formula.namePositions[name] ?? 1,
                                           reason: "unknown column '\(name)'\(hint)")
            }
        }
        for name in clusters + (weights.map { [$0] } ?? []) where columns[name] == nil {
            columns[name] = try table.column(named: name)
        }
        let rowCount = table.rowCount
        var complete = [Bool](repeating: true, count: rowCount)
        var worst: (name: String, missing: Int)?
        let checked = formulaNames + clusters + (missingWeights == .dropRow ? weights.map { [$0] } ?? [] : [])
        for name in checked {
            guard let column = columns[name] else { continue }
            var missing = 0
            let validity = column.validity
            var doubles: [Double] = []
            if case let .double(v) = column.values { doubles = v }
            // The common case, a complete column without NaN, in one SIMD pass.
            if validity.allValid && (doubles.isEmpty || VectorKernels.allFinite(doubles)) {
                if worst == nil { worst = (name, 0) }
                continue
            }
            for r in 0..<rowCount where !validity.isValid(r) || (!doubles.isEmpty && doubles[r].isNaN) {
                complete[r] = false
                missing += 1
            }
            if missing > (worst?.missing ?? -1) { worst = (name, missing) }
        }
        if let weights, missingWeights == .error, let column = columns[weights] {
            if let r = (0..<rowCount).first(where: { complete[$0] && ModelFrame.isMissing(column, $0) }) {
                throw TabularError.invalidVariable(name: weights, reason:
                    "the weight is missing at row \(r + 1); give every used row a weight, or pass missingWeights: .dropRow to drop such rows as R's lm does")
            }
        }
        let kept = complete.indices.filter { complete[$0] }
        guard !kept.isEmpty else {
            let detail = worst.map { "; '\($0.name)' alone is missing in \($0.missing) of \(rowCount) rows" } ?? ""
            throw TabularError.invalidVariable(name: worst?.name ?? formula.text,
                                               reason: "no row has a value in every model variable (\(rowCount) rows)\(detail)")
        }
        self.formulaText = formula.text
        self.columns = columns
        self.rows = kept
        self.keepsEveryRow = kept.count == rowCount
        self.droppedRowCount = rowCount - kept.count
        self.weights = try weights.map { name in
            try ModelFrame.weightValues(columns[name], name: name, rows: kept)
        }
    }

    /// Whether row `r` of `column` is missing (invalid, or a NaN double).
    static func isMissing(_ column: Column, _ r: Int) -> Bool {
        if !column.validity.isValid(r) { return true }
        if case let .double(v) = column.values { return v[r].isNaN }
        return false
    }

    private static func weightValues(_ column: Column?, name: String, rows: [Int]) throws -> [Double] {
        guard let column, column.type == .double || column.type == .int, let all = column.doubleValues else {
            let type = column?.type.rawValue ?? "unknown"
            throw TabularError.invalidVariable(name: name, reason: "weights must be a numeric column, not \(type)")
        }
        return try rows.map { r in
            let w = all[r]
            guard w.isFinite, w >= 0 else {
                throw TabularError.invalidVariable(name: name, reason:
                    "the weight is \(RNumberFormat.string(w)) at row \(r + 1); weights must be finite and non-negative")
            }
            return w
        }
    }

    /// The values of column `name` on the kept rows as doubles (Bool as 0/1); a double column
    /// of a frame that keeps every row is returned as it is (shared storage, no copy).
    /// - Throws: `.invalidVariable` for a categorical column used in arithmetic (`context`).
    func numericValues(_ name: String, context: String) throws -> [Double] {
        guard let column = columns[name] else {
            throw TabularError.unknownColumn(name: name, suggestions: Suggestions.closest(to: name, in: Array(columns.keys)))
        }
        switch column.values {
        case let .double(v): return keepsEveryRow ? v : rows.map { v[$0] }
        case let .int(v): return rows.map { Double(v[$0]) }
        case let .bool(v): return rows.map { v[$0] ? 1 : 0 }
        case .categorical:
            throw TabularError.invalidVariable(name: context, reason:
                "column '\(name)' is categorical and cannot enter arithmetic; use factor(\(FormulaExpression.quotedName(name))) for dummies")
        }
    }

    /// The column `name` (resolved at init).
    func column(_ name: String) throws -> Column {
        guard let column = columns[name] else {
            throw TabularError.unknownColumn(name: name, suggestions: Suggestions.closest(to: name, in: Array(columns.keys)))
        }
        return column
    }
}
