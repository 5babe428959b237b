import Foundation
import LinearAlgebra
import Tabular
import Testing
@testable import Regression

@Suite("Deterministic for any thread count")
struct DeterminismTests {
    static let table = try? SyntheticData.table(rows: 20_000, regressors: 12, firms: 150)

    @Test("OLS, WLS, 2SLS and two-way fixed effects give the same bits on 1, 2, 3 and 8 threads",
          arguments: ["y ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11 + x12",
                      "y ~ x1 + x2 + x3 | firm + year",
                      "y ~ x1 + x2 | d ~ z",
                      "y ~ x1 + x2 | firm + year | d ~ z"])
    func sameBits(formula: String) throws {
        let table = try #require(DeterminismTests.table)
        for vcov in ["hc1", "hc3", "cluster:firm", "cluster:firm,year"] {
            var reference: String?
            for threads in [1, 2, 3, 8] {
                let options = RegressionOptions(vcov: try VarianceType(parsing: vcov), parallelism: Parallelism(threads: threads))
                let result = try LinearRegression.fit(table: table, formula: formula, weights: "w", options: options)
                let json = try result.json()
                if let reference { #expect(json == reference, "\(formula) \(vcov) differs on \(threads) threads") } else { reference = json }
            }
        }
    }

    @Test("the Cholesky and QR paths agree on well-conditioned data to 1e-12")
    func pathsAgree() throws {
        let table = try #require(DeterminismTests.table)
        let formula = "y ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11 + x12"
        let fast = try LinearRegression.fit(table: table, formula: formula, options: RegressionOptions(vcov: .hc1))
        var qrOptions = RegressionOptions(vcov: .hc1)
        qrOptions.solve.strategy = .qr
        let qr = try LinearRegression.fit(table: table, formula: formula, options: qrOptions)
        #expect(fast.solver == "cholesky" && qr.solver == "pivoted-qr")
        for (a, b) in zip(fast.coefficients, qr.coefficients) {
            #expect(close(a.estimate, b.estimate, relative: 1e-12, floor: 1e-3), "\(a.term)")
            #expect(close(a.stdError, b.stdError, relative: 1e-12), "\(a.term)")
        }
    }
}
