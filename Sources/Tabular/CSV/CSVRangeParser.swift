import CSVKernelsAVX512

/// What a range parser does with one column's fields.
enum FieldMode: UInt8, Sendable {
    /// Classify every value; the column's kind rises through the inference lattice.
    case infer
    /// A declared (or already decided) type: other values are errors (`text` takes all).
    case double, int, bool, text
    /// Not read (rescans of one column).
    case skip

    init(_ type: ColumnType) {
        switch type {
        case .double: self = .double
        case .int: self = .int
        case .bool: self = .bool
        case .categorical: self = .text
        }
    }
}

/// How every range of one read decodes its columns.
struct CSVPlan: Sendable {
    var columnCount: Int
    var modes: [FieldMode]
    var delimiter: UInt8
    var classifier: FieldClassifier
}

/// One column of a parsed range; its values live in the range's slots (`RangeResult.withSlots`),
/// or, when `placed`, in the column's own storage.
struct RangeColumn: Sendable {
    var kind: PartialKind
    /// Rows (within the range) whose value is missing, ascending.
    var missingRows: [Int32] = []
    /// Rows of an `int` column that read `-0` (kept so a later widening to double gives −0.0).
    var negativeZeroRows: [Int32] = []
    /// The range's levels of a `text` column, in order of first appearance.
    var levels = LevelTable()
    /// Whether the range's values (a `double` column) are in the column's own storage, where
    /// pass 2 put them (`CSVRangeParser.parse(…destinations:…)`), rather than in the slots.
    var placed = false
}

/// The rows of one range: column j's 64-bit slots hold `Double` bits, `Int` bits, 0/1, or
/// level codes, as the column's kind says (0 for a missing row).
struct RangeResult: Sendable {
    var rowCount: Int
    /// Rows reserved per column in `storage`.
    var capacity: Int
    var storage: SlotStorage
    var columns: [RangeColumn]

    /// Calls `body` with column j's `rowCount` slots.
    func withSlots<R>(ofColumn j: Int, _ body: (UnsafeBufferPointer<UInt64>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer + j * capacity, count: rowCount))
    }
}

/// Uninitialized 64-bit slots for one range's columns (column-major), reused block after
/// block by `CSVBlockParser` while no result holds them.
final class SlotStorage: @unchecked Sendable {
    // @unchecked: a storage is handed to exactly one range parser per block, which writes it;
    // it is read only after `Parallel.map` has returned, and reused only when no
    // `RangeResult` refers to it any more (checked with `isKnownUniquelyReferenced`).
    private(set) var pointer: UnsafeMutablePointer<UInt64>
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = Swift.max(1, capacity)
        pointer = UnsafeMutablePointer<UInt64>.allocate(capacity: self.capacity)
    }

    /// Makes room for `count` slots (contents are not preserved).
    func reserve(_ count: Int) {
        guard count > capacity else { return }
        pointer.deallocate()
        capacity = count
        pointer = UnsafeMutablePointer<UInt64>.allocate(capacity: count)
    }

    deinit { pointer.deallocate() }
}

/// The kernel that parses the rows of one range into 64-bit slots, fusing field scanning
/// with number parsing: a numeric field is read digit-block by digit-block straight from the
/// bytes, and only a field that is not a plain number takes the general path (quotes,
/// missing tokens, booleans, text). Raw pointers stay inside this type.
struct CSVRangeParser {
    let p: UnsafePointer<UInt8>
    /// The end of the valid bytes of the block (the file end in the final block).
    let end: Int
    let rangeStart: Int
    let plan: CSVPlan
    let slots: UnsafeMutablePointer<UInt64>
    let capacity: Int
    var columns: [RangeColumn]
    /// Per column, the fused number path for its next field: 0 none (general path only),
    /// 1 a double column (store the rounded value), 2 an int or not-yet-typed column.
    var fastKinds: [UInt8]
    /// The number of columns whose fastKind is 1.
    var doubleColumns = 0
    let tables = NumberTables.shared
    /// Whether all-double rows go through the AVX-512 kernel (`CSVKernelDispatch`) rather than
    /// `runDoubleRows`; tests set it to compare the two.
    var useVectorKernel = CSVKernelDispatch.active == .avx512
    /// The AVX-512 kernel's scratch, allocated at its first call.
    var kernelScratch: [UInt64] = []
    /// Where the AVX-512 kernel writes each column: its slots, or the column's own storage when
    /// the range is placed (`parse(…destinations:…)`).
    var kernelColumns: [UnsafeMutablePointer<UInt64>]
    /// The kernel writes rows below this: `capacity`, or the rows a placed range may hold.
    var kernelRowBound: Int
    /// The rows the kernel wrote, ascending (only placed ranges need them).
    var kernelRows: [Range<Int>] = []

    /// Parses `range` of the block `p[0..<end]`. With `destinations` (one per column, nil for
    /// none), the values of each double column end up in its destination, which has room for
    /// `destinationRows` rows: the AVX-512 kernel writes its rows there directly, the other rows
    /// are copied from the slots at the end, and the column is marked `placed`.
    /// - Throws: `CSVFault` for the first bad field of the range; `.internalInconsistency` when
    ///   the range has more rows than `destinationRows` (nothing is written past them).
    /// - Complexity: O(bytes of the range) (plus one rescan of the rows before a column turns text).
    /// - Precondition: `storage.capacity >= plan.columnCount * range.rowCapacity`; nothing else
    ///   writes the destinations' first `destinationRows` rows during the call.
    static func parse(_ p: UnsafePointer<UInt8>, end: Int, range: CSVChunking.RowRange, plan: CSVPlan,
                      storage: SlotStorage, destinations: [UnsafeMutablePointer<UInt64>?] = [],
                      destinationRows: Int = 0) throws(CSVFault) -> RangeResult {
        let capacity = range.rowCapacity
        precondition(storage.capacity >= plan.columnCount * capacity, "CSVRangeParser: slot storage too small")
        var parser = CSVRangeParser(p: p, end: end, rangeStart: range.start, plan: plan, slots: storage.pointer, capacity: capacity)
        let placing = destinations.contains { $0 != nil }
        if placing {
            for (j, destination) in destinations.enumerated() where j < plan.columnCount {
                if let destination { parser.kernelColumns[j] = destination }
            }
            parser.kernelRowBound = Swift.min(capacity, destinationRows)
        }
        let rows = try parser.run(until: range.end)
        if placing {
            guard rows <= destinationRows else { throw .internalInconsistency(at: range.start) }
            parser.completePlacement(rows: rows, destinations: destinations)
        }
        return RangeResult(rowCount: rows, capacity: capacity, storage: storage, columns: parser.columns)
    }

    /// Copies the rows the kernel did not write from the slots to each double column's
    /// destination, and marks those columns placed. (A column with a destination that is no
    /// longer double turned text, and its slots were all rewritten as level codes.)
    /// - Complexity: O(rows the kernel did not take · placed columns).
    private mutating func completePlacement(rows: Int, destinations: [UnsafeMutablePointer<UInt64>?]) {
        var gaps: [Range<Int>] = []
        var next = 0
        for taken in kernelRows {
            if taken.lowerBound > next { gaps.append(next..<taken.lowerBound) }
            next = taken.upperBound
        }
        if rows > next { gaps.append(next..<rows) }
        for (j, destination) in destinations.enumerated() where j < columns.count && columns[j].kind == .double {
            guard let destination else { continue }
            for gap in gaps {
                (destination + gap.lowerBound).update(from: slots + (j &* capacity &+ gap.lowerBound), count: gap.count)
            }
            columns[j].placed = true
        }
    }

    init(p: UnsafePointer<UInt8>, end: Int, rangeStart: Int, plan: CSVPlan, slots: UnsafeMutablePointer<UInt64>, capacity: Int) {
        self.p = p
        self.end = end
        self.rangeStart = rangeStart
        self.plan = plan
        self.slots = slots
        self.capacity = capacity
        kernelColumns = (0..<plan.columnCount).map { j in slots + j &* capacity }
        kernelRowBound = capacity
        columns = plan.modes.map { mode in
            switch mode {
            case .infer, .skip: return RangeColumn(kind: .missing)
            case .double: return RangeColumn(kind: .double)
            case .int: return RangeColumn(kind: .int)
            case .bool: return RangeColumn(kind: .bool)
            case .text: return RangeColumn(kind: .text)
            }
        }
        fastKinds = [UInt8](repeating: 0, count: plan.columnCount)
        for j in 0..<plan.columnCount { updateFastKind(column: j) }
    }

    /// Recomputes column j's fused-path kind from its mode and current kind.
    mutating func updateFastKind(column j: Int) {
        if fastKinds[j] == 1 { doubleColumns -= 1 }
        if plan.classifier.tokensLookNumeric {
            fastKinds[j] = 0
        } else {
            switch (plan.modes[j], columns[j].kind) {
            case (.double, _), (.infer, .double): fastKinds[j] = 1
            case (.int, _), (.infer, .missing), (.infer, .int): fastKinds[j] = 2
            default: fastKinds[j] = 0
            }
        }
        if fastKinds[j] == 1 { doubleColumns += 1 }
    }

    /// The AVX-512 all-double row loop (`parseAllDoubleRowsAVX512`) from row start `i`: the
    /// start and index of the first row it did not take.
    /// - Complexity: O(bytes of the rows taken); allocates its scratch at the first call.
    mutating func runVectorKernel(from i: Int, row: Int, until rangeEnd: Int, rowLimit: Int) -> (next: Int, row: Int) {
        if kernelScratch.isEmpty {
            kernelScratch = [UInt64](repeating: 0, count: kernelScratchWords(columnCount: plan.columnCount))
        }
        let (p, end, bound, plan, tables) = (p, end, kernelRowBound, plan, tables)
        let taken = kernelColumns.withUnsafeBufferPointer { columnSlots in
            kernelScratch.withUnsafeMutableBufferPointer { scratch in
                guard let base = scratch.baseAddress, let columns = columnSlots.baseAddress else { return (next: i, row: row) }
                return parseAllDoubleRowsAVX512(
                    bytes: p, end: end, from: i, until: rangeEnd, row: row, rowLimit: rowLimit,
                    columnCount: plan.columnCount, delimiter: plan.delimiter, columnSlots: columns, capacity: bound,
                    powersOfFive: tables.powersOfFive.words, digitPermutations: tables.digitPermutations, scratch: base)
            }
        }
        if taken.row > row {
            if let lastTaken = kernelRows.last, lastTaken.upperBound == row {
                kernelRows[kernelRows.count - 1] = lastTaken.lowerBound..<taken.row
            } else {
                kernelRows.append(row..<taken.row)
            }
        }
        return taken
    }

    /// The row loop for tables whose columns are all doubles: every field must be a plain
    /// decimal (`FastNumberScan`) followed by the delimiter, or by the line end in the last
    /// column. At the first row that is anything else (a missing value, a quote, an
    /// exponent, the block end near), it returns with `i` at that row's start, and the
    /// general loop takes the row; fields of that row stored here are simply stored again.
    /// - Complexity: O(bytes of the rows parsed).
    @inline(__always)
    mutating func runDoubleRows(from i: inout Int, row: inout Int, until rangeEnd: Int, rowLimit: Int) {
        let last = plan.columnCount - 1
        let delimiter = plan.delimiter
        let tens = tables.smallTens
        let powers = tables.powersOfFive
        var k = i
        var r = row
        rows: while k < rangeEnd, r < capacity, r < rowLimit {
            var f = k
            var slot = r
            for j in 0...last {
                guard f &+ 40 <= end, let scanned = FastNumberScan.scan(p, f, tens: tens) else { break rows }
                let q = scanned.end
                let t = p[q]
                if j < last {
                    guard t == delimiter else { break rows }
                    f = q &+ 1
                } else if t == 10 {
                    f = q &+ 1
                } else {
                    guard t == 13, p[q &+ 1] == 10 else { break rows }
                    f = q &+ 2
                }
                let d = scanned.number
                let sign: UInt64 = d.negative ? 1 << 63 : 0
                var bits = sign
                if d.significand != 0 {
                    guard let b = EiselLemire.bits(significand: d.significand, exponent: d.exponent, powers: powers) else { break rows }
                    bits |= b
                }
                slots[slot] = bits
                slot &+= capacity
            }
            k = f
            r &+= 1
        }
        i = k
        row = r
    }

    /// Parses rows from `rangeStart` until `rangeEnd` (or `rowLimit` rows); returns the number of rows.
    mutating func run(until rangeEnd: Int, rowLimit: Int = .max) throws(CSVFault) -> Int {
        let last = plan.columnCount - 1
        let delimiter = plan.delimiter
        var i = rangeStart
        var row = 0
        while i < rangeEnd, row < rowLimit {
            let blank = CSVByteScanner.emptyLineLength(p, at: i, end: end)
            if blank > 0 {
                i += blank
                continue
            }
            guard row < capacity else { throw .internalInconsistency(at: i) }
            if doubleColumns == plan.columnCount {
                let before = i
                if useVectorKernel {
                    (i, row) = runVectorKernel(from: i, row: row, until: rangeEnd, rowLimit: rowLimit)
                } else {
                    runDoubleRows(from: &i, row: &row, until: rangeEnd, rowLimit: rowLimit)
                }
                // After progress, re-check the loop conditions; without, the row is not plain.
                if i != before { continue }
            }
            let rowStart = i
            var j = 0
            while true {
                let fastKind = fastKinds[j]
                if fastKind != 0 {
                    var d = DecimalNumber()
                    var q: Int
                    if i &+ 40 <= end, let fast = FastNumberScan.scan(p, i, tens: tables.smallTens) {
                        d = fast.number
                        q = fast.end
                    } else {
                        q = NumberParsing.scan(p, i, end, into: &d)
                    }
                    if q >= 0 {
                        var next = -1
                        if q < end {
                            let t = p[q]
                            if j < last {
                                if t == delimiter { next = q &+ 1 }
                            } else if t == 10 {
                                next = q &+ 1
                            } else if t == 13, q &+ 1 == end || p[q &+ 1] == 10 {
                                next = Swift.min(q &+ 2, end)
                            }
                        } else if j == last {
                            next = q
                        }
                        if next >= 0 {
                            if fastKind == 1 {
                                slots[j &* capacity &+ row] = try doubleBits(d, p, i, q, fieldStart: i)
                            } else {
                                try storeNumber(d, p, i, q, column: j, row: row, fieldStart: i)
                            }
                            i = next
                            if j == last { break }
                            j &+= 1
                            continue
                        }
                    }
                }
                let field = try CSVByteScanner.field(p, at: i, end: end, delimiter: delimiter)
                try storeField(field, column: j, row: row, fieldStart: i)
                i = field.next
                if j == last {
                    if field.terminator == .delimiter {
                        let got = CSVByteScanner.fieldCount(p, rowStart: rowStart, end: end, delimiter: delimiter) ?? last + 2
                        throw .fieldCount(at: rowStart, expected: last + 1, got: got)
                    }
                    break
                }
                if field.terminator != .delimiter { throw .fieldCount(at: rowStart, expected: last + 1, got: j + 1) }
                j &+= 1
            }
            row &+= 1
            if i > rangeEnd { throw .internalInconsistency(at: rowStart) }
        }
        return row
    }
}
