import Foundation

/// Named start values of the parameters of a nonlinear model (`b1=500,b2=1e-4`).
///
/// The names given here are what makes a formula name a parameter rather than a column.
public struct StartPoint: Sendable, Equatable, CustomStringConvertible {
    /// Parameter names, in the order given (the order of results).
    public let names: [String]
    /// Start values, aligned with `names`.
    public let values: [Double]

    /// A start point from name/value pairs.
    /// - Throws: `NLSError.invalidStart` for an empty list, a repeated or malformed name,
    ///   or a non-finite value.
    /// - Complexity: O(count).
    public init(_ pairs: [(String, Double)]) throws {
        guard !pairs.isEmpty else { throw NLSError.invalidStart("no parameters given; write NAME=VALUE,…") }
        var seen: Set<String> = []
        for (name, value) in pairs {
            guard let first = name.first, first.isLetter || first == "_",
                  name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) else {
                throw NLSError.invalidStart("'\(name)' is not a valid parameter name")
            }
            guard seen.insert(name).inserted else { throw NLSError.invalidStart("parameter '\(name)' is given twice") }
            guard value.isFinite else { throw NLSError.invalidStart("the start value of '\(name)' is \(value); it must be finite") }
        }
        self.names = pairs.map(\.0)
        self.values = pairs.map(\.1)
    }

    /// Parses `b1=500,b2=1e-4` (spaces allowed around names and values).
    /// - Throws: `NLSError.invalidStart` naming the malformed item.
    /// - Complexity: O(length of `text`).
    public init(parsing text: String) throws {
        var pairs: [(String, Double)] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw NLSError.invalidStart("'\(item)' is not NAME=VALUE (example: b1=500,b2=1e-4)")
            }
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            let valueText = parts[1].trimmingCharacters(in: .whitespaces)
            guard let value = Double(valueText) else {
                throw NLSError.invalidStart("the value '\(valueText)' of '\(name)' is not a number")
            }
            pairs.append((name, value))
        }
        try self.init(pairs)
    }

    /// `b1=500, b2=0.0001`.
    public var description: String {
        zip(names, values).map { "\($0)=\($1)" }.joined(separator: ", ")
    }
}
