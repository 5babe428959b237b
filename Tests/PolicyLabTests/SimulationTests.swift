import Foundation
import Testing
@testable import PolicyLab

/// The simulate spec and model-based simulation (issue 5 items 5–8).
@Suite("Model-based simulation")
struct SimulationTests {
    static let data = CLITests.repository.appendingPathComponent("Tests/RegressionTests/Fixtures/data/sim_cross.csv").path

    func spec(_ body: String, draws: Int = 400) -> String {
        """
        model:
          data: \(Self.data)
          formula: "y ~ x1 + x2 + g"
          vcov: hc1
        population:
          groups: [region]
        simulation: {draws: \(draws), seed: 5}
        \(body)
        """
    }

    static let scenarios = """
    scenarios:
      - name: baseline
      - name: more_x1
        changes: [{column: x1, add: 1}]
      - name: east_only
        changes: [{column: x1, add: 1, where: "region == 'east'"}]
    """

    func measure(_ result: SimulationResult, _ scenario: String, _ cell: String = "all", _ name: String) throws -> SimulationResult.Measure {
        let s = try #require(result.scenarios.first { $0.name == scenario })
        let c = try #require(s.cells.first { $0.cell == cell })
        return try #require(c.measures.first { $0.measure == name })
    }

    @Test("first differences carry exactly the coefficient uncertainty (KTW)")
    func firstDifferences() throws {
        let parsed = try SimulationSpec(yaml: spec(Self.scenarios), file: "/tmp/spec.yaml")
        let prepared = try PreparedSimulation(spec: parsed)
        let result = try ModelSimulation.run(prepared, parallelism: Parallelism(threads: 2))
        let x1 = try #require(prepared.model.terms.firstIndex(of: "x1"))
        let beta = prepared.model.coefficients[x1]
        let se = prepared.model.covariance[x1][x1].squareRoot()
        // Adding 1 to x1 everywhere moves every prediction by β_x1: the point FD is β̂_x1 and the
        // draws' FD is β_x1,r, so its SD is se(β̂_x1) up to Monte Carlo error (400 draws: ±7 %).
        let all = try measure(result, "more_x1", "all", "fd_ev")
        #expect(Swift.abs((all.point ?? .nan) - beta) < 1e-12 * Swift.abs(beta))
        #expect(Swift.abs(all.sd / se - 1) < 0.15, "sd \(all.sd) vs se \(se)")
        #expect(Swift.abs(all.mean - beta) < 4 * all.mcse)
        // Only the east rows change: the FD is β_x1 × the east share, also within the east cell alone.
        let region = try CSVReader.read(path: Self.data).column(named: "region")
        let eastShare = Double(prepared.populationRows.filter { region.text(at: $0) == "east" }.count) / Double(prepared.units)
        let partial = try measure(result, "east_only", "all", "fd_ev")
        #expect(Swift.abs((partial.point ?? .nan) - beta * eastShare) < 1e-12)
        let east = try measure(result, "east_only", "east", "fd_ev")
        #expect(Swift.abs((east.point ?? .nan) - beta) < 1e-12)
        let west = try measure(result, "east_only", "west", "fd_ev")
        #expect(west.point == 0 && west.mean == 0 && west.sd == 0)
        // Expected values: the point is the mean prediction at β̂; the draws centre on it.
        let ev = try measure(result, "baseline", "all", "ev")
        #expect(Swift.abs(ev.mean - (ev.point ?? .nan)) < 4 * ev.mcse)
        // Predicted values add the residual: wider than expected values.
        let pv = try measure(result, "baseline", "all", "pv")
        #expect(pv.sd > ev.sd)
    }

    @Test("same bytes on 1, 2, 3 and 8 threads, and with antithetic pairs")
    func threadIndependence() throws {
        for antithetic in [false, true] {
            var parsed = try SimulationSpec(yaml: spec(Self.scenarios + "\noutcome: {scale: exp, poverty_line: 1}", draws: 64), file: "/tmp/spec.yaml")
            parsed.antithetic = antithetic
            let prepared = try PreparedSimulation(spec: parsed)
            var reference: String?
            for threads in [1, 2, 3, 8] {
                let json = try ModelSimulation.run(prepared, parallelism: Parallelism(threads: threads)).json()
                if let reference { #expect(json == reference, "antithetic \(antithetic), \(threads) threads") } else { reference = json }
            }
        }
    }

    @Test("a transfer policy pays the budget exactly and lowers poverty; targeting errors are reported")
    func transferPolicy() throws {
        let body = """
        outcome: {scale: exp, poverty_line: 1}
        scenarios:
          - name: baseline
          - name: transfer
            policy: {threshold: 0.5, amount: 1.0, phase_out: 0.5, budget: 150}
        """
        let parsed = try SimulationSpec(yaml: spec(body, draws: 100), file: "/tmp/spec.yaml")
        let prepared = try PreparedSimulation(spec: parsed)
        let transfers = prepared.transfers[1]
        #expect(Swift.abs(transfers.reduce(0, +) - 150) < 1e-9)
        let result = try ModelSimulation.run(prepared)
        let cost = try measure(result, "transfer", "all", "cost")
        #expect(Swift.abs(cost.mean - 150) < 1e-9 && cost.sd < 1e-9)
        let before = try measure(result, "baseline", "all", "fgt0"), after = try measure(result, "transfer", "all", "fgt0")
        #expect(after.mean < before.mean)
        let exclusion = try measure(result, "transfer", "all", "exclusion_error")
        #expect(exclusion.mean >= 0 && exclusion.mean <= 1)
        #expect(try measure(result, "transfer", "all", "losers").mean == 0)
    }

    @Test("small groups are withheld and listed, never published")
    func smallCells() throws {
        var parsed = try SimulationSpec(yaml: spec(Self.scenarios, draws: 8), file: "/tmp/spec.yaml")
        parsed.minimumCell = 100
        let prepared = try PreparedSimulation(spec: parsed)
        let result = try ModelSimulation.run(prepared)
        let published = Set(result.scenarios[0].cells.map(\.cell))
        for withheld in result.withheldGroups {
            #expect(withheld.units < 100)
            #expect(!published.contains(withheld.group))
        }
        #expect(!result.withheldGroups.isEmpty)
    }

    @Test("spec errors give file, line and the spec path", arguments: [
        ("scenarios:\n  - name: baseline\n  - name: b\n    polcy: {threshold: 1, amount: 1}", "scenarios[1].polcy: unknown key; did you mean 'policy'?"),
        ("simulation: {draws: many}\nscenarios: [{name: a}]", "simulation.draws: expected a whole number, got 'many'"),
        ("simulation: {draws: 0}\nscenarios: [{name: a}]", "simulation.draws: must be at least 1"),
        ("scenarios:\n  - name: a\n  - name: b\n    changes: [{column: x1, add: 1, scale: 2}]", "scenarios[1].changes[0].set: give exactly one of set, add or scale"),
        ("scenarios:\n  - name: a\n    changes: [{column: x1, add: 1, where: \"x1 ~ 3\"}]", "scenarios[0].changes[0].where"),
        ("outcome: {scale: log}\nscenarios: [{name: a}]", "outcome.scale: expected identity or exp, got 'log'"),
        ("scenarios: []", "scenarios: needs at least one scenario"),
        ("scenarios: [{name: a}, {name: a}]", "used twice"),
    ])
    func specErrors(body: String, expected: String) throws {
        let text = """
        model: {data: \(Self.data), formula: "y ~ x1"}
        \(body)
        """
        do {
            _ = try SimulationSpec(yaml: text, file: "spec.yaml")
            Issue.record("no error for \(body)")
        } catch let error as SpecError {
            #expect(error.description.hasPrefix("spec.yaml:"), "\(error)")
            #expect(error.description.contains(expected), "\(error)")
        }
    }

    @Test("data problems are typed errors: missing group column, unknown change column, zero draws via CLI")
    func dataErrors() throws {
        var parsed = try SimulationSpec(yaml: spec(Self.scenarios), file: "/tmp/spec.yaml")
        parsed.groups = ["provnce"]
        #expect(throws: (any Error).self) { _ = try PreparedSimulation(spec: parsed) }
        let bad = try SimulationSpec(yaml: spec("scenarios:\n  - name: a\n  - name: b\n    changes: [{column: x7, set: 1}]"), file: "/tmp/spec.yaml")
        do {
            _ = try PreparedSimulation(spec: bad)
            Issue.record("no error")
        } catch let error as PolicyLabError {
            #expect("\(error)".contains("column 'x7' is not in the population"))
        }
    }

    @Test("a covariance with a clearly negative eigenvalue is refused")
    func badCovariance() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("policylab-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try LinearRegression.fit(table: try CSVReader.read(path: Self.data), formula: "y ~ x1 + x2")
        var model = try SavedLinearModel(result: result, table: try CSVReader.read(path: Self.data), weights: nil)
        model.covariance = [[1, 0, 0], [0, -1, 0], [0, 0, 1]]
        let path = directory.appendingPathComponent("model.json").path
        try model.json().write(to: URL(fileURLWithPath: path))
        let parsed = try SimulationSpec(yaml: "model: {saved: \(path)}\npopulation: {data: \(Self.data)}\nscenarios: [{name: a}]", file: "/tmp/s.yaml")
        #expect(throws: (any Error).self) { _ = try PreparedSimulation(spec: parsed) }
    }
}
