/// A linear map from data values to SVG coordinates, with "nice" tick values.
struct LinearScale: Sendable {
    /// The data interval, low < high.
    let domain: ClosedRange<Double>
    /// Where `domain.lowerBound` lands.
    let start: Double
    /// Where `domain.upperBound` lands (may be less than `start`, as for y axes).
    let end: Double
    /// Tick values inside the domain, ascending.
    let ticks: [Double]
    /// The distance between ticks, 1, 2 or 5 times a power of ten.
    let step: Double

    /// A scale covering `values` (non-finite ones ignored), widened to tick multiples, with
    /// about `tickCount` ticks. `including` values (e.g. 0 for a zero line) are always inside.
    /// A constant or empty input gets a small interval around its value (or [0, 1]).
    init(covering values: [Double], including: [Double] = [], start: Double, end: Double,
         tickCount: Int = 6, pad: Double = 0) {
        let finite = (values + including).filter(\.isFinite)
        var low = finite.min() ?? 0
        var high = finite.max() ?? 1
        if high - low <= Swift.max(Swift.abs(low), Swift.abs(high)) * 1e-12 || high == low {
            let half = low == 0 ? 1 : Swift.abs(low) * 0.1
            low -= half
            high += half
        } else if pad > 0 {
            let extra = (high - low) * pad
            low -= extra
            high += extra
        }
        let (mantissa, exponent) = Self.niceStep(span: high - low, count: Swift.max(tickCount, 2))
        // Ticks are k·m·10^e computed as an integer times or over an exact power of ten, so a
        // tick lands on the double nearest its decimal value (0.3, not 0.30000000000000004).
        func value(_ k: Double) -> Double {
            let t = exponent >= 0 ? k * mantissa * ReportFormat.powerOfTen(exponent)
                                  : (k * mantissa) / ReportFormat.powerOfTen(-exponent)
            return t == 0 ? 0 : t  // no −0
        }
        let step = value(1)
        let first = (low / step).rounded(.down)
        let last = Swift.max((high / step).rounded(.up), first + 1)
        self.domain = value(first)...value(last)
        self.start = start
        self.end = end
        self.step = step
        var ticks: [Double] = []
        var k = first
        while k <= last && ticks.count < 1000 {
            ticks.append(value(k))
            k += 1
        }
        self.ticks = ticks
    }

    /// The coordinate of `value` (values outside the domain map outside the range).
    func callAsFunction(_ value: Double) -> Double {
        let span = domain.upperBound - domain.lowerBound
        return start + (value - domain.lowerBound) / span * (end - start)
    }

    /// The coordinate of `value`, held inside the range.
    func clamped(_ value: Double) -> Double {
        let c = self(value)
        return Swift.min(Swift.max(c, Swift.min(start, end)), Swift.max(start, end))
    }

    /// A step of 1, 2 or 5 × 10ᵉ giving about `count` intervals over `span`, as (mantissa, e).
    static func niceStep(span: Double, count: Int) -> (mantissa: Double, exponent: Int) {
        let rough = span / Double(count)
        guard rough.isFinite, rough > 0 else { return (1, 0) }
        let exponent = ReportFormat.decimalExponent(rough)
        let residual = rough / ReportFormat.powerOfTen(exponent)
        if residual > 7 { return (1, exponent + 1) }
        return (residual <= 1.5 ? 1 : residual <= 3 ? 2 : 5, exponent)
    }

    /// Labels for ``ticks``: the same number of decimals for every tick, chosen from the step;
    /// large values are shown in thousands ("k"), millions ("M") or billions ("bn").
    /// `suffix` follows each label (e.g. "%").
    func tickLabels(suffix: String = "") -> [String] {
        let largest = ticks.map { Swift.abs($0) }.max() ?? 0
        var divisor = 1.0
        var unit = ""
        if largest >= 1e9 { divisor = 1e9; unit = "bn" }
        else if largest >= 1e6 { divisor = 1e6; unit = "M" }
        else if largest >= 1e5 { divisor = 1e3; unit = "k" }
        let scaledStep = step / divisor
        let decimals = Swift.max(0, -ReportFormat.decimalExponent(scaledStep))
        if decimals > 8 {
            return ticks.map { ReportFormat.scientific($0, digits: 2) + suffix }
        }
        return ticks.map { ReportFormat.fixed($0 / divisor, decimals: decimals) + unit + suffix }
    }
}
