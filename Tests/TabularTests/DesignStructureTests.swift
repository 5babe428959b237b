import LinearAlgebra
import Testing
@testable import Tabular

/// Fixed effects, clusters and instrumental variables — not part of R's model.matrix, so
/// checked by hand against the data: codes, partitions, names and matrices.
@Suite("Design matrices: fixed effects, clusters, instruments")
struct DesignStructureTests {
    /// Integer values of column `name` at table rows `rows`.
    func ints(_ table: Table, _ name: String, _ rows: [Int]) throws -> [Int] {
        guard case let .int(v) = try table.column(named: name).values else { throw TabularError.invalidVariable(name: name, reason: "not int") }
        return rows.map { v[$0] }
    }

    /// Doubles of column `name` at table rows `rows`.
    func doubles(_ table: Table, _ name: String, _ rows: [Int]) throws -> [Double] {
        let v = try #require(try table.column(named: name).doubleValues)
        return rows.map { v[$0] }
    }

    /// The codes induce exactly the partition of the keys, codes are dense, and they follow
    /// the keys' sorted order.
    func expectPartition<K: Hashable & Comparable>(_ codes: GroupCodes, keys: [K], sourceLocation: SourceLocation = #_sourceLocation) {
        let sorted = Array(Set(keys)).sorted()
        #expect(codes.count == sorted.count, sourceLocation: sourceLocation)
        #expect(codes.codes == keys.map { k in sorted.firstIndex(of: k) ?? -1 }, sourceLocation: sourceLocation)
    }

    @Test func fixedEffectsDropTheInterceptAndCodeEachTerm() throws {
        let table = try DesignFixtures.households()
        let d = try DesignMatrix(formula: "y ~ x1 + x2 | district + year", table: table)
        #expect(d.columnNames == ["x1", "x2"] && !d.hasIntercept)
        #expect(d.droppedRowCount == 3)
        #expect(d.fixedEffects.map(\.name) == ["district", "year"])
        expectPartition(d.fixedEffects[0], keys: try ints(table, "district", d.rows))
        expectPartition(d.fixedEffects[1], keys: try ints(table, "year", d.rows))
        #expect(d.fixedEffects[1].levels == ["2019", "2020", "2021"])
        #expect(d.fixedEffects.allSatisfy { $0.codes.count == d.rows.count })
        #expect(Array(d.x.column(0)) == (try doubles(table, "x1", d.rows)))
    }

    @Test func combinedFixedEffectIsOneTerm() throws {
        let table = try DesignFixtures.households()
        let d = try DesignMatrix(formula: "y ~ x1 | district^year + g", table: table)
        #expect(d.fixedEffects.map(\.name) == ["district^year", "g"])
        let district = try ints(table, "district", d.rows)
        let year = try ints(table, "year", d.rows)
        let pairs = zip(district, year).map { $0 * 10_000 + $1 }  // sorts as (district, year)
        expectPartition(d.fixedEffects[0], keys: pairs)
        let first = try #require(d.fixedEffects[0].codes.first)
        #expect(d.fixedEffects[0].levels[first] == "\(district[0])_\(year[0])")
        // g is missing in row 31: that row is dropped because g is a fixed effect.
        #expect(!d.rows.contains(30) && d.droppedRowCount == 3)
        #expect(d.fixedEffects[1].levels == ["Aceh", "Bali", "Java", "Papua"])
    }

    @Test func factorsWithFixedEffectsUseContrasts() throws {
        let table = try DesignFixtures.households()
        let d = try DesignMatrix(formula: "y ~ x1 + g | district", table: table)
        #expect(d.columnNames == ["x1", "gBali", "gJava", "gPapua"])
        #expect(d.assign == [1, 2, 2, 2] && d.termLabels == ["x1", "g"])
    }

    @Test func clustersAreCodedAndTheirMissingRowsDropped() throws {
        let table = try DesignFixtures.households()
        let d = try DesignMatrix(formula: "y ~ x1", table: table, clusters: ["village", "g"])
        #expect(d.clusters.map(\.name) == ["village", "g"])
        #expect(d.droppedRowCount == 3 && !d.rows.contains(30))  // x1 in rows 7, 23; g in row 31
        expectPartition(d.clusters[0], keys: try ints(table, "village", d.rows))
        #expect(d.clusters[1].levels == ["Aceh", "Bali", "Java", "Papua"])
        let g = try table.column(named: "g")
        #expect(d.rows.enumerated().allSatisfy { k, r in d.clusters[1].levels[d.clusters[1].codes[k]] == g.text(at: r) })
    }

    @Test func instrumentalVariablesWithFixedEffects() throws {
        let table = try DesignFixtures.households()
        let d = try DesignMatrix(formula: "y ~ x1 | district | x2 ~ size + urban", table: table)
        #expect(d.columnNames == ["x1"] && !d.hasIntercept)
        #expect(d.endogenousNames == ["x2"])
        #expect(d.instrumentNames == ["size", "urbanTRUE"])
        let endogenous = try #require(d.endogenous)
        let instruments = try #require(d.instruments)
        #expect(endogenous.rows == d.rows.count && instruments.columns == 2)
        #expect(Array(endogenous.column(0)) == (try doubles(table, "x2", d.rows)))
        #expect(Array(instruments.column(0)) == (try doubles(table, "size", d.rows)))
        #expect(Array(instruments.column(1)) == (try doubles(table, "urban", d.rows)))
        #expect(d.fixedEffects.count == 1)
    }

    @Test func instrumentalVariablesWithoutFixedEffects() throws {
        let table = try DesignFixtures.households()
        let d = try DesignMatrix(formula: "log(y) ~ x1 | x2 + I(x2^2) ~ size + log(size) + factor(year)", table: table)
        #expect(d.columnNames == ["(Intercept)", "x1"] && d.hasIntercept)
        #expect(d.endogenousNames == ["x2", "I(x2^2)"])
        #expect(d.instrumentNames == ["size", "log(size)", "factor(year)2020", "factor(year)2021"])
        #expect(d.fixedEffects.isEmpty && d.responseName == "log(y)")
        let x2 = try doubles(table, "x2", d.rows)
        #expect(Array(try #require(d.endogenous).column(1)) == x2.map { $0 * $0 })
    }

    @Test func noInstrumentsWithoutAnIVPart() throws {
        let d = try DesignMatrix(formula: "y ~ x1", table: try DesignFixtures.households())
        #expect(d.endogenous == nil && d.instruments == nil && d.endogenousNames.isEmpty && d.clusters.isEmpty)
    }

    @Test func rowsReferToTheTablesSelection() throws {
        let table = try DesignFixtures.households().filter { $0 >= 20 }
        let d = try DesignMatrix(formula: "y ~ x1", table: table)
        #expect(d.rows.first == 0 && d.droppedRowCount == 1)  // x1 missing at file row 23 = selected row 2
        #expect(!d.rows.contains(2) && d.y.count == 19)
    }

    @Test func weightsFollowTheKeptRows() throws {
        let table = try DesignFixtures.households()
        let d = try DesignMatrix(formula: "y ~ x1", table: table, weights: "w", missingWeights: .dropRow)
        #expect(d.weights == (try doubles(table, "w", d.rows)))
        #expect(d.weights?.contains(0) == true)  // a zero weight is allowed
    }

    @Test func logicalAndIntegerColumnsAreNumericOrFactorAsInR() throws {
        let table = try DesignFixtures.households()
        let d = try DesignMatrix(formula: "y ~ size + urban + x1:urban", table: table)
        // As R 4.2.2: urban comes before x1, and urban:x1 codes urban by indicators.
        #expect(d.columnNames == ["(Intercept)", "size", "urbanTRUE", "urbanFALSE:x1", "urbanTRUE:x1"])
        #expect(Array(d.x.column(1)) == (try doubles(table, "size", d.rows)))
        #expect(Array(d.x.column(2)) == (try doubles(table, "urban", d.rows)))
    }

    @Test func sameResultForAnyThreadCount() throws {
        let table = try DesignFixtures.households()
        let formula = "log(y) ~ (x1 + g)^2 + poly(x1, 3) + urban*factor(size) | district^year | x2 ~ I(x1^2) + log(size)"
        let one = try DesignMatrix(formula: formula, table: table, clusters: ["village"], parallelism: .serial)
        for threads in [2, 3, 8] {
            let many = try DesignMatrix(formula: formula, table: table, clusters: ["village"], parallelism: Parallelism(threads: threads))
            #expect(one.x == many.x && one.columnNames == many.columnNames && one.y == many.y)
            #expect(one.endogenous == many.endogenous && one.instruments == many.instruments)
            #expect(one.fixedEffects == many.fixedEffects && one.clusters == many.clusters)
        }
    }
}
