import Foundation

/// What `policylab design` reports about a design: the terms (named as R's `model.matrix`
/// names them), the dimensions of X, the rows dropped for missing values, and the
/// fixed-effect, cluster, weight and instrument parts.
public struct DesignSummary: Sendable, Codable, Equatable {
    /// A grouping variable (fixed effect or cluster) and its number of levels.
    public struct Grouping: Sendable, Codable, Equatable {
        public let name: String
        public let levels: Int
    }

    public let formula: String
    public let response: String
    /// Columns of X, in order.
    public let terms: [String]
    public let rows: Int
    public let columns: Int
    public let droppedRows: Int
    public let intercept: Bool
    public let weights: String?
    public let clusters: [Grouping]
    public let fixedEffects: [Grouping]
    public let endogenous: [String]
    public let instruments: [String]

    /// Summarizes `design`; `weights` is the weight column's name, if any.
    public init(_ design: DesignMatrix, weights: String?) {
        formula = design.formula.description
        response = design.responseName
        terms = design.columnNames
        rows = design.x.rows
        columns = design.x.columns
        droppedRows = design.droppedRowCount
        intercept = design.hasIntercept
        self.weights = weights
        clusters = design.clusters.map { Grouping(name: $0.name, levels: $0.count) }
        fixedEffects = design.fixedEffects.map { Grouping(name: $0.name, levels: $0.count) }
        endogenous = design.endogenousNames
        instruments = design.instrumentNames
    }

    /// A short text report.
    public var text: String {
        var lines = ["formula:   \(formula)", "response:  \(response)",
                     "X:         \(rows) × \(columns)\(intercept ? " (with intercept)" : "")",
                     "dropped:   \(droppedRows) row\(droppedRows == 1 ? "" : "s") with missing values",
                     "terms:     " + terms.joined(separator: ", ")]
        if let weights { lines.append("weights:   \(weights)") }
        if !fixedEffects.isEmpty {
            lines.append("fixed effects: " + fixedEffects.map { "\($0.name) (\($0.levels) levels)" }.joined(separator: ", "))
        }
        if !clusters.isEmpty {
            lines.append("clusters:  " + clusters.map { "\($0.name) (\($0.levels) clusters)" }.joined(separator: ", "))
        }
        if !endogenous.isEmpty {
            lines.append("endogenous:  " + endogenous.joined(separator: ", "))
            lines.append("instruments: " + instruments.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    /// Pretty-printed JSON with sorted keys (byte-stable).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
