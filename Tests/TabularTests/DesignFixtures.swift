import Foundation
import Testing
@testable import Tabular

/// Test-only readers for the design fixtures: a tiny CSV parser (comma-separated, no
/// quotes, `NA` for missing, column types given) — the real CSV reader is tested elsewhere —
/// and the JSON that scripts/reference/model_matrix.R writes.
enum DesignFixtures {
    static let householdTypes: [String: ColumnType] = [
        "y": .double, "x1": .double, "x2": .double, "g": .categorical, "size": .int,
        "urban": .bool, "w": .double, "village": .int, "district": .int, "year": .int,
    ]

    static func url(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures/design"))
    }

    /// households.csv as a Table.
    static func households() throws -> Table {
        let text = try String(contentsOf: try url("households.csv"), encoding: .utf8)
        return try table(csv: text, types: householdTypes)
    }

    /// A table from simple CSV text with the given column types (names not listed: double).
    static func table(csv text: String, types: [String: ColumnType]) throws -> Table {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) else {
            return try Table(columns: [])
        }
        let cells = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return try Table(columns: header.enumerated().map { j, name in
            let raw = cells.map { $0[j] }
            let valid = ValidityMask(raw.map { $0 != "NA" })
            switch types[name] ?? .double {
            case .double: return try Column(name: name, values: .double(raw.map { Double($0) ?? 0 }), validity: valid)
            case .int: return try Column(name: name, values: .int(raw.map { Int($0) ?? 0 }), validity: valid)
            case .bool: return try Column(name: name, values: .bool(raw.map { $0 == "TRUE" }), validity: valid)
            case .categorical:
                var levels: [String] = []
                let codes = raw.map { v -> Int32 in
                    if v == "NA" { return 0 }
                    if let k = levels.firstIndex(of: v) { return Int32(k) }
                    levels.append(v)
                    return Int32(levels.count - 1)
                }
                return try Column(name: name, values: .categorical(codes: codes, levels: levels), validity: valid)
            }
        })
    }
}

/// One formula of model_matrix.json, as R's model.matrix computed it.
struct ReferenceCase: Decodable, Sendable, CustomTestStringConvertible {
    let id: String
    let formula: String
    let rFormula: String
    let weights: String?
    let rows: [Int]
    let response: [String]
    let weightValues: [String]
    let assign: [Int]
    let names: [String]
    let columns: [[String]]

    enum CodingKeys: String, CodingKey {
        case id, formula, weights, rows, response, assign, names, columns
        case rFormula = "r_formula", weightValues = "weight_values"
    }

    var testDescription: String { "\(id): \(formula)" }

    struct File: Decodable {
        let rVersion: String
        let cases: [ReferenceCase]
        enum CodingKeys: String, CodingKey { case cases, rVersion = "r_version" }
    }

    static func load() throws -> File {
        try JSONDecoder().decode(File.self, from: Data(contentsOf: try DesignFixtures.url("model_matrix.json")))
    }

    /// All cases, or none when the file cannot be read (then `fixtureLoads` fails).
    static let all: [ReferenceCase] = (try? load().cases) ?? []
}

/// `a` equals the reference text `b` to 1e-12 relative (exactly when `b` is 0).
func closeTo(_ a: Double, _ b: String) -> Bool {
    guard let expected = Double(b) else { return false }
    return a == expected || abs(a - expected) <= 1e-12 * abs(expected)
}
