import LinearAlgebra

/// The rows of one block, parsed: one result per row range, with the ranges' absolute byte spans.
struct ParsedBlock: Sendable {
    var results: [RangeResult]
    var spans: [Range<Int>]
    /// With a placement: the row, counted from the block's first, where each range's placed
    /// values were written (the rows the ranges before it could hold). Empty without one.
    var placedRows: [Int] = []
}

/// Reads the data rows block by block (`CSVOptions.blockBytes`) and parses each block's row
/// ranges concurrently with `Parallel`: pass 1 reads and counts the chunks, the quote parity
/// gives the row ranges (`CSVChunking`), pass 2 parses the ranges (`CSVRangeParser`). A block
/// ends at the last complete row it holds; the next block starts there. Shared by the
/// in-memory reader and the streaming reader.
struct CSVBlockParser {
    let source: CSVSource
    let name: String
    let columnNames: [String]
    let chunkBytes: Int
    let parallelism: Parallelism
    /// The absolute offset of the next unparsed row.
    private(set) var position: Int
    private var blockBytes: Int
    private let buffer: CSVBlockBuffer?
    /// Slot storages of the previous block's ranges, reused when no result holds them.
    private var pool: [SlotStorage] = []

    init(source: CSVSource, name: String, columnNames: [String], options: CSVOptions, start: Int) {
        self.source = source
        self.name = name
        self.columnNames = columnNames
        chunkBytes = options.effectiveChunkBytes
        parallelism = options.parallelism
        position = start
        // At most `blockBytes`, and about an eighth of the data for smaller inputs (at least
        // 4 MiB): less fresh buffer memory to fault in, same parallelism. Results do not
        // depend on the block size.
        blockBytes = Swift.min(options.effectiveBlockBytes, Swift.max(4 << 20, (source.size - start) / 8))
        if case .file = source {
            buffer = CSVBlockBuffer(capacity: Swift.min(blockBytes, Swift.max(0, source.size - start)))
        } else {
            buffer = nil
        }
    }

    /// Lends pass 2 the places where it may write the values of double columns: called with the
    /// most rows the block can hold and pass 2, it calls pass 2 once with, per column, a pointer
    /// with room for that many values as bit patterns (nil: not placed), valid until pass 2
    /// returns.
    typealias Placement = (_ rows: Int, _ pass2: ([UnsafeMutablePointer<UInt64>?]) throws -> [RangeResult]) throws
        -> [RangeResult]

    /// Parses the next block with `plan`; nil once every row has been parsed. With `placement`,
    /// each range's double columns are written where it says (`ParsedBlock.placedRows`).
    /// - Throws: `TabularError` for the first bad row of the block (file, line, column), or a read error.
    /// - Complexity: O(block bytes) work, spread over `parallelism.threads`.
    mutating func next(plan: CSVPlan, placement: Placement? = nil) throws -> ParsedBlock? {
        while position < source.size {
            let length = Swift.min(blockBytes, source.size - position)
            let isFinal = position + length == source.size
            let start = position
            let (block, consumed): (ParsedBlock, Int)
            do {
                (block, consumed) = try withBlock(start: start, length: length) { parser, base, fill in
                    try parser.parseBlock(base, start: start, length: length, isFinal: isFinal, plan: plan, fill: fill,
                                          placement: placement)
                }
            } catch let fault as CSVFault {
                // Offsets in faults are relative to the block.
                throw CSVErrors.error(fault, blockStart: start, source: source, name: name, columnNames: columnNames)
            }
            if consumed == 0 {
                // One row is longer than the block: read a larger one.
                blockBytes = Swift.min(blockBytes.multipliedReportingOverflow(by: 2).partialValue, source.size)
                continue
            }
            position += consumed
            return block
        }
        return nil
    }

    private mutating func withBlock<R>(
        start: Int, length: Int,
        _ body: (inout CSVBlockParser, UnsafePointer<UInt8>, (@Sendable (Range<Int>) throws -> Void)?) throws -> R
    ) throws -> R {
        switch source {
        case let .memory(bytes):
            return try bytes.withUnsafeBufferPointer { b in
                guard let base = b.baseAddress else { throw CSVFault.internalInconsistency(at: start) }
                return try body(&self, base + start, nil)
            }
        case let .file(handle):
            guard let buffer else { throw CSVFault.internalInconsistency(at: start) }
            buffer.reserve(length)
            // Each pass-1 chunk reads its own bytes into the buffer: disjoint writes, and the
            // block is only read after Parallel.map has returned.
            nonisolated(unsafe) let destination = buffer.pointer
            let fill: @Sendable (Range<Int>) throws -> Void = { chunk in
                try handle.read(into: destination + chunk.lowerBound, count: chunk.count, at: start + chunk.lowerBound)
            }
            return try body(&self, UnsafePointer(buffer.pointer.assumingMemoryBound(to: UInt8.self)), fill)
        }
    }

    private mutating func parseBlock(
        _ base: UnsafePointer<UInt8>, start: Int, length: Int, isFinal: Bool, plan: CSVPlan,
        fill: (@Sendable (Range<Int>) throws -> Void)?, placement: Placement?
    ) throws -> (ParsedBlock, Int) {
        let chunks = CSVChunking.chunks(count: length, chunkBytes: chunkBytes)
        // The block's bytes are shared read-only by the parallel bodies below (after the
        // pass-1 bodies have each filled their own chunk).
        nonisolated(unsafe) let bytes = base
        let counts = try Parallel.map(count: chunks.count, chunkSize: 1, parallelism: parallelism) { r in
            let chunk = chunks[r.lowerBound]
            try fill?(chunk)
            return CSVChunking.count(bytes, chunk.lowerBound, chunk.upperBound)
        }
        let (ranges, consumed) = CSVChunking.rowRanges(base, chunks: chunks, counts: counts, isFinal: isFinal)
        let storages = slotStorages(for: ranges, columns: plan.columnCount)
        let parallelism = parallelism
        func pass2(placedRows: [Int], destinations: [UnsafeMutablePointer<UInt64>?]) throws -> [RangeResult] {
            // Each range writes only its own rows of each destination, and only until pass 2 returns.
            nonisolated(unsafe) let destinations = destinations
            return try Parallel.map(count: ranges.count, chunkSize: 1, parallelism: parallelism) { r in
                let k = r.lowerBound
                guard !placedRows.isEmpty else {
                    return try CSVRangeParser.parse(bytes, end: length, range: ranges[k], plan: plan, storage: storages[k])
                }
                return try CSVRangeParser.parse(
                    bytes, end: length, range: ranges[k], plan: plan, storage: storages[k],
                    destinations: destinations.map { destination in destination.map { $0 + placedRows[k] } },
                    destinationRows: placedRows[k + 1] - placedRows[k])
            }
        }
        var placedRows: [Int] = []
        let results: [RangeResult]
        if let placement {
            placedRows = Self.placedRows(base, ranges: ranges)
            results = try placement(placedRows[ranges.count]) { destinations in
                try pass2(placedRows: placedRows, destinations: destinations)
            }
        } else {
            results = try pass2(placedRows: [], destinations: [])
        }
        let spans = ranges.map { (start + $0.start)..<(start + $0.end) }
        placedRows.removeLast(placedRows.isEmpty ? 0 : 1)
        return (ParsedBlock(results: results, spans: spans, placedRows: placedRows), consumed)
    }

    /// Where each range's values go, counted from the block's first row, and (last) the rows of
    /// the whole block: a range gets as many rows as it has line feeds, one more when it does not
    /// end with one (the end of the file). Every row but the last ends with a line feed, so a
    /// range never has more rows; blank lines and line feeds in quotes give it fewer.
    /// - Complexity: O(ranges).
    private static func placedRows(_ p: UnsafePointer<UInt8>, ranges: [CSVChunking.RowRange]) -> [Int] {
        var rows = [0]
        rows.reserveCapacity(ranges.count + 1)
        for range in ranges {
            let endsWithLineFeed = range.end > range.start && p[range.end - 1] == 10
            rows.append(rows[rows.count - 1] + range.rowCapacity - (endsWithLineFeed ? 1 : 0))
        }
        return rows
    }

    /// One slot storage per range: the previous block's when no result holds it any more
    /// (no page faults on fresh memory), else a new one.
    private mutating func slotStorages(for ranges: [CSVChunking.RowRange], columns: Int) -> [SlotStorage] {
        var out: [SlotStorage] = []
        out.reserveCapacity(ranges.count)
        for (k, range) in ranges.enumerated() {
            let needed = columns * range.rowCapacity
            if k < pool.count, isKnownUniquelyReferenced(&pool[k]) {
                pool[k].reserve(needed)
            } else if k < pool.count {
                pool[k] = SlotStorage(capacity: needed)
            } else {
                pool.append(SlotStorage(capacity: needed))
            }
            out.append(pool[k])
        }
        return out
    }
}

/// Re-reads earlier row ranges of one column as text, for a column that turned categorical
/// after numbers or booleans were read in it (so each level is the field's own text).
struct CSVRescanner: Sendable {
    let source: CSVSource
    let name: String
    let columnNames: [String]

    /// An earlier range: its absolute bytes and row count.
    struct Span: Sendable {
        var bytes: Range<Int>
        var rows: Int
    }

    /// Column j of `span`, as level codes and the range's own levels.
    /// - Throws: read errors (the bytes parsed once, so parse errors only if the file changed).
    /// - Complexity: O(bytes of the span).
    func text(column j: Int, span: Span, plan: CSVPlan) throws -> (codes: [Int32], levels: LevelTable) {
        var textPlan = plan
        textPlan.modes = [FieldMode](repeating: .skip, count: plan.columnCount)
        textPlan.modes[j] = .text
        var bytes = try source.bytes(span.bytes)
        bytes.append(10)  // never empty; the extra byte is past `end` and never read
        let count = span.bytes.count
        let range = CSVChunking.RowRange(start: 0, end: count, rowCapacity: Swift.max(span.rows, 1))
        let storage = SlotStorage(capacity: plan.columnCount * range.rowCapacity)
        let result: RangeResult
        do {
            result = try bytes.withUnsafeBufferPointer { b in
                guard let base = b.baseAddress else { throw CSVFault.internalInconsistency(at: 0) }
                return try CSVRangeParser.parse(base, end: count, range: range, plan: textPlan, storage: storage)
            }
        } catch let fault as CSVFault {
            throw CSVErrors.error(fault, blockStart: span.bytes.lowerBound, source: source, name: name, columnNames: columnNames)
        }
        let codes = result.withSlots(ofColumn: j) { $0.map { Int32(truncatingIfNeeded: $0) } }
        return (codes, result.columns[j].levels)
    }
}
