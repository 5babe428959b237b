import Foundation
import LinearAlgebra

/// Output formats of a regression result.
public enum RegressionFormat: String, Sendable, CaseIterable {
    case text, json, csv, latex
}

extension RegressionResult {
    /// The result in `format`: an R/Stata-like summary (text), the JSON of `policylab
    /// estimate` (sorted keys, full precision), a coefficient CSV, or a LaTeX tabular.
    /// - Throws: only an encoding error for JSON (non-finite numbers are written as null).
    public func formatted(_ format: RegressionFormat) throws -> String {
        switch format {
        case .text: return summaryText
        case .json: return try json()
        case .csv: return csvTable
        case .latex: return latexTable
        }
    }

    /// Sorted-key JSON of the whole result; NaN and ±inf become null.
    public func json() throws -> String {
        try StableJSON.encode(self)
    }


    /// An R-like coefficient table with significance stars, then the fit statistics.
    public var summaryText: String {
        var lines: [String] = []
        let title: String
        switch model.replacingOccurrences(of: "+fe", with: "") {
        case "iv": title = "Instrumental variables (2SLS)"
        case "wls": title = "Weighted least squares"
        default: title = "Ordinary least squares"
        }
        lines.append("\(title)\(fixedEffects.isEmpty ? "" : " with fixed effects") — \(formula)")
        lines.append("Observations: \(nobs)" + (droppedRows > 0 ? " (\(droppedRows) dropped)" : "")
                     + "   Variance: \(vcov)" + (clusterCounts.map { "  clusters: " + $0.map(String.init).joined(separator: ", ") } ?? ""))
        if !fixedEffects.isEmpty {
            lines.append("Fixed effects: " + zip(fixedEffects, fixedEffectLevels).map { "\($0) (\($1))" }.joined(separator: ", ")
                         + (singletonsRemoved > 0 ? "   singletons removed: \(singletonsRemoved)" : ""))
        }
        lines.append("")
        let width = Swift.max(12, (coefficients.map(\.term.count).max() ?? 0) + 1)
        func pad(_ s: String, _ n: Int, left: Bool = false) -> String {
            s.count >= n ? s : (left ? s + String(repeating: " ", count: n - s.count) : String(repeating: " ", count: n - s.count) + s)
        }
        // Right-aligned numeric columns, at least their usual widths and always one space wider
        // than their widest entry (a t value of 128370.538 must not run into the standard error).
        let header = ["Estimate", "Std. Error", "t value", "Pr(>|t|)"]
        let cells = coefficients.map {
            [Self.number($0.estimate), Self.number($0.stdError), String(format: "%.3f", $0.statistic), Self.pValueText($0.pValue)]
        }
        var widths = [13, 13, 9, 11]
        for row in cells + [header] {
            for (i, cell) in row.enumerated() { widths[i] = Swift.max(widths[i], cell.count + 1) }
        }
        lines.append(pad("", width, left: true) + zip(header, widths).map { pad($0, $1) }.joined())
        for (row, text) in zip(coefficients, cells) {
            let stars = row.pValue < 0.001 ? "***" : row.pValue < 0.01 ? "**" : row.pValue < 0.05 ? "*" : row.pValue < 0.1 ? "." : ""
            lines.append(pad(row.term, width, left: true) + zip(text, widths).map { pad($0, $1) }.joined() + " " + stars)
        }
        for term in dropped { lines.append(pad(term, width, left: true) + pad("NA", widths[0]) + "   (dropped: aliased)") }
        lines.append("---")
        lines.append("Signif. codes: 0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1")
        lines.append("")
        lines.append("Residual standard error: \(Self.number(sigma)) on \(dfResidual) degrees of freedom")
        var fit = "R-squared: \(String(format: "%.6g", rSquared)),  Adjusted R-squared: \(String(format: "%.6g", adjRSquared))"
        if let withinRSquared { fit += ",  Within R-squared: \(String(format: "%.6g", withinRSquared))" }
        lines.append(fit)
        if let f = fStatistic {
            lines.append("Wald F (all slopes, \(vcov)): \(String(format: "%.4g", f.statistic)) on \(f.df1) and \(f.df2) DF,  p-value: \(Self.pValueText(f.pValue))")
        }
        for stage in firstStage ?? [] {
            lines.append("First stage \(stage.endogenous): F = \(String(format: "%.4g", stage.fStatistic.statistic)) on \(stage.fStatistic.df1) and \(stage.fStatistic.df2) DF, partial R² = \(String(format: "%.4g", stage.partialRSquared))")
        }
        if let weakInstrumentF { lines.append("Kleibergen–Paap rk Wald F: \(String(format: "%.4g", weakInstrumentF))") }
        for test in hypothesisTests ?? [] {
            lines.append("Wald test \(test.hypothesis): F = \(String(format: "%.4g", test.test.statistic)) on \(test.test.df1) and \(test.test.df2) DF,  p-value: \(Self.pValueText(test.test.pValue))")
        }
        lines.append("Solver: \(solver) (condition number \(String(format: "%.3g", conditionNumber)))")
        for warning in warnings { lines.append("Warning: \(warning)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// term,estimate,std_error,statistic,p_value,conf_low,conf_high — one row per coefficient.
    public var csvTable: String {
        var lines = ["term,estimate,std_error,statistic,p_value,conf_low,conf_high"]
        for row in coefficients {
            let term = row.term.contains(",") || row.term.contains("\"") ? "\"" + row.term.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : row.term
            let numbers = [row.estimate, row.stdError, row.statistic, row.pValue, row.confLow, row.confHigh].map { "\($0)" }
            lines.append(([term] + numbers).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A LaTeX tabular: estimate and standard error in parentheses, then N, R² and the variance.
    public var latexTable: String {
        func escape(_ s: String) -> String {
            var out = ""
            for c in s {
                switch c {
                case "_", "&", "%", "$", "#", "{", "}": out += "\\" + String(c)
                case "^": out += "\\^{}"
                case "~": out += "\\~{}"
                case "\\": out += "\\textbackslash{}"
                default: out.append(c)
                }
            }
            return out
        }
        var lines = ["\\begin{tabular}{lc}", "\\hline", " & \(escape(response)) \\\\", "\\hline"]
        for row in coefficients {
            let stars = row.pValue < 0.01 ? "^{***}" : row.pValue < 0.05 ? "^{**}" : row.pValue < 0.1 ? "^{*}" : ""
            lines.append("\(escape(row.term)) & $\(Self.number(row.estimate))\(stars)$ \\\\")
            lines.append(" & $(\(Self.number(row.stdError)))$ \\\\")
        }
        lines.append("\\hline")
        lines.append("Observations & \(nobs) \\\\")
        lines.append("$R^2$ & \(String(format: "%.4f", rSquared)) \\\\")
        lines.append("Standard errors & \(escape(vcov)) \\\\")
        lines.append("\\hline")
        lines.append("\\end{tabular}")
        return lines.joined(separator: "\n") + "\n"
    }

    static func number(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "NA" : (x > 0 ? "Inf" : "-Inf") }
        let magnitude = Swift.abs(x)
        return (magnitude != 0 && (magnitude < 1e-4 || magnitude >= 1e7)) ? String(format: "%.4e", x) : String(format: "%.6f", x)
    }

    static func pValueText(_ p: Double) -> String {
        guard p.isFinite else { return "NA" }
        return p < 2e-16 ? "<2e-16" : String(format: "%.3g", p)
    }
}
