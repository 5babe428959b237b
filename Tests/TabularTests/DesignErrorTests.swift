import LinearAlgebra
import Testing
@testable import Tabular

/// Bad input gives a typed error naming the column, term or position — never a crash.
@Suite("Design matrices: bad input is a typed error")
struct DesignErrorTests {
    /// A small table: y, x (one missing), g (level "B" only in the row where x is missing),
    /// z (3 distinct values), w (weights, one negative), t (text), inf (an infinite value).
    func small() throws -> Table {
        let csv = """
        y,x,g,z,w,t,inf,c
        1.5,2,A,1,1,a,1,p
        2.5,NA,B,2,1,b,1,q
        3.5,4,A,3,-0.5,a,inf,p
        4.5,5,A,1,2,b,1,q
        """
        return try DesignFixtures.table(csv: csv, types: ["g": .categorical, "t": .categorical, "c": .categorical])
    }

    /// Runs `body`, expecting `.invalidVariable` for `name` whose reason contains `fragment`.
    func expectInvalid(_ name: String, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation,
                       _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("no error; expected invalidVariable(\(name))", sourceLocation: sourceLocation)
        } catch let TabularError.invalidVariable(got, reason) {
            #expect(got == name, "\(reason)", sourceLocation: sourceLocation)
            #expect(reason.contains(fragment), "\(reason)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error: \(error)", sourceLocation: sourceLocation)
        }
    }

    /// Runs `body`, expecting `.formula` at `position` whose reason contains `fragment`.
    func expectFormulaError(_ position: Int, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation,
                            _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("no error; expected a formula error", sourceLocation: sourceLocation)
        } catch let TabularError.formula(_, at, reason) {
            #expect(at == position, "\(reason)", sourceLocation: sourceLocation)
            #expect(reason.contains(fragment), "\(reason)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error: \(error)", sourceLocation: sourceLocation)
        }
    }

    /// Found by review: `y ~ x + factor(id)` with an identifier of 200,000 levels asked for a
    /// 200,000 × 200,001 X (640 GB) and was killed by the kernel. Now a typed error before any
    /// column is built, naming the term and where it belongs. The row count is chosen so that
    /// n² doubles exceed this machine's memory, whatever it is.
    @Test func designLargerThanMemoryNamesTheWideTerm() throws {
        let n = Int((Double(MemoryBudget.availableBytes) / 16).squareRoot()) + 1_000
        let csv = "y,x,id\n" + (0..<n).map { "\($0 % 7),\($0 % 5),id\($0)" }.joined(separator: "\n") + "\n"
        let table = try CSVReader.read(bytes: Array(csv.utf8), name: "ids.csv")
        expectInvalid("factor(id)", "alone has \(n - 1) columns — a factor with that many levels belongs in the fixed-effects part: … | id") {
            _ = try DesignMatrix(formula: try Formula("y ~ x + factor(id)"), table: table)
        }
    }

    @Test func unknownColumnPointsAtItWithSuggestions() throws {
        let table = try DesignFixtures.households()
        expectFormulaError(10, "unknown column 'x3'; did you mean 'x1'") { _ = try DesignMatrix(formula: "y ~ x1 + x3", table: table) }
        expectFormulaError(10, "unknown column 'distrct'; did you mean 'district'?") {
            _ = try DesignMatrix(formula: "y ~ x1 | distrct", table: table)
        }
        expectFormulaError(19, "unknown column 'sise'; did you mean 'size'?") {
            _ = try DesignMatrix(formula: "y ~ x1 | x2 ~ log(sise)", table: table)
        }
        expectFormulaError(1, "unknown column 'Y'; did you mean 'y'") { _ = try DesignMatrix(formula: "Y ~ x1", table: table) }
    }

    @Test func unknownWeightOrClusterColumn() throws {
        let table = try DesignFixtures.households()
        do {
            _ = try DesignMatrix(formula: "y ~ x1", table: table, weights: "wt")
            Issue.record("no error for an unknown weight column")
        } catch let TabularError.unknownColumn(name, suggestions) {
            #expect(name == "wt" && suggestions.first == "w")
        }
        #expect(throws: TabularError.unknownColumn(name: "vilage", suggestions: ["village"])) {
            try DesignMatrix(formula: "y ~ x1", table: table, clusters: ["vilage"])
        }
    }

    @Test func syntaxErrorsThroughTheDesignEntryPoint() throws {
        let table = try small()
        expectFormulaError(1, "empty formula") { _ = try DesignMatrix(formula: "", table: table) }
        expectFormulaError(8, "expected a term") { _ = try DesignMatrix(formula: "y ~ x +", table: table) }
        expectFormulaError(5, "unknown function 'lg'") { _ = try DesignMatrix(formula: "y ~ lg(x)", table: table) }
        expectFormulaError(13, "at least 1") { _ = try DesignMatrix(formula: "y ~ poly(x, 0)", table: table) }
    }

    @Test func singleLevelFactorAfterDroppingMissingRows() throws {
        let table = try small()
        expectInvalid("g", "single level 'A' after dropping 1 rows") { _ = try DesignMatrix(formula: "y ~ x + g", table: table) }
        expectInvalid("factor(g)", "single level 'A'") { _ = try DesignMatrix(formula: "y ~ x + factor(g)", table: table) }
        expectInvalid("i(g)", "single level") { _ = try DesignMatrix(formula: "y ~ x:i(g)", table: table) }
        // Without x, row 2 stays and g has two levels.
        #expect(try DesignMatrix(formula: "y ~ g", table: table).columnNames == ["(Intercept)", "gB"])
    }

    @Test func weightsNegativeMissingOrNotNumeric() throws {
        expectInvalid("w", "-0.5 at row 3") { _ = try DesignMatrix(formula: "y ~ z", table: try small(), weights: "w") }
        let households = try DesignFixtures.households()
        expectInvalid("w", "missing at row 12") { _ = try DesignMatrix(formula: "y ~ size", table: households, weights: "w") }
        // A row already dropped for another variable is not reported.
        let dropped = try DesignMatrix(formula: "y ~ size", table: households, weights: "w", missingWeights: .dropRow)
        #expect(dropped.droppedRowCount == 1 && !dropped.rows.contains(11))
        expectInvalid("t", "numeric column, not categorical") { _ = try DesignMatrix(formula: "y ~ z", table: try small(), weights: "t") }
    }

    @Test func nonFiniteValuesNameTheTermAndRow() throws {
        let households = try DesignFixtures.households()
        // x2 is negative in row 2 of households.csv.
        expectInvalid("log(x2)", "non-positive value (-1.37868) at row 2") { _ = try DesignMatrix(formula: "y ~ log(x2)", table: households) }
        expectInvalid("sqrt(x2)", "sqrt() of a negative value") { _ = try DesignMatrix(formula: "y ~ sqrt(x2)", table: households) }
        expectInvalid("I(log(x2 + 10) + log10(x2))", "log10()") {
            _ = try DesignMatrix(formula: "y ~ I(log(x2 + 10) + log10(x2))", table: households)
        }
        expectInvalid("I(x1/0)", "Inf at row 1") { _ = try DesignMatrix(formula: "y ~ I(x1/0)", table: households) }
        expectInvalid("log(y - 1000)", "non-positive") { _ = try DesignMatrix(formula: "log(y - 1000) ~ x1", table: households) }
        expectInvalid("inf", "Inf at row 3") { _ = try DesignMatrix(formula: "y ~ inf", table: try small()) }
        expectInvalid("exp(I(y * 1000))", "Inf at row 1") { _ = try DesignMatrix(formula: "y ~ exp(I(y * 1000))", table: households) }
    }

    @Test func categoricalInArithmeticOrResponse() throws {
        let table = try small()
        expectInvalid("log(t)", "column 't' is categorical") { _ = try DesignMatrix(formula: "y ~ log(t)", table: table) }
        expectInvalid("t", "categorical") { _ = try DesignMatrix(formula: "t ~ z", table: table) }
        expectInvalid("poly(t, 2)", "categorical") { _ = try DesignMatrix(formula: "y ~ poly(t, 2)", table: table) }
    }

    @Test func polyDegreeAtOrAboveDistinctValues() throws {
        let table = try small()
        expectInvalid("poly(z, 3)", "less than the number of distinct values (3)") { _ = try DesignMatrix(formula: "y ~ poly(z, 3)", table: table) }
        #expect(try DesignMatrix(formula: "y ~ poly(z, 2)", table: table).columnNames == ["(Intercept)", "poly(z, 2)1", "poly(z, 2)2"])
    }

    @Test func absentReferenceLevel() throws {
        let table = try DesignFixtures.households()
        expectInvalid(#"i(g, ref = "Jawa")"#, "did you mean 'Java'?") { _ = try DesignMatrix(formula: #"y ~ i(g, ref = "Jawa")"#, table: table) }
        expectInvalid("i(size, ref = 9)", "is not among the levels used") { _ = try DesignMatrix(formula: "y ~ i(size, ref = 9)", table: table) }
        let numeric = try DesignMatrix(formula: "y ~ i(size, ref = 3)", table: table)
        #expect(numeric.columnNames == ["(Intercept)"] + ["1", "2", "4", "5", "6", "7", "8"].map { "factor(size)" + $0 })
    }

    @Test func noCompleteRow() throws {
        let csv = "y,x\nNA,1\n2,NA\n"
        let table = try DesignFixtures.table(csv: csv, types: [:])
        expectInvalid("y", "no row has a value in every model variable (2 rows)") { _ = try DesignMatrix(formula: "y ~ x", table: table) }
    }

    @Test func instrumentalVariableSpecification() throws {
        let table = try DesignFixtures.households()
        expectInvalid("x2", "both exogenous") { _ = try DesignMatrix(formula: "y ~ x1 + x2 | x2 ~ size", table: table) }
        expectInvalid("x1", "excluded instrument") { _ = try DesignMatrix(formula: "y ~ x1 | x2 ~ x1 + size", table: table) }
        expectInvalid("x2, size", "need at least as many instruments, got 1") {
            _ = try DesignMatrix(formula: "y ~ x1 | x2 + size ~ year", table: table)
        }
    }
}
