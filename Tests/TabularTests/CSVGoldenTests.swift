import LinearAlgebra
import Testing
@testable import Tabular

/// The committed files in Fixtures/csv, one per RFC 4180 case, with their expected columns.
@Suite("CSV golden files")
struct CSVGoldenTests {
    func read(_ file: String, _ options: CSVOptions = .init()) throws -> Table {
        try CSVReader.read(path: try CSVTest.fixture(file), options: options)
    }

    @Test func minimal() throws {
        let t = try read("minimal.csv")
        #expect(t.columnNames == ["a", "b"])
        #expect(try t.column(named: "a").values == .int([1]))
        #expect(try t.column(named: "b").values == .int([2]))
    }

    @Test func quotedFieldsWithDelimitersAndDoubledQuotes() throws {
        let t = try read("quoted.csv")
        #expect(try t.column(named: "name").values
            == .categorical(codes: [0, 1, 2], levels: ["Aceh", "Bali, Denpasar", "Java"]))
        #expect(try t.column(named: "comment").values
            == .categorical(codes: [0, 1, 2], levels: ["plain", "has, commas", "unquoted and \"quoted\""]))
    }

    @Test func newlinesInsideQuotes() throws {
        let t = try read("multiline.csv")
        #expect(t.rowCount == 3)
        #expect(try t.column(named: "id").values == .int([1, 2, 3]))
        let text = try t.column(named: "text")
        #expect(text.values == .categorical(codes: [0, 1, 0],
                                            levels: ["line one\nline two", "a \"quote\" and, comma\r\nwith CRLF inside"]))
        // A quoted empty field is the empty text, a missing token.
        #expect(text.validity == ValidityMask([true, true, false]))
    }

    @Test func crlfLineEnds() throws {
        let t = try read("crlf.csv")
        #expect(try t.column(named: "a").values == .int([1, 2]))
        #expect(try t.column(named: "b").values == .double([2.5, 3.5]))
        #expect(try t.column(named: "c").values == .categorical(codes: [0, 1], levels: ["x", "y"]))
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let t = try read("bom.csv")
        #expect(t.columnNames == ["region", "income"])
        #expect(try t.column(named: "income").values == .int([10]))
    }

    @Test func otherDelimiters() throws {
        let semicolon = try read("semicolon.csv", CSVOptions(delimiter: .semicolon))
        // A decimal comma is not a number: the column is categorical.
        #expect(try semicolon.column(named: "income").values == .categorical(codes: [0, 1], levels: ["1200,5", "900"]))
        #expect(try semicolon.column(named: "share").values == .double([0.5, 0.25]))
        let tab = try read("tab.tsv", CSVOptions(delimiter: .tab))
        #expect(try tab.column(named: "region").values == .categorical(codes: [0, 1], levels: ["Aceh Besar", "Bali"]))
        #expect(try tab.column(named: "income").values == .double([12.5, -3]))
        let pipe = try read("pipe.csv", CSVOptions(delimiter: .pipe))
        #expect(try pipe.column(named: "a").values == .int([1, 2]))
        #expect(try pipe.column(named: "b").values == .categorical(codes: [0, 1], levels: ["x y", "p|q"]))
    }

    @Test func missingTokensClearValidity() throws {
        let t = try read("missing.csv")
        let x = try t.column(named: "x")
        #expect(x.values == .double([1.5, 0, 0, 4]))
        #expect(x.validity == ValidityMask([true, false, false, true]))
        let y = try t.column(named: "y")
        #expect(y.values == .int([0, 2, 3, 0]))
        #expect(y.validity == ValidityMask([false, true, true, false]))
        let g = try t.column(named: "g")
        #expect(g.values == .categorical(codes: [0, 0, 0, 1], levels: ["a", "b"]))
        #expect(g.validity == ValidityMask([true, false, false, true]))
        let flag = try t.column(named: "flag")
        #expect(flag.values == .bool([true, false, false, true]))
        #expect(flag.validity == ValidityMask([true, true, false, true]))
    }

    @Test func typeInferenceOverTheWholeFile() throws {
        let t = try read("types.csv")
        #expect(try t.column(named: "i").values == .int([1, -2, 3]))
        let d = try t.column(named: "d")
        guard case let .double(values) = d.values else {
            Issue.record("d should be double")
            return
        }
        #expect(values.map(\.bitPattern) == [1.5, 2.0, -0.0].map(\.bitPattern))
        #expect(try t.column(named: "b").values == .bool([true, false, true]))
        // Numbers in a column that holds text keep their own text as levels.
        #expect(try t.column(named: "c").values == .categorical(codes: [0, 1, 2], levels: ["1", "x", "1.50"]))
        // Int64.max + 1 does not fit: the column becomes double.
        #expect(try t.column(named: "big").values == .double([Double(Int.max), 9_223_372_036_854_775_808.0, 1]))
        let empty = try t.column(named: "empty")
        #expect(empty.type == .double && empty.missingCount == 3)
        #expect(try t.column(named: "neg").values == .int([0, 0, 0]))
    }

    @Test func lastRowWithoutNewlineAndBlankLines() throws {
        let a = try read("no_trailing_newline.csv")
        #expect(try a.column(named: "b").values == .int([2, 4]))
        let b = try read("blank_lines.csv")
        #expect(b.columnNames == ["a", "b"])
        #expect(try b.column(named: "a").values == .int([1, 3]))
        #expect(try b.column(named: "b").values == .int([2, 4]))
    }

    @Test func quotingDoesNotChangeTypesAndBlanksAreTrimmedForTyping() throws {
        let t = try read("quoted_numbers.csv")
        #expect(try t.column(named: "x").values == .int([1, 3]))
        #expect(try t.column(named: "y").values == .double([2.5, 4]))
    }

    @Test func goldenFilesReadTheSameWithEverySplit() throws {
        for file in ["quoted.csv", "multiline.csv", "crlf.csv", "missing.csv", "types.csv", "blank_lines.csv"] {
            let reference = try read(file)
            for threads in [1, 3] {
                for chunk in [1, 2, 5] {
                    let t = try read(file, CSVTest.options(threads: threads, chunk: chunk, block: 16))
                    #expect(CSVTest.sameColumns(t, reference), "\(file) threads \(threads) chunk \(chunk)")
                }
            }
        }
    }

    @Test func errorLocationsNameTheFile() throws {
        let ragged = try CSVTest.fixture("ragged.csv")
        let r = CSVTest.fileError { try CSVReader.read(path: ragged) }
        #expect(r?.0 == FileLocation(file: ragged, line: 3))
        #expect(r?.1.contains("2 fields where 3 are expected") == true)
        let open = try CSVTest.fixture("unterminated.csv")
        let u = CSVTest.fileError { try CSVReader.read(path: open) }
        #expect(u?.0 == FileLocation(file: open, line: 2, column: 3))
        #expect(u?.1.contains("never closed") == true)
    }
}
