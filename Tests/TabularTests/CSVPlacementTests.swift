import Foundation
import LinearAlgebra
import Testing
@testable import Tabular

/// Pass 2 writes each range's double values straight into the columns (`CSVBlockParser.Placement`,
/// `DoubleRows`); the merge only takes them over. Reads with and without that must give the same
/// columns bit for bit, whatever the blocks, chunks and threads.
@Suite("CSV values placed by pass 2")
struct CSVPlacementTests {
    /// Reads `text` with and without placement under `options`.
    static func bothWays(_ text: String, _ options: CSVOptions) throws -> (placed: Table, merged: Table) {
        let bytes = Array(text.utf8)
        let placed = try CSVReader.read(source: .memory(bytes), name: "test.csv", options: options, placing: true)
        let merged = try CSVReader.read(source: .memory(bytes), name: "test.csv", options: options, placing: false)
        return (placed, merged)
    }

    /// A file whose double columns meet every case of the merge: missing values, a range of
    /// integers inside a double column, blank lines (ranges with fewer rows than line feeds),
    /// quoted line feeds, a double column that turns text late (in a block whose earlier ranges
    /// were placed), −0, CRLF rows, and no line feed after the last row.
    static func mixed(rows: Int, seed: UInt64) -> String {
        var rng = CSVTest.Generator(seed: seed)
        var text = "a,b,c,turns_text,note\n"
        for r in 0..<rows {
            let u = Double(rng.next() >> 11) / Double(1 << 53) - 0.5
            let a = "\(u * 1e3)"
            let b = r % 17 == 0 ? "NA" : r % 29 == 0 ? "-0" : "\(u)"
            // Integers only for a stretch: some ranges see c as an int column.
            let c = (rows / 3..<rows / 2).contains(r) ? "\(r)" : String(format: "%.9f", u)
            let turnsText = r == rows - rows / 5 ? "late" : "\(Double(r) / 8)"
            let note = r % 23 == 0 ? "\"two\nlines\"" : "n"
            text += "\(a),\(b),\(c),\(turnsText),\(note)"
            if r == rows - 1 { break }
            text += r % 4 == 0 ? "\r\n" : "\n"
            if r % 31 == 0 { text += "\n" }
        }
        return text
    }

    @Test func placedValuesMatchTheMergeForEveryBlockChunkAndThreadCount() throws {
        let text = Self.mixed(rows: 1_500, seed: 11)
        let reference = try CSVTest.read(text, CSVTest.options())
        #expect(reference.rowCount == 1_500)
        #expect(try reference.column(named: "a").type == .double)
        #expect(try reference.column(named: "c").type == .double)
        #expect(try reference.column(named: "turns_text").type == .categorical)
        for threads in [1, 2, 3] {
            for (chunk, block) in [(64, 2_000), (997, 5_000), (4_096, 20_000), (1 << 20, 1 << 25)] {
                let (placed, merged) = try Self.bothWays(text, CSVTest.options(threads: threads, chunk: chunk, block: block))
                #expect(CSVTest.sameColumns(placed, merged), "threads \(threads) chunk \(chunk) block \(block)")
                #expect(CSVTest.sameColumns(placed, reference), "threads \(threads) chunk \(chunk) block \(block)")
            }
        }
    }

    /// A file of doubles only, so that the AVX-512 row loop takes most rows and writes them
    /// straight into the columns, while the rows it leaves (a missing value, an exponent, a
    /// value with more than 19 significant digits) go through the slots and are copied after.
    /// Column d turns text late: its rows before that, already written into the column by the
    /// row loop, must come back as their own texts.
    static func doubles(rows: Int, seed: UInt64, turnsText: Bool) -> String {
        var rng = CSVTest.Generator(seed: seed)
        var text = "a,b,c,d\n"
        for r in 0..<rows {
            let u = Double(rng.next() >> 11) / Double(1 << 53) - 0.5
            let b = r % 37 == 0 ? "NA" : r % 41 == 0 ? "1.5e3" : r % 43 == 0 ? "0.12345678901234567890123" : "\(u)"
            let d = turnsText && r == rows - rows / 4 ? "late" : "\(Double(r) / 4)"
            text += "\(u * 1e3),\(b),\(-u),\(d)" + (r % 5 == 0 ? "\r\n" : "\n")
            if r % 53 == 0 { text += "\n" }
        }
        return text
    }

    @Test func rowsTheKernelWritesStraightIntoTheColumnsMatchTheMerge() throws {
        for turnsText in [false, true] {
            let text = Self.doubles(rows: 2_000, seed: 14, turnsText: turnsText)
            let reference = try CSVTest.read(text, CSVTest.options())
            #expect(reference.rowCount == 2_000)
            #expect(try reference.column(named: "d").type == (turnsText ? .categorical : .double))
            for threads in [1, 2] {
                for (chunk, block) in [(512, 6_000), (4_096, 30_000), (1 << 20, 1 << 25)] {
                    let (placed, merged) = try Self.bothWays(text, CSVTest.options(threads: threads, chunk: chunk, block: block))
                    #expect(CSVTest.sameColumns(placed, merged), "threads \(threads) chunk \(chunk) block \(block)")
                    #expect(CSVTest.sameColumns(placed, reference), "threads \(threads) chunk \(chunk) block \(block)")
                }
            }
        }
    }

    @Test func declaredDoublesArePlacedFromTheFirstBlock() throws {
        // Declared columns are double before any row is read, so even the first block is placed,
        // and the reservation after it moves the values placed so far.
        let text = Self.mixed(rows: 800, seed: 12)
        var options = CSVTest.options(threads: 2, chunk: 200, block: 3_000)
        options.columnTypes = ["a": .double, "b": .double, "c": .double]
        let (placed, merged) = try Self.bothWays(text, options)
        #expect(CSVTest.sameColumns(placed, merged))
        guard case let .double(c) = try placed.column(named: "c").values else {
            Issue.record("c should be double")
            return
        }
        #expect(c[800 / 3] == Double(800 / 3))
    }

    @Test func widerFilesPlaceTheirFirstColumnsAndMergeTheRest() throws {
        let columns = CSVColumnBox.placementColumnLimit + 40
        var rng = CSVTest.Generator(seed: 13)
        var text = (0..<columns).map { "v\($0)" }.joined(separator: ",") + "\n"
        for _ in 0..<120 {
            text += (0..<columns).map { _ in "\(Double(rng.next() >> 11) / Double(1 << 40))" }.joined(separator: ",") + "\n"
        }
        let (placed, merged) = try Self.bothWays(text, CSVTest.options(threads: 2, chunk: 4_096, block: 40_000))
        #expect(placed.rowCount == 120 && placed.columnNames.count == columns)
        #expect(CSVTest.sameColumns(placed, merged))
    }

    @Test func doubleRowsKeepPlacedValuesThroughMovesAndDropTheRoom() {
        var rows = DoubleRows()
        rows.append([1.0, 2.0], count: 2)
        // Pass 2 writes two ranges' values ahead of the rows (the first range had a blank line,
        // so it holds 2 rows where 3 were expected).
        rows.withRoom(forRows: 5) { to in
            to[0] = 3
            to[1] = 4
            to[3] = 5
            to[4] = 6
        }
        // The storage moves before the values are adopted: they move with it.
        rows.reserve(1_000)
        rows.adoptPlaced(at: 2, count: 2)
        rows.adoptPlaced(at: 5, count: 2)
        rows.appendZeros(1)
        [7.0, 8.0].withUnsafeBufferPointer { rows.append($0) }
        rows[4] = -0.0
        #expect(rows.count == 9)
        let values = rows.finish()
        #expect(values.map(\.bitPattern) == [1, 2, 3, 4, -0.0, 6, 0, 7, 8].map(\.bitPattern))
        #expect(rows.count == 0 && rows.finish().isEmpty)
        // A sequence shorter than promised leaves zeros, never unwritten rows.
        var short = DoubleRows()
        short.append([1.0], count: 3)
        #expect(short.finish() == [1, 0, 0])
    }
}
