import Tabular

/// How many parameters absorbed fixed effects use, as fixest counts them by default
/// (`ssc(adj = TRUE, fixef.K = "nested")`): Σ_q G_q − (Q − 1) — one level of every effect
/// after the first is redundant with the first — and, for cluster-robust variances, an effect
/// nested in a cluster variable (each of its groups inside one cluster) is not counted.
enum FixedEffectCount {
    static func parameters(_ effects: AbsorbedEffects, clusters: [GroupCodes]) -> Int {
        var total = 0, counted = 0
        for q in effects.groups.indices {
            if clusters.contains(where: { effects.isNested(q, in: $0) }) { continue }
            total += effects.groups[q].count
            counted += 1
        }
        return Swift.max(0, total - Swift.max(0, counted - 1))
    }
}
