import Foundation
import Testing
@testable import Optimization

/// All 27 NIST StRD nonlinear regression problems from both certified start points (54 runs):
/// estimates, standard errors and the residual sum of squares against the certified values
/// (https://www.itl.nist.gov/div898/strd/nls/nls_main.shtml), scored by the log relative error.
@Suite("NIST StRD nonlinear least squares")
struct NISTTests {
    struct Run {
        let problem: String
        let start: Int
        let lreParameters: Double
        let lreSE: Double
        let lreRSS: Double
        let iterations: Int
        let converged: Bool
    }

    /// Every run must reach LRE 6 on parameters, standard errors and RSS. The data go in as the
    /// decimal text of the .dat files, so the fit ends with the double-double stage: without it,
    /// Lanczos1 (certified RSS 1.4e-25, residuals of ~8e-14 = ~500 ulps of y) keeps only ~3
    /// digits of RSS and of every standard error, since rounding the data and f(x; b) to double
    /// perturbs each residual by ~0.1–1 % (NIST computed the certified values in 128-bit arithmetic).
    static func fit(_ p: NISTProblem, start: Int, solver: LevenbergMarquardt = .init(), extended: Bool = true) throws -> Run {
        let pairs = zip(p.parameterNames, p.starts[start]).map { ($0, $1) }
        let formula = try ModelFormula(p.formula), startPoint = try StartPoint(pairs)
        let model = extended
            ? try NonlinearModel(formula: formula, decimalColumns: p.decimalColumns, start: startPoint)
            : try NonlinearModel(formula: formula, columns: p.columns, start: startPoint)
        let fit = try solver.fit(model)
        let lreP = zip(fit.estimates, p.certified).map { NISTProblem.lre($0, $1) }.min() ?? 0
        let lreS = fit.standardErrors.map { zip($0, p.certifiedSE).map { NISTProblem.lre($0, $1) }.min() ?? 0 } ?? 0
        return Run(problem: p.name, start: start + 1, lreParameters: lreP, lreSE: lreS,
                   lreRSS: NISTProblem.lre(fit.residualSumOfSquares, p.certifiedRSS), iterations: fit.iterations,
                   converged: fit.converged)
    }

    @Test func all54RunsMeetTheCertifiedValues() throws {
        var runs: [Run] = []
        for name in NISTProblem.order {
            let problem = try NISTProblem.load(name)
            for start in 0..<2 { runs.append(try Self.fit(problem, start: start)) }
        }
        var table = "problem    start  LRE(params)  LRE(SE)  LRE(RSS)  iterations\n"
        for r in runs {
            table += String(format: "%-10@ %5d %12.1f %8.1f %9.1f %11d%@\n", r.problem as NSString, r.start,
                            r.lreParameters, r.lreSE, r.lreRSS, r.iterations, (r.converged ? "" : "  (not converged)") as NSString)
        }
        print(table)
        let minimum = runs.map { Swift.min($0.lreParameters, $0.lreSE, $0.lreRSS) }.min() ?? 0
        print(String(format: "minimum LRE over all %d runs: %.1f", runs.count, minimum))
        #expect(runs.count == 54)
        for r in runs {
            #expect(r.lreParameters >= 6, "\(r.problem) start \(r.start): params LRE \(r.lreParameters)")
            #expect(r.lreSE >= 6, "\(r.problem) start \(r.start): SE LRE \(r.lreSE)")
            #expect(r.lreRSS >= 6, "\(r.problem) start \(r.start): RSS LRE \(r.lreRSS)")
        }
    }

    /// The double-only path is unchanged: with the data as doubles Lanczos1 still stops at
    /// ~3 digits of RSS (the reason for the double-double stage), and Lanczos2, whose data
    /// carry 6 digits, passes either way.
    @Test func lanczosWithAndWithoutTheExtendedStage() throws {
        let lanczos1 = try NISTProblem.load("Lanczos1")
        let lanczos2 = try NISTProblem.load("Lanczos2")
        for start in 0..<2 {
            let plain = try Self.fit(lanczos1, start: start, extended: false)
            let exact = try Self.fit(lanczos1, start: start)
            print("Lanczos1 start \(start + 1): RSS LRE \(plain.lreRSS) in double, \(exact.lreRSS) with the double-double stage")
            #expect(plain.lreRSS < 5 && exact.lreRSS >= 6 && exact.lreSE >= 6)
            let two = try Self.fit(lanczos2, start: start, extended: false)
            #expect(two.lreParameters >= 6 && two.lreSE >= 6 && two.lreRSS >= 6)
        }
    }

    /// Geodesic acceleration is optional; with it the hard problems still reach the certified values
    /// (in far fewer iterations: MGH10 start 1 86 instead of 250, Bennett5 start 1 25 instead of 747),
    /// except MGH17 from start 1, where the accelerated path ends in another local minimum
    /// (LRE 0); the default (no acceleration) solves it, see `all54RunsMeetTheCertifiedValues`.
    @Test(arguments: ["MGH09", "MGH10", "MGH17", "BoxBOD", "Bennett5", "Eckerle4", "Rat43", "Thurber", "Hahn1"])
    func geodesicAccelerationOnHardProblems(_ name: String) throws {
        var solver = LevenbergMarquardt()
        solver.geodesicAcceleration = true
        let problem = try NISTProblem.load(name)
        for start in 0..<2 {
            let r = try Self.fit(problem, start: start, solver: solver)
            print("\(name) start \(start + 1) with acceleration: LRE \(r.lreParameters) / \(r.lreSE) / \(r.lreRSS), \(r.iterations) iterations")
            if name == "MGH17" && start == 0 { continue }
            #expect(r.lreParameters >= 6 && r.lreSE >= 6 && r.lreRSS >= 6, "\(name) start \(start + 1)")
        }
    }
}
