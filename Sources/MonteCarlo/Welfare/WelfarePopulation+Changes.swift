// Winners and losers between a baseline and a policy, and targeting errors: one pass each.

/// Who gains and who loses from a policy: with Δᵢ = policyᵢ − baselineᵢ and tolerance τ ≥ 0,
/// a unit wins if Δᵢ > τ, loses if Δᵢ < −τ, and is unchanged otherwise; shares are weighted.
public struct WinnersLosers: Sendable, Equatable, Codable {
    /// Weighted share of units better off by more than the tolerance.
    public let winners: Double
    /// Weighted share of units worse off by more than the tolerance.
    public let losers: Double
    /// Weighted share of the rest (1 − winners − losers up to rounding).
    public let unchanged: Double
    /// The weighted mean change Σ wᵢΔᵢ / Σ wᵢ.
    public let meanChange: Double
}

/// Targeting errors of a transfer against true need, as the proxy-means-test literature
/// defines them (weighted by the population's weights):
///
/// - exclusion error (undercoverage) = weight of the poor who receive nothing / weight of
///   the poor: the share of the truly poor left out (Grosh & Baker 1995, LSMS WP 118;
///   Coady, Grosh & Hoddinott 2004; Kidd & Wylde 2011);
/// - inclusion error (leakage) = weight of recipients who are not poor / weight of
///   recipients: the share of beneficiaries who should not be (same sources).
///
/// Some authors (Brown, Ravallion & van de Walle 2018, "A poor means test?") instead call
/// inclusion error the share of the non-poor who receive; that rate is `nonPoorCoverage`.
/// "Poor" is whatever the caller passes — usually true (not predicted) welfare below the
/// line, `WelfarePopulation.poverty`'s definition.
public struct TargetingErrors: Sendable, Equatable, Codable {
    /// Poor units not receiving / poor units (NaN without poor units).
    public let exclusionError: Double
    /// Non-poor recipients / recipients (NaN without recipients).
    public let inclusionError: Double
    /// Non-poor recipients / non-poor units (NaN without non-poor units).
    public let nonPoorCoverage: Double
    /// Recipients / all units: the weighted coverage of the programme.
    public let recipientShare: Double
    /// Σ w over the poor.
    public let poorWeight: Double
    /// Σ w over the recipients.
    public let recipientWeight: Double
}

extension WelfarePopulation {
    /// Winners and losers from `baseline` to `policy` with tolerance `tolerance`; NaN shares for
    /// a group whose weights sum to 0.
    /// - Throws: `invalidArgument` unless the tolerance is finite and ≥ 0; `lengthMismatch` or
    ///   `nonFiniteValue` for a bad vector.
    /// - Complexity: O(n).
    public func winnersAndLosers(baseline: [Double], policy: [Double], tolerance: Double = 0) throws -> ByGroup<WinnersLosers> {
        try require(tolerance.isFinite && tolerance >= 0, "tolerance", "must be finite and ≥ 0, got \(tolerance)")
        try validate(baseline, "baseline")
        try validate(policy, "policy")
        return baseline.withUnsafeBufferPointer { b in
            policy.withUnsafeBufferPointer { p in
                byGroup({ i, w in
                    let change = p[i] - b[i]
                    return SIMD8(change > tolerance ? w : 0, change < -tolerance ? w : 0, w * change, 0, 0, 0, 0, 0)
                }, finish: { s, g in
                    let w = weight(of: g)
                    guard w > 0 else { return WinnersLosers(winners: .nan, losers: .nan, unchanged: .nan, meanChange: .nan) }
                    return WinnersLosers(winners: s[0] / w, losers: s[1] / w, unchanged: (w - s[0] - s[1]) / w,
                                         meanChange: s[2] / w)
                })
            }
        }
    }

    /// Targeting errors of `recipients` against `poor` (see `TargetingErrors`).
    /// - Throws: `lengthMismatch` for a vector that is not one flag per unit.
    /// - Complexity: O(n).
    public func targeting(poor: [Bool], recipients: [Bool]) throws -> ByGroup<TargetingErrors> {
        try validate(poor, "poor")
        try validate(recipients, "recipients")
        return poor.withUnsafeBufferPointer { poor in
            recipients.withUnsafeBufferPointer { received in
                byGroup({ i, w in
                    // Sums: poor, recipients, poor not receiving, non-poor receiving, non-poor
                    // (branch-free: both flags are close to coin flips).
                    let isPoor = poor[i], gets = received[i]
                    return SIMD8(isPoor ? w : 0, gets ? w : 0, isPoor && !gets ? w : 0, !isPoor && gets ? w : 0,
                                 isPoor ? 0 : w, 0, 0, 0)
                }, finish: { s, g in
                    let w = weight(of: g)
                    return TargetingErrors(exclusionError: s[0] > 0 ? s[2] / s[0] : .nan,
                                           inclusionError: s[1] > 0 ? s[3] / s[1] : .nan,
                                           nonPoorCoverage: s[4] > 0 ? s[3] / s[4] : .nan,
                                           recipientShare: w > 0 ? s[1] / w : .nan,
                                           poorWeight: s[0], recipientWeight: s[1])
                })
            }
        }
    }

    /// Targeting errors with the poor defined as `welfare` strictly below `line` (the
    /// definition of `poverty(_:line:)`).
    /// - Throws: as `poverty(_:line:)` and `targeting(poor:recipients:)`.
    /// - Complexity: O(n).
    public func targeting(welfare: [Double], line: Double, recipients: [Bool]) throws -> ByGroup<TargetingErrors> {
        try require(line.isFinite && line > 0, "povertyLine", "must be finite and > 0, got \(line)")
        try validate(welfare, "welfare")
        return try targeting(poor: welfare.map { $0 < line }, recipients: recipients)
    }
}
