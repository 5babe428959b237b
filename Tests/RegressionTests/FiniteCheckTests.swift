import Foundation
import LinearAlgebra
import Tabular
import Testing
@testable import Regression

/// `RegressionData.FiniteCheck.byFit`: the fit, not construction, rejects NaN and ±∞ — with
/// construction's messages — and gives the bits of a fit on data checked on construction.
@Suite("Finite checks left to the fit")
struct FiniteCheckTests {
    func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch { return "\(error)" }
    }

    /// n × k: an intercept and k − 1 deterministic pseudo-normal columns; y = X·β + noise.
    static func data(rows n: Int, columns k: Int) -> (x: Matrix, y: [Double]) {
        var g = SyntheticData.Generator(state: 2_024)
        let x = Matrix(rows: n, columns: k) { _, j in j == 0 ? 1 : g.normal() }
        let y = (0..<n).map { i in (0..<k).reduce(0.0) { $0 + x[i, $1] * Double($1 % 3 + 1) } + (0.5 + abs(x[i, 1])) * g.normal() }
        return (x, y)
    }

    /// The fit of `.byFit` data, or its error message.
    func fitMessage(x: Matrix, y: [Double], weights: [Double]? = nil, threads: Int = 2,
                    vcov: VarianceType = .hc1, strategy: SolveStrategy = .automatic) -> String? {
        message {
            let parallelism = Parallelism(threads: threads)
            let data = try RegressionData(x: x, y: y, weights: weights, parallelism: parallelism, finiteCheck: .byFit)
            var options = RegressionOptions(vcov: vcov, parallelism: parallelism)
            options.solve.strategy = strategy
            _ = try LinearRegression.fit(data, options: options)
        }
    }

    /// The error of `.onConstruction` (construction, else the fit).
    func eagerMessage(x: Matrix, y: [Double], weights: [Double]? = nil) -> String? {
        message {
            let data = try RegressionData(x: x, y: y, weights: weights, parallelism: Parallelism(threads: 2))
            _ = try LinearRegression.fit(data, options: RegressionOptions(vcov: .hc1, parallelism: Parallelism(threads: 2)))
        }
    }

    @Test("NaN and ±∞ in X or y: the fit throws construction's message (column, value, row) on any thread count, solver, weights")
    func nonFinite() {
        let (clean, cleanY) = Self.data(rows: 5_000, columns: 6)
        var cases: [(x: Matrix, y: [Double], expected: String)] = []
        var x = clean
        x[4_321, 3] = .nan
        cases.append((x, cleanY, "column 4 of X (x4) has a non-finite value (nan) at row 4322"))
        x[17, 5] = -.infinity                        // a later column: column 4 is still named first
        cases.append((x, cleanY, "column 4 of X (x4) has a non-finite value (nan) at row 4322"))
        x = clean
        x[0, 0] = .infinity                          // the intercept column, first row
        cases.append((x, cleanY, "column 1 of X (x1) has a non-finite value (inf) at row 1"))
        var y = cleanY
        y[2_047] = .nan                              // the last row of the first 2,048-row block
        cases.append((clean, y, "y has a non-finite value (nan) at row 2048"))
        y[2_047] = -.infinity
        cases.append((x, y, "y has a non-finite value (-inf) at row 2048"))   // y is named before X, as on construction
        for (x, y, expected) in cases {
            let eager = eagerMessage(x: x, y: y)
            #expect(eager?.contains(expected) == true, "\(eager ?? "no error")")
            for threads in [1, 2, 3, 8] {
                let m = fitMessage(x: x, y: y, threads: threads)
                #expect(m == eager, "\(threads) threads: \(m ?? "no error") vs \(eager ?? "no error")")
            }
            #expect(fitMessage(x: x, y: y, strategy: .qr) == eager)
            #expect(fitMessage(x: x, y: y, vcov: .iid) == eager)
            // Weighted fits scan before fitting — even when the bad row has weight 0 and would be left out.
            var w = [Double](repeating: 1, count: x.rows)
            w[4_321] = 0
            w[2_047] = 0
            #expect(fitMessage(x: x, y: y, weights: w) == eagerMessage(x: x, y: y, weights: w))
            #expect(fitMessage(x: x, y: y, weights: w)?.contains(expected) == true)
        }
    }

    @Test("huge finite values: X names the column whose squares overflow, y and the weights give an overflow error, never NaN results")
    func hugeValues() {
        let (clean, cleanY) = Self.data(rows: 3_000, columns: 5)
        var x = clean
        x[1_234, 2] = 1e200
        let fused = fitMessage(x: x, y: cleanY)
        #expect(fused?.contains("column 3 of X (x3) has values too large to square (1e+200 at row 1235): XᵀX overflows; rescale the data") == true,
                "\(fused ?? "no error")")
        let eager = eagerMessage(x: x, y: cleanY)
        #expect(eager?.contains("XᵀX overflows") == true, "\(eager ?? "no error")")

        var y = cleanY
        y[99] = -1e200
        for m in [fitMessage(x: clean, y: y), eagerMessage(x: clean, y: y), fitMessage(x: clean, y: y, threads: 1)] {
            #expect(m?.contains("the sums of squares of y overflow (y is -1e+200 at row 100): rescale the response") == true, "\(m ?? "no error")")
        }

        // Weights of 1e200 everywhere: the scores' squares overflow, so the HC1 meat would be ∞.
        let w = [Double](repeating: 1e200, count: clean.rows)
        let weighted = fitMessage(x: clean, y: cleanY, weights: w)
        #expect(weighted?.contains("the covariance matrix overflows") == true, "\(weighted ?? "no error")")
        #expect(weighted == eagerMessage(x: clean, y: cleanY, weights: w))
    }

    @Test("one weight of 1e200 is a valid (if extreme) fit: finite, the same bits either way")
    func oneHugeWeight() throws {
        let (x, y) = Self.data(rows: 3_000, columns: 5)
        var w = [Double](repeating: 1, count: x.rows)
        w[7] = 1e200
        var outputs: [String] = []
        for check in [RegressionData.FiniteCheck.onConstruction, .byFit] {
            let result = try LinearRegression.fit(try RegressionData(x: x, y: y, weights: w, finiteCheck: check),
                                                  options: RegressionOptions(vcov: .hc1))
            #expect(result.coefficients.allSatisfy { $0.estimate.isFinite && $0.stdError.isFinite })
            outputs.append(try result.json())
        }
        #expect(outputs[0] == outputs[1])
    }

    @Test("NaN, ±∞ and negative weights are rejected on construction whichever check is chosen")
    func badWeights() {
        let (x, y) = Self.data(rows: 100, columns: 3)
        for bad in [Double.nan, .infinity, -.infinity, -1] {
            var w = [Double](repeating: 1, count: 100)
            w[41] = bad
            for check in [RegressionData.FiniteCheck.onConstruction, .byFit] {
                let m = message { _ = try RegressionData(x: x, y: y, weights: w, finiteCheck: check) }
                #expect(m?.contains("weight \(bad) at row 42 is not a finite non-negative number") == true, "\(m ?? "no error")")
            }
        }
    }

    @Test("fixed effects and instruments set on .byFit data are scanned before the fit")
    func otherPaths() throws {
        let (clean, y) = Self.data(rows: 400, columns: 3)
        var x = clean
        x[399, 1] = .nan
        var data = try RegressionData(x: x, y: y, finiteCheck: .byFit)
        data.fixedEffects = [GroupCodes(name: "g", codes: (0..<400).map { $0 % 7 }, levels: (0..<7).map(String.init))]
        let m = message { _ = try LinearRegression.fit(data) }
        #expect(m?.contains("column 2 of X (x2) has a non-finite value (nan) at row 400") == true, "\(m ?? "no error")")
    }

    @Test(".byFit gives the bits of .onConstruction, on 1, 2, 3 and 8 threads, for OLS with HC1 (fused meat), HC3 and iid, and WLS")
    func sameBits() throws {
        // 10,000 × 20: five 2,048-row blocks, the last one short.
        let (x, y) = Self.data(rows: 10_000, columns: 20)
        let w = (0..<10_000).map { 0.5 + Double($0 % 7) / 4 }
        for (vcov, weights) in [(VarianceType.hc1, nil), (.hc3, nil), (.iid, nil), (.hc1, w)] as [(VarianceType, [Double]?)] {
            var reference: String?
            for threads in [1, 2, 3, 8] {
                for check in [RegressionData.FiniteCheck.onConstruction, .byFit] {
                    let parallelism = Parallelism(threads: threads)
                    let data = try RegressionData(x: x, y: y, weights: weights, parallelism: parallelism, finiteCheck: check)
                    let result = try LinearRegression.fit(data, options: RegressionOptions(vcov: vcov, parallelism: parallelism))
                    let json = try result.json()
                    if let reference {
                        #expect(json == reference, "\(vcov) weights: \(weights != nil), \(threads) threads, \(check)")
                    } else {
                        reference = json
                    }
                }
            }
        }
    }
}
