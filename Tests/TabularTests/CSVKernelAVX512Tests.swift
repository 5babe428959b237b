import CSVKernelsAVX512
import Foundation
import Testing
@testable import Tabular

/// The AVX-512 all-double row loop (Sources/CSVKernelsAVX512) against `Double(String)` and against
/// the scalar loop it replaces. Skipped on processors without AVX-512 VBMI; there the whole reader
/// runs the scalar loop, which the other CSV suites test (scripts/test also runs them with
/// `POLICYLAB_SIMD=baseline` on processors that have it).
@Suite("CSV AVX-512 row kernel", .enabled(if: CSVKernelDispatch.avx512Supported))
struct CSVKernelAVX512Tests {
    /// What one call of the kernel did on `rows` joined by `delimiter` and `lineEnd`.
    struct Run {
        var rowsParsed: Int
        var next: Int
        /// The byte offset of each row's start (and of the end).
        var rowStarts: [Int]
        /// Column-major slots, `capacity` rows per column.
        var slots: [UInt64]
        var capacity: Int
    }

    /// Runs the kernel over the rows, with 64 bytes of padding past the last row (the kernel reads
    /// 32-byte words) and the range ending at the padding.
    static func run(_ rows: [[String]], delimiter: UInt8 = UInt8(ascii: ","), lineEnd: String = "\n") -> Run {
        var bytes: [UInt8] = []
        var rowStarts: [Int] = []
        for row in rows {
            rowStarts.append(bytes.count)
            bytes += Array(row.joined(separator: String(UnicodeScalar(delimiter))).utf8) + Array(lineEnd.utf8)
        }
        rowStarts.append(bytes.count)
        let rangeEnd = bytes.count
        bytes += [UInt8](repeating: UInt8(ascii: "\n"), count: 64)
        let columns = rows.first?.count ?? 1
        let capacity = rows.count
        let result = Self.call(bytes, until: rangeEnd, columns: columns, delimiter: delimiter, capacity: capacity)
        return Run(rowsParsed: result.row, next: result.next, rowStarts: rowStarts, slots: result.slots, capacity: capacity)
    }

    /// One call of the kernel on `bytes` (readable up to `end`, all of them by default) with fresh
    /// zeroed slots.
    static func call(_ bytes: [UInt8], end: Int? = nil, until rangeEnd: Int, columns: Int,
                     delimiter: UInt8 = UInt8(ascii: ","), capacity: Int, rowLimit: Int = .max)
        -> (next: Int, row: Int, slots: [UInt64]) {
        var slots = [UInt64](repeating: 0, count: columns * Swift.max(capacity, 1))
        // Scratch filled with arbitrary words: the kernel must not depend on its contents.
        var scratch = (0..<kernelScratchWords(columnCount: columns)).map { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 }
        let result = bytes.withUnsafeBufferPointer { b in
            slots.withUnsafeMutableBufferPointer { s in
                scratch.withUnsafeMutableBufferPointer { w in
                    let columnSlots = (0..<columns).map { j in s.baseAddress! + j * capacity }
                    return parseAllDoubleRowsAVX512(
                        bytes: b.baseAddress!, end: end ?? b.count, from: 0, until: rangeEnd, row: 0, rowLimit: rowLimit,
                        columnCount: columns, delimiter: delimiter, columnSlots: columnSlots, capacity: capacity,
                        powersOfFive: PowersOfFive.shared.words, digitPermutations: NumberTables.shared.digitPermutations,
                        scratch: w.baseAddress!)
                }
            }
        }
        return (result.next, result.row, slots)
    }

    /// Plain decimals of the shapes the kernel takes: shortest round-trip texts of normals and
    /// uniforms, small magnitudes with leading zeros, integers, and random digit strings of up to
    /// 24 digits with at most 19 after the leading zeros.
    static func plainTexts(count: Int, seed: UInt64) -> [String] {
        var rng = CSVTest.Generator(seed: seed)
        var out: [String] = []
        while out.count < count {
            let u = Double(rng.next() >> 11) / Double(1 << 53)
            let sign = rng.next() % 2 == 0 ? "-" : ""
            let candidates = [
                "\((u - 0.5) * 8)", "\(u * 1e-3)", "\(u * 1e6)", "\(Int64(bitPattern: rng.next()) >> (rng.next() % 64))",
                String(format: "%.17f", u / 100), String(format: "%.3f", (u - 0.5) * 1e4),
            ]
            for text in candidates where !text.contains("e") { out.append(text) }
            let zeros = Int(rng.next() % 6)
            let significant = 1 + Int(rng.next() % 19)
            var digits = String(repeating: "0", count: zeros) + (0..<significant).map { _ in String(rng.next() % 10) }.joined()
            if digits.count > 24 { digits = String(digits.prefix(24)) }
            let point = Int(rng.next() % UInt64(digits.count + 2))
            if point <= digits.count { digits.insert(".", at: digits.index(digits.startIndex, offsetBy: point)) }
            out.append(sign + digits)
        }
        return out
    }

    static func bits(_ text: String) -> UInt64? { Double(text)?.bitPattern }

    @Test func plainFieldsMatchTheStandardLibraryBitForBit() {
        let texts = Self.plainTexts(count: 60_000, seed: 11)
        for (columns, delimiter, lineEnd) in [
            (7, ",", "\n"), (1, ",", "\n"), (20, ";", "\r\n"), (3, "\t", "\n"), (5, "|", "\r\n"), (41, ",", "\n"), (64, ",", "\r\n"),
        ] {
            let rowCount = texts.count / columns
            let rows = (0..<rowCount).map { Array(texts[($0 * columns)..<($0 * columns + columns)]) }
            let run = Self.run(rows, delimiter: UInt8(ascii: UnicodeScalar(delimiter)!), lineEnd: lineEnd)
            #expect(run.rowsParsed == rowCount, "\(columns) columns, \(delimiter.debugDescription): stopped at row \(run.rowsParsed): \(run.rowsParsed < rowCount ? rows[run.rowsParsed] : [])")
            #expect(run.next == run.rowStarts[run.rowsParsed])
            var mismatches: [String] = []
            for r in 0..<run.rowsParsed {
                for j in 0..<columns where run.slots[j * run.capacity + r] != Self.bits(rows[r][j]) {
                    mismatches.append(rows[r][j])
                }
            }
            #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        }
    }

    @Test func edgeValuesAndTiesToEven() {
        var texts = [
            "0", "-0", "0.0", "-0.0", "00001.5000", ".5", "-.5", "1.", "-1.", "000000000000000000001",
            "0.000000000000000000001", "9999999999999999999", "0.9999999999999999999", "1.7976931348623157",
            "2.2250738585072014", "4.9406564584124654", "0.30000000000000004", "123456789012345678.9",
        ]
        // Exactly halfway between two doubles: rounds to even.
        for k in 0..<500 {
            texts.append("\((UInt64(1) << 53) + 2 * UInt64(k) + 1)")
            texts.append("\((UInt64(1) << 53) + 2 * UInt64(k) + 1).0")
            texts.append("\((UInt64(1) << 54) + 4 * UInt64(k) + 2)")
        }
        let run = Self.run(texts.map { [$0] })
        #expect(run.rowsParsed == texts.count, "stopped at \(run.rowsParsed < texts.count ? texts[run.rowsParsed] : "")")
        for (r, text) in texts.enumerated() where r < run.rowsParsed {
            #expect(run.slots[r] == Self.bits(text), "\(text)")
        }
    }

    @Test func anythingElseStopsAtItsRowStart() {
        let others = [
            "+1", "1e5", "1E5", "\"1\"", "", "NA", "1.2.3", "--1", "1-", "-1-", ".", "-", "12345678901234567890",
            "0.12345678901234567890", "1" + String(repeating: "0", count: 30), "inf", "nan", " 1", "1 ", "1\r5",
            "0x10", "1,5",
        ]
        for other in others {
            let rows = [["1.5", "-2", "3"], ["4", other, "6"], ["7", "8", "9"]]
            let run = Self.run(rows)
            #expect(run.rowsParsed == 1, "\(other.debugDescription): parsed \(run.rowsParsed) rows")
            #expect(run.next == run.rowStarts[1], "\(other.debugDescription)")
            #expect(run.slots[0] == Self.bits("1.5") && run.slots[3] == Self.bits("-2"))
        }
        // A short row, a long row, a last field before a lone carriage return.
        for rows in [[["1", "2"], ["3"]], [["1", "2"], ["3", "4", "5"]], [["1", "2"], ["3", "4\r5"]]] {
            let text = rows.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
            let bytes = Array(text.utf8) + [UInt8](repeating: 10, count: 64)
            let result = Self.call(bytes, until: text.utf8.count, columns: 2, capacity: 2)
            #expect(result.row == 1 && result.next == 4, "\(text.debugDescription)")
        }
    }

    @Test func limitsAndTheBufferEndStopTheLoop() {
        let rows = (0..<10).map { r in ["\(r).25", "-\(r)"] }
        let run = Self.run(rows)
        #expect(run.rowsParsed == 10)
        // The row limit and the capacity.
        let text = rows.map { $0.joined(separator: ",") + "\n" }.joined()
        let bytes = Array(text.utf8) + [UInt8](repeating: 10, count: 64)
        let limited = Self.call(bytes, until: text.utf8.count, columns: 2, capacity: 10, rowLimit: 4)
        #expect(limited.row == 4 && limited.next == run.rowStarts[4])
        // Fewer than 32 readable bytes from a field's start: the caller's general loop goes on.
        let nearEnd = Self.call(bytes, end: text.utf8.count, until: text.utf8.count, columns: 2, capacity: 10)
        #expect(nearEnd.row < 10 && nearEnd.next == run.rowStarts[nearEnd.row])
        #expect(text.utf8.count - nearEnd.next <= 32 + 8)
    }

    /// Whole reads agree with the scalar loop: same columns, same bits, texts that stop the kernel
    /// (exponents, missing values, long digit strings) mixed in so that it stops and resumes.
    @Test func rangeParserGivesTheSameSlotsWithEitherLoop() throws {
        var texts = Self.plainTexts(count: 8_000, seed: 5)
        var rng = CSVTest.Generator(seed: 6)
        for i in stride(from: 0, to: texts.count, by: 37) {
            texts[i] = ["1e-7", "12345678901234567890.5", "+3", "-4.5E2", "2.5"][Int(rng.next() % 5)]
        }
        let columns = 8
        var csv = ""
        for r in 0..<(texts.count / columns) {
            csv += texts[(r * columns)..<(r * columns + columns)].joined(separator: ",") + (r % 3 == 0 ? "\r\n" : "\n")
        }
        let bytes = Array(csv.utf8) + [UInt8](repeating: 0, count: 64)
        let plan = CSVPlan(columnCount: columns, modes: Array(repeating: .double, count: columns), delimiter: UInt8(ascii: ","),
                           classifier: FieldClassifier(options: CSVOptions()))
        let rowCount = texts.count / columns
        var results: [[UInt64]] = []
        for vector in [false, true] {
            let storage = SlotStorage(capacity: columns * rowCount)
            let rows = try bytes.withUnsafeBufferPointer { b -> Int in
                var parser = CSVRangeParser(p: b.baseAddress!, end: csv.utf8.count, rangeStart: 0, plan: plan,
                                            slots: storage.pointer, capacity: rowCount)
                parser.useVectorKernel = vector
                return try parser.run(until: csv.utf8.count)
            }
            #expect(rows == rowCount)
            results.append(Array(UnsafeBufferPointer(start: storage.pointer, count: columns * rowCount)))
        }
        #expect(results[0] == results[1])
        let expected = (0..<(columns * rowCount)).map { i in Self.bits(texts[(i % rowCount) * columns + i / rowCount]) }
        #expect(results[1] == expected)
    }

    /// Pass 1's AVX-512 count agrees with the portable count on every start and end of a buffer
    /// dense in quotes and line feeds, and never counts a byte outside the range (the bytes
    /// around it are all quotes and line feeds).
    @Test func quoteAndLineFeedCountsMatchThePortableCount() {
        var rng = CSVTest.Generator(seed: 8)
        let alphabet: [UInt8] = Array("\"\n,.0a\r".utf8)
        let inner = (0..<300).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
        let bytes = [UInt8](repeating: 34, count: 64) + inner + [UInt8](repeating: 10, count: 64)
        bytes.withUnsafeBufferPointer { b in
            let p = b.baseAddress!
            for start in stride(from: 64, through: 364, by: 3) {
                for end in start...364 {
                    let vector = countQuotesAndLineFeedsAVX512(p, from: start, to: end)
                    let portable = CSVChunking.countPortably(p, start, end)
                    #expect(vector.quotes == portable.quotes && vector.lineFeeds == portable.newlines, "\(start)..<\(end)")
                }
            }
        }
    }
}
