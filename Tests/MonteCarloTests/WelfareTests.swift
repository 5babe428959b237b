import Foundation
import Tabular
import Testing
@testable import MonteCarlo

// Welfare and targeting measures: hand-worked examples, independent O(n²) computations,
// weighted = replicated rows, by-group with small-cell suppression, and the error paths.

func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
    Swift.abs(a - b) <= tolerance * Swift.max(1, Swift.abs(b))
}

/// Reproducible test data from the library's own generator.
func testData(_ n: Int, seed: UInt64) -> (y: [Double], w: [Double]) {
    let y = (0..<n).map { Foundation.exp(1 + 0.8 * RandomAddress(seed: seed, unit: UInt32($0)).standardNormal()) }
    let w = (0..<n).map { 0.5 + 4 * RandomAddress(seed: seed, unit: UInt32($0), slot: 1).uniform() }
    return (y, w)
}

@Suite("Welfare measures")
struct WelfareTests {
    @Test func levelsAndPovertyByHand() throws {
        let population = try WelfarePopulation(weights: [1, 2, 1, 1, 5])
        let y: [Double] = [1, 2, 3, 4, 10]
        #expect(try population.total(y).overall == 62)
        #expect(try population.mean(y).overall == 6.2)
        let p = try population.poverty(y, line: 3.5).overall
        #expect(p.headcount == 0.4 && p.poorWeight == 4)
        #expect(close(p.gap, 6.0 / 35))
        #expect(close(p.severity, 11.0 / 122.5))
        // On the line is not poor; negative outcomes give shortfalls above 1.
        let edge = try WelfarePopulation(unitWeights: 2).poverty([3.5, -3.5], line: 3.5).overall
        #expect(edge.headcount == 0.5 && edge.gap == 1 && edge.severity == 2)
    }

    @Test func giniByHandAndAgainstTheMeanAbsoluteDifference() throws {
        #expect(close(try WelfarePopulation(unitWeights: 4).gini([3, 1, 4, 2]).overall, 0.25))
        #expect(try WelfarePopulation(unitWeights: 3).gini([5, 5, 5]).overall == 0)
        // All income to one of n units: (n − 1)/n.
        #expect(close(try WelfarePopulation(unitWeights: 5).gini([0, 0, 7, 0, 0]).overall, 0.8))
        for (n, seed) in [(1, 1), (2, 2), (37, 3), (300, 4), (2500, 5)] as [(Int, UInt64)] {
            let (y, w) = testData(n, seed: seed)
            var absolute = 0.0, total = 0.0, weighted = 0.0
            for i in 0..<n {
                total += w[i]
                weighted += w[i] * y[i]
                for j in 0..<n { absolute += w[i] * w[j] * Swift.abs(y[i] - y[j]) }
            }
            let expected = absolute / (2 * total * total * (weighted / total))
            #expect(close(try WelfarePopulation(weights: w).gini(y).overall, expected, 1e-11), "n = \(n)")
        }
        // Undefined for a non-positive mean.
        #expect(try WelfarePopulation(unitWeights: 2).gini([-1, 1]).overall.isNaN)
    }

    @Test func decileMeansByHand() throws {
        #expect(try WelfarePopulation(unitWeights: 5).decileMeans([5, 3, 1, 2, 4]).overall == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
        #expect(try WelfarePopulation(unitWeights: 10).decileMeans((1...10).map(Double.init)).overall == (1...10).map(Double.init))
        #expect(try WelfarePopulation(weights: [3, 7]).decileMeans([1, 2]).overall == [1, 1, 1, 2, 2, 2, 2, 2, 2, 2])
        // A unit straddling a cut is split: decile 3 is (2, 3], half from each unit.
        let split = try WelfarePopulation(weights: [2.5, 7.5]).decileMeans([1, 2]).overall
        #expect(split[2] == 1.5 && split[1] == 1 && split[3] == 2)
        // Ties in the ranking variable are pooled: every decile gets the pool's mean.
        let tied = try WelfarePopulation(unitWeights: 2).decileMeans([0, 10], rankedBy: [1, 1]).overall
        #expect(tied.allSatisfy { close($0, 5) })
        // Ranked by another variable: policy outcome by baseline decile.
        let byBaseline = try WelfarePopulation(unitWeights: 10).decileMeans(
            (1...10).map { Double($0) * 100 }, rankedBy: (1...10).map { Double(11 - $0) })
        #expect(byBaseline.overall == (1...10).reversed().map { Double($0) * 100 })
        // The mean of the decile means is the mean.
        let (y, w) = testData(1234, seed: 8)
        let population = try WelfarePopulation(weights: w)
        let deciles = try population.decileMeans(y).overall
        #expect(close(deciles.reduce(0, +) / 10, try population.mean(y).overall, 1e-12))
        #expect(zip(deciles, deciles.dropFirst()).allSatisfy { $0 <= $1 })
        let both = try population.inequality(y).overall
        let gini = try population.gini(y).overall
        #expect(both.decileMeans == deciles && both.gini == gini)
    }

    @Test func winnersLosersAndTargetingByHand() throws {
        let four = try WelfarePopulation(unitWeights: 4)
        let change = try four.winnersAndLosers(baseline: [1, 1, 1, 1], policy: [1.05, 2, 0.5, 1], tolerance: 0.1).overall
        #expect(change.winners == 0.25 && change.losers == 0.25 && change.unchanged == 0.5)
        #expect(close(change.meanChange, 0.1375))
        let strict = try four.winnersAndLosers(baseline: [1, 1, 1, 1], policy: [1.05, 2, 0.5, 1]).overall
        #expect(strict.winners == 0.5 && strict.losers == 0.25)

        let population = try WelfarePopulation(weights: [1, 2, 3, 4, 5])
        let t = try population.targeting(poor: [true, true, false, false, true], recipients: [true, false, true, false, false]).overall
        #expect(t.exclusionError == 7.0 / 8 && t.inclusionError == 3.0 / 4)
        #expect(t.nonPoorCoverage == 3.0 / 7 && t.recipientShare == 4.0 / 15)
        #expect(t.poorWeight == 8 && t.recipientWeight == 4)
        let fromWelfare = try population.targeting(welfare: [1, 2, 9, 9, 3], line: 5, recipients: [true, false, true, false, false])
        #expect(fromWelfare.overall == t)
        // No poor: exclusion error undefined (NaN), not 0; no recipients: inclusion error NaN.
        let none = try population.targeting(poor: [false, false, false, false, false], recipients: [false, false, false, false, false]).overall
        #expect(none.exclusionError.isNaN && none.inclusionError.isNaN && none.nonPoorCoverage == 0 && none.recipientShare == 0)
    }

    @Test func weightedEqualsReplicatedRows() throws {
        let n = 400
        let (y, _) = testData(n, seed: 12)
        let policy = y.enumerated().map { $0.element + ($0.offset % 3 == 0 ? 1.5 : 0) - ($0.offset % 7 == 0 ? 0.4 : 0) }
        let counts = (0..<n).map { 1 + $0 * 7 % 4 }
        let codes = (0..<n).map { Int32($0 % 5) - 1 }  // −1 … 3
        let labels = ["a", "b", "c", "d"]
        let weighted = try WelfarePopulation(weights: counts.map(Double.init),
                                             groups: try WelfareGroups(codes: codes, labels: labels))
        func expand<T>(_ x: [T]) -> [T] { zip(x, counts).flatMap { Array(repeating: $0, count: $1) } }
        let rows = try WelfarePopulation(unitWeights: counts.reduce(0, +),
                                         groups: try WelfareGroups(codes: expand(codes), labels: labels))
        let recipients = y.map { $0 < 2.5 }
        func same(_ a: ByGroup<Double>, _ b: ByGroup<Double>, _ what: String) {
            #expect(close(a.overall, b.overall, 1e-12), "\(what)")
            for g in 0..<4 { #expect(close(a.groups[g].value ?? .nan, b.groups[g].value ?? .nan, 1e-12), "\(what) group \(g)") }
        }
        same(try weighted.total(y), try rows.total(expand(y)), "total")
        same(try weighted.mean(y), try rows.mean(expand(y)), "mean")
        same(try weighted.gini(y), try rows.gini(expand(y)), "gini")
        for alpha in 0..<3 {
            func pick(_ p: PovertyMeasures) -> Double { [p.headcount, p.gap, p.severity][alpha] }
            same(try weighted.poverty(y, line: 2.7).map(pick), try rows.poverty(expand(y), line: 2.7).map(pick), "FGT\(alpha)")
        }
        for d in 0..<10 {
            same(try weighted.decileMeans(policy, rankedBy: y).map { $0[d] },
                 try rows.decileMeans(expand(policy), rankedBy: expand(y)).map { $0[d] }, "decile \(d + 1)")
        }
        same(try weighted.winnersAndLosers(baseline: y, policy: policy, tolerance: 0.1).map(\.winners),
             try rows.winnersAndLosers(baseline: expand(y), policy: expand(policy), tolerance: 0.1).map(\.winners), "winners")
        same(try weighted.targeting(welfare: y, line: 2.7, recipients: recipients).map(\.exclusionError),
             try rows.targeting(welfare: expand(y), line: 2.7, recipients: expand(recipients)).map(\.exclusionError), "exclusion")
        same(try weighted.targeting(welfare: y, line: 2.7, recipients: recipients).map(\.inclusionError),
             try rows.targeting(welfare: expand(y), line: 2.7, recipients: expand(recipients)).map(\.inclusionError), "inclusion")
    }

    @Test func groupsEqualSubsetsAndSmallCellsAreWithheld() throws {
        // Group "small" has 9 units (withheld), "edge" exactly 10 (published); 5 units have no group.
        let n = 60
        var codes = [Int32](repeating: 0, count: n)
        for i in 0..<9 { codes[i] = 1 }
        for i in 9..<19 { codes[i] = 2 }
        for i in 19..<24 { codes[i] = -1 }
        let groups = try WelfareGroups(codes: codes, labels: ["big", "small", "edge", "empty"])
        #expect(groups.unitCounts == [36, 9, 10, 0])
        let (y, w) = testData(n, seed: 21)
        let population = try WelfarePopulation(weights: w, groups: groups)
        let gini = try population.gini(y)
        #expect(gini.labels == ["big", "small", "edge", "empty"])
        #expect(gini.groups[1] == .withheld(units: 9) && gini["empty"] == .withheld(units: 0))
        #expect(gini["nope"] == nil)
        // The flat layout: overall, then published groups only.
        #expect(gini.publishedCells().map(\.label) == ["all", "big", "edge"])
        #expect(gini.publishedCells(overallLabel: "total").first?.value == gini.overall)
        for (g, label) in [(0, "big"), (2, "edge")] {
            let members = (0..<n).filter { codes[$0] == Int32(g) }
            let subset = try WelfarePopulation(weights: members.map { w[$0] })
            let ys = members.map { y[$0] }
            #expect(close(try #require(gini[label]?.value), try subset.gini(ys).overall))
            #expect(close(try #require(try population.mean(y)[label]?.value), try subset.mean(ys).overall))
            let deciles = try #require(try population.decileMeans(y)[label]?.value)
            for (a, b) in zip(deciles, try subset.decileMeans(ys).overall) { #expect(close(a, b)) }
            let p = try #require(try population.poverty(y, line: 2)[label]?.value)
            #expect(close(p.gap, try subset.poverty(ys, line: 2).overall.gap))
        }
        // The overall figures include the units without a group.
        #expect(close(try population.total(y).overall, zip(y, w).map(*).reduce(0, +)))
        // The mark survives JSON.
        let json = try JSONEncoder().encode(gini)
        #expect(try JSONDecoder().decode(ByGroup<Double>.self, from: json) == gini)
        #expect(String(decoding: json, as: UTF8.self).contains("\"withheld\":true"))
        // A lower cell size publishes the small group.
        let lax = try WelfarePopulation(weights: w, groups: try WelfareGroups(codes: codes, labels: ["big", "small", "edge", "empty"],
                                                                              minimumCellSize: 5))
        #expect(try lax.gini(y).groups[1].value != nil)
        // Zero total weight in a published group: NaN, not 0.
        var zeroWeights = w
        for i in 9..<19 { zeroWeights[i] = 0 }
        let zero = try WelfarePopulation(weights: zeroWeights, groups: groups)
        #expect(try #require(try zero.mean(y)["edge"]?.value).isNaN)
        #expect(try #require(try zero.decileMeans(y)["edge"]?.value).allSatisfy(\.isNaN))
    }

    @Test func groupsFromTableColumns() throws {
        let categorical = try Column(name: "region", values: .categorical(codes: [0, 1, 0, 2], levels: ["N", "S", "E"]),
                                     validity: ValidityMask([true, true, false, true]))
        let g = try WelfareGroups(column: categorical, minimumCellSize: 1)
        #expect(g.labels == ["N", "S", "E"] && g.codes == [0, 1, -1, 2] && g.unitCounts == [1, 1, 1])
        let ints = try WelfareGroups(column: try Column(name: "district", values: .int([30, 10, 30, 20])))
        #expect(ints.labels == ["10", "20", "30"] && ints.codes == [2, 0, 2, 1])
        #expect(throws: MonteCarloError.self) { try WelfareGroups(column: try Column(name: "x", values: .double([1]))) }
    }

    @Test func badInputsAreTypedErrors() throws {
        #expect(throws: MonteCarloError.emptyInput(name: "population")) { try WelfarePopulation(weights: []) }
        #expect(throws: MonteCarloError.emptyInput(name: "population")) { try WelfarePopulation(unitWeights: 0) }
        #expect(throws: MonteCarloError.negativeWeight(index: 1, value: -2)) { try WelfarePopulation(weights: [1, -2]) }
        #expect(throws: MonteCarloError.nonFiniteValue(name: "weights", index: 0)) { try WelfarePopulation(weights: [.nan, 1]) }
        #expect(throws: MonteCarloError.self) { try WelfarePopulation(weights: [0, 0]) }
        #expect(throws: MonteCarloError.lengthMismatch(name: "groups", expected: 2, actual: 1)) {
            try WelfarePopulation(weights: [1, 1], groups: try WelfareGroups(codes: [0], labels: ["a"]))
        }
        #expect(throws: MonteCarloError.self) { try WelfareGroups(codes: [0, 2], labels: ["a", "b"]) }
        #expect(throws: MonteCarloError.self) { try WelfareGroups(codes: [-2], labels: ["a"]) }
        #expect(throws: MonteCarloError.self) { try WelfareGroups(codes: [0], labels: ["a", "a"]) }
        #expect(throws: MonteCarloError.self) { try WelfareGroups(codes: [0], labels: ["a"], minimumCellSize: 0) }
        let p = try WelfarePopulation(unitWeights: 3)
        #expect(throws: MonteCarloError.lengthMismatch(name: "outcome", expected: 3, actual: 2)) { try p.mean([1, 2]) }
        #expect(throws: MonteCarloError.nonFiniteValue(name: "outcome", index: 1)) { try p.gini([1, .nan, 2]) }
        #expect(throws: MonteCarloError.nonFiniteValue(name: "outcome", index: 2)) { try p.total([1, 1, .infinity]) }
        #expect(throws: MonteCarloError.nonFiniteValue(name: "rankedBy", index: 0)) { try p.decileMeans([1, 2, 3], rankedBy: [.nan, 1, 1]) }
        #expect(throws: MonteCarloError.self) { try p.poverty([1, 2, 3], line: 0) }
        #expect(throws: MonteCarloError.self) { try p.poverty([1, 2, 3], line: .nan) }
        #expect(throws: MonteCarloError.self) { try p.winnersAndLosers(baseline: [1, 2, 3], policy: [1, 2, 3], tolerance: -1) }
        #expect(throws: MonteCarloError.nonFiniteValue(name: "policy", index: 0)) {
            try p.winnersAndLosers(baseline: [1, 2, 3], policy: [.nan, 2, 3])
        }
        #expect(throws: MonteCarloError.lengthMismatch(name: "recipients", expected: 3, actual: 1)) {
            try p.targeting(poor: [true, false, true], recipients: [true])
        }
    }

    @Test func stableOrderIsTheUniqueSortedPermutation() {
        for n in [0, 1, 5, StableOrder.radixThreshold, StableOrder.radixThreshold + 1, 30_000] {
            var values = (0..<n).map { i -> Double in
                let u = RandomAddress(seed: 99, unit: UInt32(i)).uniform()
                // Many ties, both signs, signed zeros, tiny and huge magnitudes.
                switch i % 6 {
                case 0: return (u * 20).rounded() - 10
                case 1: return i % 12 == 1 ? -0.0 : 0.0
                case 2: return u * 1e300
                case 3: return -u * 1e-300
                default: return u - 0.5
                }
            }
            if n > 3 { values[n - 1] = -.greatestFiniteMagnitude }
            let expected = (0..<n).sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
            let order = values.withUnsafeBufferPointer { StableOrder.ascending($0) }.map { Int($0) }
            #expect(order == expected, "n = \(n)")
            let (sortedOrder, keys) = values.withUnsafeBufferPointer { StableOrder.sorted($0) }
            #expect(sortedOrder.map { Int($0) } == expected)
            // Keys decode to the values (zeros as +0), in sorted order.
            #expect(zip(keys, sortedOrder).allSatisfy { StableOrder.value($0) == values[Int($1)] })
        }
    }
}
