/// The storage type of a column.
public enum ColumnType: String, Sendable, Codable, CaseIterable {
    /// 64-bit floating point.
    case double
    /// 64-bit signed integer.
    case int
    /// true/false.
    case bool
    /// Text stored as dictionary codes into a list of distinct levels.
    case categorical
}

/// The values of a column, one case per storage type. Missing rows hold a placeholder
/// (0, false, code 0) that is never read without checking the column's `validity`.
public enum ColumnValues: Sendable, Equatable {
    case double([Double])
    case int([Int])
    case bool([Bool])
    /// `codes[i]` indexes `levels`; levels are in order of first appearance unless sorted.
    case categorical(codes: [Int32], levels: [String])

    /// The number of rows.
    public var count: Int {
        switch self {
        case let .double(v): return v.count
        case let .int(v): return v.count
        case let .bool(v): return v.count
        case let .categorical(codes, _): return codes.count
        }
    }

    /// The storage type.
    public var type: ColumnType {
        switch self {
        case .double: return .double
        case .int: return .int
        case .bool: return .bool
        case .categorical: return .categorical
        }
    }

    /// The values of the selected rows, in selection order.
    /// - Complexity: O(rows.count).
    public func selecting(_ rows: [Int]) -> ColumnValues {
        switch self {
        case let .double(v): return .double(rows.map { v[$0] })
        case let .int(v): return .int(rows.map { v[$0] })
        case let .bool(v): return .bool(rows.map { v[$0] })
        case let .categorical(codes, levels): return .categorical(codes: rows.map { codes[$0] }, levels: levels)
        }
    }
}

/// A named, typed column with a validity mask.
public struct Column: Sendable, Equatable {
    /// The column's name (the CSV header cell).
    public var name: String
    /// The values.
    public private(set) var values: ColumnValues
    /// Which rows hold a value.
    public private(set) var validity: ValidityMask

    /// A column; `validity` defaults to all rows valid.
    /// - Throws: `TabularError.lengthMismatch` when the mask's count differs from the values';
    ///   `.invalidVariable` when a valid categorical code does not index `levels`.
    /// - Complexity: O(1), or O(n) for a categorical column (the codes are checked).
    public init(name: String, values: ColumnValues, validity: ValidityMask? = nil) throws {
        let mask = validity ?? ValidityMask(count: values.count)
        guard mask.count == values.count else {
            throw TabularError.lengthMismatch(column: name, expected: values.count, got: mask.count)
        }
        if case let .categorical(codes, levels) = values {
            for (row, code) in codes.enumerated() where mask.isValid(row) && !(code >= 0 && Int(code) < levels.count) {
                throw TabularError.invalidVariable(
                    name: name, reason: "row \(row + 1) has level code \(code) but the column has \(levels.count) levels")
            }
        }
        self.name = name
        self.values = values
        self.validity = mask
    }

    /// The number of rows.
    public var count: Int { values.count }
    /// The storage type.
    public var type: ColumnType { values.type }
    /// The number of missing rows.
    public var missingCount: Int { validity.missingCount }

    /// The values as `Double` (int and bool converted; missing rows NaN), or nil for categorical.
    /// - Complexity: O(n).
    public var doubleValues: [Double]? {
        var out: [Double]
        switch values {
        case let .double(v): out = v
        case let .int(v): out = v.map(Double.init)
        case let .bool(v): out = v.map { $0 ? 1 : 0 }
        case .categorical: return nil
        }
        if !validity.allValid {
            for i in 0..<out.count where !validity.isValid(i) { out[i] = .nan }
        }
        return out
    }

    /// The text of row `i` (nil when missing), as it would print.
    public func text(at i: Int) -> String? {
        guard validity.isValid(i) else { return nil }
        switch values {
        case let .double(v): return "\(v[i])"
        case let .int(v): return "\(v[i])"
        case let .bool(v): return v[i] ? "true" : "false"
        case let .categorical(codes, levels): return levels[Int(codes[i])]
        }
    }

    /// The column restricted to `rows`, in that order.
    /// - Complexity: O(rows.count).
    public func selecting(_ rows: [Int]) -> Column {
        // Selection preserves the length invariant, so this cannot fail.
        Column(unchecked: name, values: values.selecting(rows), validity: validity.selecting(rows))
    }

    init(unchecked name: String, values: ColumnValues, validity: ValidityMask) {
        self.name = name
        self.values = values
        self.validity = validity
    }
}
