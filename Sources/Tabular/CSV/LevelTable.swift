/// The distinct texts of a categorical column, numbered in order of first appearance.
///
/// Texts are kept as bytes in one buffer and found through an open-addressing hash table,
/// so interning a field costs one hash and (usually) one comparison, with no allocation
/// except for new levels. Every new level is checked to be valid UTF-8 by the caller.
struct LevelTable: Sendable {
    /// All level texts, back to back.
    private(set) var bytes: [UInt8] = []
    /// `ends[k]`: where level k ends in `bytes` (it starts at `ends[k − 1]`, or 0).
    private(set) var ends: [Int] = []
    /// Level index + 1 per hash slot (0: empty); the count is a power of two.
    private var slots: [Int32] = [Int32](repeating: 0, count: 16)
    private var hashes: [UInt64] = []

    /// The number of levels.
    var count: Int { ends.count }

    /// The bytes of level `k`.
    func levelRange(_ k: Int) -> Range<Int> { (k == 0 ? 0 : ends[k - 1])..<ends[k] }

    /// The level texts, decoded (they were validated as UTF-8 when added).
    /// - Complexity: O(total bytes).
    var strings: [String] { strings(after: []) }

    /// `known` (the first levels, already decoded) followed by the other levels, decoded.
    /// - Complexity: O(bytes of the levels not in `known`).
    func strings(after known: [String]) -> [String] {
        var out = known.count <= count ? known : []
        out.reserveCapacity(count)
        for k in out.count..<count { out.append(String(decoding: bytes[levelRange(k)], as: UTF8.self)) }
        return out
    }

    /// The code of the text `p[start..<end]`, adding it as a new level when unseen.
    /// - Returns: the code and whether the level is new; nil when the table is full (2^31 − 1 levels).
    /// - Complexity: O(length) expected.
    @inline(__always)
    mutating func intern(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> (code: Int32, isNew: Bool)? {
        let h = Self.hash(p, start, end)
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let entry = slots[s]
            if entry == 0 { break }
            let k = Int(entry) - 1
            if hashes[k] == h, equals(k, p, start, end) { return (Int32(k), false) }
            s = (s + 1) & mask
        }
        guard count < Int(Int32.max) - 1 else { return nil }
        let k = count
        bytes.append(contentsOf: UnsafeBufferPointer(start: p + start, count: end - start))
        ends.append(bytes.count)
        hashes.append(h)
        slots[s] = Int32(k + 1)
        if count * 2 > slots.count { grow() }
        return (Int32(k), true)
    }

    /// Interns the first `prefix` levels of `other` (all by default) in their order; returns
    /// the code of each in this table.
    /// - Returns: nil when this table is full.
    /// - Complexity: O(other's total bytes).
    mutating func merge(_ other: LevelTable, prefix: Int? = nil) -> [Int32]? {
        let n = Swift.min(prefix ?? other.count, other.count)
        var map: [Int32] = []
        map.reserveCapacity(n)
        if other.bytes.isEmpty {
            // At most one level, the empty text.
            let zero: UInt8 = 0
            for _ in 0..<n {
                guard let (code, _) = withUnsafePointer(to: zero, { intern($0, 0, 0) }) else { return nil }
                map.append(code)
            }
            return map
        }
        let complete = other.bytes.withUnsafeBufferPointer { b -> Bool in
            guard let base = b.baseAddress else { return false }
            for k in 0..<n {
                let r = other.levelRange(k)
                guard let (code, _) = intern(base, r.lowerBound, r.upperBound) else { return false }
                map.append(code)
            }
            return true
        }
        return complete ? map : nil
    }

    private func equals(_ k: Int, _ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let r = levelRange(k)
        guard r.count == end - start else { return false }
        if r.isEmpty { return true }
        return bytes.withUnsafeBufferPointer { b in memoryEqual(p + start, UnsafeBufferPointer(rebasing: b[r]), r.count) }
    }

    private mutating func grow() {
        let newCount = slots.count * 2
        var newSlots = [Int32](repeating: 0, count: newCount)
        let mask = newCount - 1
        for k in 0..<count {
            var s = Int(truncatingIfNeeded: hashes[k]) & mask
            while newSlots[s] != 0 { s = (s + 1) & mask }
            newSlots[s] = Int32(k + 1)
        }
        slots = newSlots
    }

    /// A 64-bit hash of the bytes (multiply–rotate over 8-byte words).
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(end - start)
        var i = start
        while i + 8 <= end {
            let w = UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
            h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < end {
            tail |= UInt64(p[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 29
        h = h &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 32)
    }
}
