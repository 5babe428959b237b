import Foundation
import LinearAlgebra
import Testing
@testable import Tabular

/// Bad input: every case is a typed error naming file, line and column — never a trap.
@Suite("CSV errors")
struct CSVErrorTests {
    func error(_ text: String, _ options: CSVOptions = .init()) -> (FileLocation, String)? {
        CSVTest.fileError { try CSVTest.read(text, options) }
    }

    func error(bytes: [UInt8], _ options: CSVOptions = .init()) -> (FileLocation, String)? {
        CSVTest.fileError { try CSVReader.read(bytes: bytes, name: "test.csv", options: options) }
    }

    @Test func raggedRowWithTooFewFields() {
        let e = error("a,b,c\n1,2,3\n4,5\n6,7,8\n")
        #expect(e?.0 == FileLocation(file: "test.csv", line: 3))
        #expect(e?.1.contains("2 fields where 3 are expected") == true)
    }

    @Test func raggedRowWithTooManyFields() {
        let e = error("a,b\n1,2\n3,4\n5,6,7,8\n")
        #expect(e?.0 == FileLocation(file: "test.csv", line: 4))
        #expect(e?.1.contains("4 fields where 2 are expected") == true)
    }

    @Test func raggedRowInTheFastNumericPathAndAfterAMultilineField() {
        var long = "a,b\n"
        for i in 0..<200 { long += "\(Double(i) * 0.123456789),\(i)\n" }
        long += "1.5\n"
        #expect(error(long)?.0 == FileLocation(file: "test.csv", line: 202))
        let e = error("a,b\n\"x\ny\",1\n2\n")
        #expect(e?.0 == FileLocation(file: "test.csv", line: 4))
    }

    @Test func unterminatedQuoteReportsWhereItOpened() {
        let e = error("a,b\n1,2\n3,\"open\n4,5\n6,7\n")
        #expect(e?.0 == FileLocation(file: "test.csv", line: 3, column: 3))
        #expect(e?.1.contains("never closed") == true)
        // The same with every split: the error does not depend on threads or chunks.
        for threads in [1, 2, 3, 8] {
            for chunk in [1, 2, 3, 7] {
                let again = error("a,b\n1,2\n3,\"open\n4,5\n6,7\n", CSVTest.options(threads: threads, chunk: chunk, block: 8))
                #expect(again?.0 == e?.0)
            }
        }
    }

    @Test func strayQuotesAndTextAfterAClosingQuote() {
        let stray = error("a,b\n1,x\"y\n")
        #expect(stray?.0 == FileLocation(file: "test.csv", line: 2, column: 4))
        #expect(stray?.1.contains("quote inside an unquoted field") == true)
        let after = error("a,b\n1,\"x\"y\n")
        #expect(after?.0 == FileLocation(file: "test.csv", line: 2, column: 6))
        #expect(after?.1.contains("after a closing quote") == true)
    }

    @Test func textInAColumnDeclaredNumericOrBool() {
        let e = error("id,x\n1,2.5\n2,abc\n", CSVOptions(columnTypes: ["x": .double]))
        #expect(e?.0 == FileLocation(file: "test.csv", line: 3, column: 3))
        #expect(e?.1.contains("column 'x' is declared double but holds 'abc'") == true)
        let int = error("id,x\n1,2\n2,2.5\n", CSVOptions(columnTypes: ["x": .int]))
        #expect(int?.0 == FileLocation(file: "test.csv", line: 3, column: 3))
        #expect(int?.1.contains("declared int but holds '2.5'") == true)
        let overflow = error("x\n99999999999999999999\n", CSVOptions(columnTypes: ["x": .int]))
        #expect(overflow?.1.contains("declared int") == true)
        let bool = error("b\ntrue\nyes\n", CSVOptions(columnTypes: ["b": .bool]))
        #expect(bool?.0 == FileLocation(file: "test.csv", line: 3, column: 1))
        #expect(bool?.1.contains("declared bool but holds 'yes'") == true)
        let boolAsNumber = error("b\n1\n", CSVOptions(columnTypes: ["b": .bool]))
        #expect(boolAsNumber?.1.contains("declared bool") == true)
    }

    @Test func emptyFiles() {
        for text in ["", "\u{FEFF}", "\n\n\r\n"] {
            let e = error(text)
            #expect(e?.0 == FileLocation(file: "test.csv", line: 1))
            #expect(e?.1.contains("empty") == true)
        }
        #expect(CSVTest.fileError { try CSVReader.read(bytes: [], name: "none.csv") }?.1.contains("empty") == true)
    }

    @Test func headerOnlyIsAnError() {
        for text in ["a,b\n", "a,b", "a,b\n\n\n"] {
            let e = error(text)
            #expect(e?.0 == FileLocation(file: "test.csv", line: 2), "\(text.debugDescription)")
            #expect(e?.1.contains("no data rows") == true)
            #expect(CSVTest.fileError { try CSVChunkReader(bytes: Array(text.utf8), name: "test.csv", rowsPerChunk: 2) } != nil)
        }
    }

    @Test func duplicateColumnNames() {
        #expect(throws: TabularError.duplicateColumn(name: "a", file: "test.csv")) { try CSVTest.read("a,b,a\n1,2,3\n") }
    }

    /// A UTF-16 or UTF-32 file (what some spreadsheet exports write) is named as such, with
    /// the conversion to make, instead of "invalid UTF-8 byte 0xFF".
    @Test func utf16AndUTF32FilesAreNamed() {
        let text = "y,x\n1,2\n"
        let utf16LE: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let utf16BE: [UInt8] = [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let utf32LE: [UInt8] = [0xFF, 0xFE, 0, 0] + text.unicodeScalars.flatMap { [UInt8($0.value & 0xFF), 0, 0, 0] }
        for (bytes, encoding) in [(utf16LE, "UTF-16LE"), (utf16BE, "UTF-16BE"), (utf32LE, "UTF-32LE")] {
            let e = error(bytes: bytes)
            #expect(e?.0 == FileLocation(file: "test.csv", line: 1, column: 1), "\(encoding)")
            #expect(e?.1.contains("\(encoding) byte-order mark; re-encode it as UTF-8") == true, "\(e?.1 ?? "no error")")
        }
        // A UTF-8 byte-order mark is still read and skipped.
        #expect(error(bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8)) == nil)
    }

    @Test func invalidUTF8InAValueAndInTheHeader() {
        var bytes = Array("name,x\nAceh,1\nBa".utf8) + [0xFF] + Array("li,2\n".utf8)
        let e = error(bytes: bytes)
        #expect(e?.0 == FileLocation(file: "test.csv", line: 3, column: 3))
        #expect(e?.1.contains("invalid UTF-8 byte 0xFF") == true)
        bytes = Array("na".utf8) + [0xC3, 0x28] + Array(",x\n1,2\n".utf8)
        #expect(error(bytes: bytes)?.0 == FileLocation(file: "test.csv", line: 1, column: 3))
        // Overlong encodings and surrogates are invalid too; valid multi-byte text is fine.
        #expect(error(bytes: Array("a\n".utf8) + [0xC0, 0x80, 10]) != nil)
        #expect(error(bytes: Array("a\n".utf8) + [0xED, 0xA0, 0x80, 10]) != nil)
        #expect(error("kota\nMédan\nDenpasar — Bali\n") == nil)
    }

    @Test func declaredTypeForAnUnknownColumn() {
        #expect(throws: TabularError.unknownColumn(name: "incme", suggestions: ["income"])) {
            try CSVTest.read("income,x\n1,2\n", CSVOptions(columnTypes: ["incme": .double]))
        }
    }

    @Test func unreadablePaths() {
        let missing = CSVTest.fileError { try CSVReader.read(path: "/nonexistent/file.csv") }
        #expect(missing?.0.file == "/nonexistent/file.csv")
        #expect(missing?.1.contains("cannot be opened") == true)
        #expect(CSVTest.fileError { try CSVReader.read(path: "/tmp") }?.1.contains("not a regular file") == true)
        #expect(throws: TabularError.self) { try CSVChunkReader(path: "/nonexistent/file.csv", rowsPerChunk: 10) }
        #expect(throws: TabularError.self) { try CSVChunkReader(bytes: Array("a\n1\n".utf8), name: "x", rowsPerChunk: 0) }
    }

    @Test func columnNumbersCountCharactersNotBytes() {
        let e = error("kota,x\nMédan,\"a\"b\n")
        #expect(e?.0 == FileLocation(file: "test.csv", line: 2, column: 10))
    }

    /// Random mutations of valid files: every outcome is a table or a `TabularError`.
    @Test func mutatedInputNeverTraps() {
        var rng = CSVTest.Generator(seed: 7)
        let base = Array("id,x,name,flag\n1,2.5,\"Aceh, Besar\",true\n2,-0.1e3,\"a \"\"q\"\"\nline\",False\n3,NA,Bali,\n".utf8)
        let alphabet: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "\""), 10, 13, UInt8(ascii: "1"), UInt8(ascii: "."),
                                 UInt8(ascii: "e"), UInt8(ascii: "-"), 0xFF, 0xC3, 0xEF, 0xBB, 0xBF, 0, UInt8(ascii: "x")]
        for trial in 0..<3_000 {
            var bytes = base
            for _ in 0..<(1 + rng.next() % 4) {
                let at = Int(rng.next() % UInt64(bytes.count + 1))
                switch rng.next() % 3 {
                case 0 where at < bytes.count: bytes.remove(at: at)
                case 1 where at < bytes.count: bytes[at] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                default: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: at)
                }
            }
            let options = CSVTest.options(threads: 1 + trial % 3, chunk: 1 + trial % 9, block: 4 + trial % 40)
            do {
                let t = try CSVReader.read(bytes: bytes, name: "fuzz.csv", options: options)
                // Whatever parses must parse the same with one thread and default splits.
                let serial = try CSVReader.read(bytes: bytes, name: "fuzz.csv", options: CSVTest.options())
                #expect(CSVTest.sameColumns(t, serial))
            } catch let error as TabularError {
                // The same error with the default split.
                #expect(throws: error) { try CSVReader.read(bytes: bytes, name: "fuzz.csv", options: CSVTest.options()) }
            } catch {
                Issue.record("untyped error \(error)")
            }
        }
    }
}
