import Foundation
import LinearAlgebra
import Tabular
import Testing
@testable import Regression

/// Every bad input of issue 4 item 8 has a defined, typed outcome whose message names the
/// condition — never a crash, never silent garbage.
@Suite("Bad input")
struct BadInputTests {
    func table(_ csv: String) throws -> Table { try CSVReader.read(bytes: Array(csv.utf8), name: "test.csv") }

    func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch { return "\(error)" }
    }

    @Test("a non-finite value in arrays names y or the first bad column and its first bad row, for any thread count")
    func nonFiniteArrays() throws {
        // 40 rows (two 16-value SIMD blocks and a tail); columns 2 and 3 are bad, column 2 first at row 37.
        var x = Matrix(rows: 40, columns: 4) { i, j in Double(i * 4 + j) }
        x[36, 1] = .infinity
        x[39, 1] = .nan
        x[2, 2] = -.infinity
        var y = (0..<40).map(Double.init)
        for threads in [1, 2, 3, 8] {
            let m = message { _ = try RegressionData(x: x, y: y, parallelism: Parallelism(threads: threads)) }
            #expect(m?.contains("column 2 of X (x2) has a non-finite value (inf) at row 37") == true, "\(threads) threads: \(m ?? "no error")")
        }
        y[17] = .nan
        let m = message { _ = try RegressionData(x: x, y: y, parallelism: Parallelism(threads: 2)) }
        #expect(m?.contains("y has a non-finite value (nan) at row 18") == true, "\(m ?? "no error")")
        x[36, 1] = 0
        x[39, 1] = 0
        x[2, 2] = 0
        y[17] = 0
        #expect(message { _ = try RegressionData(x: x, y: y, parallelism: Parallelism(threads: 2)) } == nil)
    }

    @Test("a design whose every regressor is zero is an error; an aliased column is dropped and reported")
    func singular() throws {
        let t = try table("y,zero,x,x2\n1,0,1,2\n2,0,2,4\n4,0,3,6\n3,0,4,8\n")
        let m = message { _ = try LinearRegression.fit(table: t, formula: "y ~ 0 + zero") }
        #expect(m?.contains("every regressor is zero or aliased") == true, "\(m ?? "no error")")
        let fit = try LinearRegression.fit(table: t, formula: "y ~ x + x2")
        #expect(fit.dropped == ["x2"])
        #expect(fit.coefficients.map(\.term) == ["(Intercept)", "x"])
    }

    @Test("all rows dropped for missing values names the cause")
    func allMissing() throws {
        let t = try table("y,x\n1,NA\nNA,2\n3,.\n")
        let m = message { _ = try LinearRegression.fit(table: t, formula: "y ~ x") }
        #expect(m != nil)
        #expect(m?.lowercased().contains("complete") == true || m?.lowercased().contains("missing") == true, "\(m ?? "")")
    }

    @Test("a cluster variable with one level is a variance error")
    func oneCluster() throws {
        let t = try table("y,x,c\n1,1,a\n2,3,a\n4,2,a\n3,5,a\n")
        let m = message { _ = try LinearRegression.fit(table: t, formula: "y ~ x", options: RegressionOptions(vcov: .cluster(["c"]))) }
        #expect(m?.contains("'c' has 1 level") == true, "\(m ?? "no error")")
    }

    @Test("fewer observations than coefficients is an error, not a fit with zero degrees of freedom")
    func tooFewRows() throws {
        let t = try table("y,a,b,c\n1,1,5,2\n2,3,1,7\n4,2,2,1\n")
        let m = message { _ = try LinearRegression.fit(table: t, formula: "y ~ a + b + c") }
        #expect(m?.contains("at least one more observation than parameters") == true, "\(m ?? "no error")")
    }

    @Test("fewer instruments than endogenous regressors is an error naming both counts")
    func tooFewInstruments() throws {
        let t = try table("y,x,d1,d2,z\n1,1,5,2,1\n2,3,1,7,2\n4,2,2,1,3\n5,4,4,2,1\n6,1,2,3,5\n")
        let m = message { _ = try LinearRegression.fit(table: t, formula: "y ~ x | d1 + d2 ~ z") }
        #expect(m?.contains("2 endogenous columns need at least as many instruments, got 1") == true, "\(m ?? "no error")")
    }

    @Test("fixed effects that do not converge within the budget are an error with the numbers")
    func feNotConverged() throws {
        let data = try SyntheticData.table(rows: 3_000, regressors: 2, firms: 200, years: 30)
        var options = RegressionOptions()
        options.fixedEffects.maxIterations = 2
        let m = message { _ = try LinearRegression.fit(table: data, formula: "y ~ x1 | firm + year", options: options) }
        #expect(m?.contains("did not converge") == true, "\(m ?? "no error")")
    }

    @Test("an observation with leverage 1 makes HC2/HC3 an error but not HC1")
    func leverageOne() throws {
        let t = try table("y,x,only\n1,1,0\n2,3,0\n4,2,0\n3,5,1\n5,4,0\n")
        #expect(throws: RegressionError.self) {
            _ = try LinearRegression.fit(table: t, formula: "y ~ x + only", options: RegressionOptions(vcov: .hc3))
        }
        _ = try LinearRegression.fit(table: t, formula: "y ~ x + only", options: RegressionOptions(vcov: .hc1))
    }

    @Test("infinite values are an error naming the term; NaN tokens are missing values")
    func nonFinite() throws {
        let t = try table("y,x\n1,1\n2,inf\n4,2\n3,5\n5,4\n")
        #expect(message { _ = try LinearRegression.fit(table: t, formula: "y ~ x") } != nil)
        let nan = try table("y,x\n1,1\n2,NaN\n4,2\n3,5\n5,4\n")
        let fit = try LinearRegression.fit(table: nan, formula: "y ~ x")
        #expect(fit.nobs == 4 && fit.droppedRows == 1)
    }

    @Test("variance names, options and hypotheses are checked", arguments: ["hc4", "cluster:", "nw:-1", "nw:x", "cluster:a,a", ""])
    func badVarianceNames(_ text: String) {
        #expect(throws: RegressionError.self) { _ = try VarianceType(parsing: text) }
    }

    /// Found by review: `nw:100000000000` looped over every lag up to L (hung on 600 rows);
    /// lags from n on add nothing, so the meat is the same as at L = n − 1 weights aside. The
    /// resulting t values (10⁵) ran into the standard-error column of the text table.
    @Test("a Newey–West lag far beyond n is quick, and wide numbers keep their columns apart")
    func hugeNeweyWestLag() throws {
        let rows = (1...40).map { i in "\(Double(i % 7) + 0.1 * Double(i)),\(Double(i))" }
        let t = try table("y,x\n" + rows.joined(separator: "\n") + "\n")
        let huge = try LinearRegression.fit(table: t, formula: "y ~ x", options: RegressionOptions(vcov: .neweyWest(lag: 100_000_000_000)))
        #expect(huge.vcov == "nw:100000000000")
        #expect(huge.coefficients.allSatisfy { $0.stdError.isFinite })
        for line in huge.summaryText.split(separator: "\n") where line.hasPrefix("x ") || line.hasPrefix("(Intercept)") {
            let fields = line.split(separator: " ")
            #expect(fields.count >= 5, "columns ran together: \(line)")
        }
        // At L = n − 1 and above, only the Bartlett weights differ: the same lags are summed.
        let last = try LinearRegression.fit(table: t, formula: "y ~ x", options: RegressionOptions(vcov: .neweyWest(lag: 39)))
        let beyond = try LinearRegression.fit(table: t, formula: "y ~ x", options: RegressionOptions(vcov: .neweyWest(lag: 40)))
        #expect(last.coefficients.map(\.stdError) != beyond.coefficients.map(\.stdError))
        #expect(zip(last.coefficients, beyond.coefficients).allSatisfy { abs($0.stdError / $1.stdError - 1) < 0.5 })
    }

    @Test("option ranges and hypotheses give typed errors")
    func optionsAndHypotheses() throws {
        let t = try table("y,x,x2\n1,1,2\n2,3,6\n4,2,4\n3,5,10\n5,4,9\n")
        #expect(throws: RegressionError.self) {
            _ = try LinearRegression.fit(table: t, formula: "y ~ x", options: RegressionOptions(confidenceLevel: 1.5))
        }
        let fit = try LinearRegression.fit(table: t, formula: "y ~ x + x2")
        #expect(throws: RegressionError.self) { _ = try fit.wald([["nope": 1]]) }
        #expect(throws: RegressionError.self) { _ = try fit.wald([["x": 1], ["x": 2]]) }   // redundant rows
        let test = try fit.wald([["x": 1, "x2": -1]])
        #expect(test.df1 == 1 && test.statistic.isFinite)
    }

    @Test("zero weights leave rows out of the fit and its degrees of freedom, as R does")
    func zeroWeights() throws {
        let t = try table("y,x,w\n1,1,1\n2,3,0\n4,2,2\n3,5,1\n5,4,1\n7,6,0\n")
        let fit = try LinearRegression.fit(table: t, formula: "y ~ x", weights: "w")
        #expect(fit.nobs == 4 && fit.dfResidual == 2)
    }
}
