/// Reads a CSV file as a sequence of tables of `rowsPerChunk` rows each (the last may be
/// shorter), with memory bounded by one chunk and one block, so that files larger than
/// memory can be processed (e.g. to accumulate sufficient statistics).
///
/// Column types are fixed before the first chunk: declared ones (`CSVOptions.columnTypes`)
/// as given; the others by a first pass over the whole file that infers types exactly as
/// `CSVReader` does, in the same bounded memory (skipped when every column is declared).
/// Categorical codes are consistent across chunks: a level keeps the code it got when it
/// first appeared, and each chunk's levels are all the levels seen so far, in order of first
/// appearance. Concatenating the chunks gives the columns `CSVReader.read` returns.
///
/// Memory: one block of text (`CSVOptions.blockBytes`), the parsed values of at most one
/// block (8 bytes a field) plus one chunk, and the distinct levels of categorical columns.
///
/// ```swift
/// var reader = try CSVChunkReader(path: "households.csv", rowsPerChunk: 100_000)
/// while let chunk = try reader.next() { accumulate(chunk) }
/// ```
public struct CSVChunkReader {
    /// The column names, in file order.
    public let columnNames: [String]
    /// The type of each column (declared or inferred over the whole file).
    public let columnTypes: [ColumnType]
    /// The rows of every chunk but the last.
    public let rowsPerChunk: Int

    private let name: String
    private let plan: CSVPlan
    private var blocks: CSVBlockParser
    private var pending: [RangeResult] = []
    /// Rows of `pending[0]` already returned.
    private var pendingOffset = 0
    private var pendingRows = 0
    private var exhausted = false
    private var levels: [LevelTable]
    private var levelStrings: [[String]]

    /// A reader of the CSV file at `path`.
    /// - Throws: `TabularError.invalidVariable` when `rowsPerChunk < 1`; otherwise as
    ///   `CSVReader.read(path:options:)`, for the header and, when types are inferred, for
    ///   any bad row (the inference pass reads the whole file).
    /// - Complexity: O(1) with every type declared, else one parsing pass over the file.
    public init(path: String, options: CSVOptions = .init(), rowsPerChunk: Int) throws {
        try self.init(source: .file(CSVFileHandle(path: path)), name: path, options: options, rowsPerChunk: rowsPerChunk)
    }

    /// A reader of CSV text in memory; `name` stands for the file in error locations.
    /// - Throws: as `init(path:options:rowsPerChunk:)`.
    /// - Complexity: as `init(path:options:rowsPerChunk:)`.
    public init(bytes: [UInt8], name: String, options: CSVOptions = .init(), rowsPerChunk: Int) throws {
        try self.init(source: .memory(bytes), name: name, options: options, rowsPerChunk: rowsPerChunk)
    }

    init(source: CSVSource, name: String, options: CSVOptions, rowsPerChunk: Int) throws {
        guard rowsPerChunk >= 1 else {
            throw TabularError.invalidVariable(name: "rowsPerChunk", reason: "must be at least 1, got \(rowsPerChunk)")
        }
        let header = try CSVHeader.read(source, name: name, options: options)
        var plan = try header.plan(options: options)
        var hasRows = false
        if plan.modes.contains(.infer) {
            let (kinds, rows) = try Self.inferKinds(source: source, name: name, header: header, options: options, plan: plan)
            hasRows = rows > 0
            plan.modes = kinds.map { kind in FieldMode(kind.columnType) }
        } else {
            hasRows = try header.hasDataRows(in: source)
        }
        guard hasRows else { throw CSVErrors.headerOnly(name, source: source, dataStart: header.dataStart) }
        self.name = name
        self.plan = plan
        self.rowsPerChunk = rowsPerChunk
        columnNames = header.names
        columnTypes = plan.modes.map { PartialKind(mode: $0).columnType }
        blocks = CSVBlockParser(source: source, name: name, columnNames: header.names, options: options, start: header.dataStart)
        levels = [LevelTable](repeating: LevelTable(), count: header.names.count)
        levelStrings = [[String]](repeating: [], count: header.names.count)
    }

    /// The first pass: every column's kind over the whole file (values are discarded block by block).
    private static func inferKinds(source: CSVSource, name: String, header: CSVHeader, options: CSVOptions,
                                   plan: CSVPlan) throws -> (kinds: [PartialKind], rows: Int) {
        var blocks = CSVBlockParser(source: source, name: name, columnNames: header.names, options: options, start: header.dataStart)
        var kinds = plan.modes.map { PartialKind(mode: $0) }
        var inferPlan = plan
        var rows = 0
        while let block = try blocks.next(plan: inferPlan) {
            for result in block.results {
                rows += result.rowCount
                for j in kinds.indices { kinds[j] = kinds[j].joined(with: result.columns[j].kind) }
            }
            for j in kinds.indices where inferPlan.modes[j] == .infer && kinds[j] == .text { inferPlan.modes[j] = .text }
        }
        return (kinds, rows)
    }

    /// The next chunk of rows, or nil after the last.
    /// - Throws: `TabularError` for the first bad row of the next block (as `CSVReader`), or a read error.
    /// - Complexity: O(bytes of the rows returned), plus O(levels) per categorical column.
    public mutating func next() throws -> Table? {
        while pendingRows < rowsPerChunk, !exhausted {
            if let block = try blocks.next(plan: plan) {
                pending.append(contentsOf: block.results.filter { $0.rowCount > 0 })
                pendingRows += block.results.reduce(0) { $0 + $1.rowCount }
            } else {
                exhausted = true
            }
        }
        guard pendingRows > 0 else { return nil }
        let n = Swift.min(rowsPerChunk, pendingRows)
        // The pieces of pending results that make up this chunk.
        var pieces: [(result: RangeResult, rows: Range<Int>)] = []
        var remaining = n
        var offset = pendingOffset
        var consumed = 0
        for result in pending where remaining > 0 {
            let take = Swift.min(remaining, result.rowCount - offset)
            pieces.append((result, offset..<(offset + take)))
            remaining -= take
            if offset + take == result.rowCount {
                consumed += 1
                offset = 0
            } else {
                offset += take
            }
        }
        pending.removeFirst(consumed)
        pendingOffset = offset
        pendingRows -= n
        var columns: [Column] = []
        columns.reserveCapacity(columnNames.count)
        for j in columnNames.indices {
            var builder = CSVColumnBuilder(index: j, name: columnNames[j], kind: PartialKind(mode: plan.modes[j]), levels: levels[j])
            builder.reserve(n)
            for (k, piece) in pieces.enumerated() {
                // Types are fixed, so no range ever needs to be re-read as text.
                try builder.append(piece.result, rows: piece.rows, rangeIndex: k) { _ in
                    throw CSVErrors.error(.internalInconsistency(at: 0), blockStart: 0, source: blocks.source, name: name, columnNames: columnNames)
                }
            }
            levels[j] = builder.levelTable
            let column = builder.column(knownLevels: levelStrings[j])
            if case let .categorical(_, all) = column.values { levelStrings[j] = all }
            columns.append(column)
        }
        return try Table(columns: columns)
    }
}
