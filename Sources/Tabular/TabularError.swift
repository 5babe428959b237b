/// Where in a file an error is: 1-based line and column (column in characters of the line).
public struct FileLocation: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int?

    public init(file: String, line: Int, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column` (or `file:line`).
    public var description: String { column.map { "\(file):\(line):\($0)" } ?? "\(file):\(line)" }
}

/// The typed errors of `Tabular`. Each message says where (file, line, column, or the
/// formula position) and what to do.
public enum TabularError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A column's validity mask or a sibling column has a different length.
    case lengthMismatch(column: String, expected: Int, got: Int)
    /// Two columns share a name (`file` when read from one).
    case duplicateColumn(name: String, file: String?)
    /// A name refers to no column; `suggestions` are the closest existing names.
    case unknownColumn(name: String, suggestions: [String])
    /// A file-level problem (unreadable, empty, header only, invalid UTF-8, …) at a location.
    case file(FileLocation, reason: String)
    /// A formula does not parse: 1-based character `position` in `formula`.
    case formula(formula: String, position: Int, reason: String)
    /// A model variable cannot be used as asked (single-level factor, negative weight, …).
    case invalidVariable(name: String, reason: String)

    /// The message on one line (the formula case names the formula instead of drawing a caret),
    /// for command-line tools that report an error in a single line.
    public var oneLine: String {
        if case let .formula(formula, position, reason) = self {
            return "formula, character \(position): \(reason) (in '\(formula)')"
        }
        return description.split(separator: "\n").joined(separator: "; ")
    }

    public var description: String {
        switch self {
        case let .lengthMismatch(column, expected, got):
            return "column '\(column)' has \(got) rows where \(expected) are expected"
        case let .duplicateColumn(name, file):
            return (file.map { "\($0): " } ?? "") + "duplicate column name '\(name)'; rename one of them"
        case let .unknownColumn(name, suggestions):
            let hint = suggestions.isEmpty ? "" : "; did you mean " + suggestions.map { "'\($0)'" }.joined(separator: " or ") + "?"
            return "unknown column '\(name)'\(hint)"
        case let .file(location, reason):
            return "\(location): \(reason)"
        case let .formula(formula, position, reason):
            let caret = String(repeating: " ", count: Swift.max(0, position - 1)) + "^"
            return "formula, character \(position): \(reason)\n  \(formula)\n  \(caret)"
        case let .invalidVariable(name, reason):
            return "variable '\(name)': \(reason)"
        }
    }
}
