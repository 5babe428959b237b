/// Which entries of a column hold a value: one bit per row, set when the row is valid.
///
/// A missing value is tracked here, never silently stored as NaN: a `Double` column
/// can hold a genuine NaN that came from the data *and* separately know which rows
/// were missing. Bits are packed 64 to a word, little-endian within the word.
public struct ValidityMask: Sendable, Equatable, Hashable {
    /// The packed bits; bit `i % 64` of word `i / 64` is row `i`.
    public private(set) var words: [UInt64]
    /// The number of rows covered.
    public let count: Int

    /// A mask of `count` rows, all valid (`true`) or all missing (`false`).
    /// - Complexity: O(count / 64).
    public init(count: Int, allValid: Bool = true) {
        precondition(count >= 0, "ValidityMask count must be non-negative")
        self.count = count
        let wordCount = (count + 63) / 64
        if allValid {
            var words = [UInt64](repeating: ~0, count: wordCount)
            if count % 64 != 0, wordCount > 0 { words[wordCount - 1] = (1 << UInt64(count % 64)) - 1 }
            self.words = words
        } else {
            self.words = [UInt64](repeating: 0, count: wordCount)
        }
    }

    /// A mask from one Bool per row (`true` = valid).
    /// - Complexity: O(n).
    public init(_ valid: [Bool]) {
        self.init(count: valid.count, allValid: false)
        for (i, v) in valid.enumerated() where v { words[i >> 6] |= 1 << UInt64(i & 63) }
    }

    /// A mask from packed words (bit `i % 64` of word `i / 64` is row `i`); bits past `count`
    /// are cleared. Used by readers that build validity word by word.
    /// - Precondition: `words.count * 64 >= count`.
    init(words: [UInt64], count: Int) {
        precondition(count >= 0 && words.count * 64 >= count, "ValidityMask(words:count:) needs enough words")
        var packed = Array(words.prefix((count + 63) / 64))
        if count % 64 != 0, let last = packed.indices.last { packed[last] &= (1 << UInt64(count % 64)) - 1 }
        self.words = packed
        self.count = count
    }

    /// Whether row `i` holds a value.
    /// - Precondition: `0 <= i < count`.
    @inlinable
    public func isValid(_ i: Int) -> Bool {
        precondition(i >= 0 && i < count, "ValidityMask index out of range")
        return words[i >> 6] & (1 << UInt64(i & 63)) != 0
    }

    /// Marks row `i` valid or missing.
    public mutating func set(_ i: Int, valid: Bool) {
        precondition(i >= 0 && i < count, "ValidityMask index out of range")
        if valid { words[i >> 6] |= 1 << UInt64(i & 63) } else { words[i >> 6] &= ~(1 << UInt64(i & 63)) }
    }

    /// The number of missing rows.
    /// - Complexity: O(count / 64).
    public var missingCount: Int { count - words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Whether every row is valid.
    public var allValid: Bool { missingCount == 0 }

    /// Row-wise AND: valid where both masks are valid.
    /// - Precondition: equal counts.
    public func intersection(_ other: ValidityMask) -> ValidityMask {
        precondition(count == other.count, "ValidityMask.intersection needs equal counts")
        var result = self
        for w in result.words.indices { result.words[w] &= other.words[w] }
        return result
    }

    /// The mask of the selected rows, in selection order.
    /// - Complexity: O(rows.count).
    public func selecting(_ rows: [Int]) -> ValidityMask {
        var result = ValidityMask(count: rows.count, allValid: false)
        for (k, r) in rows.enumerated() where isValid(r) { result.words[k >> 6] |= 1 << UInt64(k & 63) }
        return result
    }

    /// The indices of the valid rows, ascending.
    /// - Complexity: O(count).
    public var validIndices: [Int] {
        var out: [Int] = []
        out.reserveCapacity(count - missingCount)
        for (w, word) in words.enumerated() {
            var bits = word
            while bits != 0 {
                let b = bits.trailingZeroBitCount
                out.append(w * 64 + b)
                bits &= bits - 1
            }
        }
        return out
    }
}
