/// Writes a ``ReportData/ReportTable`` as an HTML table: caption, header, escaped cells,
/// numeric columns right-aligned, the note underneath.
enum HTMLTable {
    /// The table's HTML. Short rows are padded with empty cells; extra cells are kept.
    static func render(_ table: ReportData.ReportTable) -> String {
        let columns = Swift.max(table.header.count, table.rows.map(\.count).max() ?? 0)
        let numeric = (0..<columns).map { column in
            let cells = table.rows.compactMap { column < $0.count ? $0[column] : nil }
                .filter { !$0.isEmpty && !isPlaceholder($0) }
            return !cells.isEmpty && cells.allSatisfy(isNumeric)
        }
        var html = "<div class=\"table-wrap\">\n<table>\n"
        if !table.title.isEmpty { html += "<caption>\(HTMLText.escape(table.title))</caption>\n" }
        if !table.header.isEmpty {
            html += "<thead><tr>"
            for column in 0..<columns {
                let text = column < table.header.count ? table.header[column] : ""
                html += numeric[column] ? "<th scope=\"col\" class=\"num\">" : "<th scope=\"col\">"
                html += HTMLText.escape(text) + "</th>"
            }
            html += "</tr></thead>\n"
        }
        html += "<tbody>\n"
        if table.rows.isEmpty {
            html += "<tr><td colspan=\"\(Swift.max(columns, 1))\" class=\"withheld\">No rows.</td></tr>\n"
        }
        for row in table.rows {
            html += "<tr>"
            for column in 0..<Swift.max(columns, row.count) {
                let text = column < row.count ? row[column] : ""
                var classes: [String] = []
                if column < numeric.count && numeric[column] { classes.append("num") }
                if isPlaceholder(text) { classes.append("withheld") }
                html += classes.isEmpty ? "<td>" : "<td class=\"\(classes.joined(separator: " "))\">"
                html += HTMLText.escape(text) + "</td>"
            }
            html += "</tr>\n"
        }
        html += "</tbody>\n</table>\n</div>\n"
        if !table.note.isEmpty { html += "<p class=\"table-note\">\(HTMLText.escape(table.note))</p>\n" }
        return html
    }

    /// True for text that reads as a number: digits with optional sign, grouping commas,
    /// decimal point, exponent, percent sign, "×", interval dash, an optional unit after a space
    /// (k, M, bn, tn, pts, pp), or a non-finite marker.
    static func isNumeric(_ text: String) -> Bool {
        if text == "NaN" || text == "∞" || text == "\u{2212}∞" { return true }
        var body = Substring(text)
        for unit in [" k", " M", " bn", " tn", " pts", " pp"] where body.hasSuffix(unit) {
            body = body.dropLast(unit.count)
            break
        }
        var sawDigit = false
        for scalar in body.unicodeScalars {
            switch scalar {
            case "0"..."9": sawDigit = true
            case ".", ",", "%", "e", "E", "+", "-", "\u{2212}", "\u{2013}", "×", " ", "[", "]", "(", ")": continue
            default: return false
            }
        }
        return sawDigit
    }

    /// True for the text of a withheld or missing cell, which is shown in italics.
    static func isPlaceholder(_ text: String) -> Bool {
        text.hasPrefix("withheld") || text == "—"
    }
}
