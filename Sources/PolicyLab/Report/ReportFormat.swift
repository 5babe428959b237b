/// Number and text formatting for the report, independent of locale and platform formatting
/// APIs, so that the same data always renders to the same bytes.
///
/// Rounding is half-to-even on the decimal scaled value; digits come from integer arithmetic.
enum ReportFormat {
    /// The minus sign used in visible text (U+2212), which lines up with digits.
    static let minus = "\u{2212}"

    /// `x` with exactly `decimals` digits after the point (0...12), thousands grouped with
    /// commas when `grouped`. Non-finite values print as "NaN", "∞" and "−∞"; a value that
    /// rounds to zero never prints a sign. Magnitudes beyond 9×10¹⁵ after scaling fall back to
    /// ``scientific(_:digits:minus:)``.
    static func fixed(_ x: Double, decimals: Int, grouped: Bool = true, minus: String = ReportFormat.minus) -> String {
        guard x.isFinite else { return nonFinite(x, minus: minus) }
        let d = Swift.min(Swift.max(decimals, 0), 12)
        let scale = powerOfTen(d)
        let scaled = (Swift.abs(x) * scale).rounded(.toNearestOrEven)
        guard scaled < 9e15 else { return scientific(x, digits: 4, minus: minus) }
        let n = UInt64(scaled)
        let unit = UInt64(scale)
        var integer = String(n / unit)
        if grouped { integer = group(integer) }
        var text = integer
        if d > 0 {
            let fraction = String(n % unit)
            text += "." + String(repeating: "0", count: d - fraction.count) + fraction
        }
        return (x < 0 && n != 0 ? minus : "") + text
    }

    /// `x` rounded to `digits` significant digits (1...15): plain notation for magnitudes in
    /// [10⁻⁴, 10¹⁵), scientific otherwise. Integers of four or more digits are grouped.
    static func significant(_ x: Double, digits: Int = 4, minus: String = ReportFormat.minus) -> String {
        guard x.isFinite else { return nonFinite(x, minus: minus) }
        if x == 0 { return "0" }
        let p = Swift.min(Swift.max(digits, 1), 15)
        var e = decimalExponent(x)
        // Rounding can carry into the next power of ten (9.9996 → 10.00).
        let rounded = (Swift.abs(x) / powerOfTen(e - p + 1)).rounded(.toNearestOrEven)
        if rounded >= powerOfTen(p) { e += 1 }
        if e < -4 || e >= 15 { return scientific(x, digits: p, minus: minus) }
        return fixed(x, decimals: Swift.max(p - 1 - e, 0), minus: minus)
    }

    /// A value for a table or tooltip: `digits` significant digits without trailing zeros after
    /// the point; a million or more is written with a unit ("612 bn", "1.25 M", "3.4 tn").
    static func number(_ x: Double, digits: Int = 4) -> String {
        guard x.isFinite else { return nonFinite(x, minus: minus) }
        let a = Swift.abs(x)
        if a >= 1e6 && a < 1e15 {
            let (divisor, unit) = a >= 1e12 ? (1e12, "tn") : a >= 1e9 ? (1e9, "bn") : (1e6, "M")
            return trimmed(significant(x / divisor, digits: digits)) + " " + unit
        }
        return trimmed(significant(x, digits: digits))
    }

    /// A table column: each value as ``number(_:digits:)`` would write it, then every value in
    /// plain notation padded to the most decimals any of them needs (at most 8), so that the
    /// column lines up ("12.412", "−0.118", "0.410"). A column whose largest value reaches a
    /// million is written in one unit ("180.0 bn", "220.2 bn"); values with an exponent keep
    /// their own form.
    static func column(_ values: [Double], digits: Int = 4) -> [String] {
        // A column reaching a million shares one unit, chosen by its largest value.
        let largest = values.filter(\.isFinite).map { Swift.abs($0) }.max() ?? 0
        if largest >= 1e6 && largest < 1e15 {
            let (divisor, unit) = largest >= 1e12 ? (1e12, "tn") : largest >= 1e9 ? (1e9, "bn") : (1e6, "M")
            return zip(values, column(values.map { $0 / divisor }, digits: digits)).map { x, text in
                x.isFinite ? text + " " + unit : text
            }
        }
        let texts = values.map { number($0, digits: digits) }
        func plain(_ x: Double, _ text: String) -> Bool { x.isFinite && Swift.abs(x) < 1e6 && !text.contains("e") }
        var decimals = 0
        for (x, text) in zip(values, texts) where plain(x, text) {
            if let dot = text.firstIndex(of: ".") {
                decimals = Swift.max(decimals, text.distance(from: dot, to: text.endIndex) - 1)
            }
        }
        decimals = Swift.min(decimals, 8)
        return zip(values, texts).map { x, text in plain(x, text) ? fixed(x, decimals: decimals) : text }
    }

    /// Rows of cells from columns of equal length.
    static func rows(_ columns: [[String]]) -> [[String]] {
        guard let count = columns.first?.count else { return [] }
        return (0..<count).map { r in columns.map { r < $0.count ? $0[r] : "" } }
    }

    /// `text` without trailing zeros after a decimal point (and without the point if nothing
    /// follows it); scientific notation is left alone.
    static func trimmed(_ text: String) -> String {
        guard text.contains("."), !text.contains("e") else { return text }
        var t = Substring(text)
        while t.hasSuffix("0") { t = t.dropLast() }
        if t.hasSuffix(".") { t = t.dropLast() }
        return String(t)
    }

    /// `x` as `m.mmm×10^e` text written "1.234e-7" (ASCII, for tables and tick labels).
    static func scientific(_ x: Double, digits: Int, minus: String = ReportFormat.minus) -> String {
        guard x.isFinite else { return nonFinite(x, minus: minus) }
        if x == 0 { return "0" }
        let p = Swift.min(Swift.max(digits, 1), 15)
        var e = decimalExponent(x)
        var mantissa = Swift.abs(x) / powerOfTen(e)
        if (mantissa * powerOfTen(p - 1)).rounded(.toNearestOrEven) >= powerOfTen(p) {
            e += 1
            mantissa /= 10
        }
        let m = fixed(mantissa, decimals: p - 1, grouped: false)
        return (x < 0 ? minus : "") + m + "e" + (e < 0 ? minus : "") + String(Swift.abs(e))
    }

    /// A share in [0, 1] as a percentage with `decimals` digits, e.g. 0.1234 → "12.3%".
    static func percent(_ share: Double, decimals: Int = 1) -> String {
        guard share.isFinite else { return nonFinite(share, minus: minus) }
        return fixed(share * 100, decimals: decimals) + "%"
    }

    /// An SVG coordinate: one decimal, ASCII minus, no grouping (short, exact enough at 1/10 px).
    static func coordinate(_ x: Double) -> String {
        fixed(x.isFinite ? x : 0, decimals: 1, grouped: false, minus: "-")
    }

    /// An integer with thousands grouped, e.g. 1234567 → "1,234,567".
    static func integer(_ n: Int) -> String {
        let digits = group(String(n.magnitude))
        return n < 0 ? minus + digits : digits
    }

    /// "NaN", "∞" or "−∞".
    static func nonFinite(_ x: Double, minus: String) -> String {
        x.isNaN ? "NaN" : (x > 0 ? "∞" : minus + "∞")
    }

    /// 10^n for n in −30...30, exact for 0...22.
    static func powerOfTen(_ n: Int) -> Double {
        var result = 1.0
        for _ in 0..<Swift.min(Swift.abs(n), 308) { result *= 10 }
        return n < 0 ? 1 / result : result
    }

    /// ⌊log₁₀|x|⌋ for a finite non-zero `x`, found by comparison with exact powers of ten so that
    /// no libm rounding can move it.
    static func decimalExponent(_ x: Double) -> Int {
        let a = Swift.abs(x)
        var e = 0
        if a >= 1 {
            while e < 308 && powerOfTen(e + 1) <= a { e += 1 }
        } else {
            while e > -330 && powerOfTen(e) > a { e -= 1 }
        }
        return e
    }

    /// Inserts a comma every three digits from the right when there are four or more digits.
    static func group(_ digits: String) -> String {
        guard digits.count >= 4 else { return digits }
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}

/// HTML escaping for text and attribute values.
enum HTMLText {
    /// `text` with `& < > " '` replaced by character references, and control characters other
    /// than tab, newline and carriage return dropped (they are not allowed in HTML).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `text` cut to at most `limit` characters, ending with "…" when cut.
    static func truncate(_ text: String, to limit: Int) -> String {
        guard text.count > limit, limit > 1 else { return text }
        return String(text.prefix(limit - 1)) + "…"
    }
}
