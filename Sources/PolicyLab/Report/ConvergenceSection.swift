/// Optimizer convergence: the best objective found so far against the number of evaluations,
/// drawn as a step line; the table lists the evaluations where the best value changed.
enum ConvergenceSection {
    /// The section's HTML.
    static func html(_ points: [ReportData.ConvergencePoint]) -> String {
        var html = HTMLReport.sectionStart("convergence", intro: "The best value of the objective the optimizer had found after each number of evaluations. A long flat tail means further search stopped paying off.")
        if points.isEmpty {
            return html + "<p class=\"empty\">The run did not optimize.</p>\n</section>\n"
        }
        let (svg, notes) = chart(points)
        html += HTMLReport.figure(svg, caption: "Step line: best objective so far. Dots: evaluations that improved it.", notes: notes)
        html += HTMLTable.render(table(points))
        return html + "</section>\n"
    }

    /// `points` by evaluation (stable), non-finite values dropped.
    static func finiteSteps(_ points: [ReportData.ConvergencePoint]) -> [ReportData.ConvergencePoint] {
        points.enumerated()
            .filter { $0.element.best.isFinite }
            .sorted { ($0.element.evaluation, $0.offset) < ($1.element.evaluation, $1.offset) }
            .map(\.element)
    }

    /// The points where the best value differs from the one before (the first always counts).
    static func improvements(_ steps: [ReportData.ConvergencePoint]) -> [ReportData.ConvergencePoint] {
        var result: [ReportData.ConvergencePoint] = []
        for p in steps where result.last?.best != p.best { result.append(p) }
        if let last = steps.last, result.last?.evaluation != last.evaluation { result.append(last) }
        return result
    }

    /// The SVG and its notes.
    static func chart(_ points: [ReportData.ConvergencePoint]) -> (svg: String, notes: [String]) {
        var notes: [String] = []
        let steps = finiteSteps(points)
        if steps.count < points.count {
            let n = points.count - steps.count
            notes.append("\(n) evaluation\(n == 1 ? "" : "s") with no finite best value yet (e.g. before the first feasible point) not drawn.")
        }
        let area = PlotArea(left: 96, top: 16, right: 944, bottom: 236)
        var canvas = SVGCanvas(width: 960, height: 284)
        let xScale = LinearScale(covering: steps.map { Double($0.evaluation) }, start: area.left, end: area.right, tickCount: 8)
        let yScale = LinearScale(covering: steps.map(\.best), start: area.bottom, end: area.top, tickCount: 5, pad: 0.05)
        canvas.yAxis(yScale, area: area, title: "Best objective")
        canvas.xAxis(xScale, area: area, title: "Objective evaluations")
        guard let first = steps.first else {
            canvas.emptyNote("No finite objective value", area: area)
            return (canvas.svg(id: "convergence-chart", title: "Optimizer convergence", description: "No finite objective values."), notes)
        }
        var d = "M" + ReportFormat.coordinate(xScale(Double(first.evaluation))) + " " + ReportFormat.coordinate(yScale(first.best))
        for p in steps.dropFirst() {
            d += " H" + ReportFormat.coordinate(xScale(Double(p.evaluation))) + " V" + ReportFormat.coordinate(yScale(p.best))
        }
        canvas.path(d, stroke: ReportStyle.primary, width: 2.2)
        for p in improvements(steps) {
            canvas.dot(x: xScale(Double(p.evaluation)), y: yScale(p.best), radius: 3, fill: ReportStyle.primary,
                       tooltip: "evaluation \(ReportFormat.integer(p.evaluation)): best \(ReportFormat.number(p.best, digits: 6))")
        }
        let svg = canvas.svg(id: "convergence-chart", title: "Optimizer convergence",
                             description: "Best objective value against \(ReportFormat.integer(steps.last?.evaluation ?? 0)) evaluations, as a step line.")
        return (svg, notes)
    }

    /// The evaluations at which the best value changed, and the last one.
    static func table(_ points: [ReportData.ConvergencePoint]) -> ReportData.ReportTable {
        let steps = finiteSteps(points)
        let rows = improvements(steps)
        return ReportData.ReportTable(
            title: "Optimizer progress",
            note: "\(ReportFormat.integer(steps.count)) recorded points; listed: the \(ReportFormat.integer(rows.count)) at which the best value changed, and the last.",
            header: ["Evaluation", "Best objective"],
            rows: ReportFormat.rows([rows.map { ReportFormat.integer($0.evaluation) },
                                     ReportFormat.column(rows.map(\.best), digits: 6)]))
    }
}
