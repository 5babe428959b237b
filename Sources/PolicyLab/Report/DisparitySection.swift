/// The disparity table: for each measure, the groups that fare worst and best, the ratio
/// and the difference between them.
enum DisparitySection {
    /// The section's HTML.
    static func html(_ disparity: [ReportData.Disparity]) -> String {
        var html = HTMLReport.sectionStart("disparity", intro: "How far apart the groups with the highest and lowest value of each measure are. A ratio near 1 and a difference near 0 mean groups are treated alike. Withheld groups take no part.")
        if disparity.isEmpty {
            return html + "<p class=\"empty\">The run computed no disparity measures.</p>\n</section>\n"
        }
        html += HTMLTable.render(table(disparity))
        return html + "</section>\n"
    }

    /// The table, one row per measure in the given order.
    static func table(_ disparity: [ReportData.Disparity]) -> ReportData.ReportTable {
        ReportData.ReportTable(
            title: "Disparity between groups",
            note: "Ratio: highest ÷ lowest. Difference: highest − lowest, in the measure's own units.",
            header: ["Measure", "Highest group", "Lowest group", "Ratio", "Difference"],
            rows: disparity.map { d in
                [d.measure, d.highestGroup, d.lowestGroup,
                 d.ratio.isFinite ? ReportFormat.fixed(d.ratio, decimals: 2) + "×" : ReportFormat.number(d.ratio),
                 ReportFormat.number(d.difference)]
            })
    }
}
