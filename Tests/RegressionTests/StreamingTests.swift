import Foundation
import LinearAlgebra
import Tabular
import Testing
@testable import Regression

@Suite("Streaming OLS/WLS")
struct StreamingTests {
    static let path = SharedData.fixtures.appendingPathComponent("data/sim_cross.csv").path

    struct Case: Sendable, CustomTestStringConvertible {
        let vcov: String
        let weights: String?
        let chunk: Int
        var testDescription: String { "\(vcov)\(weights.map { " weights \($0)" } ?? "") chunk \(chunk)" }
    }

    static let cases: [Case] = ["iid", "hc0", "hc1", "hc2", "hc3", "cluster:firm", "cluster:firm,region"].flatMap { vcov in
        [Case(vcov: vcov, weights: nil, chunk: 97), Case(vcov: vcov, weights: "w", chunk: 250)]
    } + [Case(vcov: "hc1", weights: nil, chunk: 1), Case(vcov: "iid", weights: nil, chunk: 10_000)]

    @Test("coefficients and standard errors equal the in-memory fit to 1e-10", arguments: cases)
    func matchesInMemory(_ c: Case) throws {
        let formula = "y ~ x1 + x2 + x3 + g + x1:x3"
        let options = RegressionOptions(vcov: try VarianceType(parsing: c.vcov))
        let table = try CSVReader.read(path: StreamingTests.path)
        let memory = try LinearRegression.fit(table: table, formula: formula, weights: c.weights, options: options)
        let streamed = try StreamingRegression.fit(path: StreamingTests.path, formula: formula, weights: c.weights,
                                                   options: options, rowsPerChunk: c.chunk)
        #expect(streamed.coefficients.map(\.term) == memory.coefficients.map(\.term))
        #expect(streamed.nobs == memory.nobs && streamed.dfResidual == memory.dfResidual && streamed.inferenceDF == memory.inferenceDF)
        for (s, m) in zip(streamed.coefficients, memory.coefficients) {
            #expect(close(s.estimate, m.estimate, relative: 1e-10), "\(s.term) estimate \(s.estimate) vs \(m.estimate)")
            #expect(close(s.stdError, m.stdError, relative: 1e-10), "\(s.term) se \(s.stdError) vs \(m.stdError)")
        }
        #expect(close(streamed.rSquared, memory.rSquared, relative: 1e-10))
        #expect(close(streamed.sigma, memory.sigma, relative: 1e-10))
    }

    @Test("a factor level first seen in a later chunk is coded like the in-memory fit")
    func lateLevels() throws {
        // Sorted by g, so the first chunks hold only level A and the later ones B, C, D.
        let table = try CSVReader.read(path: StreamingTests.path)
        let g = try table.column(named: "g")
        let order = (0..<table.rowCount).sorted { (g.text(at: $0) ?? "", $0) < (g.text(at: $1) ?? "", $1) }
        let sorted = table.selecting(rows: order)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("policylab-stream-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        var lines = ["y,x1,g"]
        let y = try sorted.column(named: "y"), x1 = try sorted.column(named: "x1"), gs = try sorted.column(named: "g")
        for i in 0..<sorted.rowCount { lines.append("\(y.text(at: i) ?? ""),\(x1.text(at: i) ?? ""),\(gs.text(at: i) ?? "")") }
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        let memory = try LinearRegression.fit(table: try CSVReader.read(path: url.path), formula: "y ~ x1 + g")
        let streamed = try StreamingRegression.fit(path: url.path, formula: "y ~ x1 + g", rowsPerChunk: 50)
        #expect(streamed.coefficients.map(\.term) == ["(Intercept)", "x1", "gB", "gC", "gD"])
        for (s, m) in zip(streamed.coefficients, memory.coefficients) {
            #expect(close(s.estimate, m.estimate, relative: 1e-10), "\(s.term)")
        }
    }

    @Test("fixed effects, instruments and Newey–West are refused with a clear error")
    func refusals() throws {
        #expect(throws: RegressionError.self) { try StreamingRegression.fit(path: StreamingTests.path, formula: "y ~ x1 | firm") }
        #expect(throws: RegressionError.self) { try StreamingRegression.fit(path: StreamingTests.path, formula: "y ~ x1 | d ~ z1") }
        #expect(throws: RegressionError.self) {
            try StreamingRegression.fit(path: StreamingTests.path, formula: "y ~ x1", options: RegressionOptions(vcov: .neweyWest(lag: 2)))
        }
    }
}
