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

    /// Binds `formula` to named data columns (all of equal length) and the parameters of `start`.
    /// `allColumnNames` (default: the keys of `columns`) feeds "did you mean" suggestions.
    /// - Throws: as `init(formula:table:start:)`; `invalidStart` when columns differ in length.
    /// - Complexity: O(rows · columns used).
    public init(formula: ModelFormula, columns data: [String: [Double]], start: StartPoint,
                allColumnNames: [String]? = nil) throws {
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
            if name == "pi" { return .constant(Double.pi) }
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
        var workspace = ExpressionTape.Workspace(responseTape)
        var keep: [Int] = []
        var y: [Double] = []
        for row in 0..<rows {
            guard raw.allSatisfy({ $0[row].isFinite }) else { continue }
            let value = responseTape.value(row: row, columns: raw, parameters: [], workspace: &workspace)
            guard value.isFinite else { continue }
            keep.append(row)
            y.append(value)
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
