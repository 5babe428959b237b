import Foundation
import Testing
import LinearAlgebra
@testable import Optimization

@Suite("Nonlinear least squares: determinism and reports")
struct NLSDeterminismTests {
    /// 5 000 rows of y = 3(1 − e^{−0.4x}) + noise, cut into 37-row chunks.
    static func model() throws -> NonlinearModel {
        var state: UInt64 = 42
        func noise() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53) - 0.5
        }
        let x = (0..<5_000).map { Double($0) / 500 }
        let y = x.map { 3 * (1 - Foundation.exp(-0.4 * $0)) + 0.05 * noise() }
        var m = try NonlinearModel(formula: try ModelFormula("y ~ b1*(1-exp(-b2*x))"), columns: ["x": x, "y": y],
                                   start: try StartPoint(parsing: "b1=1,b2=1"))
        m.chunkSize = 37
        return m
    }

    @Test func resultsAreBitwiseEqualFor1To3Threads() throws {
        let m = try Self.model()
        var fits: [NonlinearLeastSquaresFit] = []
        for threads in 1...3 {
            var solver = LevenbergMarquardt()
            solver.parallelism = Parallelism(threads: threads)
            fits.append(try solver.fit(m))
        }
        for fit in fits.dropFirst() {
            #expect(fit.estimates.map(\.bitPattern) == fits[0].estimates.map(\.bitPattern))
            #expect(fit.standardErrors?.map(\.bitPattern) == fits[0].standardErrors?.map(\.bitPattern))
            #expect(fit.residualSumOfSquares.bitPattern == fits[0].residualSumOfSquares.bitPattern)
            #expect(fit.iterations == fits[0].iterations && fit.evaluations == fits[0].evaluations)
        }
        #expect(fits[0].converged)
        #expect(Swift.abs(fits[0].estimates[0] - 3) < 0.01)
        let (r1, j1) = m.residualsAndJacobian(at: [2, 0.5], parallelism: .serial)
        let (r3, j3) = m.residualsAndJacobian(at: [2, 0.5], parallelism: Parallelism(threads: 3))
        #expect(r1.map(\.bitPattern) == r3.map(\.bitPattern))
        #expect(j1.storage.map(\.bitPattern) == j3.storage.map(\.bitPattern))
    }

    @Test func jsonReportHasTheDocumentedShape() throws {
        let fit = try LevenbergMarquardt().fit(try Self.model())
        let json = try NLSReport(fit).json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["parameters", "rss", "residual_sd", "df", "iterations", "evaluations", "converged", "message"])
        let parameters = try #require(object["parameters"] as? [[String: Any]])
        #expect(parameters.map { $0["term"] as? String } == ["b1", "b2"])
        #expect(parameters[0]["estimate"] as? Double == fit.estimates[0])
        #expect(parameters[1]["std_error"] as? Double == fit.standardErrors?[1])
        #expect(object["df"] as? Int == 4_998)
        #expect(object["converged"] as? Bool == true)
        #expect((object["message"] as? String)?.hasPrefix("converged") == true)
        let decoded = try JSONDecoder().decode(NLSReport.self, from: Data(json.utf8))
        #expect(decoded == NLSReport(fit))
        #expect(NLSReport(fit).text.contains("residual sum of squares"))
    }

    @Test func undefinedStandardErrorsEncodeAsNull() throws {
        // Two parameters that only enter as a product are not identified: J has rank 1.
        let m = try NonlinearModel(formula: try ModelFormula("y ~ a*b*x"), columns: ["x": [1, 2, 3], "y": [2, 4.1, 5.9]],
                                   start: try StartPoint(parsing: "a=1,b=1"))
        let fit = try LevenbergMarquardt().fit(m)
        #expect(fit.standardErrors == nil)
        #expect(fit.rank == 1)
        #expect(fit.message.contains("rank 1 < 2"))
        let json = try NLSReport(fit).json()
        #expect(!json.contains("std_error\":0"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let parameters = try #require(object["parameters"] as? [[String: Any]])
        #expect(parameters.allSatisfy { $0["std_error"] == nil || $0["std_error"] is NSNull })
    }
}
