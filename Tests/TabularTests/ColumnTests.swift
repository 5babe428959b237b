import Testing
@testable import Tabular

@Suite("Columns, validity masks and tables")
struct ColumnTests {
    @Test func validityMaskCountsAndIndices() {
        var mask = ValidityMask(count: 130)
        #expect(mask.allValid && mask.missingCount == 0)
        mask.set(0, valid: false)
        mask.set(64, valid: false)
        mask.set(129, valid: false)
        #expect(mask.missingCount == 3)
        #expect(!mask.isValid(64) && mask.isValid(63))
        #expect(mask.validIndices.count == 127)
        #expect(!mask.validIndices.contains(129))
        let none = ValidityMask(count: 70, allValid: false)
        #expect(none.missingCount == 70 && none.validIndices.isEmpty)
        #expect(ValidityMask([true, false, true]).validIndices == [0, 2])
        #expect(ValidityMask(count: 0).allValid)
    }

    @Test func intersectionAndSelection() {
        let a = ValidityMask([true, true, false, true])
        let b = ValidityMask([true, false, true, true])
        #expect(a.intersection(b) == ValidityMask([true, false, false, true]))
        #expect(a.selecting([3, 2, 0]) == ValidityMask([true, false, true]))
    }

    @Test func missingValuesAreNotSilentlyNaN() throws {
        // A genuine NaN in the data and a missing row are different things.
        let c = try Column(name: "x", values: .double([1, .nan, 3]), validity: ValidityMask([true, true, false]))
        #expect(c.missingCount == 1)
        #expect(c.text(at: 1) == "nan")
        #expect(c.text(at: 2) == nil)
        let d = try #require(c.doubleValues)
        #expect(d[0] == 1 && d[1].isNaN && d[2].isNaN)
    }

    @Test func columnLengthMismatchIsAnError() {
        #expect(throws: TabularError.lengthMismatch(column: "x", expected: 2, got: 3)) {
            try Column(name: "x", values: .int([1, 2]), validity: ValidityMask(count: 3))
        }
    }

    @Test func categoricalCodesMustIndexTheLevels() {
        #expect(throws: TabularError.invalidVariable(name: "g", reason: "row 2 has level code 2 but the column has 2 levels")) {
            try Column(name: "g", values: .categorical(codes: [0, 2], levels: ["a", "b"]))
        }
        // A missing row's placeholder code is never read, so it is not checked.
        #expect(throws: Never.self) {
            try Column(name: "g", values: .categorical(codes: [0, -1], levels: ["a"]), validity: ValidityMask([true, false]))
        }
    }

    @Test func tableRejectsDuplicatesAndRaggedColumns() throws {
        let a = try Column(name: "a", values: .int([1, 2]))
        let b = try Column(name: "b", values: .bool([true]))
        #expect(throws: TabularError.duplicateColumn(name: "a", file: nil)) { try Table(columns: [a, a]) }
        #expect(throws: TabularError.lengthMismatch(column: "b", expected: 2, got: 1)) { try Table(columns: [a, b]) }
    }

    @Test func filterRecordsRowsAndMaterializesOnRead() throws {
        let g = try Column(name: "g", values: .categorical(codes: [0, 1, 0, 2], levels: ["Java", "Bali", "Aceh"]))
        let x = try Column(name: "x", values: .double([1, 2, 3, 4]), validity: ValidityMask([true, true, false, true]))
        let t = try Table(columns: [g, x])
        let f = t.filter { $0 % 2 == 0 }
        #expect(f.rowCount == 2 && f.selection == [0, 2])
        #expect(try f.column(named: "g").text(at: 1) == "Java")
        #expect(try f.column(named: "x").missingCount == 1)
        let again = f.selecting(rows: [1])
        #expect(again.selection == [2])
        #expect(t.rowCount == 4 && t.columnNames == ["g", "x"])
    }

    @Test func unknownColumnSuggestsTheClosestNames() throws {
        let t = try Table(columns: [try Column(name: "income", values: .double([1])),
                                    try Column(name: "incomes_pc", values: .double([1])),
                                    try Column(name: "province", values: .int([1]))])
        #expect(throws: TabularError.unknownColumn(name: "incme", suggestions: ["income"])) {
            try t.column(named: "incme")
        }
        let message = TabularError.unknownColumn(name: "incme", suggestions: ["income"]).description
        #expect(message == "unknown column 'incme'; did you mean 'income'?")
        #expect(Suggestions.closest(to: "PROVINCE", in: t.columnNames) == ["province"])
        #expect(Suggestions.closest(to: "zzz", in: t.columnNames).isEmpty)
    }

    @Test func formulaErrorPointsAtTheCharacter() {
        let e = TabularError.formula(formula: "y ~ x1 +", position: 9, reason: "expected a term after '+'")
        #expect(e.description == "formula, character 9: expected a term after '+'\n  y ~ x1 +\n          ^")
    }
}
