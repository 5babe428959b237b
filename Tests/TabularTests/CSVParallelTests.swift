import Foundation
import LinearAlgebra
import Testing
@testable import Tabular

/// The parallel split must not change anything: every thread count, chunk size and block
/// size gives the same columns, bit for bit, as one thread reading one range.
@Suite("CSV parallel determinism")
struct CSVParallelTests {
    /// A generated file that exercises every path: quoted fields with delimiters, doubled
    /// quotes and line breaks (which chunk splits land inside), CRLF rows, missing values,
    /// numbers in many spellings, a column that turns categorical near the end (re-read as
    /// text), an int column that widens to double late (keeping −0), booleans.
    static func generated(rows: Int, seed: UInt64) -> (text: String, xs: [String], late: [String]) {
        var rng = CSVTest.Generator(seed: seed)
        var text = "id,x,cat,late_text,late_double,flag,note\n"
        var xs: [String] = []
        var late: [String] = []
        let cats = ["Aceh", "\"Bali, Denpasar\"", "\"say \"\"hi\"\"\"", "\"two\nlines\"", "Médan", "NA", ""]
        for r in 0..<rows {
            let u = Double(rng.next() >> 11) / Double(1 << 53) - 0.5
            let x: String
            switch rng.next() % 8 {
            case 0: x = "\(u)"
            case 1: x = String(format: "%.6f", u * 1000)
            case 2: x = String(format: "%.17g", u * 1e-300)
            case 3: x = String(format: "%.3e", u * 1e200)
            case 4: x = "-0"
            case 5: x = "\(Int(u * 1e6))"
            case 6: x = "NA"
            default: x = String(format: "%.16g", u)
            }
            xs.append(x)
            let lateText = r == rows - 3 ? "zz" : r % 5 == 0 ? "0\(r)" : "\(r)"
            late.append(lateText)
            let lateDouble = r == rows - 2 ? "2.5" : r % 7 == 0 ? "-0" : "\(r)"
            let flag = ["true", "FALSE", "True", "", "false"][Int(rng.next() % 5)]
            let note = r % 11 == 0 ? "\"multi\r\nline, \"\"quoted\"\"\"" : "n\(r % 13)"
            let end = r % 3 == 0 ? "\r\n" : "\n"
            text += "\(r),\(x),\(cats[Int(rng.next() % UInt64(cats.count))]),\(lateText),\(lateDouble),\(flag),\(note)\(end)"
        }
        return (text, xs, late)
    }

    @Test func identicalForEveryThreadCountChunkAndBlockSize() throws {
        let (text, xs, late) = Self.generated(rows: 400, seed: 1)
        let reference = try CSVTest.read(text, CSVTest.options())
        // Values are what the text says: doubles bit for bit as Double(String) reads them.
        let x = try reference.column(named: "x")
        guard case let .double(values) = x.values else {
            Issue.record("x should be double")
            return
        }
        for (k, t) in xs.enumerated() {
            if t == "NA" {
                #expect(!x.validity.isValid(k))
            } else {
                #expect(values[k].bitPattern == Double(t)?.bitPattern, "row \(k): \(t)")
            }
        }
        // The late text column keeps each number's own text ("05" stays "05").
        let lateText = try reference.column(named: "late_text")
        #expect((0..<late.count).map { lateText.text(at: $0) } == late)
        let lateDouble = try reference.column(named: "late_double")
        guard case let .double(d) = lateDouble.values else {
            Issue.record("late_double should be double")
            return
        }
        #expect(d[0].bitPattern == (-0.0).bitPattern && d[398] == 2.5 && d[1] == 1)
        for threads in [1, 2, 3, 8] {
            for chunk in [1, 3, 17, 256, 1 << 20] {
                for block in [24, 700, 1 << 25] {
                    let t = try CSVTest.read(text, CSVTest.options(threads: threads, chunk: chunk, block: block))
                    #expect(CSVTest.sameColumns(t, reference), "threads \(threads) chunk \(chunk) block \(block)")
                }
            }
        }
    }

    @Test func fileReadsMatchInMemoryReadsAcrossBlocks() throws {
        let (text, _, _) = Self.generated(rows: 3_000, seed: 2)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("policylab-csv-\(UInt32.random(in: 0...UInt32.max)).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reference = try CSVTest.read(text, CSVTest.options())
        for (threads, chunk, block) in [(1, 1 << 20, 1 << 25), (2, 64, 1_000), (3, 7, 300), (8, 4_096, 10_000)] {
            let t = try CSVReader.read(path: path, options: CSVTest.options(threads: threads, chunk: chunk, block: block))
            #expect(CSVTest.sameColumns(t, reference), "threads \(threads) chunk \(chunk) block \(block)")
        }
    }

    @Test func longNumericFileTakesTheFastPathIdentically() throws {
        var rng = CSVTest.Generator(seed: 3)
        var text = (1...6).map { "c\($0)" }.joined(separator: ",") + "\n"
        for _ in 0..<5_000 {
            text += (0..<6).map { _ in "\(Double(Int64(bitPattern: rng.next() >> 1)) / 1e18)" }.joined(separator: ",") + "\n"
        }
        let reference = try CSVTest.read(text, CSVTest.options())
        #expect(reference.storedColumns.allSatisfy { $0.type == .double })
        for threads in [2, 3, 8] {
            for chunk in [5, 999, 65_536] {
                let t = try CSVTest.read(text, CSVTest.options(threads: threads, chunk: chunk, block: 40_000))
                #expect(CSVTest.sameColumns(t, reference))
            }
        }
    }

    @Test func quoteParityAcrossChunkSplits() throws {
        // Every byte boundary of this file is tried as a split point.
        let text = "a,b\n\"x,\n\"\"y\"\"\n\",1\n\"\",2\n\"\"\"\",3\nplain,4\n\"\n\n\",5\n"
        let reference = try CSVTest.read(text, CSVTest.options())
        #expect(try reference.column(named: "a").values
            == .categorical(codes: [0, 0, 1, 2, 3], levels: ["x,\n\"y\"\n", "\"", "plain", "\n\n"]))
        #expect(try reference.column(named: "a").validity == ValidityMask([true, false, true, true, true]))
        for chunk in 1...text.utf8.count {
            for threads in [1, 3] {
                let t = try CSVTest.read(text, CSVTest.options(threads: threads, chunk: chunk, block: chunk * 3))
                #expect(CSVTest.sameColumns(t, reference), "chunk \(chunk)")
            }
        }
    }
}
