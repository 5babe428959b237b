import Foundation
import Testing
@testable import PolicyLab

/// The pipeline (issue 7): registry, spec, run, optimize, manifest, reproduce, demo.
@Suite("Policy pipeline")
struct PipelineTests {
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("policylab-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func smallSpec(households: Int = 4_000, csv: String? = nil) -> String {
        let data = csv.map { "data: {csv: \($0)}" } ?? "data:\n  generate: {households: \(households), provinces: 6, seed: 11}"
        return """
        \(data)
        model: {vcov: hc1, weights: weight}
        population: {weights: weight, groups: [province], min_cell: 10}
        simulation: {draws: 24, seed: 3}
        outcome: {scale: exp, poverty_line: 1400, measures: [poverty, targeting, changes]}
        threshold_grid: {thresholds: [7.1, 7.4], amount: 250, budget: \(households * 400)}
        optimize:
          budget: \(households * 400)
          amount: {lower: 50, upper: 600}
          thresholds: {per_group: true, lower: 6.8, upper: 7.9}
          fairness: {max_exclusion_gap: 0.3}
          draws: 4
          evaluations: 200
          seed: 2
        """
    }

    @Test("the synthetic registry is deterministic and a PMT regression fits it as PMT models do")
    func registry() throws {
        let a = try SyntheticRegistry.generate(households: 20_000, seed: 5)
        let b = try SyntheticRegistry.generate(households: 20_000, seed: 5)
        #expect(try a.column(named: "consumption") == b.column(named: "consumption"))
        #expect(try a.column(named: "province").text(at: 0) != nil)
        let fit = try LinearRegression.fit(table: a, formula: SyntheticRegistry.pmtFormula, weights: "weight")
        #expect(fit.rSquared > 0.4 && fit.rSquared < 0.8, "R² \(fit.rSquared)")
        #expect(fit.coefficients.count == 10 + 33)
        let consumption = try #require(a.column(named: "consumption").doubleValues)
        let poor = Double(consumption.filter { $0 < 1400 }.count) / Double(consumption.count)
        #expect(poor > 0.15 && poor < 0.5, "share below the demo line \(poor)")
        #expect(throws: PolicyLabError.self) { _ = try SyntheticRegistry.generate(households: 10, seed: 1) }
        // More households than the machine can hold: refused before any allocation (it trapped).
        #expect(throws: PolicyLabError.self) { _ = try SyntheticRegistry.generate(households: Int(UInt32.max), seed: 1) }
    }

    @Test("run: the optimized policy lowers poverty within the budget; the same bytes on 1 and 2 threads")
    func runAndThreads() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let spec = try PipelineSpec(yaml: Self.smallSpec(), file: directory.appendingPathComponent("spec.yaml").path)
        let one = try PipelineRun.execute(spec, parallelism: .serial)
        let two = try PipelineRun.execute(spec, parallelism: Parallelism(threads: 2))
        #expect(try one.result.json() == two.result.json())
        let optimization = try #require(one.result.optimization)
        #expect(optimization.objective < optimization.baselineObjective)
        #expect(optimization.feasible, "exclusion gap \(optimization.exclusionGap)")
        #expect(optimization.policy.groupThresholds?.count == 6)
        let names = one.result.simulation.scenarios.map(\.name)
        #expect(names == ["baseline", "threshold_7.1", "threshold_7.4", "optimized"])
        let cost = try #require(one.result.simulation.scenarios.last?.cells.first?.measures.first { $0.measure == "cost" })
        #expect(cost.mean <= 4_000 * 400 * (1 + 1e-9))
        #expect(one.result.summary.contains("optimized"))
    }

    @Test("manifest and reproduce: a re-run matches; a changed input or result is named")
    func reproduce() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A CSV input, so that changing it must be caught.
        let registry = try SyntheticRegistry.generate(households: 3_000, seed: 4, provinces: 6)
        let csv = directory.appendingPathComponent("registry.csv")
        try CSVWriter.write(registry, to: csv.path)
        let specPath = directory.appendingPathComponent("spec.yaml")
        try Self.smallSpec(households: 3_000, csv: csv.path).write(to: specPath, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("out").path
        let run = try CLITests.policylab(["run", specPath.path, "--out", out, "--threads", "2", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        for file in ["results.json", "manifest.json", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file) missing")
        }
        let manifest = try RunManifest.load(path: out + "/manifest.json")
        #expect(manifest.inputs[csv.path] == (try FileDigest.sha256(path: csv.path)))
        #expect(manifest.spec.contains("threshold_grid") && manifest.threads == 2 && manifest.seed == 3)
        #expect(manifest.resultsSHA256 == FileDigest.sha256(bytes: Array((try Data(contentsOf: URL(fileURLWithPath: out + "/results.json")))) ))

        let same = try CLITests.policylab(["reproduce", out + "/manifest.json", "--threads", "1"])
        #expect(same.status == 0 && same.stdout.hasPrefix("reproduced: all "), "\(same.stdout) \(same.stderr)")

        // A tampered number is found and named.
        let resultsURL = URL(fileURLWithPath: out + "/results.json")
        let original = try String(contentsOf: resultsURL, encoding: .utf8)
        let tampered = original.replacingOccurrences(of: "\"nobs\" : 3000", with: "\"nobs\" : 2999")
        #expect(tampered != original)
        try tampered.write(to: resultsURL, atomically: true, encoding: .utf8)
        let differs = try CLITests.policylab(["reproduce", out + "/manifest.json"])
        #expect(differs.status == 1 && differs.stderr.contains("regression.nobs: expected 2999, got 3000"), "\(differs.stderr)")
        try original.write(to: resultsURL, atomically: true, encoding: .utf8)

        // A changed input is refused before anything runs.
        var lines = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[1] = "9" + lines[1]   // household_id 1 becomes 91
        try lines.joined(separator: "\n").write(to: csv, atomically: true, encoding: .utf8)
        let changed = try CLITests.policylab(["reproduce", out + "/manifest.json"])
        #expect(changed.status == 1 && changed.stderr.contains("changed since the run"), "\(changed.stderr)")
    }

    @Test("demo with a small registry writes the report and prints where it is")
    func demo() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try CLITests.policylab(["demo", "--households", "5000", "--out", directory.path, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("report:   ") && run.stdout.contains("report.html"))
        let html = try String(contentsOf: directory.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("Proxy means test"))
        #expect(!html.contains("http://") && !html.contains("https://"))
    }

    @Test("spec and command errors: one line, exit 1, the spec path named", arguments: [
        ("data: {generate: {households: 5000}}\nmodel: {vcov: hc1}\noptimize: {budget: 100, goal: wealth}", "optimize.goal: expected headcount, poverty_gap or severity, got 'wealth'"),
        ("data: {generate: {households: 5000}}\nmodel: {vcov: hc1}\noptimize: {budgett: 100}", "optimize.budgett: unknown key; did you mean 'budget'?"),
        ("data: {csv: nowhere.csv}\nmodel: {vcov: hc1}", "nowhere.csv"),
        ("model: {vcov: hc1}", "data: is required"),
        ("data: {generate: {households: 50}}\nmodel: {}", "data.generate.households: must be at least 100"),
    ])
    func specErrors(body: String, expected: String) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let spec = directory.appendingPathComponent("bad.yaml")
        try body.write(to: spec, atomically: true, encoding: .utf8)
        let run = try CLITests.policylab(["run", spec.path, "--out", directory.appendingPathComponent("out").path, "--quiet"])
        #expect(run.status == 1, "status \(run.status): \(run.stderr)")
        #expect(run.stderr.hasPrefix("error: ") && run.stderr.contains(expected), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1)
    }

    @Test("estimate and simulate write manifests; optimize prints the chosen policy")
    func commandManifests() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = SimulationTests.data
        let estimateManifest = directory.appendingPathComponent("estimate.json").path
        let estimate = try CLITests.policylab(["estimate", data, "--formula", "y ~ x1 + x2", "--vcov", "hc1", "--manifest", estimateManifest])
        #expect(estimate.status == 0, "\(estimate.stderr)")
        let first = try RunManifest.load(path: estimateManifest)
        #expect(first.inputs[data] == (try FileDigest.sha256(path: data)) && first.command.contains("estimate"))
        #expect(first.resultsSHA256 == FileDigest.sha256(bytes: Array(estimate.stdout.utf8)))

        let spec = directory.appendingPathComponent("sim.yaml")
        try """
        model: {data: \(data), formula: "y ~ x1 + x2"}
        simulation: {draws: 16, seed: 1}
        scenarios: [{name: baseline}, {name: plus, changes: [{column: x1, add: 1}]}]
        """.write(to: spec, atomically: true, encoding: .utf8)
        let simulateManifest = directory.appendingPathComponent("simulate.json").path
        let simulate = try CLITests.policylab(["simulate", spec.path, "--format", "json", "--threads", "2", "--manifest", simulateManifest, "--quiet"])
        #expect(simulate.status == 0, "\(simulate.stderr)")
        let second = try RunManifest.load(path: simulateManifest)
        #expect(second.seed == 1 && second.threads == 2 && second.spec.contains("scenarios") && second.inputs[spec.path] != nil)

        let pipelineSpec = directory.appendingPathComponent("pipeline.yaml")
        try Self.smallSpec(households: 2_000).write(to: pipelineSpec, atomically: true, encoding: .utf8)
        let optimize = try CLITests.policylab(["optimize", pipelineSpec.path, "--threads", "2"])
        #expect(optimize.status == 0, "\(optimize.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(optimize.stdout.utf8)) as? [String: Any])
        #expect(object["policy"] != nil && object["objective"] != nil && object["history"] != nil)
    }

    @Test("every subcommand has help with examples")
    func help() throws {
        for command in ["describe", "design", "estimate", "simulate", "run", "optimize", "demo", "reproduce", "nls", "random", "selfcheck", "bench-task"] {
            let run = try CLITests.policylab([command, "--help"])
            #expect(run.status == 0 && run.stdout.contains("Example"), "\(command)")
        }
    }
}
