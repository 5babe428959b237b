import Foundation
import LinearAlgebra
import Synchronization

/// Reads a whole CSV file into a `Table` in memory, parsing byte ranges in parallel.
///
/// The file is read in blocks of `CSVOptions.blockBytes` (with `pread`, not mapped); each
/// block is split into `chunkBytes` ranges that are parsed concurrently with `Parallel`
/// (quotes that span a split are handled by a quote-parity pass, see `CSVChunking`), and the
/// ranges are appended to the columns in file order. Types are inferred over the whole file
/// (see `CSVOptions`). The result is identical for every thread count, chunk size and block
/// size.
///
/// Memory: the columns, one block buffer (`blockBytes`), and the parsed values of one block
/// (8 bytes a field). Measured on 10⁶ × 20 doubles (393 MB of text, 160 MB of columns):
/// peak resident memory 1.31 × the columns.
public enum CSVReader {
    /// Reads the CSV file at `path`.
    /// - Throws: `TabularError.file` naming the file, line and column for an unreadable, empty
    ///   or header-only file, a ragged row (expected vs got fields), an unterminated quote (where
    ///   it opened), a stray quote, text in a column declared numeric or bool (with the text),
    ///   or invalid UTF-8 in a text value or header; `.duplicateColumn` for repeated names;
    ///   `.unknownColumn` for a type declared for no column. Never traps on any input.
    /// - Complexity: O(file bytes) work spread over `options.parallelism`: about 2.5 GB/s on two
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

    static func read(source: CSVSource, name: String, options: CSVOptions) throws -> Table {
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
        while let block = try blocks.next(plan: plan) {
            let first = spans.count
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
                        try builder.append(result, rangeIndex: first + k) { i in
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
