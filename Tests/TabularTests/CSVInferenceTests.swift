import Foundation
import LinearAlgebra
import Testing
@testable import Tabular

/// Type inference, declared types, missing tokens and the other options.
@Suite("CSV types and options")
struct CSVInferenceTests {
    @Test func declaredTypesOverrideInference() throws {
        let text = "zip,n,f,b\n01,1,1,true\n02,2,2,false\n"
        let t = try CSVTest.read(text, CSVOptions(columnTypes: ["zip": .categorical, "n": .double, "f": .categorical, "b": .categorical]))
        #expect(try t.column(named: "zip").values == .categorical(codes: [0, 1], levels: ["01", "02"]))
        #expect(try t.column(named: "n").values == .double([1, 2]))
        #expect(try t.column(named: "b").values == .categorical(codes: [0, 1], levels: ["true", "false"]))
        let ints = try CSVTest.read("a,b\n1,true\n2,False\n", CSVOptions(columnTypes: ["a": .int, "b": .bool]))
        #expect(try ints.column(named: "a").values == .int([1, 2]))
        #expect(try ints.column(named: "b").values == .bool([true, false]))
    }

    @Test func configurableMissingTokens() throws {
        let options = CSVOptions(missingTokens: ["-999", "n/a"])
        let t = try CSVTest.read("x,y,z\n1.5,n/a,\n-999,2,a\n2.5,-999,b\n", options)
        let x = try t.column(named: "x")
        #expect(x.values == .double([1.5, 0, 2.5]) && x.validity == ValidityMask([true, false, true]))
        let y = try t.column(named: "y")
        #expect(y.values == .int([0, 2, 0]) && y.missingCount == 2)
        // The empty text is not a missing token here: it is a level.
        #expect(try t.column(named: "z").values == .categorical(codes: [0, 1, 2], levels: ["", "a", "b"]))
        // NA is no longer missing either, so the column is text.
        let na = try CSVTest.read("x\n1\nNA\n", options)
        #expect(try na.column(named: "x").values == .categorical(codes: [0, 1], levels: ["1", "NA"]))
    }

    @Test func blanksAreTrimmedForTypesButKeptInLevels() throws {
        let t = try CSVTest.read("a,b,c\n 1 , NA ,  x\n2,3, y \n")
        #expect(try t.column(named: "a").values == .int([1, 2]))
        let b = try t.column(named: "b")
        #expect(b.values == .int([0, 3]) && b.missingCount == 1)
        #expect(try t.column(named: "c").values == .categorical(codes: [0, 1], levels: ["  x", " y "]))
        // With a tab delimiter, tabs are not blanks.
        let tab = try CSVTest.read("a\tb\n1\t2\n", CSVOptions(delimiter: .tab))
        #expect(try tab.column(named: "b").values == .int([2]))
    }

    @Test func booleansAndMixtures() throws {
        let t = try CSVTest.read("a,b,c,d\ntrue,TRUE,yes,1\nFalse,false,no,true\nTrue,FALSE,yes,0\n")
        #expect(try t.column(named: "a").values == .bool([true, false, true]))
        #expect(try t.column(named: "b").values == .bool([true, false, false]))
        #expect(try t.column(named: "c").values == .categorical(codes: [0, 1, 0], levels: ["yes", "no"]))
        // Booleans mixed with numbers are categorical, each value its own text.
        #expect(try t.column(named: "d").values == .categorical(codes: [0, 1, 2], levels: ["1", "true", "0"]))
        // Only the three spellings are booleans.
        for odd in ["tRUE", "TrUe", "fALSE", "FALSe", "truee", "T", "1"] {
            let c = try CSVTest.read("a\ntrue\n\(odd)\n")
            #expect(try c.column(named: "a").type == .categorical, "\(odd)")
        }
    }

    @Test func widthsAndNegativeZero() throws {
        // An int column that widens late keeps −0 from "-0" (as Double("-0") does).
        var text = "a\n"
        for i in 0..<3_000 { text += i % 100 == 0 ? "-0\n" : "\(i)\n" }
        text += "0.5\n"
        for threads in [1, 4] {
            let t = try CSVTest.read(text, CSVTest.options(threads: threads, chunk: 97))
            guard case let .double(v) = try t.column(named: "a").values else {
                Issue.record("a should be double")
                return
            }
            #expect(v[0].bitPattern == (-0.0).bitPattern && v[100].sign == .minus && v[1] == 1 && v[3_000] == 0.5)
        }
    }

    @Test func columnsWithoutValues() throws {
        let t = try CSVTest.read("a,b\n,1\nNA,2\n")
        let a = try t.column(named: "a")
        #expect(a.type == .double && a.missingCount == 2)
        let forced = try CSVTest.read("a,b\n,1\nNA,2\n", CSVOptions(columnTypes: ["a": .categorical]))
        #expect(try forced.column(named: "a").values == .categorical(codes: [0, 0], levels: []))
    }

    @Test func withoutHeaderAndWithEmptyHeaderCells() throws {
        let t = try CSVTest.read("1,x\n2,y\n", CSVOptions(hasHeader: false))
        #expect(t.columnNames == ["column1", "column2"])
        #expect(try t.column(named: "column1").values == .int([1, 2]))
        let unnamed = try CSVTest.read(",a,\n1,2,3\n")
        #expect(unnamed.columnNames == ["column1", "a", "column3"])
        let quotedNames = try CSVTest.read("\"a,b\",\"say \"\"hi\"\"\"\n1,2\n")
        #expect(quotedNames.columnNames == ["a,b", "say \"hi\""])
    }

    @Test func readFromData() throws {
        let t = try CSVReader.read(data: Data("a,b\n1,2\n".utf8), name: "data.csv")
        #expect(try t.column(named: "b").values == .int([2]))
    }

    @Test func manyLevelsKeepFirstAppearanceOrderAcrossRanges() throws {
        var rng = CSVTest.Generator(seed: 5)
        var text = "g,x\n"
        var expectedLevels: [String] = []
        var index: [String: Int32] = [:]
        var expectedCodes: [Int32] = []
        for r in 0..<20_000 {
            let level = "L\(rng.next() % 6_000)"
            if index[level] == nil {
                index[level] = Int32(expectedLevels.count)
                expectedLevels.append(level)
            }
            expectedCodes.append(index[level] ?? -1)
            text += "\(level),\(r)\n"
        }
        for (threads, chunk) in [(1, 1 << 20), (3, 1_000), (8, 77)] {
            let t = try CSVTest.read(text, CSVTest.options(threads: threads, chunk: chunk, block: 50_000))
            #expect(try t.column(named: "g").values == .categorical(codes: expectedCodes, levels: expectedLevels))
        }
    }

    @Test func tablesFromTheReaderBehaveLikeOtherTables() throws {
        let t = try CSVTest.read("region,income\nAceh,10\nBali,NA\nAceh,30\n")
        let aceh = try t.filter { try t.column(named: "region").text(at: $0) == "Aceh" }
        #expect(aceh.rowCount == 2)
        #expect(try aceh.column(named: "income").values == .int([10, 30]))
        #expect(throws: TabularError.unknownColumn(name: "incme", suggestions: ["income"])) { try t.column(named: "incme") }
    }
}
