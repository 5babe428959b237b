/// Exclusion and inclusion errors by group (e.g. province): one row per group, a dot and
/// whisker in each of two panels. Withheld groups (small cells) get a text row and are never
/// plotted; their numbers appear nowhere in the page.
enum GroupSection {
    /// The text shown for a withheld group.
    static func withheldText(_ k: Int?) -> String {
        if let k { return "withheld (n < \(ReportFormat.integer(k)))" }
        return "withheld (small cell)"
    }

    /// The section's HTML.
    static func html(_ groups: [ReportData.GroupErrors], smallCellThreshold k: Int?) -> String {
        var html = HTMLReport.sectionStart("groups", intro: "Exclusion error: the share of eligible households the policy leaves out. Inclusion error: the share of recipients who are not eligible. Each dot is the mean over simulation draws, each whisker its interval.")
        if groups.isEmpty {
            return html + "<p class=\"empty\">The run reported no groups.</p>\n</section>\n"
        }
        let (svg, notes) = chart(groups, smallCellThreshold: k)
        html += HTMLReport.figure(svg, caption: "Dot: mean error. Whisker: interval over draws. Groups too small to publish are withheld and not drawn.", notes: notes)
        html += HTMLTable.render(table(groups, smallCellThreshold: k))
        return html + "</section>\n"
    }

    /// The SVG and its notes.
    static func chart(_ groups: [ReportData.GroupErrors], smallCellThreshold k: Int?) -> (svg: String, notes: [String]) {
        var notes: [String] = []
        let withheld = groups.count(where: \.withheld)
        if withheld > 0 {
            notes.append("\(withheld) group\(withheld == 1 ? "" : "s") withheld by small-cell suppression\(k.map { " (fewer than \(ReportFormat.integer($0)) units)" } ?? ""); not plotted.")
        }
        let published = groups.filter { !$0.withheld }
        let exclusion = published.flatMap { [$0.exclusionMean, $0.exclusionLow, $0.exclusionHigh] }.map { $0 * 100 }
        let inclusion = published.flatMap { [$0.inclusionMean, $0.inclusionLow, $0.inclusionHigh] }.map { $0 * 100 }
        let skipped = published.count(where: { !$0.exclusionMean.isFinite }) + published.count(where: { !$0.inclusionMean.isFinite })
        if skipped > 0 { notes.append("\(skipped) non-finite mean\(skipped == 1 ? "" : "s") not plotted.") }

        let labelChars = Swift.max(Swift.min(groups.map(\.group.count).max() ?? 8, 28), 5)
        let labelWidth = Double(labelChars) * 12 * ReportStyle.characterWidth + 14
        let unitsWidth = 62.0
        let width = 960.0
        let rowHeight = groups.count > 16 ? 19.0 : 24.0
        let top = 46.0
        let bottom = top + Double(groups.count) * rowHeight
        let panelsLeft = labelWidth + unitsWidth + 18
        let gap = 30.0
        let panelWidth = (width - 16 - panelsLeft - gap) / 2
        let left = PlotArea(left: panelsLeft, top: top, right: panelsLeft + panelWidth, bottom: bottom)
        let right = PlotArea(left: left.right + gap, top: top, right: left.right + gap + panelWidth, bottom: bottom)
        var canvas = SVGCanvas(width: width, height: bottom + 48)
        for i in groups.indices where i % 2 == 1 {
            canvas.rect(x: 0, y: top + Double(i) * rowHeight, width: width - 16, height: rowHeight, fill: ReportStyle.stripe)
        }
        let xl = LinearScale(covering: exclusion, start: left.left + 6, end: left.right - 6, tickCount: 5, pad: 0.03)
        let xr = LinearScale(covering: inclusion, start: right.left + 6, end: right.right - 6, tickCount: 5, pad: 0.03)
        canvas.xAxis(xl, area: left, title: "Exclusion error", suffix: "%")
        canvas.xAxis(xr, area: right, title: "Inclusion error", suffix: "%")
        canvas.text("Group", x: 8, y: top - 10, size: 12, weight: "600")
        canvas.text("Units", x: labelWidth + unitsWidth, y: top - 10, anchor: "end", size: 12, weight: "600")
        canvas.text("Exclusion error", x: left.left, y: top - 26, size: 13, fill: ReportStyle.primary, weight: "600")
        canvas.text("Inclusion error", x: right.left, y: top - 26, size: 13, fill: ReportStyle.secondary, weight: "600")
        for (i, g) in groups.enumerated() {
            let y = top + (Double(i) + 0.5) * rowHeight
            let shown = HTMLText.truncate(g.group, to: 28)
            canvas.text(shown, x: 8, y: y + 4, size: 12, tooltip: shown == g.group ? nil : g.group)
            if g.withheld {
                canvas.text("—", x: labelWidth + unitsWidth, y: y + 4, anchor: "end", size: 12, fill: ReportStyle.muted)
                canvas.text(withheldText(k), x: (left.left + right.right) / 2, y: y + 4, anchor: "middle", size: 12,
                            fill: ReportStyle.muted, italic: true)
                continue
            }
            canvas.text(ReportFormat.integer(g.units), x: labelWidth + unitsWidth, y: y + 4, anchor: "end", size: 12,
                        fill: ReportStyle.muted)
            mark(&canvas, xl, y: y, area: left, group: g, name: "exclusion",
                 mean: g.exclusionMean, low: g.exclusionLow, high: g.exclusionHigh, color: ReportStyle.primary)
            mark(&canvas, xr, y: y, area: right, group: g, name: "inclusion",
                 mean: g.inclusionMean, low: g.inclusionLow, high: g.inclusionHigh, color: ReportStyle.secondary)
        }
        let svg = canvas.svg(id: "groups-chart", title: "Exclusion and inclusion errors by group",
                             description: "Dot-and-whisker rows for \(published.count) published groups; \(withheld) withheld groups are listed as text only.")
        return (svg, notes)
    }

    /// One dot and whisker (shares in [0, 1], drawn as percent), or a note when not finite.
    static func mark(_ canvas: inout SVGCanvas, _ scale: LinearScale, y: Double, area: PlotArea,
                     group g: ReportData.GroupErrors, name: String,
                     mean: Double, low: Double, high: Double, color: String) {
        guard mean.isFinite else {
            canvas.text("not finite", x: area.left + 8, y: y + 4, size: 11, fill: ReportStyle.muted, italic: true)
            return
        }
        if low.isFinite && high.isFinite {
            canvas.horizontalWhisker(from: scale.clamped(low * 100), to: scale.clamped(high * 100), y: y, stroke: color, cap: 3.5)
        }
        let tip = "\(g.group) (n = \(ReportFormat.integer(g.units))): \(name) \(ReportFormat.percent(mean)) [\(ReportFormat.percent(low)), \(ReportFormat.percent(high))]"
        canvas.dot(x: scale(mean * 100), y: y, radius: 3.8, fill: color, tooltip: tip)
    }

    /// The numbers behind the plot; withheld groups show only the withheld text.
    static func table(_ groups: [ReportData.GroupErrors], smallCellThreshold k: Int?) -> ReportData.ReportTable {
        let p = { (x: Double) in ReportFormat.percent(x) }
        return ReportData.ReportTable(
            title: "Targeting errors by group",
            note: "Errors in percent; Low–High: the interval over simulation draws."
                + (k.map { " Groups with fewer than \(ReportFormat.integer($0)) units are withheld." } ?? " Small groups are withheld."),
            header: ["Group", "Units", "Exclusion", "Excl. low", "Excl. high", "Inclusion", "Incl. low", "Incl. high"],
            rows: groups.map { g in
                if g.withheld { return [g.group, "—", withheldText(k), "", "", "", "", ""] }
                return [g.group, ReportFormat.integer(g.units), p(g.exclusionMean), p(g.exclusionLow), p(g.exclusionHigh),
                        p(g.inclusionMean), p(g.inclusionLow), p(g.inclusionHigh)]
            })
    }
}
