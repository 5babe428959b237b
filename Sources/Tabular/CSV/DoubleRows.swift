import LinearAlgebra

/// The values of a double column under construction, whose storage may run ahead of its rows so
/// that pass 2 of a block can write each range's values straight to their final place
/// (`CSVBlockParser.Placement`) instead of through a merge after the block.
///
/// `storage.count` is the room. Rows from `count` on hold whatever the allocation held: they are
/// written (by an append, or by pass 2 before `adoptPlaced`) before `count` covers them, and
/// `finish` drops them, so they are never read. `Double` is a trivial type, so leaving them
/// unwritten is sound.
struct DoubleRows: Sendable {
    private var storage: [Double] = []
    /// The rows appended so far.
    private(set) var count = 0

    /// No rows and no room.
    init() {}

    /// `values` as the first rows, with room for `room` rows in all (at least `values.count`).
    /// - Complexity: O(values.count).
    init(_ values: [Double], room: Int) {
        storage = values
        count = values.count
        reserve(room)
    }

    /// Makes room for `rows` rows in all, huge-page backed where possible; nothing when there is.
    /// A storage that moves takes all its old room along, so values placed by pass 2 and not yet
    /// adopted (`adoptPlaced`) move with it.
    /// - Complexity: O(old room) when the storage moves, else O(1).
    mutating func reserve(_ rows: Int) {
        guard rows > storage.count else { return }
        let old = storage
        storage = Self.storage(room: rows) { destination in
            old.withUnsafeBufferPointer { source in
                guard let from = source.baseAddress else { return }
                destination.update(from: from, count: source.count)
            }
        }
    }

    /// Appends `values`.
    /// - Complexity: amortized O(values.count).
    mutating func append(_ values: UnsafeBufferPointer<Double>) {
        guard let from = values.baseAddress else { return }
        withRoom(forRows: values.count) { to in to.update(from: from, count: values.count) }
        count += values.count
    }

    /// Appends the `n` values of `values` (a sequence of exactly `n` elements).
    /// - Complexity: amortized O(n).
    mutating func append(_ values: some Sequence<Double>, count n: Int) {
        withRoom(forRows: n) { to in
            var i = 0
            for value in values where i < n {
                to[i] = value
                i += 1
            }
            // A shorter sequence than promised leaves zeros, never unwritten rows.
            while i < n {
                to[i] = 0
                i += 1
            }
        }
        count += n
    }

    /// Appends `n` zeros.
    /// - Complexity: amortized O(n).
    mutating func appendZeros(_ n: Int) {
        withRoom(forRows: n) { to in to.update(repeating: 0, count: n) }
        count += n
    }

    /// Row `row` (below `count`).
    subscript(row: Int) -> Double {
        get { storage[row] }
        set { storage[row] = newValue }
    }

    /// Takes as the next `n` rows the values pass 2 wrote at row `position` (≥ `count`), moving
    /// them down to `count` when earlier ranges of the block had fewer rows than expected.
    /// - Complexity: O(1), or O(n) when the rows move.
    mutating func adoptPlaced(at position: Int, count n: Int) {
        let to = count
        if position != to {
            storage.withUnsafeMutableBytes { bytes in
                guard let base = bytes.baseAddress else { return }
                let stride = MemoryLayout<Double>.stride
                // Overlapping regions are fine: copyMemory has memmove's semantics.
                (base + to * stride).copyMemory(from: base + position * stride, byteCount: n * stride)
            }
        }
        count += n
    }

    /// Calls `body` with a pointer to row `count`, after making room for `rows` more rows (growing
    /// by half at least, so appends stay amortized O(1)). The pointer is valid only inside `body`.
    /// - Complexity: O(count) when the storage moves, plus `body`.
    mutating func withRoom<R>(forRows rows: Int, _ body: (UnsafeMutablePointer<Double>) throws -> R) rethrows -> R {
        let start = count
        if start + rows > storage.count { reserve(Swift.max(start + rows, storage.count + storage.count / 2)) }
        return try storage.withUnsafeMutableBufferPointer { buffer in
            // An empty storage has room for nothing; a one-element dummy stands in for the pointer.
            guard let base = buffer.baseAddress else {
                var none = 0.0
                return try body(&none)
            }
            return try body(base + start)
        }
    }

    /// The rows as an array; the room after them is dropped (not freed: the pages past the
    /// last row were never written). Leaves this value empty.
    /// - Complexity: O(1).
    mutating func finish() -> [Double] {
        var out = storage
        storage = []
        out.removeLast(out.count - count)
        count = 0
        return out
    }

    /// A storage of `room` rows whose first rows `fill` writes; the rest are left unwritten.
    private static func storage(room: Int, fill: (UnsafeMutablePointer<Double>) -> Void) -> [Double] {
        guard room > 0 else { return [] }
        return [Double](unsafeUninitializedCapacity: room) { buffer, initialized in
            MemoryAdvice.preferHugePages(UnsafeMutableRawBufferPointer(buffer))
            if let base = buffer.baseAddress { fill(base) }
            // Rows past those `fill` wrote are counted but never read before written (see the type).
            initialized = room
        }
    }
}
