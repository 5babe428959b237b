import Foundation
import LinearAlgebra
import Synchronization

/// Reads a whole CSV file into a `Table` in memory, parsing byte ranges in parallel.
///
/// The file is read in blocks of `CSVOptions.blockBytes` (with `pread`, not mapped); each
/// block is split into `chunkBytes` ranges that are parsed concurrently with `Parallel`
/// (quotes that span a split are handled by a quote-parity pass, see `CSVChunking`), and the
/// ranges are appended to the columns in file order. Once a column is known to hold doubles
/// (from the second block on, or from the start when declared), pass 2 writes its values
/// straight into the column's storage, each range at the rows the ranges before it can hold
/// (`CSVBlockParser.Placement`, `DoubleRows`); the merge then only adopts them. Types are
/// inferred over the whole file (see `CSVOptions`). The result is identical for every thread
/// count, chunk size and block size.
///
/// Memory: the columns, one block buffer (`blockBytes`), and the parsed values of one block
/// (8 bytes a field) for the columns not placed. Measured on 10⁶ × 20 doubles (393 MB of text,
/// 160 MB of columns): peak resident memory 1.29 × the columns.
public enum CSVReader {
    /// Reads the CSV file at `path`.
    /// - Throws: `TabularError.file` naming the file, line and column for an unreadable, empty
    ///   or header-only file, a ragged row (expected vs got fields), an unterminated quote (where
    ///   it opened), a stray quote, text in a column declared numeric or bool (with the text),
    ///   or invalid UTF-8 in a text value or header; `.duplicateColumn` for repeated names;
    ///   `.unknownColumn` for a type declared for no column. Never traps on any input.
    /// - Complexity: O(file bytes) work spread over `options.parallelism`: about 2.6 GB/s on two
    ///   cores for a file of doubles with the AVX-512 kernels, 1.5 GB/s without (BENCHMARKS.md,
    ///   "Tabular CSV").
    public static func read(path: String, options: CSVOptions = .init()) throws -> Table {
        try read(source: .file(CSVFileHandle(path: path)), name: path, options: options)
    }

    /// Reads CSV text held in memory; `name` stands for the file in error locations.
    /// - Throws: as `read(path:options:)`.
    /// - Complexity: O(bytes).
    public static func read(bytes: [UInt8], name: String, options: CSVOptions = .init()) throws -> Table {
        try read(source: .memory(bytes), name: name, options: options)
    }

    /// Reads CSV text held in `data` (copied once into an array); `name` stands for the file in
    /// error locations.
    /// - Throws: as `read(path:options:)`.
    /// - Complexity: O(bytes).
    public static func read(data: Data, name: String, options: CSVOptions = .init()) throws -> Table {
        try read(source: .memory([UInt8](data)), name: name, options: options)
    }

    /// `placing: false` turns off writing double values into the columns during pass 2 (all
    /// values then go through the slots and the merge), for tests that compare the two.
    static func read(source: CSVSource, name: String, options: CSVOptions, placing: Bool = true) throws -> Table {
        let header = try CSVHeader.read(source, name: name, options: options)
        var plan = try header.plan(options: options)
        var blocks = CSVBlockParser(source: source, name: name, columnNames: header.names, options: options,
                                    start: header.dataStart)
        let rescanner = CSVRescanner(source: source, name: name, columnNames: header.names)
        let builders = header.names.enumerated().map { j, n in
            CSVColumnBox(CSVColumnBuilder(index: j, name: n, kind: PartialKind(mode: plan.modes[j])))
        }
        var spans: [CSVRescanner.Span] = []
        var rows = 0
        // Pass 2 writes each range's double values straight into the columns (the AVX-512 row
        // loop directly, other rows copied from the slots while in cache); the merge below then
        // only takes them over.
        let placement: CSVBlockParser.Placement = { blockRows, pass2 in
            try CSVColumnBox.withRoom(in: builders, forRows: blockRows, pass2)
        }
        while let block = try blocks.next(plan: plan, placement: placing ? placement : nil) {
            let first = spans.count
            let rowsBefore = rows
            for (span, result) in zip(block.spans, block.results) {
                spans.append(CSVRescanner.Span(bytes: span, rows: result.rowCount))
                rows += result.rowCount
            }
            // After the first block, reserve the columns for the row count its density predicts.
            var estimate: Int?
            if first == 0, blocks.position > header.dataStart {
                let fraction = Double(source.size - header.dataStart) / Double(blocks.position - header.dataStart)
                estimate = Int((Double(rows) * fraction * 1.02).rounded(.up)) + 16
            }
            let knownSpans = spans, blockPlan = plan, reservation = estimate
            // Columns are independent: each is appended by one task, in range order.
            let kinds = try Parallel.map(count: builders.count, chunkSize: 1, parallelism: options.parallelism) { r in
                let j = r.lowerBound
                return try builders[j].state.withLock { builder in
                    if let reservation { builder.reserve(reservation) }
                    for (k, result) in block.results.enumerated() {
                        let placedAt = k < block.placedRows.count ? rowsBefore + block.placedRows[k] : nil
                        try builder.append(result, rangeIndex: first + k, placedAt: placedAt) { i in
                            try rescanner.text(column: j, span: knownSpans[i], plan: blockPlan)
                        }
                    }
                    return builder.kind
                }
            }
            // Text is the top of the lattice: read later blocks of such a column as text directly.
            for j in kinds.indices where plan.modes[j] == .infer && kinds[j] == .text { plan.modes[j] = .text }
        }
        guard rows > 0 else { throw CSVErrors.headerOnly(name, source: source, dataStart: header.dataStart) }
        return try Table(columns: builders.map { box in box.state.withLock { $0.column() } })
    }
}

/// One column's builder, appended to by one task at a time.
final class CSVColumnBox: Sendable {
    let state: Mutex<CSVColumnBuilder>

    init(_ builder: CSVColumnBuilder) { state = Mutex(builder) }

    /// The columns that may be placed into. Each holds its storage open for the call through a
    /// nested scope, about 350 bytes of stack in an optimized build and 2.8 KB in a debug build
    /// (measured), so wider files place their first 64 columns only and merge the others.
    static let placementColumnLimit = 64

    /// Calls `body` with, per builder, where pass 2 may write its next `rows` values
    /// (`CSVColumnBuilder.withRoom(forRows:_:)`): nil for columns that are not double columns and
    /// for those past `placementColumnLimit`. Each builder stays locked, its storage held, until
    /// `body` returns.
    /// - Complexity: O(columns) plus `body`, plus O(rows so far) for a column whose storage moves.
    static func withRoom<R: Sendable>(
        in boxes: [CSVColumnBox], forRows rows: Int, _ body: ([UnsafeMutablePointer<UInt64>?]) throws -> R
    ) throws -> R {
        var destinations = [UnsafeMutablePointer<UInt64>?](repeating: nil, count: boxes.count)
        return try withRoom(in: boxes, from: 0, forRows: rows, &destinations, body)
    }

    private static func withRoom<R: Sendable>(
        in boxes: [CSVColumnBox], from j: Int, forRows rows: Int, _ destinations: inout [UnsafeMutablePointer<UInt64>?],
        _ body: ([UnsafeMutablePointer<UInt64>?]) throws -> R
    ) throws -> R {
        guard j < Swift.min(boxes.count, placementColumnLimit) else { return try body(destinations) }
        return try boxes[j].state.withLock { builder in
            try builder.withRoom(forRows: rows) { destination in
                destinations[j] = destination
                return try withRoom(in: boxes, from: j + 1, forRows: rows, &destinations, body)
            }
        }
    }
}

extension PartialKind {
    /// The kind a declared mode starts a column with.
    init(mode: FieldMode) {
        switch mode {
        case .double: self = .double
        case .int: self = .int
        case .bool: self = .bool
        case .text: self = .text
        case .infer, .skip: self = .missing
        }
    }
}
