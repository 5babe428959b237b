/// Errors of the PolicyLab layer: each names the file, option or value at fault and what to do.
public enum PolicyLabError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file could not be read or has the wrong content.
    case file(path: String, reason: String)
    /// A command-line or API argument is out of its domain.
    case invalidArgument(name: String, reason: String)

    /// The message shown to the user.
    public var description: String {
        switch self {
        case let .file(path, reason): return "\(path): \(reason)"
        case let .invalidArgument(name, reason): return "\(name): \(reason)"
        }
    }
}
