import Foundation

/// Renders a ``ReportData`` as one self-contained HTML page: inline CSS, SVG charts drawn here,
/// no scripts, fonts, images or links to anything outside the file, so it opens offline, prints
/// cleanly and can be archived with the run.
///
/// Sections, in order: summary; coefficient plot; distribution of the simulated poverty change
/// per scenario; fan charts of cost and poverty against the threshold; exclusion and inclusion
/// errors by group; disparity; optimizer convergence; the pipeline's own tables; the manifest.
/// Each plot is followed by the table of the numbers it draws.
///
/// Output is deterministic: the same data gives the same bytes on every run and thread count
/// (numbers are formatted by a fixed routine, never by the locale). Text is escaped everywhere;
/// non-finite numbers are skipped in plots, shown as "NaN"/"∞" in tables, and counted in a note.
public enum HTMLReport {
    /// The whole page for `data`.
    ///
    /// - Complexity: O(n log n) in the number of values (the distributions are sorted once).
    public static func render(_ data: ReportData) -> String {
        var page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        page += "<title>\(HTMLText.escape(data.title))</title>\n<style>\n\(stylesheet)</style>\n</head>\n<body>\n<main>\n"
        page += "<header>\n<h1>\(HTMLText.escape(data.title))</h1>\n"
        if !data.subtitle.isEmpty { page += "<p class=\"subtitle\">\(HTMLText.escape(data.subtitle))</p>\n" }
        page += navigation + "</header>\n"
        page += summarySection(data.summary)
        page += CoefficientSection.html(data.coefficients)
        page += DistributionSection.html(data.scenarioDistributions)
        page += FanSection.html(data.fan)
        page += GroupSection.html(data.groups, smallCellThreshold: data.smallCellThreshold)
        page += DisparitySection.html(data.disparity)
        page += ConvergenceSection.html(data.convergence)
        page += pipelineTables(data.tables)
        page += manifestSection(data.manifest)
        page += "<footer>Report written by PolicyLab \(HTMLText.escape(PolicyLabVersion.current)). "
        page += "Intervals are those of the run; see the manifest to reproduce it.</footer>\n"
        page += "</main>\n</body>\n</html>\n"
        return page
    }

    /// The sections' anchors and headings, in page order.
    static let sections: [(id: String, heading: String)] = [
        ("summary", "Summary"),
        ("coefficients", "Model coefficients"),
        ("scenarios", "Simulated poverty change by scenario"),
        ("fan", "Cost and poverty by threshold"),
        ("groups", "Targeting errors by group"),
        ("disparity", "Disparity between groups"),
        ("convergence", "Optimizer convergence"),
        ("tables", "Further tables"),
        ("manifest", "Run manifest"),
    ]

    /// The heading of the section with anchor `id`.
    static func heading(_ id: String) -> String {
        sections.first { $0.id == id }?.heading ?? id
    }

    private static var navigation: String {
        "<nav aria-label=\"Sections\"><ul>"
            + sections.map { "<li><a href=\"#\($0.id)\">\(HTMLText.escape($0.heading))</a></li>" }.joined()
            + "</ul></nav>\n"
    }

    private static func summarySection(_ summary: String) -> String {
        var html = "<section id=\"summary\" class=\"summary\" aria-labelledby=\"summary-h\">\n<h2 id=\"summary-h\">Summary</h2>\n"
        let paragraphs = paragraphs(summary)
        if paragraphs.isEmpty {
            html += "<p class=\"empty\">No summary was provided.</p>\n"
        } else {
            html += paragraphs.map { "<p>\(HTMLText.escape($0))</p>\n" }.joined()
        }
        return html + "</section>\n"
    }

    /// `text` split at blank lines, each paragraph's lines joined by spaces.
    static func paragraphs(_ text: String) -> [String] {
        var result: [String] = []
        var current: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                if !current.isEmpty { result.append(current.joined(separator: " ")) }
                current = []
            } else {
                current.append(trimmed)
            }
        }
        if !current.isEmpty { result.append(current.joined(separator: " ")) }
        return result
    }

    private static func pipelineTables(_ tables: [ReportData.ReportTable]) -> String {
        var html = sectionStart("tables", intro: "Tables written by the pipeline, shown as computed.")
        if tables.isEmpty {
            html += "<p class=\"empty\">The run produced no further tables.</p>\n"
        }
        for table in tables {
            html += HTMLTable.render(table)
        }
        return html + "</section>\n"
    }

    private static func manifestSection(_ manifest: String) -> String {
        var html = sectionStart("manifest", intro: "Everything needed to re-run this report: version, input checksums, the full specification, seed and threads. The command policylab reproduce checks a re-run against it.")
        if manifest.isEmpty {
            html += "<p class=\"empty\">No manifest was recorded for this run.</p>\n"
        } else {
            html += "<details>\n<summary>Show the manifest (JSON, \(ReportFormat.integer(manifest.utf8.count)) bytes)</summary>\n"
            html += "<pre class=\"manifest\">\(HTMLText.escape(manifest))</pre>\n</details>\n"
        }
        return html + "</section>\n"
    }

    /// The opening of a section: `<section>`, its heading and a sentence on what it shows.
    static func sectionStart(_ id: String, intro: String) -> String {
        "<section id=\"\(id)\" aria-labelledby=\"\(id)-h\">\n<h2 id=\"\(id)-h\">\(HTMLText.escape(heading(id)))</h2>\n"
            + "<p class=\"intro\">\(HTMLText.escape(intro))</p>\n"
    }

    /// A `<figure>` holding `svg`, with a caption and the notes (skipped values and the like).
    static func figure(_ svg: String, caption: String, notes: [String]) -> String {
        var html = "<figure>\n\(svg)\n<figcaption>\(HTMLText.escape(caption))"
        for note in notes { html += "<span class=\"note\">\(HTMLText.escape(note))</span>" }
        return html + "</figcaption>\n</figure>\n"
    }
}
