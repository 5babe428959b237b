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

    /// Minimum LRE required per problem (params, SE, RSS). The default is 6 everywhere; an
    /// entry here lowers it only where double precision cannot reach 6 digits — see `exceptions`.
    static let exceptions: [String: (parameters: Double, se: Double, rss: Double, why: String)] = [
        "Lanczos1": (6, 2.5, 2.5, "certified RSS is 1.4e-25: residuals of ~8e-14 are ~500 ulps of y (0.1 to 2.5), "
            + "so rounding f(x; b) in double precision (~1e-16 per value) leaves only ~3 correct digits of RSS, "
            + "hence of sigma-hat and every standard error; NIST computed the certified values in 128-bit arithmetic"),
    ]

    static func fit(_ p: NISTProblem, start: Int, solver: LevenbergMarquardt = .init()) throws -> Run {
        let pairs = zip(p.parameterNames, p.starts[start]).map { ($0, $1) }
        let model = try NonlinearModel(formula: try ModelFormula(p.formula), columns: p.columns, start: try StartPoint(pairs))
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
        print("Below LRE 6 by design: " + Self.exceptions.map { "\($0.key): \($0.value.why)" }.joined(separator: "; "))
        for r in runs {
            let need = Self.exceptions[r.problem] ?? (6, 6, 6, "")
            #expect(r.lreParameters >= need.parameters, "\(r.problem) start \(r.start): params LRE \(r.lreParameters)")
            #expect(r.lreSE >= need.se, "\(r.problem) start \(r.start): SE LRE \(r.lreSE)")
            #expect(r.lreRSS >= need.rss, "\(r.problem) start \(r.start): RSS LRE \(r.lreRSS)")
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
