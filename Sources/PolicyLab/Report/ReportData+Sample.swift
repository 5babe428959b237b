extension ReportData {
    /// A realistic, fully synthetic report of a proxy-means-test (PMT) run: 13 coefficients of
    /// a log-consumption regression, four scenarios with 1,000 draws each, a 17-point threshold
    /// fan, 34 provinces (two withheld as small cells, k = 10), disparity, 400 optimizer
    /// evaluations, a policy table and a manifest.
    ///
    /// Generated from a fixed seed with integer arithmetic only, so it is the same on every
    /// platform. Used by the tests, the README screenshot and previews of the renderer.
    public static let sample: ReportData = SampleReport.make()
}

/// Builds ``ReportData/sample``.
enum SampleReport {
    /// A deterministic normal-ish draw: the sum of 12 uniforms minus 6 (mean 0, variance 1),
    /// chosen over Box–Muller so that no libm call can change a digit across platforms.
    static func normal(_ rng: inout SplitMix64) -> Double {
        var sum = 0.0
        for _ in 0..<12 { sum += Double(rng.next() >> 11) * 0x1.0p-53 }
        return sum - 6
    }

    /// `x` rounded to `decimals` places (display data, not statistics).
    static func round(_ x: Double, _ decimals: Int) -> Double {
        let scale = ReportFormat.powerOfTen(decimals)
        return (x * scale).rounded() / scale
    }

    /// The sample report (see ``ReportData/sample``).
    static func make() -> ReportData {
        var rng = SplitMix64(seed: 20_240_611)
        let coefficients: [ReportData.CoefficientInterval] = [
            ("(Intercept)", 12.412, 12.331, 12.493),
            ("Household size", -0.118, -0.124, -0.112),
            ("Share of children under 15", -0.402, -0.431, -0.373),
            ("Head: secondary education", 0.142, 0.129, 0.155),
            ("Head: tertiary education", 0.386, 0.362, 0.410),
            ("Head is female", -0.021, -0.038, -0.004),
            ("Urban", 0.163, 0.149, 0.177),
            ("Floor: finished (tile or cement)", 0.097, 0.082, 0.112),
            ("Roof: metal or tile", 0.034, -0.004, 0.072),
            ("Owns a motorbike", 0.211, 0.197, 0.225),
            ("Owns a refrigerator", 0.174, 0.158, 0.190),
            ("Owns livestock", 0.012, -0.011, 0.035),
            ("Electricity connection", 0.088, 0.062, 0.114),
        ].map { ReportData.CoefficientInterval(term: $0.0, estimate: $0.1, low: $0.2, high: $0.3) }

        let scenarios: [(String, Double, Double)] = [
            ("Uniform threshold 400,000", -1.9, 0.35),
            ("Uniform threshold 500,000", -2.8, 0.42),
            ("Optimized per-province thresholds", -3.3, 0.38),
            ("Child benefit, same budget", -1.2, 0.30),
        ]
        let distributions = scenarios.map { name, mean, sd in
            ReportData.Distribution(name: name, values: (0..<1000).map { _ in round(mean + sd * normal(&rng), 4) })
        }

        // Uniform thresholds from 300,000 to 700,000 a month: the eligible share, the cost of a
        // 150,000 transfer to a million households, and the poverty headcount after it.
        let fan = (0...16).map { i -> ReportData.FanPoint in
            let threshold = 300_000 + 25_000 * Double(i)
            let t = Double(i) / 16
            let eligible = 0.10 + 0.36 * t - 0.04 * t * t
            let cost = eligible * 1_000_000 * 150_000 * 12
            let costHalf = cost * (0.025 + 0.01 * t)
            let poverty = 24.1 - 5.2 * t + 1.6 * t * t
            let povertyHalf = 0.45 + 0.35 * t
            return ReportData.FanPoint(threshold: threshold, costMean: round(cost, -6),
                                       costLow: round(cost - costHalf, -6), costHigh: round(cost + costHalf, -6),
                                       povertyMean: round(poverty, 2), povertyLow: round(poverty - povertyHalf, 2),
                                       povertyHigh: round(poverty + povertyHalf, 2))
        }

        let k = 10
        let groups = (1...34).map { p -> ReportData.GroupErrors in
            let name = "Province " + (p < 10 ? "0" : "") + String(p)
            let units = 600 + Int(rng.next() % 4200)
            if p == 29 || p == 33 { return .withheld(group: name, units: p == 29 ? 7 : 4) }
            let exclusion = 0.34 + 0.05 * normal(&rng)
            let inclusion = 0.21 + 0.04 * normal(&rng)
            let eh = 1.645 * (exclusion * (1 - exclusion) / (Double(units) * 0.3)).squareRoot()
            let ih = 1.645 * (inclusion * (1 - inclusion) / (Double(units) * 0.25)).squareRoot()
            return ReportData.GroupErrors(
                group: name, units: units, withheld: false,
                exclusionMean: round(exclusion, 4), exclusionLow: round(exclusion - eh, 4), exclusionHigh: round(exclusion + eh, 4),
                inclusionMean: round(inclusion, 4), inclusionLow: round(inclusion - ih, 4), inclusionHigh: round(inclusion + ih, 4))
        }
        let published = groups.filter { !$0.withheld }
        func disparity(_ measure: String, _ value: (ReportData.GroupErrors) -> Double) -> ReportData.Disparity {
            let byValue = published.sorted { value($0) < value($1) }
            let low = byValue.first.map(value) ?? .nan, high = byValue.last.map(value) ?? .nan
            return ReportData.Disparity(measure: measure, highestGroup: byValue.last?.group ?? "",
                                        lowestGroup: byValue.first?.group ?? "",
                                        ratio: round(high / low, 3), difference: round(high - low, 4))
        }
        let disparities = [disparity("Exclusion error", \.exclusionMean), disparity("Inclusion error", \.inclusionMean)]

        // A best-so-far path that improves often at first and rarely later, as DE or CMA-ES do.
        var best = 0.0318
        let convergence = (1...400).map { evaluation -> ReportData.ConvergencePoint in
            let u = Double(rng.next() >> 11) * 0x1.0p-53
            let chance = Swift.max(2, 22 - evaluation / 12)
            if rng.next() % 100 < UInt64(chance) { best = 0.0238 + (best - 0.0238) * (0.72 + 0.2 * u) }
            return ReportData.ConvergencePoint(evaluation: evaluation, best: round(best, 6))
        }

        let gap = ReportFormat.fixed((disparities[0].difference) * 100, decimals: 1)
        let summary = """
        The optimizer chose per-province eligibility thresholds between 410,000 and 560,000 \
        (median 480,000) and a transfer of 150,000 a month per household. The programme costs \
        612 bn a year (90% interval 598 bn to 627 bn), within the 650 bn budget.

        Poverty falls by 3.3 percentage points (90% interval 2.7 to 3.9), from 24.1% to 20.8% \
        of the population. About a third of eligible households are still left out (exclusion \
        error 33.8%, 90% interval 31.9% to 35.7%) and 21.4% of recipients are not eligible. \
        Provincial exclusion errors differ by at most \(gap) points, within the 20-point fairness \
        cap. Two provinces have fewer than \(k) surveyed households and are withheld.
        """

        let policy = ReportData.ReportTable(
            title: "Chosen policy",
            note: "Levers chosen by the optimizer under the budget and the fairness cap; cost and poverty are means over 1,000 draws with common random numbers.",
            header: ["Lever or result", "Value", "Lower bound", "Upper bound"],
            rows: [
                ["Transfer (per household, per month)", "150,000", "50,000", "300,000"],
                ["Threshold, lowest province", "410,000", "250,000", "800,000"],
                ["Threshold, median province", "480,000", "250,000", "800,000"],
                ["Threshold, highest province", "560,000", "250,000", "800,000"],
                ["Annual cost", "612 bn", "", "650 bn (budget)"],
                ["Exclusion-error gap (highest − lowest)", gap + " pts", "", "20 pts (cap)"],
            ])

        let manifest = """
        {
          "policylab_version": "\(PolicyLabVersion.current)",
          "git_commit": "0000000000000000000000000000000000000000",
          "command": ["policylab", "demo", "--households", "48210", "--out", "demo-report"],
          "inputs": [
            {"name": "registry", "source": "built-in generator", "seed": 20240611, "sha256": "5f0c3b1e9a7d4c2b8e6f1a3d5c7b9e0f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4"}
          ],
          "spec": {
            "model": {"formula": "log_consumption ~ household_size + child_share + education + female_head + urban + floor + roof + motorbike + fridge + livestock + electricity", "vcov": "hc1"},
            "simulation": {"draws": 1000, "seed": 20240611, "common_random_numbers": true},
            "optimizer": {"method": "augmented-lagrangian", "evaluations": 400, "budget": 6.5e11, "fairness_cap": 0.20},
            "groups": {"by": "province", "small_cell_k": \(k)}
          },
          "seed": 20240611,
          "threads": 2,
          "platform": "x86_64-unknown-linux-gnu"
        }
        """

        return ReportData(
            title: "Proxy means test: targeting a cash transfer",
            subtitle: "Synthetic household survey (48,210 households in 34 provinces) · PMT regression of log consumption per capita · 1,000 simulation draws",
            summary: summary, coefficients: coefficients, scenarioDistributions: distributions, fan: fan,
            groups: groups, disparity: disparities, convergence: convergence, tables: [policy],
            manifest: manifest, smallCellThreshold: k)
    }
}
