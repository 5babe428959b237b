// Totals, means and poverty (Foster–Greer–Thorbecke) measures: one pass over the units.

/// The Foster–Greer–Thorbecke poverty measures of a population against a line z:
/// P_α = Σᵢ wᵢ·1[yᵢ < z]·((z − yᵢ)/z)^α / Σᵢ wᵢ for α = 0, 1, 2 (Foster, Greer & Thorbecke 1984,
/// Econometrica 52(3)). A unit is poor when its outcome is strictly below the line.
public struct PovertyMeasures: Sendable, Equatable, Codable {
    /// P₀, the headcount ratio: the weighted share of units below the line.
    public let headcount: Double
    /// P₁, the poverty gap index: the mean normalized shortfall (z − y)/z, 0 for the non-poor.
    public let gap: Double
    /// P₂, the severity index: the mean squared normalized shortfall.
    public let severity: Double
    /// Σ w over the poor: the weighted number of poor units.
    public let poorWeight: Double
}

extension WelfarePopulation {
    /// Σ wᵢyᵢ.
    /// - Throws: `lengthMismatch` or `nonFiniteValue` for a bad `outcome`.
    /// - Complexity: O(n).
    public func total(_ outcome: [Double]) throws -> ByGroup<Double> {
        try validate(outcome, "outcome")
        return outcome.withUnsafeBufferPointer { y in
            byGroup({ i, w in SIMD8(w * y[i], 0, 0, 0, 0, 0, 0, 0) }, finish: { s, _ in s[0] })
        }
    }

    /// Σ wᵢyᵢ / Σ wᵢ; NaN for a group whose weights sum to 0.
    /// - Throws: `lengthMismatch` or `nonFiniteValue` for a bad `outcome`.
    /// - Complexity: O(n).
    public func mean(_ outcome: [Double]) throws -> ByGroup<Double> {
        try validate(outcome, "outcome")
        return outcome.withUnsafeBufferPointer { y in
            byGroup({ i, w in SIMD8(w * y[i], 0, 0, 0, 0, 0, 0, 0) }, finish: { s, g in
                let w = weight(of: g)
                return w > 0 ? s[0] / w : .nan
            })
        }
    }

    /// FGT(0, 1, 2) against `line`. Outcomes may be negative (then the normalized shortfall
    /// exceeds 1); NaN for a group whose weights sum to 0.
    /// - Throws: `invalidArgument` unless the line is finite and > 0; `lengthMismatch` or
    ///   `nonFiniteValue` for a bad `outcome`.
    /// - Complexity: O(n).
    public func poverty(_ outcome: [Double], line: Double) throws -> ByGroup<PovertyMeasures> {
        try require(line.isFinite && line > 0, "povertyLine", "must be finite and > 0, got \(line)")
        try validate(outcome, "outcome")
        let inverseLine = 1 / line
        return outcome.withUnsafeBufferPointer { y in
            byGroup({ i, w in
                // Branch-free: poverty status is close to a coin flip, which a branch mispredicts.
                let x = y[i]
                let poor: Double = x < line ? 1 : 0
                let shortfall = poor * ((line - x) * inverseLine)
                return SIMD8(w * poor, w * shortfall, w * shortfall * shortfall, 0, 0, 0, 0, 0)
            }, finish: { s, g in
                let w = weight(of: g)
                guard w > 0 else { return PovertyMeasures(headcount: .nan, gap: .nan, severity: .nan, poorWeight: 0) }
                return PovertyMeasures(headcount: s[0] / w, gap: s[1] / w, severity: s[2] / w, poorWeight: s[0])
            })
        }
    }
}
