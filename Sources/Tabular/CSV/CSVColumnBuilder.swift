import LinearAlgebra
/// One column of a read, grown range by range from `RangeResult`s in file order.
///
/// The column's kind is the join of the ranges' kinds (`PartialKind`). Widening int to double
/// converts in place (−0 kept); turning text after non-text values re-reads those rows as
/// text through `rescan`, so a level is always the field's own text (`1.50`, not `1.5`), and
/// levels stay in order of first appearance.
struct CSVColumnBuilder: Sendable {
    let index: Int
    let name: String
    private(set) var kind: PartialKind
    private var doubles = DoubleRows()
    private var ints: [Int] = []
    private var bools: [Bool] = []
    private var codes: [Int32] = []
    private var levels = LevelTable()
    private var negativeZeroRows: [Int] = []
    private var validity = BitVector()
    /// Rows appended so far.
    private(set) var count = 0
    /// The expected number of rows (storage is reserved for it).
    private var expectedRows = 0

    /// Re-reads one earlier range (by index, in append order) of this column as text.
    typealias Rescan = (_ range: Int) throws -> (codes: [Int32], levels: LevelTable)

    /// A builder for column `index`; `levels` continues the levels of earlier chunks (streaming).
    init(index: Int, name: String, kind: PartialKind, levels: LevelTable = LevelTable()) {
        self.index = index
        self.name = name
        self.kind = kind
        self.levels = levels
    }

    /// The levels so far, in order of first appearance.
    var levelTable: LevelTable { levels }

    /// Reserves room for `rows` rows (huge-page backed where possible), now and when the
    /// column changes kind.
    /// - Complexity: O(rows appended so far).
    mutating func reserve(_ rows: Int) {
        expectedRows = rows
        validity.reserve(rows)
        switch kind {
        case .double: doubles.reserve(rows)
        case .int: ints = MemoryAdvice.array(reserving: rows, prefix: ints)
        case .bool: bools = MemoryAdvice.array(reserving: rows, prefix: bools)
        case .text: codes = MemoryAdvice.array(reserving: rows, prefix: codes)
        case .missing: break
        }
    }

    /// Appends `rows` (all by default) of this column of `result`, the `rangeIndex`-th range
    /// appended. `placedAt` is the row of this column's storage where pass 2 wrote the range's
    /// values when the range says it did (`RangeColumn.placed`, see `withRoom(forRows:_:)`).
    /// - Throws: whatever `rescan` throws; `TabularError` when the levels overflow `Int32`.
    /// - Complexity: O(rows of the range) (O(1) for placed values that need not move), plus a
    ///   rescan of the earlier rows when the column turns text.
    mutating func append(_ result: RangeResult, rows: Range<Int>? = nil, rangeIndex: Int, placedAt: Int? = nil,
                         rescan: Rescan) throws {
        let rows = rows ?? 0..<result.rowCount
        var column = result.columns[index]
        if rows != 0..<result.rowCount {
            column.missingRows = Self.rows(column.missingRows, in: rows)
            column.negativeZeroRows = Self.rows(column.negativeZeroRows, in: rows)
        }
        let n = rows.count
        let target = kind.joined(with: column.kind)
        if target == .text, kind != .text, kind != .missing {
            try becomeText(rangesBefore: rangeIndex, rescan: rescan)
        }
        if kind != target {
            switch (kind, target) {
            case (.int, .double):
                doubles = DoubleRows(ints.map(Double.init), room: expectedRows)
                for r in negativeZeroRows { doubles[r] = -0.0 }
                ints = []
                negativeZeroRows = []
            case (.missing, .double):
                doubles = DoubleRows()
                doubles.reserve(expectedRows)
                doubles.appendZeros(count)
            case (.missing, .int): ints = MemoryAdvice.array(reserving: expectedRows, prefix: [Int](repeating: 0, count: count))
            case (.missing, .bool): bools = MemoryAdvice.array(reserving: expectedRows, prefix: [Bool](repeating: false, count: count))
            case (.missing, .text): codes = MemoryAdvice.array(reserving: expectedRows, prefix: [Int32](repeating: 0, count: count))
            default: break
            }
            kind = target
        }
        try result.withSlots(ofColumn: index) { slots in
            try append(UnsafeBufferPointer(rebasing: slots[rows]), of: column, rows: rows, rangeIndex: rangeIndex,
                       placedAt: rows.count == result.rowCount ? placedAt : nil, rescan: rescan)
        }
        validity.append(count: n, missing: column.missingRows)
        count += n
    }

    /// The (ascending) row numbers in `rows`, relative to its start.
    private static func rows(_ list: [Int32], in rows: Range<Int>) -> [Int32] {
        list.compactMap { r in rows.contains(Int(r)) ? Int32(Int(r) - rows.lowerBound) : nil }
    }

    private mutating func append(_ slots: UnsafeBufferPointer<UInt64>, of column: RangeColumn, rows: Range<Int>,
                                 rangeIndex: Int, placedAt: Int?, rescan: Rescan) throws {
        let n = slots.count
        switch (kind, column.kind) {
        case (_, .missing): appendPlaceholders(n)
        case (.double, .double):
            if column.placed, let placedAt {
                doubles.adoptPlaced(at: placedAt, count: n)
            } else {
                slots.withMemoryRebound(to: Double.self) { doubles.append($0) }
            }
        case (.double, .int):
            let first = doubles.count
            doubles.append(slots.lazy.map { Double(Int64(bitPattern: $0)) }, count: n)
            for r in column.negativeZeroRows { doubles[first + Int(r)] = -0.0 }
        case (.int, .int):
            let offset = count
            negativeZeroRows.append(contentsOf: column.negativeZeroRows.lazy.map { offset + Int($0) })
            slots.withMemoryRebound(to: Int.self) { ints.append(contentsOf: $0) }
        case (.bool, .bool): bools.append(contentsOf: slots.lazy.map { $0 != 0 })
        case (.text, .text):
            try appendCodes(slots.lazy.map { Int32(truncatingIfNeeded: $0) }, levels: column.levels, missing: column.missingRows)
        case (.text, _):
            let reread = try rescan(rangeIndex)
            try appendCodes(reread.codes[rows], levels: reread.levels, missing: column.missingRows)
        default: appendPlaceholders(n)
        }
    }

    private mutating func appendPlaceholders(_ n: Int) {
        switch kind {
        case .double: doubles.appendZeros(n)
        case .int: ints.append(contentsOf: repeatElement(0, count: n))
        case .bool: bools.append(contentsOf: repeatElement(false, count: n))
        case .text: codes.append(contentsOf: repeatElement(0, count: n))
        case .missing: break
        }
    }

    /// Appends range-local codes translated to this column's levels; `missing` rows (relative,
    /// ascending) get the placeholder code 0. Only the local levels up to the largest code used
    /// are merged: local levels are in order of first appearance, so these are exactly the
    /// levels seen up to the last of these rows (a streaming chunk does not learn later levels).
    private mutating func appendCodes(_ local: some Collection<Int32>, levels localLevels: LevelTable, missing: [Int32]) throws {
        var used = 0
        var next = missing.startIndex
        for (r, code) in local.enumerated() {
            if next < missing.endIndex, Int(missing[next]) == r {
                next += 1
                continue
            }
            used = Swift.max(used, Int(code) + 1)
        }
        guard let map = levels.merge(localLevels, prefix: used) else {
            throw TabularError.invalidVariable(name: name, reason: "more than 2,147,483,646 distinct values")
        }
        let first = codes.count
        codes.append(contentsOf: local.lazy.map { code in
            code >= 0 && Int(code) < map.count ? map[Int(code)] : 0
        })
        for r in missing { codes[first + Int(r)] = 0 }
    }

    /// Replaces the values of all earlier rows by their texts, re-read range by range.
    private mutating func becomeText(rangesBefore: Int, rescan: Rescan) throws {
        doubles = DoubleRows()
        ints = []
        bools = []
        negativeZeroRows = []
        codes = MemoryAdvice.array(reserving: Swift.max(expectedRows, count), prefix: [])
        levels = LevelTable()
        for r in 0..<rangesBefore {
            let reread = try rescan(r)
            try appendCodes(reread.codes, levels: reread.levels, missing: [])
        }
        // Missing rows get the placeholder code 0 (their validity is already known).
        for r in 0..<count where !validity.isSet(r) { codes[r] = 0 }
        kind = .text
    }

    /// Calls `body` with where pass 2 may write this column's next `rows` values, as the bit
    /// patterns the parser stores: a pointer to row `count` of its storage (bound to `UInt64` for
    /// the call), after making room; nil unless the column is a double column. The pointer is
    /// valid only inside `body`, and only while nothing else appends to this column.
    /// - Complexity: O(count) when the storage moves, plus `body`.
    mutating func withRoom<R>(forRows rows: Int, _ body: (UnsafeMutablePointer<UInt64>?) throws -> R) rethrows -> R {
        guard kind == .double else { return try body(nil) }
        return try doubles.withRoom(forRows: rows) { values in
            try values.withMemoryRebound(to: UInt64.self, capacity: rows) { try body($0) }
        }
    }

    /// The finished column; `knownLevels` are the first levels already decoded (streaming). The
    /// builder gives up its values (call once).
    /// - Complexity: O(rows) (decodes the new levels; moves the values).
    mutating func column(knownLevels: [String] = []) -> Column {
        let values: ColumnValues
        switch kind {
        case .missing: values = .double([Double](repeating: 0, count: count))
        case .double: values = .double(doubles.finish())
        case .int: values = .int(ints)
        case .bool: values = .bool(bools)
        case .text: values = .categorical(codes: codes, levels: levels.strings(after: knownLevels))
        }
        return Column(unchecked: name, values: values, validity: validity.mask(count: count))
    }
}

/// Validity bits grown range by range (set = present).
struct BitVector: Sendable {
    private(set) var words: [UInt64] = []
    private(set) var count = 0

    mutating func reserve(_ rows: Int) { words.reserveCapacity((rows + 63) / 64) }

    /// Appends `n` rows, all present except the (range-relative, ascending) `missing` rows.
    mutating func append(count n: Int, missing: [Int32]) {
        let first = count
        let newCount = count + n
        while words.count * 64 < newCount { words.append(0) }
        var r = first
        while r < newCount {
            if r & 63 == 0, r + 64 <= newCount {
                words[r >> 6] = .max
                r += 64
            } else {
                words[r >> 6] |= 1 << UInt64(r & 63)
                r += 1
            }
        }
        for m in missing {
            let row = first + Int(m)
            words[row >> 6] &= ~(1 << UInt64(row & 63))
        }
        count = newCount
    }

    /// Whether row `r` is present.
    func isSet(_ r: Int) -> Bool { words[r >> 6] & (1 << UInt64(r & 63)) != 0 }

    /// The mask of the first `count` rows.
    func mask(count: Int) -> ValidityMask { ValidityMask(words: words, count: count) }
}
