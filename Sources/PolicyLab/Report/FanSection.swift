/// Fan charts of programme cost and of poverty against the eligibility threshold: two
/// panels, each a shaded interval band with the mean line on top; the table underneath.
enum FanSection {
    /// One panel's series: threshold, mean, low, high.
    typealias Series = [(x: Double, mean: Double, low: Double, high: Double)]

    /// The section's HTML.
    static func html(_ fan: [ReportData.FanPoint]) -> String {
        var html = HTMLReport.sectionStart("fan", intro: "What the programme costs and where poverty ends up as the eligibility threshold rises, with the simulation interval around each mean.")
        if fan.isEmpty {
            return html + "<p class=\"empty\">The run evaluated no thresholds.</p>\n</section>\n"
        }
        let (svg, notes) = chart(fan)
        html += HTMLReport.figure(svg, caption: "Line and dots: mean over draws. Band: interval over draws.", notes: notes)
        html += HTMLTable.render(table(fan))
        return html + "</section>\n"
    }

    /// The two-panel SVG and its notes.
    static func chart(_ fan: [ReportData.FanPoint]) -> (svg: String, notes: [String]) {
        let sorted = inThresholdOrder(fan)
        let cost: Series = sorted.map { ($0.threshold, $0.costMean, $0.costLow, $0.costHigh) }
        let poverty: Series = sorted.map { ($0.threshold, $0.povertyMean, $0.povertyLow, $0.povertyHigh) }
        var canvas = SVGCanvas(width: 960, height: 330)
        var notes: [String] = []
        notes += panel(&canvas, cost, name: "Cost", area: PlotArea(left: 84, top: 40, right: 460, bottom: 280),
                       color: ReportStyle.primary, band: ReportStyle.primaryBand)
        notes += panel(&canvas, poverty, name: "Poverty", area: PlotArea(left: 572, top: 40, right: 944, bottom: 280),
                       color: ReportStyle.secondary, band: ReportStyle.secondaryBand)
        let svg = canvas.svg(id: "fan-chart", title: "Fan charts of cost and poverty against the threshold",
                             description: "Two panels over \(fan.count) thresholds: mean cost with its interval band, and mean poverty with its interval band.")
        return (svg, notes)
    }

    /// Draws one panel into `canvas`; returns notes on skipped points.
    static func panel(_ canvas: inout SVGCanvas, _ series: Series, name: String, area: PlotArea,
                      color: String, band: String) -> [String] {
        var notes: [String] = []
        let usable = series.filter { $0.x.isFinite && $0.mean.isFinite }
        if usable.count < series.count {
            let n = series.count - usable.count
            notes.append("\(name): \(n) threshold\(n == 1 ? "" : "s") with a non-finite threshold or mean skipped.")
        }
        let banded = usable.filter { $0.low.isFinite && $0.high.isFinite }
        if banded.count < usable.count {
            let n = usable.count - banded.count
            notes.append("\(name): \(n) interval\(n == 1 ? "" : "s") not finite; the band leaves \(n == 1 ? "it" : "them") out.")
        }
        let xScale = LinearScale(covering: usable.map(\.x), start: area.left, end: area.right, tickCount: 6)
        let yScale = LinearScale(covering: usable.flatMap { [$0.mean] } + banded.flatMap { [$0.low, $0.high] },
                                 start: area.bottom, end: area.top, tickCount: 6, pad: 0.04)
        canvas.text(name, x: area.left, y: area.top - 22, size: 14, weight: "600")
        canvas.legend([LegendEntry(mark: .line, color: color, label: "mean"),
                       LegendEntry(mark: .band, color: band, label: "interval")],
                      x: area.right - 150, y: area.top - 22)
        canvas.yAxis(yScale, area: area, title: name)
        canvas.xAxis(xScale, area: area, title: "Eligibility threshold")
        if usable.isEmpty {
            canvas.emptyNote("No finite point to draw", area: area)
            return notes
        }
        canvas.band(upper: banded.map { (xScale($0.x), yScale.clamped($0.high)) },
                    lower: banded.map { (xScale($0.x), yScale.clamped($0.low)) }, fill: band, opacity: 0.85)
        if banded.count == 1, let only = banded.first {
            canvas.verticalWhisker(x: xScale(only.x), from: yScale.clamped(only.low), to: yScale.clamped(only.high), stroke: color)
        }
        canvas.polyline(usable.map { (xScale($0.x), yScale($0.mean)) }, stroke: color, width: 2.5)
        for p in usable {
            let tip = "threshold \(ReportFormat.number(p.x)): \(name.lowercased()) \(ReportFormat.number(p.mean)) [\(ReportFormat.number(p.low)), \(ReportFormat.number(p.high))]"
            canvas.dot(x: xScale(p.x), y: yScale(p.mean), radius: 3, fill: color, tooltip: tip)
        }
        return notes
    }

    /// `fan` by ascending threshold, NaN thresholds last, ties in their given order.
    static func inThresholdOrder(_ fan: [ReportData.FanPoint]) -> [ReportData.FanPoint] {
        fan.enumerated().sorted { a, b in
            let ka = (a.element.threshold.isNaN ? 1 : 0, a.element.threshold.isNaN ? 0 : a.element.threshold, a.offset)
            let kb = (b.element.threshold.isNaN ? 1 : 0, b.element.threshold.isNaN ? 0 : b.element.threshold, b.offset)
            return ka < kb
        }.map(\.element)
    }

    /// The numbers behind the plot, in threshold order.
    static func table(_ fan: [ReportData.FanPoint]) -> ReportData.ReportTable {
        let sorted = inThresholdOrder(fan)
        let c = { (value: (ReportData.FanPoint) -> Double) in ReportFormat.column(sorted.map(value)) }
        return ReportData.ReportTable(
            title: "Cost and poverty by threshold",
            note: "Mean over simulation draws; Low–High: the interval over draws.",
            header: ["Threshold", "Cost mean", "Cost low", "Cost high", "Poverty mean", "Poverty low", "Poverty high"],
            rows: ReportFormat.rows([c(\.threshold), c(\.costMean), c(\.costLow), c(\.costHigh),
                                     c(\.povertyMean), c(\.povertyLow), c(\.povertyHigh)]))
    }
}
