/// The distribution of the simulated poverty change, one strip per scenario on a shared
/// axis: a histogram of the draws above a box-and-whisker (box 25th–75th percentile, whiskers
/// 5th–95th, bar at the median, dot at the mean); the summary table underneath.
enum DistributionSection {
    /// Summary statistics of one scenario's finite draws.
    struct Summary {
        /// Finite draws, ascending.
        var sorted: [Double]
        /// Non-finite draws left out.
        var skipped: Int
        /// Arithmetic mean of the finite draws (NaN when there are none).
        var mean: Double
        /// Sample standard deviation (n − 1; NaN for fewer than two draws).
        var sd: Double

        /// Summarizes `values`, dropping NaN and ±∞.
        init(_ values: [Double]) {
            sorted = values.filter(\.isFinite).sorted()
            skipped = values.count - sorted.count
            let n = Double(sorted.count)
            // Fixed-order sums, so the numbers do not depend on how the draws were produced.
            mean = sorted.isEmpty ? .nan : sorted.reduce(0, +) / n
            if sorted.count > 1 {
                let m = mean
                sd = (sorted.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)).squareRoot()
            } else {
                sd = .nan
            }
        }

        /// The `p` quantile (R's type 7: linear between order statistics); NaN when empty.
        func quantile(_ p: Double) -> Double {
            guard let first = sorted.first else { return .nan }
            guard sorted.count > 1 else { return first }
            let h = Double(sorted.count - 1) * Swift.min(Swift.max(p, 0), 1)
            let lo = Int(h.rounded(.down))
            let hi = Swift.min(lo + 1, sorted.count - 1)
            return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
        }

        /// The share of draws below zero (a fall in poverty); NaN when empty.
        var shareBelowZero: Double {
            sorted.isEmpty ? .nan : Double(sorted.count(where: { $0 < 0 })) / Double(sorted.count)
        }
    }

    /// The section's HTML.
    static func html(_ distributions: [ReportData.Distribution]) -> String {
        var html = HTMLReport.sectionStart("scenarios", intro: "How the poverty measure changes under each scenario, across all simulation draws (parameter and residual uncertainty). Values left of zero mean poverty falls.")
        if distributions.isEmpty {
            return html + "<p class=\"empty\">The run simulated no scenarios.</p>\n</section>\n"
        }
        let summaries = distributions.map { Summary($0.values) }
        let (svg, notes) = chart(distributions, summaries)
        html += HTMLReport.figure(svg, caption: "Bars: histogram of the draws. Box: 25th to 75th percentile; whiskers: 5th to 95th; vertical bar: median; dot: mean. Dashed line: no change.", notes: notes)
        html += HTMLTable.render(table(distributions, summaries))
        return html + "</section>\n"
    }

    /// The SVG and its notes.
    static func chart(_ distributions: [ReportData.Distribution], _ summaries: [Summary]) -> (svg: String, notes: [String]) {
        var notes: [String] = []
        for (d, s) in zip(distributions, summaries) where s.skipped > 0 {
            notes.append("\(d.name): \(ReportFormat.integer(s.skipped)) non-finite draw\(s.skipped == 1 ? "" : "s") skipped.")
        }
        let labelChars = Swift.min(distributions.map(\.name.count).max() ?? 8, 36)
        let labelWidth = Double(labelChars) * 12 * ReportStyle.characterWidth + 20
        let rowHeight = 64.0
        let width = 960.0
        let area = PlotArea(left: labelWidth, top: 10, right: width - 24, bottom: 10 + Double(distributions.count) * rowHeight)
        var canvas = SVGCanvas(width: width, height: area.bottom + 48)
        let all = summaries.flatMap { [$0.sorted.first, $0.sorted.last].compactMap { $0 } }
        let scale = LinearScale(covering: all, including: [0], start: area.left + 6, end: area.right - 6, tickCount: 8, pad: 0.02)
        for i in distributions.indices where i % 2 == 1 {
            canvas.rect(x: 0, y: area.top + Double(i) * rowHeight, width: area.right, height: rowHeight, fill: ReportStyle.stripe)
        }
        canvas.xAxis(scale, area: area, title: "Simulated change in poverty", zeroLine: true)
        let bins = 48
        let binWidth = (scale.domain.upperBound - scale.domain.lowerBound) / Double(bins)
        for (i, (d, s)) in zip(distributions, summaries).enumerated() {
            let top = area.top + Double(i) * rowHeight
            let shown = HTMLText.truncate(d.name, to: 36)
            canvas.text(shown, x: area.left - 10, y: top + rowHeight / 2 + 4, anchor: "end", size: 12,
                        weight: "600", tooltip: shown == d.name ? nil : d.name)
            guard !s.sorted.isEmpty else {
                canvas.text("no finite draws", x: area.left + 12, y: top + rowHeight / 2 + 4, size: 12,
                            fill: ReportStyle.muted, italic: true)
                continue
            }
            // Histogram: counts per bin, scaled to this row's tallest bin.
            var counts = [Int](repeating: 0, count: bins)
            for v in s.sorted {
                let k = Int(((v - scale.domain.lowerBound) / binWidth).rounded(.down))
                counts[Swift.min(Swift.max(k, 0), bins - 1)] += 1
            }
            let tallest = Double(counts.max() ?? 1)
            let histogramBottom = top + 38
            for (k, count) in counts.enumerated() where count > 0 {
                let x0 = scale(scale.domain.lowerBound + Double(k) * binWidth)
                let x1 = scale(scale.domain.lowerBound + Double(k + 1) * binWidth)
                let h = Swift.max(Double(count) / tallest * 30, 1)
                canvas.rect(x: x0 + 0.5, y: histogramBottom - h, width: x1 - x0 - 1, height: h, fill: ReportStyle.primaryBand)
            }
            // Box and whiskers.
            let y = top + 49
            let q = [0.05, 0.25, 0.5, 0.75, 0.95].map { scale(s.quantile($0)) }
            canvas.horizontalWhisker(from: q[0], to: q[4], y: y, stroke: ReportStyle.primary, cap: 5)
            canvas.rect(x: q[1], y: y - 6, width: Swift.max(q[3] - q[1], 1), height: 12, fill: "#ffffff", stroke: ReportStyle.primary)
            canvas.line(x1: q[2], y1: y - 6, x2: q[2], y2: y + 6, stroke: ReportStyle.primary, width: 2.5)
            let tip = "\(d.name): mean \(ReportFormat.number(s.mean)), median \(ReportFormat.number(s.quantile(0.5))), 90% of draws in [\(ReportFormat.number(s.quantile(0.05))), \(ReportFormat.number(s.quantile(0.95)))]"
            canvas.dot(x: scale(s.mean), y: y, radius: 3.5, fill: ReportStyle.secondary, tooltip: tip)
        }
        let svg = canvas.svg(id: "scenarios-chart", title: "Distribution of the simulated poverty change by scenario",
                             description: "Histogram and box plot of the simulated change in poverty for \(distributions.count) scenarios on a shared axis.")
        return (svg, notes)
    }

    /// The numbers behind the plot.
    static func table(_ distributions: [ReportData.Distribution], _ summaries: [Summary]) -> ReportData.ReportTable {
        ReportData.ReportTable(
            title: "Simulated poverty change by scenario",
            note: "Draws: finite simulation draws used. Share < 0: fraction of draws in which poverty falls.",
            header: ["Scenario", "Draws", "Mean", "SD", "5th pct", "Median", "95th pct", "Share < 0"],
            rows: ReportFormat.rows([
                distributions.map(\.name), summaries.map { ReportFormat.integer($0.sorted.count) },
                ReportFormat.column(summaries.map(\.mean)), ReportFormat.column(summaries.map(\.sd)),
                ReportFormat.column(summaries.map { $0.quantile(0.05) }), ReportFormat.column(summaries.map { $0.quantile(0.5) }),
                ReportFormat.column(summaries.map { $0.quantile(0.95) }), summaries.map { ReportFormat.percent($0.shareBelowZero) },
            ]))
    }
}
