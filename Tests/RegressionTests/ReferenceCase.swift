import Foundation
import LinearAlgebra
import Tabular
import Testing
@testable import Regression

/// One committed reference result (Tests/RegressionTests/Fixtures/reference/*.json, made by
/// scripts/reference/regression.R and regression_fe.py; see scripts/reference/README.md).
struct ReferenceCase: Decodable, Sendable, CustomTestStringConvertible {
    struct FValue: Decodable, Sendable { let value: Double; let df1: Int; let df2: Int; let p_value: Double }
    struct Wald: Decodable, Sendable { let R: [[Double]]; let r: [Double]; let statistic: Double; let df1: Int; let df2: Int; let p_value: Double }

    private(set) var file: String
    let name: String
    let data: String
    let model: String
    let formula: String
    let weights: String?
    let vcov: String
    let tool: String
    let nobs: Int?
    let df_residual: Int?
    let inference_df: Int?
    let r_squared: Double?
    let adj_r_squared: Double?
    let within_r_squared: Double?
    let sigma: Double?
    let f_statistic: FValue?
    let terms: [String]
    let estimate: [Double]
    let std_error: [Double]?
    let p_value: [Double]?
    let conf_low: [Double]?
    let conf_high: [Double]?
    let vcov_matrix: [[Double]]?
    let dropped: [String]?
    let nw_lag: Int?
    let first_stage_f: [String: [String: FValue]]?
    let wald: Wald?
    let singletons_removed: Int?
    struct WeakIdentification: Decodable, Sendable { let vcov: String; let cragg_donald_f: Double; let rk_wald_f: Double? }
    let weak_identification: WeakIdentification?

    var testDescription: String { "\(file):\(name)" }

    enum CodingKeys: String, CodingKey {
        case name, data, model, formula, weights, vcov, tool, nobs, df_residual, inference_df, r_squared, adj_r_squared,
             within_r_squared, sigma, f_statistic, terms, estimate, std_error, p_value, conf_low, conf_high, vcov_matrix,
             dropped, nw_lag, first_stage_f, wald, singletons_removed, weak_identification
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        file = ""
        name = try c.decode(String.self, forKey: .name)
        data = try c.decode(String.self, forKey: .data)
        model = try c.decode(String.self, forKey: .model)
        formula = try c.decode(String.self, forKey: .formula)
        weights = try c.decodeIfPresent(String.self, forKey: .weights)
        vcov = try c.decode(String.self, forKey: .vcov)
        tool = try c.decode(String.self, forKey: .tool)
        nobs = try c.decodeIfPresent(Int.self, forKey: .nobs)
        df_residual = try c.decodeIfPresent(Int.self, forKey: .df_residual)
        inference_df = try c.decodeIfPresent(Int.self, forKey: .inference_df)
        r_squared = try? c.decodeIfPresent(Double.self, forKey: .r_squared)
        adj_r_squared = try? c.decodeIfPresent(Double.self, forKey: .adj_r_squared)
        within_r_squared = try? c.decodeIfPresent(Double.self, forKey: .within_r_squared)
        sigma = try? c.decodeIfPresent(Double.self, forKey: .sigma)
        f_statistic = try? c.decodeIfPresent(FValue.self, forKey: .f_statistic)
        terms = try c.decode([String].self, forKey: .terms)
        estimate = try c.decode([Double].self, forKey: .estimate)
        std_error = try c.decodeIfPresent([Double].self, forKey: .std_error)
        p_value = try? c.decodeIfPresent([Double].self, forKey: .p_value)
        conf_low = try? c.decodeIfPresent([Double].self, forKey: .conf_low)
        conf_high = try? c.decodeIfPresent([Double].self, forKey: .conf_high)
        vcov_matrix = try? c.decodeIfPresent([[Double]].self, forKey: .vcov_matrix)
        dropped = try c.decodeIfPresent([String].self, forKey: .dropped)
        nw_lag = try c.decodeIfPresent(Int.self, forKey: .nw_lag)
        first_stage_f = try? c.decodeIfPresent([String: [String: FValue]].self, forKey: .first_stage_f)
        wald = try? c.decodeIfPresent(Wald.self, forKey: .wald)
        singletons_removed = try c.decodeIfPresent(Int.self, forKey: .singletons_removed)
        weak_identification = try c.decodeIfPresent(WeakIdentification.self, forKey: .weak_identification)
    }

    private init(copying other: ReferenceCase, file: String) {
        self = other
        self.file = file
    }

    static func load(_ file: String) throws -> [ReferenceCase] {
        struct Document: Decodable { let cases: [ReferenceCase] }
        let url = SharedData.fixtures.appendingPathComponent("reference/\(file).json")
        return try JSONDecoder().decode(Document.self, from: Data(contentsOf: url)).cases.map { ReferenceCase(copying: $0, file: file) }
    }

    static func loadAll(_ files: [String], where include: (ReferenceCase) -> Bool) -> [ReferenceCase] {
        files.flatMap { (try? load($0)) ?? [] }.filter(include)
    }

    /// The table of `data`, read by Tabular's CSV reader.
    func table() throws -> Table {
        try CSVReader.read(path: SharedData.fixtures.appendingPathComponent("data/\(data)").path)
    }
}

/// |a − b| ≤ tolerance·max(|b|, floor).
func close(_ a: Double, _ b: Double, relative tolerance: Double, floor: Double = 0) -> Bool {
    Swift.abs(a - b) <= tolerance * Swift.max(Swift.abs(b), floor)
}
