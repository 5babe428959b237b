import Foundation
import Tabular

/// Typed, path-aware reading of one mapping of a spec. Every accessor marks its key as used;
/// `finish()` rejects the keys nobody asked for (with a did-you-mean), so a typo in a spec is
/// an error, never a silently ignored setting.
public final class SpecObject {
    /// The spec file, for error messages.
    public let file: String
    /// This mapping's spec path (`optimize.amount`; empty at the root).
    public let path: String
    let entries: [(key: String, value: SpecValue)]
    let line: Int
    let column: Int
    private var used = Set<String>()

    /// The mapping `value` at `path`.
    /// - Throws: `SpecError` unless `value` is a mapping.
    public init(_ value: SpecValue, file: String, path: String) throws {
        guard case let .mapping(entries, line, column) = value else {
            throw SpecError(file: file, path: path, line: value.line, column: value.column, message: "expected a mapping of settings, got \(value.kindDescription)")
        }
        self.file = file
        self.path = path
        self.entries = entries
        self.line = line
        self.column = column
    }

    func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func error(_ key: String, _ value: SpecValue?, _ message: String) -> SpecError {
        SpecError(file: file, path: childPath(key), line: value?.line ?? line, column: value?.column ?? column, message: message)
    }

    /// The raw value of `key`, if present (marks it used).
    public func value(_ key: String) -> SpecValue? {
        used.insert(key)
        return entries.first { $0.key == key }?.value
    }

    /// Whether `key` is present (does not mark it used).
    public func has(_ key: String) -> Bool { entries.contains { $0.key == key } }

    /// A string; nil when absent (or `null`/`~`).
    public func string(_ key: String) throws -> String? {
        guard let v = value(key) else { return nil }
        guard case let .scalar(text, quoted, _, _) = v else { throw error(key, v, "expected text, got \(v.kindDescription)") }
        if !quoted, text == "null" || text == "~" || text.isEmpty { return nil }
        return text
    }

    /// A string that must be present.
    /// - Throws: `SpecError` when absent or null (with a did-you-mean, see `missing(_:)`) or not text.
    public func requiredString(_ key: String) throws -> String {
        guard let s = try string(key) else { throw missing(key) }
        return s
    }

    /// The error for a required key that is absent — pointing at a near-miss spelling if the
    /// mapping has one (`budgett` for `budget`).
    public func missing(_ key: String) -> SpecError {
        let others = entries.map(\.key).filter { $0 != key }
        if let typo = others.first(where: { Suggestions.closest(to: $0, in: [key]).contains(key) }),
           let value = entries.first(where: { $0.key == typo })?.value {
            return SpecError(file: file, path: childPath(typo), line: value.line, column: value.column,
                             message: "unknown key; did you mean '\(key)'? ('\(key)' is required)")
        }
        return error(key, nil, "is required")
    }

    /// A finite number; nil when absent.
    public func double(_ key: String) throws -> Double? {
        guard let v = value(key) else { return nil }
        guard case let .scalar(text, quoted, _, _) = v, !quoted, let number = Double(text.replacingOccurrences(of: "_", with: "")), number.isFinite else {
            throw error(key, v, "expected a number, got \(v.kindDescription)")
        }
        return number
    }

    /// A whole number; nil when absent.
    public func int(_ key: String) throws -> Int? {
        guard let v = value(key) else { return nil }
        guard case let .scalar(text, quoted, _, _) = v, !quoted, let number = Int(text.replacingOccurrences(of: "_", with: "")) else {
            throw error(key, v, "expected a whole number, got \(v.kindDescription)")
        }
        return number
    }

    /// true/false (also yes/no); nil when absent.
    public func bool(_ key: String) throws -> Bool? {
        guard let v = value(key) else { return nil }
        guard case let .scalar(text, quoted, _, _) = v, !quoted else { throw error(key, v, "expected true or false, got \(v.kindDescription)") }
        switch text.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default: throw error(key, v, "expected true or false, got \(v.kindDescription)")
        }
    }

    /// A nested mapping; nil when absent.
    public func object(_ key: String) throws -> SpecObject? {
        guard let v = value(key) else { return nil }
        return try SpecObject(v, file: file, path: childPath(key))
    }

    /// A list (a single value counts as a list of one); empty when absent.
    public func list(_ key: String) throws -> [(value: SpecValue, path: String)] {
        guard let v = value(key) else { return [] }
        if case let .sequence(items, _, _) = v { return items.enumerated().map { ($1, "\(childPath(key))[\($0)]") } }
        return [(v, childPath(key))]
    }

    /// A list of strings; empty when absent.
    public func strings(_ key: String) throws -> [String] {
        try list(key).map { item in
            guard case let .scalar(text, _, _, _) = item.value else {
                throw SpecError(file: file, path: item.path, line: item.value.line, column: item.value.column, message: "expected text, got \(item.value.kindDescription)")
            }
            return text
        }
    }

    /// A list of numbers; empty when absent.
    public func doubles(_ key: String) throws -> [Double] {
        try list(key).map { item in
            guard case let .scalar(text, quoted, _, _) = item.value, !quoted, let number = Double(text), number.isFinite else {
                throw SpecError(file: file, path: item.path, line: item.value.line, column: item.value.column, message: "expected a number, got \(item.value.kindDescription)")
            }
            return number
        }
    }

    /// A list of mappings; empty when absent.
    public func objects(_ key: String) throws -> [SpecObject] {
        try list(key).map { try SpecObject($0.value, file: file, path: $0.path) }
    }

    /// Rejects keys that no accessor read (call it after reading every key this mapping may have).
    /// - Throws: `SpecError` naming the first unknown key, the known keys and a did-you-mean.
    public func finish() throws {
        let allowed = used.sorted()
        for (key, value) in entries where !used.contains(key) {
            let hint = Suggestions.closest(to: key, in: allowed)
            let tail = hint.isEmpty ? "known keys: " + allowed.joined(separator: ", ") : "did you mean " + hint.map { "'\($0)'" }.joined(separator: " or ") + "?"
            throw SpecError(file: file, path: childPath(key), line: value.line, column: value.column, message: "unknown key; \(tail)")
        }
    }

    /// A check that fails with a message at `key`.
    public func require(_ condition: Bool, _ key: String, _ message: String) throws {
        if !condition { throw error(key, entries.first { $0.key == key }?.value, message) }
    }
}
