/// How `policylab nls` (and `NonlinearModel.reading(csv:…)`) holds the data of a fit.
public enum NLSPrecision: String, Sendable, CaseIterable {
    /// Doubles only: the fit, its RSS and standard errors are computed in double precision.
    case double
    /// The numeric columns the formula uses are also read as decimal text and kept exactly in
    /// double-double, so the fit ends with the double-double stage (`ExtendedPrecisionStage`):
    /// the RSS, σ̂ and standard errors stay accurate even when the residuals are a few hundred
    /// ulps of the response. Costs a second read of the file and a few extra model passes.
    case extended
}

extension NonlinearModel {
    /// Reads the CSV file at `path` and binds `formula` to it, as `init(formula:table:start:)`
    /// does. With `.extended`, the used columns of type double are read a second time as text
    /// (a categorical type override), and each valid cell's text is parsed exactly into
    /// double-double; a cell whose text does not parse as a decimal number, or parses to a
    /// value that does not round to the cell's double, keeps its double (taken exactly).
    /// Integer and logical columns are exact as doubles already.
    /// - Throws: `CSVError`/`TabularError` for the file, `NLSError` for the formula and data.
    /// - Complexity: one read of the file, two with `.extended`; O(rows · columns used) more.
    public static func reading(csv path: String, options: CSVOptions, formula: ModelFormula, start: StartPoint,
                               precision: NLSPrecision) throws -> NonlinearModel {
        let table = try CSVReader.read(path: path, options: options)
        guard precision == .extended else { return try NonlinearModel(formula: formula, table: table, start: start) }
        let used = Set(formula.response.names.map(\.name) + formula.model.names.map(\.name)).subtracting(start.names)
        var data: [String: [Double]] = [:]
        var textColumns: [String] = []
        for name in table.columnNames where used.contains(name) {
            let column = try table.column(named: name)
            guard let values = column.doubleValues else { throw NLSError.nonNumericColumn(name) }
            data[name] = values
            if column.values.type == .double { textColumns.append(name) }
        }
        var extended: [String: [DoubleDouble]] = [:]
        if !textColumns.isEmpty {
            var textOptions = options
            for name in textColumns { textOptions.columnTypes[name] = .categorical }
            let text = try CSVReader.read(path: path, options: textOptions)
            for name in textColumns {
                guard let doubles = data[name] else { continue }
                extended[name] = exactValues(of: try text.column(named: name), doubles: doubles)
            }
        }
        return try NonlinearModel(formula: formula, columns: data, start: start, allColumnNames: table.columnNames,
                                  extendedColumns: extended)
    }

    /// The text cells of a categorical `column` parsed into double-double, falling back to
    /// `doubles[row]` where the text is missing, not a decimal number, or off its double.
    private static func exactValues(of column: Column, doubles: [Double]) -> [DoubleDouble] {
        guard case let .categorical(codes, levels) = column.values, codes.count == doubles.count else {
            return doubles.map { DoubleDouble($0) }
        }
        let parsed = levels.map { DoubleDouble(decimal: $0) }
        return doubles.indices.map { row in
            let d = doubles[row]
            guard column.validity.isValid(row), d.isFinite, let exact = parsed[Int(codes[row])],
                  Swift.abs(exact.value - d) <= d.ulp else { return DoubleDouble(d) }
            return exact
        }
    }
}
