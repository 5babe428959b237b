import Foundation
import Testing
@testable import PolicyLab

/// End-to-end tests of the `policylab` binary that `swift build --build-tests` puts next to the
/// test bundle. Each runs the real executable and checks its whole output or exit status.
@Suite("policylab command line")
struct CLITests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let households = repository.appendingPathComponent("Tests/TabularTests/Fixtures/design/households.csv").path

    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func policylab(_ arguments: [String]) throws -> Run {
        let binDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [binDirectory, binDirectory.deletingLastPathComponent()].map { $0.appendingPathComponent("policylab") }
        let executable = try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
                                      "policylab binary not found next to the test bundle; run swift build --build-tests")
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func describeJSONMatchesTheLibrarySummary() throws {
        let run = try Self.policylab(["describe", Self.households, "--format", "json", "--threads", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        let decoded = try JSONDecoder().decode(TableSummary.self, from: Data(run.stdout.utf8))
        let expected = try TableSummary(try CSVReader.read(path: Self.households), source: Self.households)
        #expect(decoded == expected)
        #expect(decoded.rows == 40)
        let g = try #require(decoded.columns.first { $0.name == "g" })
        #expect(g.type == .categorical && g.missing == 1 && g.distinctLevels == 4)
    }

    @Test func describeOutputDoesNotDependOnThreads() throws {
        let one = try Self.policylab(["describe", Self.households, "--threads", "1"])
        let three = try Self.policylab(["describe", Self.households, "--threads", "3"])
        #expect(one.status == 0 && one.stdout == three.stdout)
    }

    @Test func designReportsTermsDroppedRowsAndParts() throws {
        let run = try Self.policylab(["design", Self.households, "--formula", "y ~ x1 + log(size) + g | village",
                                      "--cluster", "district", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try JSONDecoder().decode(DesignSummary.self, from: Data(run.stdout.utf8))
        // R: model.matrix(~ x1 + log(size) + g) after dropping rows with NA in y, x1, size, g
        // (fixed effects remove the intercept column): 2 NA in x1, 1 in g → 37 rows.
        #expect(summary.terms == ["x1", "log(size)", "gBali", "gJava", "gPapua"])
        #expect(summary.droppedRows == 3 && summary.rows == 37 && summary.columns == 5)
        #expect(summary.fixedEffects.map(\.name) == ["village"])
        #expect(summary.clusters.map(\.name) == ["district"])
    }

    @Test func nlsReproducesTheNISTCertifiedValuesForMisra1a() throws {
        // NIST StRD Misra1a (certified): b1 = 2.3894212918E+02 (SE 2.7070075241E+00),
        // b2 = 5.5015643181E-04 (SE 7.2668688436E-06), RSS 1.2455138894E-01, df 12.
        let data = Self.repository.appendingPathComponent("Tests/PolicyLabTests/Fixtures/misra1a.csv").path
        let run = try Self.policylab(["nls", data, "--formula", "y ~ b1*(1-exp(-b2*x))", "--start", "b1=500,b2=1e-4",
                                      "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let parameters = try #require(json["parameters"] as? [[String: Any]])
        let estimates = parameters.compactMap { $0["estimate"] as? Double }
        let errors = parameters.compactMap { $0["std_error"] as? Double }
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-8 * abs(b) }
        #expect(parameters.compactMap { $0["term"] as? String } == ["b1", "b2"])
        #expect(estimates.count == 2 && close(estimates[0], 2.3894212918E+02) && close(estimates[1], 5.5015643181E-04))
        #expect(errors.count == 2 && close(errors[0], 2.7070075241E+00) && close(errors[1], 7.2668688436E-06))
        #expect(close(try #require(json["rss"] as? Double), 1.2455138894E-01))
        #expect(json["df"] as? Int == 12 && json["converged"] as? Bool == true)
        let bad = try Self.policylab(["nls", data, "--formula", "y ~ b1*(1-exp(-b2*z))", "--start", "b1=500,b2=1e-4"])
        #expect(bad.status == 1 && bad.stderr.contains("'z'"), "\(bad.stderr)")
    }

    @Test func nlsReachesLanczos1CertifiedRSSInExtendedPrecision() throws {
        // NIST StRD Lanczos1 (Fixtures/lanczos1.csv is the .dat file's data, text unchanged):
        // certified RSS 1.4307867721E-25, b1 SE 5.3347304234E-11, b6 SE 1.1057500538E-10.
        // The residuals (~8e-14) are ~500 ulps of y, so only the double-double stage (the
        // default, --precision extended) gets the RSS to 6 digits; --precision double keeps ~3.
        let data = Self.repository.appendingPathComponent("Tests/PolicyLabTests/Fixtures/lanczos1.csv").path
        let arguments = ["nls", data, "--formula", "y ~ b1*exp(-b2*x) + b3*exp(-b4*x) + b5*exp(-b6*x)",
                         "--start", "b1=1.2,b2=0.3,b3=5.6,b4=5.5,b5=6.5,b6=7.6", "--format", "json"]
        func lre(_ x: Double, _ c: Double) -> Double { -Foundation.log10(Swift.abs(x - c) / Swift.abs(c)) }
        func fit(_ extra: [String]) throws -> (rss: Double, se: [Double]) {
            let run = try Self.policylab(arguments + extra)
            #expect(run.status == 0, "\(run.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let parameters = try #require(json["parameters"] as? [[String: Any]])
            return (try #require(json["rss"] as? Double), parameters.compactMap { $0["std_error"] as? Double })
        }
        let extended = try fit([])
        #expect(lre(extended.rss, 1.4307867721E-25) >= 6, "RSS \(extended.rss)")
        #expect(extended.se.count == 6 && lre(extended.se[0], 5.3347304234E-11) >= 6 && lre(extended.se[5], 1.1057500538E-10) >= 6)
        let plain = try fit(["--precision", "double"])
        #expect(lre(plain.rss, 1.4307867721E-25) < 5, "RSS \(plain.rss)")
    }

    @Test func badInputExitsOneWithAOneLineMessage() throws {
        let cases: [([String], String)] = [
            (["design", Self.households, "--formula", "y ~ x1 + incme"], "unknown column 'incme'"),
            (["design", Self.households, "--formula", "y ~ x1 +"], "character 9"),
            (["describe", "/nonexistent/policylab.csv"], "/nonexistent/policylab.csv"),
            (["design", Self.households, "--formula", "y ~ x1", "--weights", "wt"], "unknown column 'wt'"),
            // Options checked inside run() were reported as "internal error" with exit code 2.
            (["describe", Self.households, "--delimiter", "ab"], "--delimiter must be one of"),
            (["estimate", Self.households, "--formula", "y ~ x1", "--type", "x1"], "--type takes NAME="),
        ]
        for (arguments, fragment) in cases {
            let run = try Self.policylab(arguments)
            #expect(run.status == 1, "\(arguments)")
            #expect(run.stderr.contains(fragment), "\(run.stderr)")
            #expect(run.stderr.trimmingCharacters(in: .newlines).split(separator: "\n").count == 1, "\(run.stderr)")
        }
    }
}
