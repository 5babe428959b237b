import Foundation
import Yams

/// A YAML document as a small Sendable tree with source positions, so every spec error can
/// name the file, line, column and the spec path (`scenarios[2].threshold`).
public indirect enum SpecValue: Sendable, Equatable {
    /// A scalar's text, whether it was quoted, and its 1-based position.
    case scalar(String, quoted: Bool, line: Int, column: Int)
    /// A mapping's entries in document order, and its position.
    case mapping([(key: String, value: SpecValue)], line: Int, column: Int)
    /// A list's items, and its position.
    case sequence([SpecValue], line: Int, column: Int)

    /// Equal content and quoting (mapping entries in the same order); positions are ignored.
    public static func == (a: SpecValue, b: SpecValue) -> Bool {
        switch (a, b) {
        case let (.scalar(x, qx, _, _), .scalar(y, qy, _, _)): return x == y && qx == qy
        case let (.sequence(x, _, _), .sequence(y, _, _)): return x == y
        case let (.mapping(x, _, _), .mapping(y, _, _)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// The 1-based line of the value.
    public var line: Int {
        switch self {
        case let .scalar(_, _, line, _), let .mapping(_, line, _), let .sequence(_, line, _): return line
        }
    }

    /// The 1-based column of the value.
    public var column: Int {
        switch self {
        case let .scalar(_, _, _, column), let .mapping(_, _, column), let .sequence(_, _, column): return column
        }
    }

    /// What kind of value it is, for messages ("a mapping", "a list", "'abc'").
    var kindDescription: String {
        switch self {
        case let .scalar(text, _, _, _): return "'\(text)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    /// Parses YAML text.
    /// - Throws: `SpecError` with the file and the parser's line and column for malformed YAML,
    ///   an empty document, a mapping key that is not a plain string or repeats (Yams's
    ///   composer reports that one), or a YAML
    ///   alias (`*name`, `<<: *name`): the composer resolves an alias to the anchored node
    ///   itself, so a document of nested aliases would expand exponentially ("billion
    ///   laughs"); every node is converted at most once instead.
    /// - Complexity: O(nodes of the document).
    public static func parse(yaml: String, file: String) throws -> SpecValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw SpecError(file: file, path: "", line: nil, column: nil, message: "not valid YAML: \(shortened(String(describing: error)))")
        }
        guard let node else { throw SpecError(file: file, path: "", line: 1, column: 1, message: "the spec is empty") }
        var converted = Set<SourcePosition>()
        return try convert(node, file: file, path: "", converted: &converted)
    }

    /// A node's start in the text; two nodes at one position are one node reached through an alias.
    private struct SourcePosition: Hashable {
        let line: Int, column: Int
    }

    /// The parser's message cut to its first 12 lines of at most 200 characters each (it
    /// quotes the offending source line, which can be megabytes long, and some errors quote
    /// the whole document as context).
    private static func shortened(_ message: String) -> String {
        let lines = message.split(separator: "\n", omittingEmptySubsequences: false)
        let kept = lines.prefix(12).map { $0.count > 200 ? $0.prefix(200) + "…" : $0 }
        return kept.joined(separator: "\n") + (lines.count > 12 ? "\n…" : "")
    }

    private static func convert(_ node: Node, file: String, path: String, converted: inout Set<SourcePosition>) throws -> SpecValue {
        // Yams's marks are 1-based already (line, and column in Unicode scalars).
        let line = node.mark?.line ?? 1, column = node.mark?.column ?? 1
        // An empty plain scalar (an implicit null) takes the position of the token after it,
        // which may be another node's: it is not tracked (reusing it could not expand anything).
        let isImplicitNull = node.scalar.map { $0.string.isEmpty && $0.style == .plain } ?? false
        if node.mark != nil, !isImplicitNull, !converted.insert(SourcePosition(line: line, column: column)).inserted {
            throw SpecError(file: file, path: path, line: line, column: column,
                            message: "is a YAML alias (*name or <<: *name) of the value at this line and column; aliases are not supported in specs: write the value out")
        }
        switch node {
        case let .scalar(scalar):
            return .scalar(scalar.string, quoted: scalar.style != .plain, line: line, column: column)
        case let .sequence(sequence):
            var items: [SpecValue] = []
            for (index, item) in sequence.enumerated() {
                items.append(try convert(item, file: file, path: "\(path)[\(index)]", converted: &converted))
            }
            return .sequence(items, line: line, column: column)
        case let .mapping(mapping):
            // A repeated key never gets here: Yams's composer refuses it, naming the key and its line.
            var entries: [(key: String, value: SpecValue)] = []
            for (key, value) in mapping {
                guard let name = key.string else {
                    throw SpecError(file: file, path: path, line: key.mark?.line ?? 1, column: key.mark?.column ?? 1,
                                    message: "mapping keys must be plain names")
                }
                let child = path.isEmpty ? name : "\(path).\(name)"
                entries.append((name, try convert(value, file: file, path: child, converted: &converted)))
            }
            return .mapping(entries, line: line, column: column)
        case .alias:
            throw SpecError(file: file, path: path, line: line, column: column, message: "YAML aliases are not supported in specs")
        }
    }
}

/// A spec error: file, line and column, the spec path, and what to do.
public struct SpecError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The spec file.
    public let file: String
    /// The spec path at fault (`scenarios[2].threshold`); empty for the whole file.
    public let path: String
    /// The 1-based line; nil when unknown.
    public let line: Int?
    /// The 1-based column; nil when unknown.
    public let column: Int?
    /// What is wrong and what to do.
    public let message: String

    /// An error at `file:line:column`, spec path `path`.
    public init(file: String, path: String, line: Int?, column: Int?, message: String) {
        self.file = file
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    /// `spec.yaml:12:3: scenarios[2].threshold: expected a number, got 'abc'`.
    public var description: String {
        var location = file
        if let line { location += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        return location + ": " + (path.isEmpty ? "" : path + ": ") + message
    }
}
