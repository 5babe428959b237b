/// Everything the HTML report shows, as plain values: the contract between the pipeline
/// (`policylab run`, `policylab demo`), which fills it, and ``HTMLReport``, which draws it.
///
/// The report is reproducible: the same `ReportData` always renders to the same bytes, so
/// nothing here should hold a timestamp or anything else that changes between identical runs
/// (the manifest's timings are the exception, and live only in ``manifest``).
///
/// Non-finite numbers (NaN, ±∞) are allowed anywhere: the renderer skips them and says how
/// many it skipped. Encoding such a value to JSON needs a `nonConformingFloatEncodingStrategy`.
public struct ReportData: Sendable, Codable, Equatable {
    /// The report's heading, e.g. "Proxy means test: targeting a cash transfer".
    public var title: String
    /// One line under the title: data source, model, number of draws. No dates or times.
    public var subtitle: String
    /// The plain-language paragraph shown first: the chosen policy, its cost, its effect and
    /// their uncertainty. A blank line starts a new paragraph.
    public var summary: String
    /// Regression coefficients with their confidence intervals (coefficient plot).
    public var coefficients: [CoefficientInterval]
    /// Simulated draws of the poverty change, one distribution per scenario (shared axis).
    public var scenarioDistributions: [Distribution]
    /// Cost and poverty against the eligibility threshold, with intervals (fan charts).
    public var fan: [FanPoint]
    /// Exclusion and inclusion errors by group (province) with intervals.
    public var groups: [GroupErrors]
    /// Disparity between the best- and worst-treated groups, one row per measure.
    public var disparity: [Disparity]
    /// The optimizer's best objective after each evaluation (convergence plot).
    public var convergence: [ConvergencePoint]
    /// Further tables from the pipeline, each rendered as is after the plots.
    public var tables: [ReportTable]
    /// The run manifest as JSON text, shown verbatim in a collapsible block.
    public var manifest: String
    /// The small-cell threshold k: groups with fewer units are withheld. Shown in the
    /// "withheld (n < k)" note; `nil` says only "withheld (small cell)".
    public var smallCellThreshold: Int?

    /// A report from its parts; every collection may be empty (its section then says so).
    public init(
        title: String, subtitle: String, summary: String,
        coefficients: [CoefficientInterval] = [], scenarioDistributions: [Distribution] = [],
        fan: [FanPoint] = [], groups: [GroupErrors] = [], disparity: [Disparity] = [],
        convergence: [ConvergencePoint] = [], tables: [ReportTable] = [], manifest: String = "",
        smallCellThreshold: Int? = nil
    ) {
        self.title = title
        self.subtitle = subtitle
        self.summary = summary
        self.coefficients = coefficients
        self.scenarioDistributions = scenarioDistributions
        self.fan = fan
        self.groups = groups
        self.disparity = disparity
        self.convergence = convergence
        self.tables = tables
        self.manifest = manifest
        self.smallCellThreshold = smallCellThreshold
    }
}

extension ReportData {
    /// One regression coefficient and its confidence interval, in the model's units.
    ///
    /// Terms named "(Intercept)" or "Intercept" are listed in the table but left out of the
    /// plot, whose scale they would otherwise flatten.
    public struct CoefficientInterval: Sendable, Codable, Equatable {
        /// The term's label, e.g. "household_size" or "education[secondary]".
        public var term: String
        /// The point estimate; NaN for a term dropped as collinear.
        public var estimate: Double
        /// The interval's lower end.
        public var low: Double
        /// The interval's upper end.
        public var high: Double

        /// A coefficient with its interval.
        public init(term: String, estimate: Double, low: Double, high: Double) {
            self.term = term
            self.estimate = estimate
            self.low = low
            self.high = high
        }
    }

    /// The simulated draws of one scenario's poverty change (e.g. change in the headcount
    /// rate, in percentage points); every distribution shares one axis.
    public struct Distribution: Sendable, Codable, Equatable {
        /// The scenario's name.
        public var name: String
        /// One value per simulation draw, in draw order.
        public var values: [Double]

        /// A scenario's draws.
        public init(name: String, values: [Double]) {
            self.name = name
            self.values = values
        }
    }

    /// Cost and poverty at one eligibility threshold: the mean over draws and an interval.
    public struct FanPoint: Sendable, Codable, Equatable {
        /// The eligibility threshold (predicted welfare below it qualifies).
        public var threshold: Double
        /// Mean programme cost.
        public var costMean: Double
        /// Lower end of the cost interval.
        public var costLow: Double
        /// Upper end of the cost interval.
        public var costHigh: Double
        /// Mean poverty measure after the transfer.
        public var povertyMean: Double
        /// Lower end of the poverty interval.
        public var povertyLow: Double
        /// Upper end of the poverty interval.
        public var povertyHigh: Double

        /// One threshold's cost and poverty.
        public init(
            threshold: Double, costMean: Double, costLow: Double, costHigh: Double,
            povertyMean: Double, povertyLow: Double, povertyHigh: Double
        ) {
            self.threshold = threshold
            self.costMean = costMean
            self.costLow = costLow
            self.costHigh = costHigh
            self.povertyMean = povertyMean
            self.povertyLow = povertyLow
            self.povertyHigh = povertyHigh
        }
    }

    /// Targeting errors in one group. Errors are shares in [0, 1] (the report shows percent):
    /// exclusion = eligible households left out / eligible; inclusion = ineligible households
    /// let in / recipients.
    public struct GroupErrors: Sendable, Codable, Equatable {
        /// The group's label, e.g. a province name.
        public var group: String
        /// The number of units (households) in the group.
        public var units: Int
        /// True when small-cell suppression withholds the group: its numbers are never shown.
        public var withheld: Bool
        /// Mean exclusion error.
        public var exclusionMean: Double
        /// Lower end of the exclusion-error interval.
        public var exclusionLow: Double
        /// Upper end of the exclusion-error interval.
        public var exclusionHigh: Double
        /// Mean inclusion error.
        public var inclusionMean: Double
        /// Lower end of the inclusion-error interval.
        public var inclusionLow: Double
        /// Upper end of the inclusion-error interval.
        public var inclusionHigh: Double

        /// One group's errors.
        public init(
            group: String, units: Int, withheld: Bool,
            exclusionMean: Double, exclusionLow: Double, exclusionHigh: Double,
            inclusionMean: Double, inclusionLow: Double, inclusionHigh: Double
        ) {
            self.group = group
            self.units = units
            self.withheld = withheld
            self.exclusionMean = exclusionMean
            self.exclusionLow = exclusionLow
            self.exclusionHigh = exclusionHigh
            self.inclusionMean = inclusionMean
            self.inclusionLow = inclusionLow
            self.inclusionHigh = inclusionHigh
        }

        /// A withheld group: only its label and size are kept, its errors are set to 0 (the
        /// report never shows a withheld group's numbers, and 0 keeps the value JSON-encodable).
        public static func withheld(group: String, units: Int) -> GroupErrors {
            GroupErrors(group: group, units: units, withheld: true,
                        exclusionMean: 0, exclusionLow: 0, exclusionHigh: 0,
                        inclusionMean: 0, inclusionLow: 0, inclusionHigh: 0)
        }
    }

    /// The gap between the groups that fare best and worst on one measure.
    public struct Disparity: Sendable, Codable, Equatable {
        /// The measure, e.g. "Exclusion error".
        public var measure: String
        /// The group with the highest value.
        public var highestGroup: String
        /// The group with the lowest value.
        public var lowestGroup: String
        /// Highest ÷ lowest.
        public var ratio: Double
        /// Highest − lowest, in the measure's units.
        public var difference: Double

        /// One measure's disparity.
        public init(measure: String, highestGroup: String, lowestGroup: String, ratio: Double, difference: Double) {
            self.measure = measure
            self.highestGroup = highestGroup
            self.lowestGroup = lowestGroup
            self.ratio = ratio
            self.difference = difference
        }
    }

    /// The best objective value found after a number of evaluations (lower is better or
    /// higher is better, as the optimizer defines it; the plot just draws the steps).
    public struct ConvergencePoint: Sendable, Codable, Equatable {
        /// The number of objective evaluations so far.
        public var evaluation: Int
        /// The best objective value so far; +∞ before the first feasible point (skipped).
        public var best: Double

        /// One step of the optimizer's progress.
        public init(evaluation: Int, best: Double) {
            self.evaluation = evaluation
            self.best = best
        }
    }

    /// A ready-made table of text cells, rendered as given (escaped).
    public struct ReportTable: Sendable, Codable, Equatable {
        /// The table's caption.
        public var title: String
        /// A sentence under the table (source, suppression rule); empty for none.
        public var note: String
        /// Column headings.
        public var header: [String]
        /// Rows of cells; a short row is padded with empty cells.
        public var rows: [[String]]

        /// A table from its text.
        public init(title: String, note: String = "", header: [String], rows: [[String]]) {
            self.title = title
            self.note = note
            self.header = header
            self.rows = rows
        }
    }
}
