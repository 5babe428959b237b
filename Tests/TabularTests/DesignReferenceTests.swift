import LinearAlgebra
import Testing
@testable import Tabular

/// Design matrices against R's model.matrix on households.csv (the committed output of
/// scripts/reference/model_matrix.R): names exactly, values to 1e-12 relative.
@Suite("Design matrices match R's model.matrix")
struct DesignReferenceTests {
    @Test func fixtureLoads() throws {
        let file = try ReferenceCase.load()
        #expect(file.cases.count == 32)
        #expect(file.rVersion.hasPrefix("R version 4."))
    }

    @Test(arguments: ReferenceCase.all)
    func matchesR(_ reference: ReferenceCase) throws {
        let table = try DesignFixtures.households()
        let design = try DesignMatrix(formula: reference.formula, table: table, weights: reference.weights,
                                      missingWeights: .dropRow, parallelism: Parallelism(threads: 2))
        #expect(design.columnNames == reference.names)
        #expect(design.rows.map { $0 + 1 } == reference.rows)
        #expect(design.droppedRowCount == table.rowCount - reference.rows.count)
        #expect(design.assign == reference.assign)
        #expect(design.hasIntercept == reference.names.contains("(Intercept)"))
        #expect(design.y.count == reference.response.count)
        for (i, (a, b)) in zip(design.y, reference.response).enumerated() {
            #expect(closeTo(a, b), "response row \(i): \(a) vs R \(b)")
        }
        if reference.weights != nil {
            let weights = try #require(design.weights)
            #expect(weights.count == reference.weightValues.count)
            for (a, b) in zip(weights, reference.weightValues) { #expect(closeTo(a, b), "weight \(a) vs R \(b)") }
        } else {
            #expect(design.weights == nil)
        }
        #expect(design.x.rows == reference.rows.count)
        try #require(design.x.columns == reference.columns.count)
        for (j, column) in reference.columns.enumerated() {
            let mismatches = zip(design.x.column(j), column).enumerated().filter { !closeTo($0.element.0, $0.element.1) }
            #expect(mismatches.isEmpty, "column \(reference.names[j]): first mismatch \(mismatches.first.map { "row \($0.offset): \($0.element.0) vs R \($0.element.1)" } ?? "")")
        }
    }
}
