import Foundation
import Testing
import LinearAlgebra
@testable import Optimization

/// The double-double path of nonlinear least squares: decimal data, exact literals, and the
/// errors it adds. NIST's certified values are checked in NISTTests.
@Suite("Nonlinear least squares: extended precision")
struct NLSExtendedPrecisionTests {
    @Test func decimalDataAndLiteralsAreTakenExactly() throws {
        // y = 0.1·x exactly in decimal: with x and y as decimal text and the literal 0.1, every
        // double-double residual at b = 1 is zero to ~1e-31, although 0.1, 0.3 and 0.7 are not
        // doubles (in double, 0.1·3 − 0.3 = 5.6e-17).
        let texts = ["x": ["1", "3", "7", "10"], "y": ["0.1", "0.3", "0.7", "1"]]
        let model = try NonlinearModel(formula: try ModelFormula("y ~ b*0.1*x"), decimalColumns: texts,
                                       start: try StartPoint([("b", 1)]))
        #expect(model.hasExtendedData)
        let residuals = try #require(model.extendedResiduals(at: [1]))
        #expect(residuals.allSatisfy { $0.hi.magnitude < 1e-31 }, "\(residuals)")
        let plain = model.residuals(at: [1])
        #expect(plain.contains { $0 != 0 })   // the double path does see the rounding
        let fit = try LevenbergMarquardt().fit(model)
        #expect(fit.estimates == [1] && fit.residualSumOfSquares < 1e-60 && fit.extendedPrecisionSteps != nil)
    }

    @Test func piIsExactInDoubleDouble() throws {
        // sin(pi·x) at x = 1 is 1.2e-16 in double (π is not a double) and ~1e-32 in double-double.
        let model = try NonlinearModel(formula: try ModelFormula("y ~ b*sin(pi*x)"),
                                       decimalColumns: ["x": ["1", "2"], "y": ["0", "0"]], start: try StartPoint([("b", 1)]))
        let r = try #require(model.extendedResiduals(at: [1]))
        #expect(r.allSatisfy { $0.hi.magnitude < 1e-30 } && model.residuals(at: [1])[0].magnitude > 1e-17)
    }

    @Test func badExtendedData() throws {
        let formula = try ModelFormula("y ~ b*x"), start = try StartPoint([("b", 1)])
        #expect(throws: NLSError.nonNumericColumn("x")) {
            try NonlinearModel(formula: formula, decimalColumns: ["x": ["1", "two"], "y": ["1", "2"]], start: start)
        }
        #expect(throws: NLSError.extendedDataMismatch(column: "x", row: 2)) {
            try NonlinearModel(formula: formula, columns: ["x": [1, 2], "y": [1, 2]], start: start,
                               extendedColumns: ["x": [DoubleDouble(1), DoubleDouble(2.5)]])
        }
        // A missing value (NaN) drops the row from both representations.
        let model = try NonlinearModel(formula: formula, decimalColumns: ["x": ["1", "NaN", "3"], "y": ["1", "2", "3"]],
                                       start: start)
        #expect(model.observations == 2 && model.droppedRows == 1 && model.extendedResiduals(at: [1])?.count == 2)
        // Without extended data the model has none and the fit reports no final stage.
        let plain = try NonlinearModel(formula: formula, columns: ["x": [1, 2, 3], "y": [1.1, 2, 2.9]], start: start)
        #expect(!plain.hasExtendedData && plain.extendedResiduals(at: [1]) == nil)
        #expect(try LevenbergMarquardt().fit(plain).extendedPrecisionSteps == nil)
    }
}
