/// The rectangle inside a chart where data is drawn, in SVG user units.
struct PlotArea {
    /// Left edge.
    var left: Double
    /// Top edge.
    var top: Double
    /// Right edge.
    var right: Double
    /// Bottom edge.
    var bottom: Double

    /// right − left.
    var width: Double { right - left }
    /// bottom − top.
    var height: Double { bottom - top }
}

extension SVGCanvas {
    /// A horizontal value axis under `area`: vertical grid lines at the ticks, tick labels
    /// below, and `title` centred under them. `zeroLine` draws a dashed line at 0 when 0 is
    /// inside the domain.
    mutating func xAxis(_ scale: LinearScale, area: PlotArea, title: String, suffix: String = "",
                        zeroLine: Bool = false) {
        let labels = scale.tickLabels(suffix: suffix)
        for (tick, label) in zip(scale.ticks, labels) {
            let x = scale(tick)
            line(x1: x, y1: area.top, x2: x, y2: area.bottom, stroke: ReportStyle.grid)
            line(x1: x, y1: area.bottom, x2: x, y2: area.bottom + 4, stroke: ReportStyle.axis)
            text(label, x: x, y: area.bottom + 17, anchor: "middle", size: 11, fill: ReportStyle.muted)
        }
        line(x1: area.left, y1: area.bottom, x2: area.right, y2: area.bottom, stroke: ReportStyle.axis)
        if zeroLine && scale.domain.contains(0) {
            let x = scale(0)
            line(x1: x, y1: area.top, x2: x, y2: area.bottom, stroke: ReportStyle.axis, width: 1.2, dash: "4 3")
        }
        text(title, x: (area.left + area.right) / 2, y: area.bottom + 36, anchor: "middle", size: 12, fill: ReportStyle.ink)
    }

    /// A vertical value axis left of `area`: horizontal grid lines, tick labels, and `title`
    /// turned upright along the left edge.
    mutating func yAxis(_ scale: LinearScale, area: PlotArea, title: String, suffix: String = "") {
        let labels = scale.tickLabels(suffix: suffix)
        for (tick, label) in zip(scale.ticks, labels) {
            let y = scale(tick)
            line(x1: area.left, y1: y, x2: area.right, y2: y, stroke: ReportStyle.grid)
            line(x1: area.left - 4, y1: y, x2: area.left, y2: y, stroke: ReportStyle.axis)
            text(label, x: area.left - 7, y: y + 4, anchor: "end", size: 11, fill: ReportStyle.muted)
        }
        line(x1: area.left, y1: area.top, x2: area.left, y2: area.bottom, stroke: ReportStyle.axis)
        let widest = labels.map(\.count).max() ?? 1
        let x = area.left - 14 - Double(widest) * 11 * ReportStyle.characterWidth
        text(title, x: x, y: (area.top + area.bottom) / 2, anchor: "middle", size: 12, rotate: -90)
    }

    /// A one-line legend: a swatch (line, band or dot) and a label per entry, from (x, y).
    mutating func legend(_ entries: [LegendEntry], x: Double, y: Double) {
        var cursor = x
        for entry in entries {
            switch entry.mark {
            case .line:
                line(x1: cursor, y1: y - 4, x2: cursor + 18, y2: y - 4, stroke: entry.color, width: 2.5)
            case .band:
                rect(x: cursor, y: y - 10, width: 18, height: 12, fill: entry.color)
            case .dotWhisker:
                horizontalWhisker(from: cursor, to: cursor + 18, y: y - 4, stroke: entry.color, cap: 3)
                dot(x: cursor + 9, y: y - 4, fill: entry.color)
            }
            text(entry.label, x: cursor + 24, y: y, size: 11, fill: ReportStyle.ink)
            cursor += 24 + Double(entry.label.count) * 11 * ReportStyle.characterWidth + 18
        }
    }

    /// A short note in the plot area when there is nothing to draw.
    mutating func emptyNote(_ message: String, area: PlotArea) {
        text(message, x: (area.left + area.right) / 2, y: (area.top + area.bottom) / 2, anchor: "middle",
             size: 13, fill: ReportStyle.muted, italic: true)
    }
}

/// One entry of a chart legend.
struct LegendEntry {
    /// How the entry's swatch looks.
    enum Mark { case line, band, dotWhisker }
    /// The swatch.
    var mark: Mark
    /// Its colour.
    var color: String
    /// Its text.
    var label: String
}
