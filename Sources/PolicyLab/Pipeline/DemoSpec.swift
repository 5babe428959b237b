/// The flagship demo's spec: a synthetic registry, the PMT regression, a transfer at five
/// thresholds, and per-province thresholds and the amount optimized under a budget with a
/// cap on the spread of exclusion errors. `policylab demo` runs it; README shows it.
public enum DemoSpec {
    /// The spec text for `households` households (the registry's seed and every other setting fixed).
    public static func yaml(households: Int) -> String {
        """
        # PolicyLab flagship demo: proxy means test (PMT) targeting of a cash transfer.
        data:
          generate: {households: \(households), provinces: 34, seed: 20261129}
        model:
          formula: "\(SyntheticRegistry.pmtFormula)"
          weights: weight
          vcov: cluster:province
        population:
          weights: weight
          groups: [province]
          min_cell: 10
        simulation: {draws: 60, seed: 7}
        outcome:
          scale: exp
          poverty_line: 1400
          measures: [poverty, targeting, changes]
        threshold_grid:
          thresholds: [7.0, 7.15, 7.3, 7.45, 7.6]
          amount: 250
          budget: \(households * 450)
        optimize:
          budget: \(households * 450)
          amount: {lower: 50, upper: 600}
          thresholds: {per_group: true, lower: 6.8, upper: 7.9}
          goal: poverty_gap
          fairness: {max_exclusion_gap: 0.25}
          draws: 12
          sample: 40000
          evaluations: 1500
          seed: 3
        """
    }
}
