/// What a range (or the whole file) has seen in a column so far: the inference lattice
/// missing < {bool, int < double} < text, where bool joined with a number is text.
enum PartialKind: UInt8, Sendable, Equatable {
    /// No present value yet.
    case missing
    case bool
    case int
    case double
    case text

    /// The least kind that holds both.
    /// - Complexity: O(1).
    func joined(with other: PartialKind) -> PartialKind {
        switch (self, other) {
        case (.missing, _): return other
        case (_, .missing): return self
        case _ where self == other: return self
        case (.int, .double), (.double, .int): return .double
        default: return .text
        }
    }

    /// The column type this kind becomes (an all-missing column is `Double`).
    var columnType: ColumnType {
        switch self {
        case .missing, .double: return .double
        case .int: return .int
        case .bool: return .bool
        case .text: return .categorical
        }
    }

    /// The kind that a declared type forces.
    init(_ type: ColumnType) {
        switch type {
        case .double: self = .double
        case .int: self = .int
        case .bool: self = .bool
        case .categorical: self = .text
        }
    }
}

/// What one field's text is, before the column decides what to keep.
enum FieldClass {
    case missing
    case number(DecimalNumber)
    /// `inf`, `infinity` or `nan` in any case, optionally signed.
    case special(Double)
    case bool(Bool)
    case text
}

/// Classifies field texts: missing tokens, numbers, specials, booleans, else text.
/// Comparisons ignore leading and trailing spaces (and tabs unless the delimiter is a tab).
struct FieldClassifier: Sendable {
    /// The missing tokens, trimmed, as bytes.
    let missingTokens: [[UInt8]]
    let emptyIsMissing: Bool
    let trimsTabs: Bool
    /// True when some missing token is itself a number (e.g. `-999`): numbers must then be
    /// checked against the tokens before being taken as values (no fused fast path).
    let tokensLookNumeric: Bool

    init(options: CSVOptions) {
        let trimsTabs = options.delimiter != .tab
        self.trimsTabs = trimsTabs
        let tokens = options.missingTokens.map { token -> [UInt8] in
            let bytes = Array(token.utf8)
            let r = Self.trimmed(bytes, trimsTabs: trimsTabs)
            return Array(bytes[r])
        }
        missingTokens = tokens.filter { !$0.isEmpty }
        emptyIsMissing = tokens.contains { $0.isEmpty }
        tokensLookNumeric = tokens.contains { token in
            token.withUnsafeBufferPointer { b in
                guard let base = b.baseAddress else { return false }
                var d = DecimalNumber()
                return NumberParsing.scan(base, 0, b.count, into: &d) == b.count
            }
        }
    }

    static func trimmed(_ bytes: [UInt8], trimsTabs: Bool) -> Range<Int> {
        var s = 0, e = bytes.count
        while s < e, bytes[s] == 32 || (trimsTabs && bytes[s] == 9) { s += 1 }
        while e > s, bytes[e - 1] == 32 || (trimsTabs && bytes[e - 1] == 9) { e -= 1 }
        return s..<e
    }

    /// `[start, end)` without leading and trailing blanks.
    @inline(__always)
    func trim(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> (Int, Int) {
        var s = start, e = end
        while s < e, p[s] == 32 || (trimsTabs && p[s] == 9) { s += 1 }
        while e > s, p[e - 1] == 32 || (trimsTabs && p[e - 1] == 9) { e -= 1 }
        return (s, e)
    }

    /// Whether the (trimmed) text is a missing token.
    @inline(__always)
    func isMissing(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let (s, e) = trim(p, start, end)
        if s == e { return emptyIsMissing }
        let n = e - s
        for token in missingTokens where token.count == n {
            if token.withUnsafeBufferPointer({ t in memoryEqual(p + s, t, n) }) { return true }
        }
        return false
    }

    /// The class of the text `p[start..<end]`.
    /// - Complexity: O(length + total length of the missing tokens).
    func classify(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> FieldClass {
        if isMissing(p, start, end) { return .missing }
        let (s, e) = trim(p, start, end)
        if s == e { return .text }
        var d = DecimalNumber()
        if NumberParsing.scan(p, s, e, into: &d) == e { return .number(d) }
        if let v = Self.special(p, s, e) { return .special(v) }
        if let b = Self.bool(p, s, e) { return .bool(b) }
        return .text
    }

    /// `true`, `TRUE`, `True` / `false`, `FALSE`, `False`.
    /// - Complexity: O(1).
    static func bool(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Bool? {
        let n = e - s
        guard n == 4 || n == 5 else { return nil }
        let word = Array((n == 4 ? "true" : "false").utf8)
        let first = p[s]
        guard first | 0x20 == word[0] else { return nil }
        let firstUpper = first != word[0]
        var restLower = true, restUpper = true
        for k in 1..<n {
            if p[s + k] != word[k] { restLower = false }
            if p[s + k] != word[k] & ~0x20 { restUpper = false }
        }
        // true, True (rest lower) or TRUE (all upper); no other mixtures.
        guard restLower || (firstUpper && restUpper) else { return nil }
        return n == 4
    }

    /// `[+-]?(inf|infinity|nan)`, any case, as `Double(String)` reads them.
    /// - Complexity: O(1), no allocation.
    static func special(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Double? {
        var i = s
        var negative = false
        if i < e, p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+") {
            negative = p[i] == UInt8(ascii: "-")
            i += 1
        }
        func matches(_ word: String) -> Bool {
            word.utf8.count == e - i && word.utf8.enumerated().allSatisfy { k, c in p[i + k] | 0x20 == c }
        }
        let magnitude: Double
        if matches("inf") || matches("infinity") {
            magnitude = .infinity
        } else if matches("nan") {
            magnitude = .nan
        } else {
            return nil
        }
        return negative ? -magnitude : magnitude
    }
}

/// Whether `n` bytes at `a` equal those at `b`.
@inline(__always)
func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, _ n: Int) -> Bool {
    guard let base = b.baseAddress else { return n == 0 }
    var k = 0
    while k < n {
        if a[k] != base[k] { return false }
        k += 1
    }
    return true
}
