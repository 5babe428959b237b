extension CSVRangeParser {
    /// The bits of the `Double` nearest to the number `d` read from `q[s..<e]`: Eisel–Lemire
    /// for every significand (no data-dependent choice of method), the standard library
    /// for more than 19 significant digits or the rare undecidable case.
    @inline(__always)
    func doubleBits(_ d: DecimalNumber, _ q: UnsafePointer<UInt8>, _ s: Int, _ e: Int, fieldStart: Int) throws(CSVFault) -> UInt64 {
        let sign: UInt64 = d.negative ? 1 << 63 : 0
        if d.significand == 0 { return sign }
        if !d.isTruncated, let bits = EiselLemire.bits(significand: d.significand, exponent: d.exponent, powers: tables.powersOfFive) {
            return bits | sign
        }
        let text = UnsafeBufferPointer(start: q + s, count: e - s)
        guard let v = NumberParsing.double(d, tables: tables, text: text) else { throw .internalInconsistency(at: fieldStart) }
        return v.bitPattern
    }

    /// Stores a number whose text is `q[s..<e]` into column j, row `row`.
    @inline(__always)
    mutating func storeNumber(_ d: DecimalNumber, _ q: UnsafePointer<UInt8>, _ s: Int, _ e: Int,
                              column j: Int, row: Int, fieldStart: Int) throws(CSVFault) {
        let slot = j &* capacity &+ row
        switch plan.modes[j] {
        case .double:
            slots[slot] = try doubleBits(d, q, s, e, fieldStart: fieldStart)
        case .int:
            guard let v = d.integerValue else {
                throw .wrongType(at: fieldStart, column: j, expected: .int, text: Self.text(q, s, e))
            }
            slots[slot] = UInt64(bitPattern: Int64(v))
        default:
            let kind = columns[j].kind
            if kind == .double {
                slots[slot] = try doubleBits(d, q, s, e, fieldStart: fieldStart)
            } else if let v = d.integerValue {
                slots[slot] = UInt64(bitPattern: Int64(v))
                if v == 0, d.negative { columns[j].negativeZeroRows.append(Int32(truncatingIfNeeded: row)) }
                if kind != .int { columns[j].kind = .int }
            } else {
                if kind == .int { widenIntColumn(column: j, rows: row) }
                columns[j].kind = .double
                updateFastKind(column: j)
                slots[slot] = try doubleBits(d, q, s, e, fieldStart: fieldStart)
            }
        }
    }

    /// Stores a field found by the general scanner.
    mutating func storeField(_ field: CSVByteScanner.Field, column j: Int, row: Int, fieldStart: Int) throws(CSVFault) {
        if plan.modes[j] == .skip { return }
        if field.hasDoubledQuotes {
            var text = CSVByteScanner.unescaped(p, field)
            let count = text.count
            text.append(0)  // never empty, so the buffer has a base address
            try text.withUnsafeBufferPointer { (b) throws(CSVFault) in
                guard let q = b.baseAddress else { throw .internalInconsistency(at: fieldStart) }
                try storeContent(q, 0, count, raw: field, column: j, row: row, fieldStart: fieldStart)
            }
        } else {
            try storeContent(p, field.contentStart, field.contentEnd, raw: field, column: j, row: row, fieldStart: fieldStart)
        }
    }

    /// Stores the content `q[s..<e]` of field `raw` (q is the block, or an unescaped copy).
    mutating func storeContent(_ q: UnsafePointer<UInt8>, _ s: Int, _ e: Int, raw: CSVByteScanner.Field,
                               column j: Int, row: Int, fieldStart: Int) throws(CSVFault) {
        let mode = plan.modes[j]
        let classifier = plan.classifier
        if mode == .text || columns[j].kind == .text {
            if classifier.isMissing(q, s, e) {
                markMissing(column: j, row: row)
            } else {
                try intern(q, s, e, raw: raw, column: j, row: row)
            }
            return
        }
        let kind = columns[j].kind
        switch classifier.classify(q, s, e) {
        case .missing:
            markMissing(column: j, row: row)
        case let .number(d):
            if mode == .bool { throw .wrongType(at: fieldStart, column: j, expected: .bool, text: Self.text(q, s, e)) }
            if kind == .bool { return try becomeText(q, s, e, raw: raw, column: j, row: row) }
            let (ts, te) = classifier.trim(q, s, e)
            try storeNumber(d, q, ts, te, column: j, row: row, fieldStart: fieldStart)
        case let .special(v):
            if mode == .int || mode == .bool {
                throw .wrongType(at: fieldStart, column: j, expected: mode == .int ? .int : .bool, text: Self.text(q, s, e))
            }
            if kind == .bool { return try becomeText(q, s, e, raw: raw, column: j, row: row) }
            if kind == .int { widenIntColumn(column: j, rows: row) }
            columns[j].kind = .double
            updateFastKind(column: j)
            slots[j &* capacity &+ row] = v.bitPattern
        case let .bool(b):
            if mode == .double || mode == .int {
                throw .wrongType(at: fieldStart, column: j, expected: mode == .int ? .int : .double, text: Self.text(q, s, e))
            }
            if kind == .int || kind == .double { return try becomeText(q, s, e, raw: raw, column: j, row: row) }
            columns[j].kind = .bool
            updateFastKind(column: j)
            slots[j &* capacity &+ row] = b ? 1 : 0
        case .text:
            if mode != .infer {
                let expected: ColumnType = mode == .int ? .int : mode == .bool ? .bool : .double
                throw .wrongType(at: fieldStart, column: j, expected: expected, text: Self.text(q, s, e))
            }
            try becomeText(q, s, e, raw: raw, column: j, row: row)
        }
    }

    /// Turns column j into text: re-reads its earlier rows of this range as text, then
    /// interns the current field.
    mutating func becomeText(_ q: UnsafePointer<UInt8>, _ s: Int, _ e: Int, raw: CSVByteScanner.Field,
                             column j: Int, row: Int) throws(CSVFault) {
        let previous = columns[j].kind
        columns[j].kind = .text
        columns[j].negativeZeroRows = []
        updateFastKind(column: j)
        if previous != .missing && row > 0 { try reinternEarlierRows(column: j, rows: row) }
        try intern(q, s, e, raw: raw, column: j, row: row)
    }

    /// Re-reads rows `0..<rows` of column j as text into this range's slots and levels (a
    /// parser that skips every other column writes the codes in place).
    mutating func reinternEarlierRows(column j: Int, rows: Int) throws(CSVFault) {
        var textPlan = plan
        textPlan.modes = [FieldMode](repeating: .skip, count: plan.columnCount)
        textPlan.modes[j] = .text
        var again = CSVRangeParser(p: p, end: end, rangeStart: rangeStart, plan: textPlan, slots: slots, capacity: capacity)
        _ = try again.run(until: end, rowLimit: rows)
        columns[j].levels = again.columns[j].levels
    }

    /// Interns `q[s..<e]`; a new level's raw bytes are checked to be UTF-8.
    @inline(__always)
    mutating func intern(_ q: UnsafePointer<UInt8>, _ s: Int, _ e: Int, raw: CSVByteScanner.Field,
                         column j: Int, row: Int) throws(CSVFault) {
        guard let (code, isNew) = columns[j].levels.intern(q, s, e) else { throw .tooManyLevels(at: raw.contentStart, column: j) }
        if isNew, let bad = UTF8Validation.firstInvalidByte(p, raw.contentStart, raw.contentEnd) { throw .invalidUTF8(at: bad) }
        slots[j &* capacity &+ row] = UInt64(code)
    }

    /// Records a missing row (its slot holds 0).
    @inline(__always)
    mutating func markMissing(column j: Int, row: Int) {
        columns[j].missingRows.append(Int32(truncatingIfNeeded: row))
        slots[j &* capacity &+ row] = 0
    }

    /// Converts rows `0..<rows` of an int column to doubles (−0 where the text was `-0`).
    mutating func widenIntColumn(column j: Int, rows: Int) {
        let base = j &* capacity
        for r in 0..<rows { slots[base + r] = Double(Int64(bitPattern: slots[base + r])).bitPattern }
        for r in columns[j].negativeZeroRows { slots[base + Int(r)] = (-0.0 as Double).bitPattern }
        columns[j].negativeZeroRows = []
    }

    /// The first 60 bytes of a text, for messages.
    static func text(_ q: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> String {
        let t = String(decoding: UnsafeBufferPointer(start: q + s, count: Swift.min(e - s, 60)), as: UTF8.self)
        return e - s > 60 ? t + "…" : t
    }
}
