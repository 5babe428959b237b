import Foundation
import LinearAlgebra
import Tabular

/// A model formula bound to data and a start point: the residuals rᵢ(β) = f(xᵢ; β) − yᵢ and
/// their exact Jacobian, evaluated over rows in parallel.
///
/// Names on the right of `~` that appear in the start point are parameters; the others must
/// be data columns (or `pi`). Rows where a used column or the response is missing or not
/// finite are dropped (counted in `droppedRows`). Evaluation cuts the rows into chunks of
/// `chunkSize`, which depend only on the row count, and each row's values are computed alone,
/// so results are bit-identical for any thread count.
///
/// The data may also be held in double-double (`extendedColumns:`, or decimal text through
/// `init(formula:decimalColumns:start:allColumnNames:)`): the fit then ends with a few
/// Gauss–Newton steps on residuals evaluated in double-double and reports the residual sum of
/// squares from them (see `LevenbergMarquardt.fit`). The double columns stay the primary
/// representation; the optimizer itself works in double.
public struct NonlinearModel: Sendable {
    /// The formula.
    public let formula: ModelFormula
    /// The start point (parameter names and start values).
    public let start: StartPoint
    /// The data columns the formula uses, in order of first appearance.
    public let columnNames: [String]
    /// Complete observations used in the fit.
    public var observations: Int { response.count }
    /// Rows dropped because a used value was missing or not finite.
    public let droppedRows: Int
    /// Rows per parallel chunk (fixed; never depends on the thread count).
    public var chunkSize = 1024

    let tape: ExpressionTape
    let columns: [[Double]]
    let response: [Double]
    /// The used columns and the response in double-double, when given.
    let extendedColumns: [[DoubleDouble]]?
    let extendedResponse: [DoubleDouble]?

    /// Whether the data are also held in double-double, so that the fit ends with the
    /// extended-precision stage.
    public var hasExtendedData: Bool { extendedResponse != nil }

    /// Binds `formula` to the columns of `table` and the parameters of `start`.
    /// - Throws: `NLSError` (`unknownVariable` with suggestions, `missingStart`, `unusedParameter`,
    ///   `ambiguousName`, `nonNumericColumn`, `parameterInResponse`, `tooFewObservations`).
    /// - Complexity: O(rows · columns used).
    public init(formula: ModelFormula, table: Table, start: StartPoint) throws {
        let used = Set(formula.response.names.map(\.name) + formula.model.names.map(\.name))
        var data: [String: [Double]] = [:]
        for name in table.columnNames where used.contains(name) {
            guard let values = try table.column(named: name).doubleValues else { throw NLSError.nonNumericColumn(name) }
            data[name] = values
        }
        try self.init(formula: formula, columns: data, start: start, allColumnNames: table.columnNames)
    }

    /// Binds `formula` to columns of decimal text (all of equal length), keeping each value both
    /// as the nearest double and exactly (to ~106 bits) as a `DoubleDouble`, so that the fit's
    /// final stage sees the data as written ("0.05" is one twentieth, not the double nearest to
    /// it). Write `NaN` for a missing value (the row is dropped).
    /// - Throws: `nonNumericColumn` when a text is not a decimal number; otherwise as
    ///   `init(formula:columns:start:allColumnNames:extendedColumns:)`.
    /// - Complexity: O(total characters + rows · columns used).
    public init(formula: ModelFormula, decimalColumns: [String: [String]], start: StartPoint,
                allColumnNames: [String]? = nil) throws {
        var data: [String: [Double]] = [:]
        var extended: [String: [DoubleDouble]] = [:]
        for (name, texts) in decimalColumns {
            var doubles = [Double](repeating: 0, count: texts.count)
            var exact = [DoubleDouble](repeating: .zero, count: texts.count)
            for (i, text) in texts.enumerated() {
                guard let value = DoubleDouble(decimal: text) else { throw NLSError.nonNumericColumn(name) }
                let trimmed = text.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
                doubles[i] = Double(trimmed) ?? value.hi
                exact[i] = value
            }
            data[name] = doubles
            extended[name] = exact
        }
        try self.init(formula: formula, columns: data, start: start,
                      allColumnNames: allColumnNames ?? decimalColumns.keys.sorted(), extendedColumns: extended)
    }

    /// Binds `formula` to named data columns (all of equal length) and the parameters of `start`.
    /// `allColumnNames` (default: the keys of `columns`) feeds "did you mean" suggestions.
    /// `extendedColumns`, when given, holds every used column again in double-double (a column
    /// missing there is taken exactly from its doubles); each value must round to its double
    /// (within 2 ulps, or both not finite).
    /// - Throws: as `init(formula:table:start:)`; `invalidStart` when columns differ in length;
    ///   `extendedDataMismatch` when an extended value does not match its double.
    /// - Complexity: O(rows · columns used).
    public init(formula: ModelFormula, columns data: [String: [Double]], start: StartPoint,
                allColumnNames: [String]? = nil, extendedColumns: [String: [DoubleDouble]]? = nil) throws {
        let parameterIndex = Dictionary(uniqueKeysWithValues: start.names.enumerated().map { ($1, $0) })
        let known = (allColumnNames ?? data.keys.sorted()) + start.names
        for name in start.names where data[name] != nil { throw NLSError.ambiguousName(name) }
        var usedColumns: [String] = []
        func resolveColumn(_ name: String, _ position: Int) throws -> ExpressionTape.Leaf {
            if data[name] != nil {
                if let i = usedColumns.firstIndex(of: name) { return .column(i) }
                usedColumns.append(name)
                return .column(usedColumns.count - 1)
            }
            if name == "pi" { return .constant(DoubleDouble.pi) }
            if Self.looksLikeParameter(name, given: start.names) {
                throw NLSError.missingStart(parameter: name, given: start.names)
            }
            throw NLSError.unknownVariable(name: name, position: position,
                                           suggestions: Suggestions.closest(to: name, in: known))
        }
        let responseTape = try ExpressionTape(formula.response, parameterCount: 0) { name, position in
            if parameterIndex[name] != nil { throw NLSError.parameterInResponse(name) }
            return try resolveColumn(name, position)
        }
        let modelTape = try ExpressionTape(formula.model, parameterCount: start.names.count) { name, position in
            if let i = parameterIndex[name] { return .parameter(i) }
            return try resolveColumn(name, position)
        }
        let modelNames = Set(formula.modelNames)
        for name in start.names where !modelNames.contains(name) { throw NLSError.unusedParameter(name) }

        let raw = usedColumns.compactMap { data[$0] }
        let rows = raw.first?.count ?? 1
        for (name, column) in zip(usedColumns, raw) where column.count != rows {
            throw NLSError.invalidStart("column '\(name)' has \(column.count) rows, others \(rows)")
        }
        let rawExtended = try extendedColumns.map { given in
            try zip(usedColumns, raw).map { name, column in
                try Self.checkedExtended(given[name], doubles: column, name: name)
            }
        }
        var workspace = ExpressionTape.Workspace(responseTape)
        var extendedWorkspace = [DoubleDouble](repeating: .zero, count: responseTape.instructions.count)
        var keep: [Int] = []
        var y: [Double] = []
        var yExtended: [DoubleDouble] = []
        for row in 0..<rows {
            guard raw.allSatisfy({ $0[row].isFinite }) else { continue }
            let value = responseTape.value(row: row, columns: raw, parameters: [], workspace: &workspace)
            guard value.isFinite else { continue }
            keep.append(row)
            y.append(value)
            if let rawExtended {
                yExtended.append(responseTape.extendedValue(row: row, columns: rawExtended, parameters: [],
                                                            workspace: &extendedWorkspace))
            }
        }
        guard keep.count >= start.names.count, !keep.isEmpty else {
            throw NLSError.tooFewObservations(observations: keep.count, parameters: start.names.count)
        }
        self.formula = formula
        self.start = start
        self.columnNames = usedColumns
        self.droppedRows = rows - keep.count
        self.tape = modelTape
        self.columns = keep.count == rows ? raw : raw.map { c in keep.map { c[$0] } }
        self.response = y
        self.extendedColumns = rawExtended.map { columns in
            keep.count == rows ? columns : columns.map { c in keep.map { c[$0] } }
        }
        self.extendedResponse = rawExtended == nil ? nil : yExtended
    }

    /// `given` checked against the doubles of the same column, or the doubles taken exactly.
    private static func checkedExtended(_ given: [DoubleDouble]?, doubles: [Double], name: String) throws -> [DoubleDouble] {
        guard let given else { return doubles.map { DoubleDouble($0) } }
        guard given.count == doubles.count else {
            throw NLSError.invalidStart("extended column '\(name)' has \(given.count) rows, the double column \(doubles.count)")
        }
        for (row, (e, d)) in zip(given, doubles).enumerated() {
            let matches = d.isFinite ? e.isFinite && Swift.abs(e.value - d) <= 2 * d.ulp : !e.isFinite
            guard matches else { throw NLSError.extendedDataMismatch(column: name, row: row + 1) }
        }
        return given
    }

    /// A name like `b3` when the start point gives `b1`, `b2`: letters then digits, same letters.
    static func looksLikeParameter(_ name: String, given: [String]) -> Bool {
        func split(_ s: String) -> (String, String) {
            let letters = s.prefix { !$0.isNumber }
            return (String(letters), String(s.dropFirst(letters.count)))
        }
        let (prefix, digits) = split(name)
        guard !prefix.isEmpty, !digits.isEmpty, digits.allSatisfy(\.isNumber) else { return false }
        return given.contains { let (p, d) = split($0); return p == prefix && !d.isEmpty && d.allSatisfy(\.isNumber) }
    }

    /// The residuals f(xᵢ; β) − yᵢ at `parameters`, in row order. Entries may be NaN/±inf
    /// where the model is undefined; the caller decides what that means.
    /// - Complexity: O(rows · instructions), divided over the threads.
    public func residuals(at parameters: [Double], parallelism: Parallelism = .serial) -> [Double] {
        let chunks = chunked(parallelism) { (range: Range<Int>) -> [Double] in
            var w = ExpressionTape.Workspace(tape)
            return range.map { tape.value(row: $0, columns: columns, parameters: parameters, workspace: &w) - response[$0] }
        }
        return chunks.flatMap { $0 }
    }

    /// The residuals f(xᵢ; β) − yᵢ evaluated in double-double from the extended data, or nil
    /// when the model has none. Each residual is exact to ~1e-31 relative to the larger of
    /// f and y, so rounding it to a double leaves it accurate to about one ulp of itself.
    /// - Complexity: O(rows · instructions) double-double operations, divided over the threads.
    public func extendedResiduals(at parameters: [Double], parallelism: Parallelism = .serial) -> [DoubleDouble]? {
        guard let extendedColumns, let extendedResponse else { return nil }
        let beta = parameters.map { DoubleDouble($0) }
        let chunks = chunked(parallelism) { (range: Range<Int>) -> [DoubleDouble] in
            var w = [DoubleDouble](repeating: .zero, count: tape.instructions.count)
            return range.map {
                tape.extendedValue(row: $0, columns: extendedColumns, parameters: beta, workspace: &w) - extendedResponse[$0]
            }
        }
        return chunks.flatMap { $0 }
    }

    /// The residuals and the m×p Jacobian ∂rᵢ/∂βⱼ (exact, forward mode) at `parameters`.
    /// - Complexity: O(rows · instructions · parameters), divided over the threads.
    public func residualsAndJacobian(at parameters: [Double], parallelism: Parallelism = .serial) -> ([Double], Matrix) {
        let m = observations, p = parameters.count
        let chunks = chunked(parallelism) { (range: Range<Int>) -> (Range<Int>, [Double], [Double]) in
            var w = ExpressionTape.Workspace(tape)
            var r = [Double](repeating: 0, count: range.count)
            var jac = [Double](repeating: 0, count: range.count * p)
            for (i, row) in range.enumerated() {
                r[i] = tape.valueAndGradient(row: row, columns: columns, parameters: parameters, workspace: &w,
                                             gradient: &jac, offset: i, stride: range.count) - response[row]
            }
            return (range, r, jac)
        }
        var residuals = [Double](repeating: 0, count: m)
        var jacobian = Matrix(rows: m, columns: p)
        jacobian.withUnsafeMutableBufferPointer { out in
            for (range, r, jac) in chunks {
                for (i, row) in range.enumerated() {
                    residuals[row] = r[i]
                    for j in 0..<p { out[row + j * m] = jac[i + j * range.count] }
                }
            }
        }
        return (residuals, jacobian)
    }

    /// The second directional derivatives d²rᵢ(β + t·v)/dt² at t = 0, exactly.
    /// - Complexity: O(rows · instructions), divided over the threads.
    public func secondDirectionalDerivatives(at parameters: [Double], direction: [Double],
                                             parallelism: Parallelism = .serial) -> [Double] {
        let chunks = chunked(parallelism) { (range: Range<Int>) -> [Double] in
            var w = ExpressionTape.Workspace(tape)
            return range.map {
                tape.secondDirectionalDerivative(row: $0, columns: columns, parameters: parameters,
                                                 direction: direction, workspace: &w)
            }
        }
        return chunks.flatMap { $0 }
    }

    /// `body` over the row chunks, in chunk order (the body cannot throw, so neither can this).
    private func chunked<T: Sendable>(_ parallelism: Parallelism, _ body: @Sendable (Range<Int>) -> T) -> [T] {
        (try? Parallel.map(count: observations, chunkSize: chunkSize, parallelism: parallelism, body)) ?? []
    }
}
