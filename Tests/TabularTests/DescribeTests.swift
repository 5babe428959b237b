import Foundation
import Testing
@testable import Tabular

@Suite("describe: column summaries")
struct DescribeTests {
    @Test func numericSummaryMatchesHandComputation() throws {
        // x = 1, 2, 3, 4, missing, 10: mean 4, sd = sqrt(((-3)²+(-2)²+(-1)²+0²+6²)/4) = sqrt(12.5);
        // type-7 quartiles of [1,2,3,4,10]: h = 1 → 2, h = 2 → 3, h = 3 → 4.
        let c = try Column(name: "x", values: .double([1, 2, 3, 4, 99, 10]),
                           validity: ValidityMask([true, true, true, true, false, true]))
        let s = ColumnSummary(c)
        #expect(s.count == 5 && s.missing == 1)
        #expect(s.mean == 4)
        #expect(abs((s.std ?? 0) - 12.5.squareRoot()) < 1e-15)
        #expect(s.min == 1 && s.max == 10 && s.q25 == 2 && s.median == 3 && s.q75 == 4)
        #expect(s.levels == nil)
    }

    @Test func quantilesInterpolateLikeRType7() {
        // R: quantile(c(1, 2, 4, 8), c(.25, .5, .75)) = 1.75, 3, 5.
        #expect(ColumnSummary.quantile([1, 2, 4, 8], 0.25) == 1.75)
        #expect(ColumnSummary.quantile([1, 2, 4, 8], 0.5) == 3)
        #expect(ColumnSummary.quantile([1, 2, 4, 8], 0.75) == 5)
        #expect(ColumnSummary.quantile([7], 0.75) == 7)
    }

    @Test func meanIsCompensated() {
        // 1e16 + 1 + 1 − 1e16 in naive order loses both ones.
        #expect(ColumnSummary.mean([1e16, 1, 1, -1e16]) == 0.5)
    }

    @Test func categoricalLevelsAreCountedMostFrequentFirst() throws {
        let c = try Column(name: "g", values: .categorical(codes: [0, 1, 1, 2, 1, 0], levels: ["Java", "Bali", "Aceh"]),
                           validity: ValidityMask([true, true, true, true, true, false]))
        let s = ColumnSummary(c)
        #expect(s.count == 5 && s.missing == 1 && s.distinctLevels == 3)
        #expect(s.levels == [.init(level: "Bali", count: 3), .init(level: "Aceh", count: 1), .init(level: "Java", count: 1)])
        #expect(s.mean == nil && s.min == nil)
    }

    @Test func boolColumnsHaveMeansAndLevels() throws {
        let s = ColumnSummary(try Column(name: "urban", values: .bool([true, false, true, true])))
        #expect(s.mean == 0.75 && s.distinctLevels == 2)
        #expect(s.levels?.first == .init(level: "true", count: 3))
    }

    @Test func allMissingAndEmptyColumnsHaveNoStatistics() throws {
        let s = ColumnSummary(try Column(name: "x", values: .double([1, 2]), validity: ValidityMask(count: 2, allValid: false)))
        #expect(s.count == 0 && s.missing == 2 && s.mean == nil && s.std == nil)
        let e = ColumnSummary(try Column(name: "e", values: .int([])))
        #expect(e.count == 0 && e.mean == nil)
        let one = ColumnSummary(try Column(name: "o", values: .int([5])))
        #expect(one.mean == 5 && one.std == nil)
    }

    @Test func tableSummaryTextAndJSON() throws {
        let t = try Table(columns: [
            try Column(name: "income", values: .double([10, 20, 30])),
            try Column(name: "province", values: .categorical(codes: [0, 0, 1], levels: ["Java", "Bali"])),
        ])
        let s = try TableSummary(t, source: "hh.csv")
        #expect(s.rows == 3 && s.columns.count == 2)
        #expect(s.text.hasPrefix("hh.csv: 3 rows, 2 columns"))
        #expect(s.text.contains("province: 2 levels"))
        let json = try s.json()
        let decoded = try JSONDecoder().decode(TableSummary.self, from: Data(json.utf8))
        #expect(decoded == s)
    }
}
