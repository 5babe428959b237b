import Foundation

/// The machine-readable summary of a fit, as `policylab nls --format json` prints it:
/// `{"parameters":[{"term","estimate","std_error"}],"rss","residual_sd","df","iterations",
/// "evaluations","converged","message"}`. Undefined numbers (a standard error of an
/// unidentified parameter, σ̂ with df = 0) are `null`.
public struct NLSReport: Codable, Sendable, Equatable {
    /// One parameter's row.
    public struct Parameter: Codable, Sendable, Equatable {
        /// The parameter name.
        public var term: String
        /// The estimate.
        public var estimate: Double
        /// Its standard error (null when not identified or df = 0).
        public var std_error: Double?
    }

    /// One row per parameter, in start-point order.
    public var parameters: [Parameter]
    /// Residual sum of squares.
    public var rss: Double
    /// Residual standard deviation √(RSS/df) (null when df = 0).
    public var residual_sd: Double?
    /// Degrees of freedom (observations − parameters).
    public var df: Int
    /// Levenberg–Marquardt iterations (Jacobian evaluations).
    public var iterations: Int
    /// Residual evaluations.
    public var evaluations: Int
    /// Whether a convergence test was met.
    public var converged: Bool
    /// Why the optimizer stopped, plus notes (dropped rows, rank deficiency).
    public var message: String

    /// The report of `fit`.
    /// - Complexity: O(parameters).
    public init(_ fit: NonlinearLeastSquaresFit) {
        parameters = fit.parameterNames.indices.map { i in
            Parameter(term: fit.parameterNames[i], estimate: fit.estimates[i], std_error: fit.standardErrors?[i])
        }
        rss = fit.residualSumOfSquares
        residual_sd = fit.residualStandardDeviation.isFinite ? fit.residualStandardDeviation : nil
        df = fit.degreesOfFreedom
        iterations = fit.iterations
        evaluations = fit.evaluations
        converged = fit.converged
        message = fit.message
    }

    /// The report as one line of JSON with sorted keys (stable bytes for any thread count).
    /// - Throws: `EncodingError` only if an estimate is not finite (reported, never trapped).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// A fixed-width text table with the summary lines below it.
    public var text: String {
        let width = Swift.max(4, parameters.map(\.term.count).max() ?? 4)
        func pad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: Swift.max(0, w - s.count)) + s }
        func number(_ v: Double?) -> String { v.map { String(format: "%.10g", $0) } ?? "NA" }
        var lines = [pad("term", width) + pad("estimate", 18) + pad("std_error", 18)]
        for p in parameters { lines.append(pad(p.term, width) + pad(number(p.estimate), 18) + pad(number(p.std_error), 18)) }
        lines.append("")
        lines.append("residual sum of squares: \(number(rss))")
        lines.append("residual sd: \(number(residual_sd)) on \(df) degrees of freedom")
        lines.append("iterations: \(iterations), evaluations: \(evaluations), converged: \(converged)")
        lines.append(message)
        return lines.joined(separator: "\n")
    }
}
