import Foundation

/// Linear hypotheses written with term names, as R's `car::linearHypothesis` accepts them:
/// `x1 = x2`, `x1 - 2*x2 = 0`, `gB = gC; gC = gD` (restrictions separated by `;`). A side is a
/// sum of terms, each a term name optionally multiplied by a number (`2*x1`, `x1*2`), or a
/// number alone; names may hold parentheses and colons (`log(size)`, `x1:x3`, `factor(g)B`).
public struct LinearHypothesis: Sendable, Equatable, CustomStringConvertible {
    /// One row of R per restriction: coefficient by term name.
    public let restrictions: [[String: Double]]
    /// The right-hand sides r.
    public let values: [Double]
    /// The text as given.
    public let text: String

    /// Parses `text` against the model's `terms`.
    /// - Throws: `RegressionError.hypothesis` naming the restriction and what is wrong: no `=`,
    ///   an unknown term (with did-you-mean), a malformed number, or a restriction on nothing.
    public init(_ text: String, terms: [String]) throws {
        var rows: [[String: Double]] = [], values: [Double] = []
        for part in text.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            let sides = part.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
            guard sides.count == 2 else {
                throw RegressionError.hypothesis(reason: "'\(part)' needs exactly one '=' (e.g. x1 = x2)")
            }
            var row: [String: Double] = [:]
            var constant = 0.0
            for (side, sign) in [(sides[0], 1.0), (sides[1], -1.0)] {
                for (coefficient, term) in try Self.terms(of: side, in: part, known: terms) {
                    if let term { row[term, default: 0] += sign * coefficient } else { constant -= sign * coefficient }
                }
            }
            row = row.filter { $0.value != 0 }
            guard !row.isEmpty else { throw RegressionError.hypothesis(reason: "'\(part)' restricts no coefficient") }
            rows.append(row)
            values.append(constant)
        }
        guard !rows.isEmpty else { throw RegressionError.hypothesis(reason: "no restriction in '\(text)'") }
        restrictions = rows
        self.values = values
        self.text = text
    }

    /// The hypothesis text as given.
    public var description: String { text }

    /// The signed pieces of one side: (coefficient, term) or (number, nil) for a constant.
    private static func terms(of side: String, in part: String, known: [String]) throws -> [(Double, String?)] {
        var pieces: [(Double, String)] = []
        var depth = 0, current = "", sign = 1.0
        func flush() throws {
            let piece = current.trimmingCharacters(in: .whitespaces)
            current = ""
            guard !piece.isEmpty else { return }
            pieces.append((sign, piece))
        }
        for character in side {
            if character == "(" { depth += 1 } else if character == ")" { depth -= 1 }
            if depth == 0, character == "+" || character == "-" {
                let trimmed = current.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty {
                    sign *= character == "-" ? -1 : 1
                    continue
                }
                // The sign of an exponent (2.5e-3) belongs to the number.
                let isExponent = (trimmed.last == "e" || trimmed.last == "E") && Double(trimmed.dropLast()) != nil
                if !isExponent {
                    try flush()
                    sign = character == "-" ? -1 : 1
                    continue
                }
            }
            current.append(character)
        }
        try flush()
        guard !pieces.isEmpty else { throw RegressionError.hypothesis(reason: "'\(part)' has an empty side") }
        return try pieces.map { sign, piece in
            if let number = Double(piece) { return (sign * number, nil) }
            if known.contains(piece) { return (sign, piece) }
            // number*term or term*number, split at a top-level '*'.
            var depth = 0
            for index in piece.indices {
                let c = piece[index]
                if c == "(" { depth += 1 } else if c == ")" { depth -= 1 }
                guard depth == 0, c == "*" else { continue }
                let left = piece[..<index].trimmingCharacters(in: .whitespaces)
                let right = piece[piece.index(after: index)...].trimmingCharacters(in: .whitespaces)
                if let number = Double(left), known.contains(right) { return (sign * number, right) }
                if let number = Double(right), known.contains(left) { return (sign * number, left) }
            }
            let hint = closest(piece, known)
            throw RegressionError.hypothesis(reason: "'\(piece)' in '\(part)' is not a coefficient of the model"
                                             + (hint.isEmpty ? "; the terms are \(known.joined(separator: ", "))" : "; did you mean \(hint)?"))
        }
    }

    private static func closest(_ name: String, _ known: [String]) -> String {
        known.filter { $0.lowercased().contains(name.lowercased()) || name.lowercased().contains($0.lowercased()) }
            .prefix(3).map { "'\($0)'" }.joined(separator: " or ")
    }
}

extension RegressionResult {
    /// The Wald F test of a hypothesis written with term names (see `LinearHypothesis`).
    /// - Throws: `RegressionError.hypothesis`.
    public func wald(_ hypothesis: String) throws -> FTest {
        let parsed = try LinearHypothesis(hypothesis, terms: coefficients.map(\.term) + dropped)
        return try wald(parsed.restrictions, values: parsed.values)
    }
}
