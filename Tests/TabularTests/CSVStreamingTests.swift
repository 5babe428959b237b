import Foundation
import LinearAlgebra
import Testing
@testable import Tabular

/// Streaming reads give, concatenated, the columns of the in-memory read.
@Suite("CSV streaming")
struct CSVStreamingTests {
    func chunks(_ text: String, rows: Int, _ options: CSVOptions = CSVTest.options()) throws -> (CSVChunkReader, [Table]) {
        var reader = try CSVChunkReader(bytes: Array(text.utf8), name: "test.csv", options: options, rowsPerChunk: rows)
        let first = reader
        var out: [Table] = []
        while let chunk = try reader.next() { out.append(chunk) }
        return (first, out)
    }

    @Test func concatenatedChunksEqualTheInMemoryRead() throws {
        let (text, _, _) = CSVParallelTests.generated(rows: 500, seed: 11)
        let whole = try CSVTest.read(text, CSVTest.options())
        for rows in [1, 7, 64, 499, 500, 10_000] {
            for (threads, chunk, block) in [(1, 1 << 20, 1 << 25), (3, 13, 200)] {
                let (reader, parts) = try chunks(text, rows: rows, CSVTest.options(threads: threads, chunk: chunk, block: block))
                #expect(reader.columnNames == whole.columnNames)
                #expect(reader.columnTypes == whole.storedColumns.map(\.type))
                #expect(parts.count == (500 + rows - 1) / rows)
                #expect(parts.dropLast().allSatisfy { $0.rowCount == rows })
                #expect(CSVTest.sameColumns(try CSVTest.concatenate(parts), whole), "rows \(rows) threads \(threads)")
            }
        }
    }

    @Test func categoricalCodesAreStableAcrossChunks() throws {
        let text = "g,x\nb,1\na,2\nb,3\nc,4\na,5\nd,6\n"
        let (_, parts) = try chunks(text, rows: 2)
        let levels = try parts.map { chunk -> [String] in
            guard case let .categorical(_, l) = try chunk.column(named: "g").values else { return [] }
            return l
        }
        #expect(levels == [["b", "a"], ["b", "a", "c"], ["b", "a", "c", "d"]])
        #expect(try parts[1].column(named: "g").values == .categorical(codes: [0, 2], levels: ["b", "a", "c"]))
        #expect(try parts[2].column(named: "g").values == .categorical(codes: [1, 3], levels: ["b", "a", "c", "d"]))
    }

    @Test func typesComeFromTheWholeFileBeforeTheFirstChunk() throws {
        // The first chunk only holds integers, but a later row makes the column double, and
        // another later row makes a column categorical: the first chunk already has those types.
        let text = "a,b\n1,1\n2,2\n3,x\n4.5,4\n"
        let (reader, parts) = try chunks(text, rows: 2)
        #expect(reader.columnTypes == [.double, .categorical])
        #expect(try parts[0].column(named: "a").values == .double([1, 2]))
        #expect(try parts[0].column(named: "b").values == .categorical(codes: [0, 1], levels: ["1", "2"]))
    }

    @Test func declaredTypesSkipTheInferencePassAndErrorsComeFromNext() throws {
        // Small blocks, so that the bad row is parsed only by the third call.
        var options = CSVTest.options(chunk: 4, block: 8)
        options.columnTypes = ["a": .int, "b": .double]
        var reader = try CSVChunkReader(bytes: Array("a,b\n1,2\n3,4\n5,oops\n".utf8), name: "test.csv",
                                        options: options, rowsPerChunk: 1)
        #expect(reader.columnTypes == [.int, .double])
        #expect(try reader.next()?.rowCount == 1)
        #expect(try reader.next()?.rowCount == 1)
        let e = CSVTest.fileError { try reader.next() as Any }
        #expect(e?.0 == FileLocation(file: "test.csv", line: 4, column: 3))
    }

    @Test func streamingAFileInSmallBlocks() throws {
        let (text, _, _) = CSVParallelTests.generated(rows: 2_000, seed: 12)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("policylab-stream-\(UInt32.random(in: 0...UInt32.max)).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let whole = try CSVReader.read(path: path, options: CSVTest.options())
        var reader = try CSVChunkReader(path: path, options: CSVTest.options(threads: 2, chunk: 97, block: 1_500), rowsPerChunk: 333)
        var parts: [Table] = []
        while let chunk = try reader.next() { parts.append(chunk) }
        #expect(parts.count == 7)
        #expect(CSVTest.sameColumns(try CSVTest.concatenate(parts), whole))
        #expect(try reader.next() == nil)
    }
}
