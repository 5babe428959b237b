import Foundation

/// Which variance estimator a regression reports, as `--vcov` names it.
///
/// - `iid`: σ̂²(XᵀWX)⁻¹.
/// - `hc0`…`hc3`: White's heteroskedasticity-consistent sandwich and its MacKinnon–White
///   refinements, as R's `sandwich::vcovHC(type =)`: HC1 scales HC0 by n/(n − k); HC2 and HC3
///   divide each squared residual by (1 − hᵢ) and (1 − hᵢ)² (hᵢ the leverage).
/// - `cluster([v])`: cluster-robust (Liang–Zeger) one-way, or multi-way (Cameron–Gelbach–Miller
///   inclusion–exclusion) for several variables, with the small-sample adjustments of
///   `sandwich::vcovCL(type = "HC1")` (see `ClusterVariance`).
/// - `neweyWest(lag:)`: Newey–West HAC with Bartlett weights 1 − l/(L+1), rows taken in data
///   order, as `sandwich::NeweyWest(lag = L, prewhite = FALSE, adjust = FALSE)`; `nil` lag
///   picks it by Newey–West (1994) as `bwNeweyWest(prewhite = FALSE)` does.
public enum VarianceType: Sendable, Hashable, CustomStringConvertible {
    case iid, hc0, hc1, hc2, hc3
    case cluster([String])
    case neweyWest(lag: Int?)

    /// Parses `iid`, `hc0`–`hc3`, `cluster:V`, `cluster:V1,V2`, `nw:L`, `nw:auto` (case-insensitive keyword).
    /// - Throws: `RegressionError.invalidOption` naming the text and listing the accepted forms.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let lower = trimmed.lowercased()
        switch lower {
        case "iid", "classical", "const": self = .iid; return
        case "hc0": self = .hc0; return
        case "hc1", "hetero", "robust": self = .hc1; return
        case "hc2": self = .hc2; return
        case "hc3": self = .hc3; return
        default: break
        }
        if lower.hasPrefix("cluster:") {
            let names = trimmed.dropFirst("cluster:".count).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty }) else {
                throw RegressionError.invalidOption(option: "vcov", value: text, expected: "cluster:V or cluster:V1,V2 with column names")
            }
            guard Set(names).count == names.count else {
                throw RegressionError.invalidOption(option: "vcov", value: text, expected: "distinct cluster columns")
            }
            self = .cluster(names)
            return
        }
        if lower.hasPrefix("nw:") || lower == "nw" {
            let lagText = lower == "nw" ? "auto" : String(lower.dropFirst(3))
            if lagText == "auto" { self = .neweyWest(lag: nil); return }
            guard let lag = Int(lagText), lag >= 0 else {
                throw RegressionError.invalidOption(option: "vcov", value: text, expected: "nw:L with a lag L ≥ 0, or nw:auto")
            }
            self = .neweyWest(lag: lag)
            return
        }
        throw RegressionError.invalidOption(option: "vcov", value: text,
                                            expected: "one of iid, hc0, hc1, hc2, hc3, cluster:V, cluster:V1,V2, nw:L, nw:auto")
    }

    /// The name as `--vcov` spells it (`hc1`, `cluster:firm,year`, `nw:4`, `nw:auto`).
    public var description: String {
        switch self {
        case .iid: return "iid"
        case .hc0: return "hc0"
        case .hc1: return "hc1"
        case .hc2: return "hc2"
        case .hc3: return "hc3"
        case let .cluster(names): return "cluster:" + names.joined(separator: ",")
        case let .neweyWest(lag): return "nw:" + (lag.map(String.init) ?? "auto")
        }
    }

    /// The cluster columns this variance needs (empty unless `.cluster`).
    public var clusterColumns: [String] {
        if case let .cluster(names) = self { return names }
        return []
    }
}
