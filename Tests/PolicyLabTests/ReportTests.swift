import Foundation
import Testing
@testable import PolicyLab

/// The HTML report (issue 7 item 4): structure, escaping, non-finite and edge inputs,
/// small-cell suppression, byte determinism, and a real render in headless Chromium.
@Suite("HTML report")
struct ReportTests {
    static let sections = ["summary", "coefficients", "scenarios", "fan", "groups", "disparity", "convergence", "tables", "manifest"]

    /// Every `<svg …>…</svg>` in `html`.
    static func svgs(_ html: String) -> [Substring] {
        var result: [Substring] = []
        var rest = html[...]
        while let open = rest.range(of: "<svg "), let close = rest[open.upperBound...].range(of: "</svg>") {
            result.append(rest[open.lowerBound..<close.upperBound])
            rest = rest[close.upperBound...]
        }
        return result
    }

    /// Number of non-overlapping occurrences of `needle`.
    static func count(_ needle: String, in haystack: some StringProtocol) -> Int {
        haystack.components(separatedBy: needle).count - 1
    }

    /// With POLICYLAB_REPORT_ARTIFACTS=DIR, writes `html` to DIR/name for a person to look at.
    static func keep(_ html: String, as name: String) {
        guard let dir = ProcessInfo.processInfo.environment["POLICYLAB_REPORT_ARTIFACTS"], !dir.isEmpty else { return }
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try? Data(html.utf8).write(to: URL(fileURLWithPath: dir).appendingPathComponent(name))
    }

    @Test("every section, chart and table is present, each chart accessible")
    func structure() {
        let html = HTMLReport.render(.sample)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(html.hasSuffix("</html>\n"))
        for id in Self.sections {
            #expect(html.contains("<section id=\"\(id)\""), "section \(id)")
            #expect(html.contains("<h2 id=\"\(id)-h\">"), "heading \(id)")
            #expect(html.contains("href=\"#\(id)\""), "navigation to \(id)")
        }
        let charts = Self.svgs(html)
        #expect(charts.count == 5)
        for id in ["coefficients-chart", "scenarios-chart", "fan-chart", "groups-chart", "convergence-chart"] {
            let chart = charts.first { $0.contains("aria-labelledby=\"\(id)-title \(id)-desc\"") }
            #expect(chart != nil, "chart \(id)")
            #expect(chart?.contains("role=\"img\"") == true)
            #expect(chart?.contains("<title id=\"\(id)-title\">") == true)
            #expect(chart?.contains("<desc id=\"\(id)-desc\">") == true)
        }
        // A table under each plot, the disparity table and the pipeline's own table.
        #expect(Self.count("<table>", in: html) == 7)
        for caption in ["Coefficients", "Simulated poverty change by scenario", "Cost and poverty by threshold",
                        "Targeting errors by group", "Disparity between groups", "Optimizer progress", "Chosen policy"] {
            #expect(html.contains("<caption>\(caption)</caption>"), "table \(caption)")
        }
        #expect(html.contains("<details>\n<summary>Show the manifest"))
        #expect(html.contains("&quot;policylab_version&quot;"))
        // The summary comes first and is prominent.
        let summary = html.range(of: "<section id=\"summary\" class=\"summary\"")
        let coefficients = html.range(of: "<section id=\"coefficients\"")
        #expect(summary != nil && coefficients != nil && summary!.lowerBound < coefficients!.lowerBound)
        // The intercept is tabulated but not plotted.
        #expect(html.contains("<td>(Intercept)</td>"))
        #expect(!(charts.first?.contains("<title>(Intercept):") ?? true))
        // 34 provinces in the group chart, two of them as text only.
        #expect(Self.count("withheld (n &lt; 10)", in: charts[3]) == 2)
        #expect(Self.count("<circle", in: charts[3]) == 2 * 32)
    }

    @Test("self-contained: no network, no scripts, no external resources")
    func selfContained() {
        let html = HTMLReport.render(.sample)
        #expect(!html.lowercased().contains("http"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("src="))
        #expect(!html.contains("url("))
        #expect(!html.contains("@import"))
        #expect(!html.contains("<link"))
        // The only links are to the page's own sections.
        var rest = html[...]
        while let r = rest.range(of: "href=\"") {
            #expect(rest[r.upperBound...].hasPrefix("#"))
            rest = rest[r.upperBound...]
        }
    }

    @Test("every label is escaped: < & > \" ' never reach the markup")
    func escaping() {
        let evil = "<script>alert('x & \"y\"')</script>"
        var data = ReportData(title: "T " + evil, subtitle: evil, summary: evil)
        data.coefficients = [.init(term: evil, estimate: 0.5, low: 0.1, high: 0.9)]
        data.scenarioDistributions = [.init(name: evil, values: [1, 2, 3])]
        data.fan = [.init(threshold: 1, costMean: 2, costLow: 1, costHigh: 3, povertyMean: 4, povertyLow: 3, povertyHigh: 5)]
        data.groups = [.init(group: evil, units: 50, withheld: false, exclusionMean: 0.3, exclusionLow: 0.2, exclusionHigh: 0.4,
                             inclusionMean: 0.2, inclusionLow: 0.1, inclusionHigh: 0.3)]
        data.disparity = [.init(measure: evil, highestGroup: evil, lowestGroup: evil, ratio: 1.5, difference: 0.1)]
        data.tables = [.init(title: evil, note: evil, header: [evil], rows: [[evil]])]
        data.manifest = "{\"a\": \"\(evil)\"}"
        let html = HTMLReport.render(data)
        #expect(!html.contains("<script"))
        #expect(!html.contains("alert('"))
        #expect(!html.contains("\"y\""))
        #expect(html.contains("&lt;script&gt;alert(&#39;x &amp; &quot;y&quot;&#39;)&lt;/script&gt;"))
        #expect(Self.count("&lt;script&gt;", in: html) >= 12)
        #expect(HTMLText.escape("a<b&c>d\"e'f\u{1}g") == "a&lt;b&amp;c&gt;d&quot;e&#39;fg")
    }

    @Test("NaN and ±∞ are skipped in plots and noted, never printed as coordinates")
    func nonFinite() {
        var data = ReportData.sample
        data.coefficients.append(.init(term: "collinear_term", estimate: .nan, low: .nan, high: .nan))
        data.coefficients.append(.init(term: "open_interval", estimate: 0.2, low: -.infinity, high: .infinity))
        data.scenarioDistributions[0].values += [.nan, .infinity, -.infinity]
        data.scenarioDistributions.append(.init(name: "all missing", values: [.nan, .nan]))
        data.fan.append(.init(threshold: .nan, costMean: 1, costLow: 0, costHigh: 2, povertyMean: 1, povertyLow: 0, povertyHigh: 2))
        data.fan[3].costHigh = .infinity
        data.groups[0].exclusionMean = .nan
        data.convergence.insert(.init(evaluation: 0, best: .infinity), at: 0)
        data.disparity[0].ratio = .infinity
        let html = HTMLReport.render(data)
        Self.keep(html, as: "non-finite.html")
        for chart in Self.svgs(html) {
            // Every number in an SVG attribute is finite.
            #expect(!chart.contains("=\"NaN"))
            #expect(!chart.contains("=\"∞"))
            #expect(!chart.contains("=\"−∞"))
            #expect(!chart.contains("nan"))
            #expect(!chart.contains("inf"))
        }
        #expect(html.contains("Not plotted (estimate not finite, e.g. dropped as collinear): collinear_term."))
        #expect(html.contains("1 interval not finite: only the estimate is drawn."))
        #expect(html.contains("Uniform threshold 400,000: 3 non-finite draws skipped."))
        #expect(html.contains("all missing: 2 non-finite draws skipped."))
        #expect(html.contains("no finite draws"))
        #expect(html.contains("Cost: 1 threshold with a non-finite threshold or mean skipped."))
        #expect(html.contains("Cost: 1 interval not finite; the band leaves it out."))
        #expect(html.contains("1 non-finite mean not plotted."))
        #expect(html.contains("1 evaluation with no finite best value yet"))
        #expect(html.contains("<td class=\"num\">NaN</td>"))
        #expect(html.contains("<td class=\"num\">∞</td>"))
    }

    @Test("withheld groups are listed as text, never plotted, their numbers never shown")
    func withheldGroups() {
        var data = ReportData.sample
        data.groups[4] = .init(group: "Tiny Province", units: 3, withheld: true,
                               exclusionMean: 0.777, exclusionLow: 0.701, exclusionHigh: 0.853,
                               inclusionMean: 0.666, inclusionLow: 0.612, inclusionHigh: 0.721)
        let html = HTMLReport.render(data)
        #expect(html.contains("Tiny Province"))
        for number in ["77.7%", "70.1%", "85.3%", "66.6%", "61.2%", "72.1%", "0.777", "0.666"] {
            #expect(!html.contains(number), "withheld value \(number) leaked")
        }
        let chart = Self.svgs(html)[3]
        #expect(!chart.contains("<title>Tiny Province"))
        #expect(Self.count("withheld (n &lt; 10)", in: chart) == 3)
        #expect(html.contains("<td>Tiny Province</td><td class=\"num withheld\">—</td><td class=\"num withheld\">withheld (n &lt; 10)</td>"))
        data.smallCellThreshold = nil
        #expect(HTMLReport.render(data).contains("withheld (small cell)"))
    }

    @Test("empty inputs render every section with a note")
    func emptyInputs() {
        let html = HTMLReport.render(ReportData(title: "", subtitle: "", summary: ""))
        Self.keep(html, as: "empty.html")
        for id in Self.sections { #expect(html.contains("<section id=\"\(id)\"")) }
        #expect(Self.svgs(html).isEmpty)
        for note in ["No summary was provided.", "The run estimated no coefficients.", "The run simulated no scenarios.",
                     "The run evaluated no thresholds.", "The run reported no groups.", "The run computed no disparity measures.",
                     "The run did not optimize.", "The run produced no further tables.", "No manifest was recorded for this run."] {
            #expect(html.contains(note), "\(note)")
        }
    }

    @Test("a single point, constant values, long labels and 60 groups")
    func edgeShapes() {
        let long = String(repeating: "Very long province name ", count: 5)
        var data = ReportData(title: "Edges", subtitle: "", summary: "One.\n\nTwo.")
        data.coefficients = [.init(term: long, estimate: 0, low: 0, high: 0)]
        data.scenarioDistributions = [.init(name: "constant", values: [Double](repeating: -1.25, count: 10)),
                                      .init(name: "one draw", values: [0.5])]
        data.fan = [.init(threshold: 400, costMean: 10, costLow: 9, costHigh: 11, povertyMean: 20, povertyLow: 19, povertyHigh: 21)]
        data.convergence = [.init(evaluation: 1, best: 3)]
        data.groups = (0..<60).map { i in
            .init(group: long + String(i), units: 100 + i, withheld: i % 7 == 0, exclusionMean: 0.3, exclusionLow: 0.3,
                  exclusionHigh: 0.3, inclusionMean: 0.1, inclusionLow: 0.05, inclusionHigh: 0.15)
        }
        data.tables = [.init(title: "ragged", header: ["a", "b", "c"], rows: [["1"], ["2", "3", "4", "5"]])]
        let html = HTMLReport.render(data)
        Self.keep(html, as: "edges.html")
        #expect(html.contains("<p>One.</p>\n<p>Two.</p>"))
        let charts = Self.svgs(html)
        #expect(charts.count == 5)
        for chart in charts { #expect(!chart.contains("NaN")) }
        // Long labels are shortened in the charts, with the full text as a tooltip.
        #expect(charts[0].contains("…</text>"))
        #expect(charts[0].contains("<title>\(long)</title>"))
        // Sixty rows: a tall chart, every published group drawn, withheld ones as text.
        #expect(Self.count("<circle", in: charts[3]) == 2 * 51)
        #expect(Self.count("withheld (small cell)", in: charts[3]) == 9)
        #expect(charts[3].contains("height=\"1234.0\""))
        #expect(html.contains("<tr><td class=\"num\">1</td><td class=\"num\"></td><td class=\"num\"></td><td class=\"num\"></td></tr>"))
        #expect(html.contains("<td class=\"num\">5</td></tr>"))
    }

    @Test("same data, same bytes; also after a JSON round trip")
    func determinism() throws {
        let first = HTMLReport.render(.sample)
        #expect(first == HTMLReport.render(.sample))
        #expect(first == HTMLReport.render(SampleReport.make()))
        let json = try JSONEncoder().encode(ReportData.sample)
        let decoded = try JSONDecoder().decode(ReportData.self, from: json)
        #expect(decoded == ReportData.sample)
        #expect(HTMLReport.render(decoded) == first)
        #expect(!first.contains("NaN"))
    }

    @Test("the sample: 34 provinces, two withheld, realistic shapes")
    func sample() {
        let s = ReportData.sample
        #expect(s.groups.count == 34)
        #expect(s.groups.count(where: \.withheld) == 2)
        #expect(s.scenarioDistributions.count == 4 && s.scenarioDistributions.allSatisfy { $0.values.count == 1000 })
        #expect(s.fan.count == 17)
        #expect(s.convergence.count == 400)
        #expect(zip(s.convergence, s.convergence.dropFirst()).allSatisfy { $1.best <= $0.best })
        #expect(s.groups.allSatisfy { $0.withheld || ($0.exclusionLow < $0.exclusionMean && $0.exclusionMean < $0.exclusionHigh) })
    }

    @Test("numbers are formatted by a fixed routine", arguments: [
        (1234.5678, 2, "1,234.57"), (-0.004, 2, "0.00"), (-0.006, 2, "\u{2212}0.01"), (-0.005, 2, "0.00"), (0.125, 2, "0.12"),
        (2.5, 0, "2"), (12_345_678, 0, "12,345,678"), (999.9996, 3, "1,000.000"), (-1, 1, "\u{2212}1.0"),
    ])
    func fixed(value: Double, decimals: Int, expected: String) {
        #expect(ReportFormat.fixed(value, decimals: decimals) == expected)
    }

    @Test("significant digits, scientific and special values")
    func significant() {
        #expect(ReportFormat.significant(0.012345) == "0.01234")  // half-to-even on the scaled value
        #expect(ReportFormat.significant(9.99996) == "10.00")
        #expect(ReportFormat.significant(-0.118) == "\u{2212}0.1180")
        #expect(ReportFormat.significant(612_000_000_000) == "612,000,000,000")
        #expect(ReportFormat.significant(1.5e-7) == "1.500e\u{2212}7")
        #expect(ReportFormat.significant(2e20) == "2.000e20")
        #expect(ReportFormat.significant(0) == "0")
        #expect(ReportFormat.significant(-0.0) == "0")
        #expect(ReportFormat.significant(.nan) == "NaN")
        #expect(ReportFormat.significant(-.infinity) == "\u{2212}∞")
        #expect(ReportFormat.percent(0.3381) == "33.8%")
        #expect(ReportFormat.number(-0.118) == "\u{2212}0.118")
        #expect(ReportFormat.number(12.412) == "12.41")
        #expect(ReportFormat.number(1.8e11) == "180 bn")
        #expect(ReportFormat.number(220_219_000_000) == "220.2 bn")
        #expect(ReportFormat.number(-3_250_000) == "\u{2212}3.25 M")
        #expect(ReportFormat.number(0.0318, digits: 6) == "0.0318")
        #expect(ReportFormat.number(2.5e-7) == "2.500e\u{2212}7")
        #expect(ReportFormat.column([12.412, -0.118, 0.41, .nan]) == ["12.412", "\u{2212}0.118", "0.410", "NaN"])
        #expect(ReportFormat.column([1.8e11, 2.20219e11, .infinity]) == ["180.0 bn", "220.2 bn", "∞"])
        #expect(ReportFormat.integer(-48210) == "\u{2212}48,210")
        #expect(ReportFormat.coordinate(-12.34) == "-12.3")
        #expect(ReportFormat.coordinate(.nan) == "0.0")
    }

    @Test("axes get nice ticks covering the data, zero included when asked")
    func ticks() {
        let a = LinearScale(covering: [0.31, 0.49], start: 0, end: 100, tickCount: 4)
        #expect(a.ticks == [0.3, 0.35, 0.4, 0.45, 0.5])
        #expect(a.tickLabels(suffix: "%") == ["0.30%", "0.35%", "0.40%", "0.45%", "0.50%"])
        #expect(a.domain.lowerBound <= 0.31 && a.domain.upperBound >= 0.49)
        let b = LinearScale(covering: [-0.43, 0.41], including: [0], start: 0, end: 500, tickCount: 6)
        #expect(b.ticks.contains(0))
        #expect(b.tickLabels().contains("0.0"))
        #expect(b(b.domain.lowerBound) == 0 && b(b.domain.upperBound) == 500)
        let c = LinearScale(covering: [1.8e11, 8.1e11], start: 0, end: 1, tickCount: 6)
        #expect(c.tickLabels() == ["100bn", "200bn", "300bn", "400bn", "500bn", "600bn", "700bn", "800bn", "900bn"])
        let constant = LinearScale(covering: [5, 5, 5], start: 0, end: 1)
        #expect(constant.domain.lowerBound < 5 && constant.domain.upperBound > 5)
        let empty = LinearScale(covering: [.nan], start: 0, end: 1)
        #expect(empty.domain == 0...1)
        #expect(!empty.ticks.contains { !$0.isFinite })
    }
}

/// Renders the sample report in headless Chromium and checks the screenshot is a real page.
@Suite("HTML report in Chromium")
struct ReportScreenshotTests {
    /// The browser to use: `chromium` (Debian) or `chromium-browser`, found on PATH.
    static let browser: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["chromium", "chromium-browser"] {
            for directory in path.split(separator: ":") {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }()

    /// POLICYLAB_REQUIRE_CHROMIUM=1 (scripts/test sets it) turns a missing browser into a failure.
    static let required = ProcessInfo.processInfo.environment["POLICYLAB_REQUIRE_CHROMIUM"] == "1"

    /// Runs `executable` with `arguments`, its output going to the file `log`; kills it after
    /// `timeout` seconds. Returns the exit status and the output's tail.
    static func run(_ executable: String, _ arguments: [String], log: URL, timeout: Double) throws -> (status: Int32, output: String) {
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        if done.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            _ = done.wait(timeout: .now() + 10)
            throw PNGImage.Failure(description: "\(executable) did not finish in \(timeout) s")
        }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return (process.terminationStatus, String(output.suffix(2000)))
    }

    @Test("the sample report renders in headless Chromium: the screenshot is not blank")
    func screenshot() throws {
        guard let browser = Self.browser else {
            if Self.required {
                Issue.record("POLICYLAB_REQUIRE_CHROMIUM=1 but neither chromium nor chromium-browser is on PATH; install Debian's chromium (scripts/test does).")
                return
            }
            try Test.cancel("skipped: chromium not installed (scripts/test installs it and sets POLICYLAB_REQUIRE_CHROMIUM=1)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("policylab-report-\(ProcessInfo.processInfo.processIdentifier)-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("report.html")
        let image = directory.appendingPathComponent("report.png")
        try Data(HTMLReport.render(.sample).utf8).write(to: page)

        let (status, output) = try Self.run(browser, [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--disable-dev-shm-usage", "--force-device-scale-factor=1",
            "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
            "--screenshot=\(image.path)", "--window-size=1280,2400", page.absoluteString,
        ], log: directory.appendingPathComponent("chromium.log"), timeout: 180)
        #expect(status == 0, "chromium exited with \(status): \(output)")
        let png = try PNGImage(Data(contentsOf: image))
        #expect(png.width == 1280 && png.height == 2400)

        var nonWhite = 0
        var colours = Set<UInt32>()
        var blue = 0, orange = 0
        func near(_ r: Int, _ g: Int, _ b: Int, _ rgb: (Int, Int, Int)) -> Bool {
            abs(r - rgb.0) <= 12 && abs(g - rgb.1) <= 12 && abs(b - rgb.2) <= 12
        }
        for p in 0..<(png.width * png.height) {
            let r = Int(png.rgb[3 * p]), g = Int(png.rgb[3 * p + 1]), b = Int(png.rgb[3 * p + 2])
            if r < 245 || g < 245 || b < 245 { nonWhite += 1 }
            if colours.count < 5000 { colours.insert(UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b)) }
            if near(r, g, b, (0x1F, 0x5A, 0x96)) { blue += 1 }  // ReportStyle.primary: marks and lines
            if near(r, g, b, (0xB3, 0x4A, 0x00)) { orange += 1 }  // ReportStyle.secondary
        }
        let fraction = Double(nonWhite) / Double(png.width * png.height)
        #expect(fraction > 0.02, "only \(fraction * 100)% of pixels are not white: the page looks blank")
        #expect(colours.count >= 16, "only \(colours.count) distinct colours")
        #expect(blue > 500, "too few pixels in the chart blue (\(blue)): did the SVG render?")
        #expect(orange > 50, "too few pixels in the chart orange (\(orange))")

        if let keep = ProcessInfo.processInfo.environment["POLICYLAB_REPORT_ARTIFACTS"], !keep.isEmpty {
            let target = URL(fileURLWithPath: keep)
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            for file in [page, image] {
                let destination = target.appendingPathComponent(file.lastPathComponent)
                try? FileManager.default.removeItem(at: destination)
                try FileManager.default.copyItem(at: file, to: destination)
            }
        }
        print("report screenshot: \(png.width)×\(png.height), \(String(format: "%.1f", fraction * 100))% non-white, \(colours.count) colours, \(blue) blue and \(orange) orange pixels")
    }
}
