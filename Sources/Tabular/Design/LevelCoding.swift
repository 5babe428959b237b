/// The distinct values of a column on some rows, as dense codes into sorted level names —
/// what R's `factor()` makes after unused levels are dropped.
///
/// Order of levels, as R: text in byte (code point) order — R's order under `LC_COLLATE=C`;
/// in other locales R may sort case-insensitively, so `"apple" < "Banana"` there but not
/// here —; integers and doubles numerically (named as R prints them: `2`, `0.5`, `1e+05`;
/// doubles that print alike share a level, as in R); `FALSE` before `TRUE`.
struct LevelCoding: Sendable, Equatable {
    /// One code per row, indexing `levels`.
    var codes: [Int32]
    /// The level names.
    var levels: [String]

    /// The levels present in `column` at `rows` (which must all be valid).
    /// - Complexity: O(rows.count + L log L) for L distinct values.
    static func present(in column: Column, rows: [Int]) -> LevelCoding {
        switch column.values {
        case let .categorical(codes, levels):
            var used = [Bool](repeating: false, count: levels.count)
            for r in rows { used[Int(codes[r])] = true }
            let order = levels.indices.filter { used[$0] }.sorted { byteOrder(levels[$0], levels[$1]) }
            var remap = [Int32](repeating: -1, count: levels.count)
            for (new, old) in order.enumerated() { remap[old] = Int32(new) }
            return LevelCoding(codes: rows.map { remap[Int(codes[$0])] }, levels: order.map { levels[$0] })
        case let .int(values):
            // Dense ranges (ids, years) are coded through an array indexed by value − min: no
            // hashing, one pass; sparse ranges through a dictionary. Same codes either way.
            var low = Int.max, high = Int.min
            for r in rows { low = Swift.min(low, values[r]); high = Swift.max(high, values[r]) }
            if !rows.isEmpty, high.subtractingReportingOverflow(low).overflow == false, high - low < Swift.max(1 << 16, 4 * rows.count) {
                var present = [Int32](repeating: -1, count: high - low + 1)
                for r in rows { present[values[r] - low] = 0 }
                var levels: [String] = []
                for offset in present.indices where present[offset] == 0 {
                    present[offset] = Int32(levels.count)
                    levels.append(String(low + offset))
                }
                return LevelCoding(codes: rows.map { present[values[$0] - low] }, levels: levels)
            }
            let distinct = Set(rows.map { values[$0] }).sorted()
            var index: [Int: Int32] = [:]
            for (k, v) in distinct.enumerated() { index[v] = Int32(k) }
            return LevelCoding(codes: rows.map { index[values[$0]] ?? 0 }, levels: distinct.map(String.init))
        case let .double(values):
            // +0 and -0 are one value; R names levels by their printed form, so merge by text.
            let distinct = Set(rows.map { values[$0] == 0 ? 0 : values[$0] }).sorted()
            var names: [String] = []
            var index: [Double: Int32] = [:]
            for v in distinct {
                let text = RNumberFormat.string(v)
                if names.last != text { names.append(text) }
                index[v] = Int32(names.count - 1)
            }
            return LevelCoding(codes: rows.map { index[values[$0] == 0 ? 0 : values[$0]] ?? 0 }, levels: names)
        case let .bool(values):
            let hasFalse = rows.contains { !values[$0] }
            let hasTrue = rows.contains { values[$0] }
            let levels = (hasFalse ? ["FALSE"] : []) + (hasTrue ? ["TRUE"] : [])
            return LevelCoding(codes: rows.map { values[$0] && hasFalse ? 1 : 0 }, levels: levels)
        }
    }

    /// R's coding of a bare logical column in `model.matrix`: always both levels, FALSE then TRUE.
    static func logical(in column: Column, rows: [Int]) -> LevelCoding? {
        guard case let .bool(values) = column.values else { return nil }
        return LevelCoding(codes: rows.map { values[$0] ? 1 : 0 }, levels: ["FALSE", "TRUE"])
    }

    /// The same coding with level `reference` moved first (R's `relevel`), or nil when absent.
    func releveled(reference: String) -> LevelCoding? {
        guard let k = levels.firstIndex(of: reference) else { return nil }
        let r = Int32(k)
        let newLevels = [levels[k]] + levels.enumerated().filter { $0.offset != k }.map(\.element)
        let newCodes = codes.map { c in c == r ? 0 : (c < r ? c + 1 : c) }
        return LevelCoding(codes: newCodes, levels: newLevels)
    }

    /// Code-point (C locale) order of two strings.
    static func byteOrder(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}

/// Integer codes of a grouping: one fixed effect (`fe1`, or `fe1^fe2` combined) or one
/// cluster variable, on the rows a design kept.
///
/// Codes run over `0..<levels.count`, in the sorted order of the values (combinations
/// sorted by the first column, then the second, …), so they do not depend on row order
/// beyond the values present.
public struct GroupCodes: Sendable, Equatable {
    /// The term as written: `fe1`, `fe1^fe2`, or the cluster column's name.
    public let name: String
    /// One code per kept row of the design, in `0..<levels.count`.
    public let codes: [Int]
    /// The name of each group: the value (`Java`, `2019`), or values joined by `_` for a
    /// combination (`Java_2019`, as fixest names them).
    public let levels: [String]

    /// The number of groups.
    public var count: Int { levels.count }

    /// Groups from codes already in `0..<levels.count`.
    /// - Precondition: every code indexes `levels` (a programmer error otherwise).
    /// - Complexity: O(codes.count) for the check.
    public init(name: String, codes: [Int], levels: [String]) {
        precondition(codes.allSatisfy { $0 >= 0 && $0 < levels.count }, "GroupCodes: a code outside 0..<levels.count")
        self.name = name
        self.codes = codes
        self.levels = levels
    }

    /// The groups of `columns` combined, on `rows` (all valid).
    /// - Complexity: O(rows.count · columns.count + G log G) for G groups.
    static func combining(_ columns: [Column], name: String, rows: [Int]) -> GroupCodes {
        var current: LevelCoding?
        for column in columns {
            let next = LevelCoding.present(in: column, rows: rows)
            guard let previous = current else {
                current = next
                continue
            }
            // Pair codes: key = a · |next| + b stays below rows² because codes are dense.
            let width = Int(next.levels.count)
            let keys = zip(previous.codes, next.codes).map { Int($0) * width + Int($1) }
            let distinct = Set(keys).sorted()
            var index: [Int: Int32] = [:]
            for (k, key) in distinct.enumerated() { index[key] = Int32(k) }
            let names = distinct.map { previous.levels[$0 / width] + "_" + next.levels[$0 % width] }
            current = LevelCoding(codes: keys.map { index[$0] ?? 0 }, levels: names)
        }
        let coding = current ?? LevelCoding(codes: rows.map { _ in 0 }, levels: [])
        return GroupCodes(name: name, codes: coding.codes.map(Int.init), levels: coding.levels)
    }
}
