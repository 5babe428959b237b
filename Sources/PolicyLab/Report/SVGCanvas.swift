/// A small SVG writer: shapes and text appended in order, then wrapped in an accessible
/// `<svg>` element. Coordinates are printed with one decimal; all text is escaped.
struct SVGCanvas {
    /// The drawing's width in user units (the SVG scales to its container).
    let width: Double
    /// The drawing's height in user units.
    let height: Double
    /// The SVG elements so far.
    private(set) var body = ""

    /// An empty canvas.
    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    private typealias F = ReportFormat

    /// A straight line; `dash` is a `stroke-dasharray` value such as "4 3".
    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String,
                       width: Double = 1, dash: String? = nil) {
        body += "<line x1=\"\(F.coordinate(x1))\" y1=\"\(F.coordinate(y1))\" x2=\"\(F.coordinate(x2))\" y2=\"\(F.coordinate(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(F.coordinate(width))\""
        if let dash { body += " stroke-dasharray=\"\(dash)\"" }
        body += "/>\n"
    }

    /// A rectangle (negative sizes are flipped).
    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String,
                       stroke: String? = nil, opacity: Double? = nil) {
        let x0 = Swift.min(x, x + width), y0 = Swift.min(y, y + height)
        body += "<rect x=\"\(F.coordinate(x0))\" y=\"\(F.coordinate(y0))\" width=\"\(F.coordinate(Swift.abs(width)))\" height=\"\(F.coordinate(Swift.abs(height)))\" fill=\"\(fill)\""
        if let stroke { body += " stroke=\"\(stroke)\"" }
        if let opacity { body += " fill-opacity=\"\(F.fixed(opacity, decimals: 2, grouped: false, minus: "-"))\"" }
        body += "/>\n"
    }

    /// A filled circle, with an optional tooltip.
    mutating func dot(x: Double, y: Double, radius: Double = 3.5, fill: String, stroke: String = "#ffffff",
                      tooltip: String? = nil) {
        body += "<circle cx=\"\(F.coordinate(x))\" cy=\"\(F.coordinate(y))\" r=\"\(F.coordinate(radius))\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"1\""
        if let tooltip {
            body += "><title>\(HTMLText.escape(tooltip))</title></circle>\n"
        } else {
            body += "/>\n"
        }
    }

    /// A horizontal interval with end caps at height `y`.
    mutating func horizontalWhisker(from x1: Double, to x2: Double, y: Double, stroke: String, cap: Double = 4) {
        line(x1: x1, y1: y, x2: x2, y2: y, stroke: stroke, width: 1.6)
        line(x1: x1, y1: y - cap, x2: x1, y2: y + cap, stroke: stroke, width: 1.6)
        line(x1: x2, y1: y - cap, x2: x2, y2: y + cap, stroke: stroke, width: 1.6)
    }

    /// A vertical interval with end caps at `x`.
    mutating func verticalWhisker(x: Double, from y1: Double, to y2: Double, stroke: String, cap: Double = 4) {
        line(x1: x, y1: y1, x2: x, y2: y2, stroke: stroke, width: 1.6)
        line(x1: x - cap, y1: y1, x2: x + cap, y2: y1, stroke: stroke, width: 1.6)
        line(x1: x - cap, y1: y2, x2: x + cap, y2: y2, stroke: stroke, width: 1.6)
    }

    /// An open line through `points`.
    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 2) {
        guard points.count > 1 else { return }
        body += "<polyline points=\"\(Self.pointList(points))\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(F.coordinate(width))\" stroke-linejoin=\"round\"/>\n"
    }

    /// A shaded band between `upper` and `lower`, which share their x coordinates.
    mutating func band(upper: [(Double, Double)], lower: [(Double, Double)], fill: String, opacity: Double = 1) {
        guard upper.count > 1, upper.count == lower.count else { return }
        let ring = upper + lower.reversed()
        body += "<polygon points=\"\(Self.pointList(ring))\" fill=\"\(fill)\" fill-opacity=\"\(F.fixed(opacity, decimals: 2, grouped: false, minus: "-"))\" stroke=\"none\"/>\n"
    }

    /// A path from its `d` commands (already formatted).
    mutating func path(_ d: String, stroke: String, width: Double = 2, fill: String = "none") {
        body += "<path d=\"\(d)\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"\(F.coordinate(width))\" stroke-linejoin=\"round\"/>\n"
    }

    /// Text at (x, y). `anchor` is start, middle or end; `rotate` turns it about its anchor
    /// (−90 for a y-axis title); `tooltip` holds the full text when the label was shortened.
    mutating func text(_ string: String, x: Double, y: Double, anchor: String = "start", size: Double = 12,
                       fill: String = ReportStyle.ink, weight: String? = nil, italic: Bool = false,
                       rotate: Double? = nil, tooltip: String? = nil) {
        body += "<text x=\"\(F.coordinate(x))\" y=\"\(F.coordinate(y))\" font-size=\"\(F.coordinate(size))\" fill=\"\(fill)\""
        if anchor != "start" { body += " text-anchor=\"\(anchor)\"" }
        if let weight { body += " font-weight=\"\(weight)\"" }
        if italic { body += " font-style=\"italic\"" }
        if let rotate {
            body += " transform=\"rotate(\(F.coordinate(rotate)) \(F.coordinate(x)) \(F.coordinate(y)))\""
        }
        body += ">"
        if let tooltip { body += "<title>\(HTMLText.escape(tooltip))</title>" }
        body += HTMLText.escape(string) + "</text>\n"
    }

    /// The finished `<svg>`: `role="img"` with `<title>` and `<desc>` that screen readers
    /// announce, `id` prefixing their ids so that several charts can share a page.
    func svg(id: String, title: String, description: String) -> String {
        let w = F.coordinate(width), h = F.coordinate(height)
        return "<svg class=\"chart\" viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" height=\"\(h)\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" font-family=\"inherit\">\n"
            + "<title id=\"\(id)-title\">\(HTMLText.escape(title))</title>\n"
            + "<desc id=\"\(id)-desc\">\(HTMLText.escape(description))</desc>\n"
            + "<rect x=\"0\" y=\"0\" width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>\n"
            + body + "</svg>"
    }

    private static func pointList(_ points: [(Double, Double)]) -> String {
        points.map { F.coordinate($0.0) + "," + F.coordinate($0.1) }.joined(separator: " ")
    }
}

/// The report's colours and sizes, chosen for contrast on white (text ≥ 7:1, marks ≥ 4.5:1)
/// and for telling series apart in greyscale print.
enum ReportStyle {
    /// Body text.
    static let ink = "#1b1f24"
    /// Secondary text: axis labels, notes (contrast 7.4:1 on white).
    static let muted = "#4a5360"
    /// Grid lines.
    static let grid = "#e3e7ec"
    /// Axis lines and the zero line.
    static let axis = "#7a8491"
    /// The first series (blue).
    static let primary = "#1f5a96"
    /// The primary series' band.
    static let primaryBand = "#9ec3e6"
    /// The second series (burnt orange).
    static let secondary = "#b34a00"
    /// The secondary series' band.
    static let secondaryBand = "#f3c29b"
    /// Alternate row shading.
    static let stripe = "#f4f6f8"
    /// Approximate advance of one character, as a fraction of the font size, for sizing label
    /// columns (generous, so that the widest common sans-serif fonts still fit).
    static let characterWidth = 0.58
}
