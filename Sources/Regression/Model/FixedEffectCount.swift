import Tabular

/// How many parameters absorbed fixed effects use, as fixest counts them by default
/// (`ssc(adj = TRUE, fixef.K = "nested")`): Σ_q G_q − (Q − 1) — one level of every effect
/// after the first is redundant with the first. For cluster-robust variances an effect nested
/// in a cluster variable (each of its groups inside one cluster) counts as 1 instead of G_q:
/// its dummies are absorbed by the cluster sums. Residual degrees of freedom always use the
/// full count.
enum FixedEffectCount {
    static func parameters(_ effects: AbsorbedEffects, clusters: [GroupCodes]) -> Int {
        var total = 0
        for q in effects.groups.indices {
            let nested = clusters.contains { effects.isNested(q, in: $0) }
            total += nested ? 1 : effects.groups[q].count
        }
        return Swift.max(0, total - Swift.max(0, effects.groups.count - 1))
    }
}
