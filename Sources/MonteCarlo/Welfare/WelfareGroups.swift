import Tabular

/// A partition of a population into labelled groups (regions, districts, household types)
/// for by-group welfare measures, with small-cell suppression.
///
/// A group with fewer than `minimumCellSize` units (rows, whatever their weights) is
/// *withheld*: its measures are not computed and the result marks it
/// `GroupCell.withheld(units:)` — never a silent zero — because estimates from a handful of
/// households are unreliable and can disclose them. Units with code −1 belong to no group
/// (a missing group value): they count in the overall measures only.
public struct WelfareGroups: Sendable, Equatable {
    /// The group labels; code g names `labels[g]`.
    public let labels: [String]
    /// Each unit's group code in −1 ..< labels.count (−1: no group).
    public let codes: [Int32]
    /// The number of units in each group.
    public let unitCounts: [Int]
    /// Groups with fewer units are withheld (default 10).
    public let minimumCellSize: Int

    /// The default minimum cell size.
    public static let defaultMinimumCellSize = 10

    /// Groups from codes and labels.
    /// - Throws: `MonteCarloError.invalidArgument` for a code outside −1 ..< labels.count
    ///   (naming the unit), duplicate labels, or a minimum cell size below 1.
    /// - Complexity: O(n).
    public init(codes: [Int32], labels: [String], minimumCellSize: Int = WelfareGroups.defaultMinimumCellSize) throws {
        try require(minimumCellSize >= 1, "minimumCellSize", "must be at least 1, got \(minimumCellSize)")
        try require(Set(labels).count == labels.count, "groups", "labels must be distinct")
        var counts = [Int](repeating: 0, count: labels.count)
        for (i, code) in codes.enumerated() {
            guard code >= -1 && Int(code) < labels.count else {
                throw MonteCarloError.invalidArgument(name: "groups[\(i)]",
                                                      reason: "code \(code) is outside -1..<\(labels.count) (\(labels.count) labels)")
            }
            if code >= 0 { counts[Int(code)] += 1 }
        }
        self.labels = labels
        self.codes = codes
        self.unitCounts = counts
        self.minimumCellSize = minimumCellSize
    }

    /// Groups from a table column: categorical codes and levels as they are; integers and
    /// booleans by their distinct values in ascending order (labels are the values' text).
    /// Missing values belong to no group.
    /// - Throws: `MonteCarloError.invalidArgument` for a column of doubles (not a grouping:
    ///   bin it first) or an invalid minimum cell size.
    /// - Complexity: O(n log n) for integer columns, O(n) otherwise.
    public init(column: Column, minimumCellSize: Int = WelfareGroups.defaultMinimumCellSize) throws {
        var codes: [Int32]
        let labels: [String]
        switch column.values {
        case let .categorical(c, levels):
            codes = c
            labels = levels
        case let .bool(values):
            codes = values.map { $0 ? 1 : 0 }
            labels = ["false", "true"]
        case let .int(values):
            let distinct = Array(Set(values.indices.filter { column.validity.isValid($0) }.map { values[$0] })).sorted()
            var position: [Int: Int32] = [:]
            for (g, v) in distinct.enumerated() { position[v] = Int32(g) }
            codes = values.map { position[$0] ?? -1 }
            labels = distinct.map(String.init)
        case .double:
            throw MonteCarloError.invalidArgument(
                name: "groups", reason: "column '\(column.name)' holds doubles; group by a categorical or integer column")
        }
        for i in 0..<codes.count where !column.validity.isValid(i) { codes[i] = -1 }
        try self.init(codes: codes, labels: labels, minimumCellSize: minimumCellSize)
    }

    /// Whether group `g` is withheld (fewer than `minimumCellSize` units).
    public func isWithheld(_ g: Int) -> Bool { unitCounts[g] < minimumCellSize }
}

/// One group's value of a measure, or the mark that it was withheld.
public enum GroupCell<Value: Sendable>: Sendable {
    /// The measure for the group.
    case published(Value)
    /// Withheld: the group has only `units` units (below the minimum cell size).
    case withheld(units: Int)

    /// The published value, or nil when withheld.
    public var value: Value? {
        if case let .published(v) = self { return v }
        return nil
    }
}

extension GroupCell: Equatable where Value: Equatable {}

extension GroupCell: Codable where Value: Codable {
    private enum CodingKeys: String, CodingKey { case withheld, units, value }

    /// Encodes `{"withheld": false, "value": …}` or `{"withheld": true, "units": n}`.
    /// - Throws: whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case let .published(v):
            try c.encode(false, forKey: .withheld)
            try c.encode(v, forKey: .value)
        case let .withheld(units):
            try c.encode(true, forKey: .withheld)
            try c.encode(units, forKey: .units)
        }
    }

    /// Decodes what `encode(to:)` writes.
    /// - Throws: `DecodingError` for missing or mistyped keys.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if try c.decode(Bool.self, forKey: .withheld) {
            self = .withheld(units: try c.decode(Int.self, forKey: .units))
        } else {
            self = .published(try c.decode(Value.self, forKey: .value))
        }
    }
}

/// A measure for the whole population and for each group (in label order).
public struct ByGroup<Value: Sendable>: Sendable {
    /// The measure over all units (including those in no group).
    public let overall: Value
    /// The group labels (empty without groups).
    public let labels: [String]
    /// Each group's value or withheld mark, parallel to `labels`.
    public let groups: [GroupCell<Value>]

    /// The cell of the group labelled `label`, or nil if there is no such group.
    /// - Complexity: O(groups).
    public subscript(label: String) -> GroupCell<Value>? {
        labels.firstIndex(of: label).map { groups[$0] }
    }

    /// The population's value labelled `overallLabel`, then each published group's label and
    /// value in label order; withheld groups are left out (list them from `groups`). This is
    /// the layout of a flat Monte Carlo output vector: published cells do not change between
    /// replicates, because withholding depends on unit counts only.
    /// - Complexity: O(groups).
    public func publishedCells(overallLabel: String = "all") -> [(label: String, value: Value)] {
        var cells = [(label: overallLabel, value: overall)]
        for (label, cell) in zip(labels, groups) {
            if case let .published(value) = cell { cells.append((label, value)) }
        }
        return cells
    }

    /// The same cells with each value transformed.
    public func map<T: Sendable>(_ transform: (Value) throws -> T) rethrows -> ByGroup<T> {
        ByGroup<T>(overall: try transform(overall), labels: labels, groups: try groups.map { cell in
            switch cell {
            case let .published(v): return .published(try transform(v))
            case let .withheld(units): return .withheld(units: units)
            }
        })
    }
}

extension ByGroup: Equatable where Value: Equatable {}
extension ByGroup: Codable where Value: Codable {}
