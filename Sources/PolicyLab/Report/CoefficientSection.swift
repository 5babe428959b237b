/// The coefficient plot: one row per term, the estimate as a dot and its interval as a
/// whisker on a shared horizontal axis with a dashed zero line; the table underneath.
enum CoefficientSection {
    /// Terms kept out of the plot (they sit on another scale) but listed in the table.
    static let interceptNames: Set<String> = ["(Intercept)", "Intercept", "intercept", "_cons", "const"]

    /// The section's HTML.
    static func html(_ coefficients: [ReportData.CoefficientInterval]) -> String {
        var html = HTMLReport.sectionStart("coefficients", intro: "Estimated effect of each household trait on predicted welfare, with its confidence interval. Terms whose interval excludes zero are drawn in blue.")
        if coefficients.isEmpty {
            return html + "<p class=\"empty\">The run estimated no coefficients.</p>\n</section>\n"
        }
        let (svg, notes) = chart(coefficients)
        html += HTMLReport.figure(svg, caption: "Dot: estimate. Whisker: confidence interval. Dashed line: zero.", notes: notes)
        html += HTMLTable.render(table(coefficients))
        return html + "</section>\n"
    }

    /// The SVG and the notes on what was left out.
    static func chart(_ coefficients: [ReportData.CoefficientInterval]) -> (svg: String, notes: [String]) {
        var notes: [String] = []
        let intercepts = coefficients.filter { interceptNames.contains($0.term) }
        if !intercepts.isEmpty {
            notes.append("Not plotted (on another scale; see the table): " + intercepts.map(\.term).joined(separator: ", ") + ".")
        }
        let candidates = coefficients.filter { !interceptNames.contains($0.term) }
        let rows = candidates.filter { $0.estimate.isFinite }
        let dropped = candidates.filter { !$0.estimate.isFinite }
        if !dropped.isEmpty {
            notes.append("Not plotted (estimate not finite, e.g. dropped as collinear): " + dropped.map(\.term).joined(separator: ", ") + ".")
        }
        let openIntervals = rows.filter { !$0.low.isFinite || !$0.high.isFinite }.count
        if openIntervals > 0 {
            notes.append("\(openIntervals) interval\(openIntervals == 1 ? "" : "s") not finite: only the estimate is drawn.")
        }

        let labelChars = Swift.min(rows.map(\.term.count).max() ?? 8, 34)
        let labelWidth = Double(labelChars) * 12 * ReportStyle.characterWidth + 20
        let rowHeight = 24.0
        let width = 960.0
        let area = PlotArea(left: labelWidth, top: 30, right: width - 24, bottom: 30 + Double(Swift.max(rows.count, 1)) * rowHeight)
        var canvas = SVGCanvas(width: width, height: area.bottom + 48)
        let values = rows.flatMap { [$0.estimate, $0.low, $0.high] }
        let scale = LinearScale(covering: values, including: [0], start: area.left + 8, end: area.right - 8, tickCount: 7, pad: 0.02)
        for (i, _) in rows.enumerated() where i % 2 == 1 {
            canvas.rect(x: 0, y: area.top + Double(i) * rowHeight, width: area.right, height: rowHeight, fill: ReportStyle.stripe)
        }
        canvas.xAxis(scale, area: area, title: "Coefficient (model units)", zeroLine: true)
        canvas.legend([LegendEntry(mark: .dotWhisker, color: ReportStyle.primary, label: "interval excludes 0"),
                       LegendEntry(mark: .dotWhisker, color: "#6b7480", label: "interval includes 0")],
                      x: area.left, y: 18)
        if rows.isEmpty { canvas.emptyNote("No coefficient to plot", area: area) }
        for (i, c) in rows.enumerated() {
            let y = area.top + (Double(i) + 0.5) * rowHeight
            let excludesZero = c.low.isFinite && c.high.isFinite && (c.low > 0 || c.high < 0)
            let color = excludesZero ? ReportStyle.primary : "#6b7480"
            let shown = HTMLText.truncate(c.term, to: 34)
            canvas.text(shown, x: area.left - 10, y: y + 4, anchor: "end", size: 12,
                        tooltip: shown == c.term ? nil : c.term)
            if c.low.isFinite && c.high.isFinite {
                canvas.horizontalWhisker(from: scale.clamped(c.low), to: scale.clamped(c.high), y: y, stroke: color)
            }
            let tip = "\(c.term): \(ReportFormat.number(c.estimate)) [\(ReportFormat.number(c.low)), \(ReportFormat.number(c.high))]"
            canvas.dot(x: scale(c.estimate), y: y, radius: 4.5, fill: color, tooltip: tip)
        }
        let svg = canvas.svg(id: "coefficients-chart", title: "Coefficient plot",
                             description: "Estimates and confidence intervals for \(rows.count) model terms on a shared axis with a zero line.")
        return (svg, notes)
    }

    /// The numbers behind the plot, every term included.
    static func table(_ coefficients: [ReportData.CoefficientInterval]) -> ReportData.ReportTable {
        ReportData.ReportTable(
            title: "Coefficients",
            note: "Interval: the confidence interval reported by the estimation step.",
            header: ["Term", "Estimate", "Low", "High"],
            rows: ReportFormat.rows([coefficients.map(\.term), ReportFormat.column(coefficients.map(\.estimate)),
                                     ReportFormat.column(coefficients.map(\.low)), ReportFormat.column(coefficients.map(\.high))]))
    }
}
