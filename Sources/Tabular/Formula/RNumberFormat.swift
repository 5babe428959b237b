import Foundation

/// Numbers written the way R writes them (`deparse`, `as.character`, factor level names):
/// at most 15 significant digits, fixed notation unless scientific is strictly shorter.
///
/// So `100000` reads `1e+05`, `123456` reads `123456`, `0.0001` reads `1e-04`, `1/3` reads
/// `0.333333333333333`. Term names such as `I(x * 1e+05)` and `factor(x)0.5` depend on it.
enum RNumberFormat {
    /// The R text of `value` (`NaN`, `Inf`, `-Inf` for the non-finite ones).
    /// - Complexity: O(1).
    static func string(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "Inf" }
        if value == 0 { return "0" }
        // Significant digits needed at 15-digit precision, and the decimal exponent.
        let scientific = String(format: "%.14e", value)
        guard let e = scientific.firstIndex(of: "e"), let exponent = Int(scientific[scientific.index(after: e)...]) else {
            return "\(value)"
        }
        var mantissa = scientific[..<e].filter { $0.isNumber }
        while mantissa.count > 1, mantissa.last == "0" { mantissa.removeLast() }
        let significant = mantissa.count
        let negative = value < 0 ? 1 : 0
        let exponentWidth = abs(exponent) >= 100 ? 3 : 2
        let sciWidth = negative + (significant > 1 ? significant + 1 : 1) + 2 + exponentWidth
        let decimals = exponent >= 0 ? max(0, significant - 1 - exponent) : significant - 1 - exponent
        let left = exponent >= 0 ? exponent + 1 : 1
        let fixedWidth = negative + left + (decimals > 0 ? decimals + 1 : 0)
        if fixedWidth <= sciWidth {
            return String(format: "%.\(decimals)f", value)
        }
        return String(format: "%.\(significant - 1)e", value)
    }
}
