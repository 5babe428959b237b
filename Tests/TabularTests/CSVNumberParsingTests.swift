import Foundation
import LinearAlgebra
import Testing
@testable import Tabular

/// Doubles are correctly rounded: they match `Double(String)` bit for bit.
/// Set POLICYLAB_LONG_TESTS=1 for 10 million random values instead of 100,000.
@Suite("CSV number parsing")
struct CSVNumberParsingTests {
    static let longRun = ProcessInfo.processInfo.environment["POLICYLAB_LONG_TESTS"] == "1"

    /// The general scanner, the fused fast scanner (when it accepts the text) and
    /// `Double(String)` agree on `text`; returns a description of the first disagreement.
    static func disagreement(_ text: String) -> String? {
        var bytes = Array(text.utf8)
        let count = bytes.count
        bytes += [UInt8](repeating: UInt8(ascii: ","), count: 48)  // room for the fast scanner's words
        return bytes.withUnsafeBufferPointer { b -> String? in
            guard let p = b.baseAddress else { return "no buffer" }
            let expected = Double(text)
            var d = DecimalNumber()
            let end = NumberParsing.scan(p, 0, count, into: &d)
            guard end == count else { return expected == nil ? nil : "\(text): scanned \(end) of \(count) bytes" }
            guard let expected else { return "\(text): scanned but Double(String) rejects it" }
            let text = UnsafeBufferPointer(start: p, count: count)
            guard let general = NumberParsing.double(d, tables: .shared, text: text) else { return "\(text): general nil" }
            if general.bitPattern != expected.bitPattern { return "\(text): general \(general) vs \(expected)" }
            if let fast = FastNumberScan.scan(p, 0, tens: NumberTables.shared.smallTens), fast.end == count {
                let n = fast.number
                guard n.significand == d.significand, n.exponent == d.exponent, n.negative == d.negative,
                      n.isInteger == d.isInteger else { return "\(text): fast scanner disagrees" }
            }
            if d.significand != 0, !d.isTruncated,
               let bits = EiselLemire.bits(significand: d.significand, exponent: d.exponent, powers: .shared) {
                let v = Double(bitPattern: bits | (d.negative ? 1 << 63 : 0))
                if v.bitPattern != expected.bitPattern { return "\(text): Eisel-Lemire \(v) vs \(expected)" }
            }
            return nil
        }
    }

    static func randomTexts(count: Int, seed: UInt64) -> [String] {
        var rng = CSVTest.Generator(seed: seed)
        var out: [String] = []
        out.reserveCapacity(count)
        while out.count < count {
            let bits = rng.next()
            let v = Double(bitPattern: bits)
            if v.isFinite {
                out.append("\(v)")  // shortest round-trip, up to 17 digits
                out.append(String(format: "%.17g", v))
            }
            let u = Double(rng.next() >> 11) / Double(1 << 53)
            out.append(String(format: "%.6f", (u - 0.5) * 2e6))
            out.append("\((u - 0.5) * 8)")  // like pandas writes standard normals
            // Random digit strings with a random point and exponent (often > 19 digits).
            let digits = 1 + Int(rng.next() % 26)
            var s = (0..<digits).map { _ in String(rng.next() % 10) }.joined()
            s.insert(".", at: s.index(s.startIndex, offsetBy: Int(rng.next() % UInt64(digits + 1))))
            out.append((rng.next() % 2 == 0 ? "-" : "") + s + "e\(Int(rng.next() % 700) - 360)")
            // Subnormals and values near the ends of the range.
            out.append(String(format: "%.17g", Double(bitPattern: rng.next() % (1 << 52))))
            out.append("\(Double.greatestFiniteMagnitude * u)")
        }
        return out
    }

    @Test func randomValuesMatchTheStandardLibraryBitForBit() {
        let texts = Self.randomTexts(count: Self.longRun ? 10_000_000 : 100_000, seed: 42)
        var failures: [String] = []
        for t in texts {
            if let f = Self.disagreement(t) { failures.append(f) }
            if failures.count >= 5 { break }
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func edgeCases() {
        let cases = [
            "0", "-0", "0.0", "-0.0", "+0", "0e-400", "1", "1.", ".5", "+.5", "-.5", "00001.5000",
            "5e-324", "4.9e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "2.2250738585072011e-308",
            "2.2250738585072014e-308", "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
            "1e308", "1e309", "1e-400", "-1e400", "9007199254740993", "9007199254740995", "18014398509481986",
            "9223372036854775807", "9223372036854775808", "18446744073709551615", "18446744073709551616",
            "123456789012345678901234567890", "0.000000000000000000000000000001234567890123456789012345",
            "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124",
            "1.00000000000000011102230246251565404236316680908203126",
            "0.500000000000000166533453693773481063544750213623046875", "7.2057594037927933e16", "1e23",
            "8.98846567431158e307", "4.35679568715e-309", "3.141592653589793238462643383279", "1E+05", "1e0000000000005",
            "1e", "1e+", "e5", "-", "+", ".", "..5", "1..2", "1.2.3", "--1", "1-", " 1", "1 ",
        ]
        for c in cases { #expect(Self.disagreement(c) == nil, "\(c)") }
        // Exact halfway cases between two doubles round to even.
        for k in 0..<2_000 {
            let n = (UInt64(1) << 53) + 2 * UInt64(k) + 1
            #expect(Self.disagreement("\(n)") == nil)
            #expect(Self.disagreement("\(n).0") == nil)
            #expect(Self.disagreement("\((UInt64(1) << 54) + 4 * UInt64(k) + 2)") == nil)
        }
    }

    @Test func powersOfFiveTableMatchesFastFloat() {
        let t = PowersOfFive.shared
        #expect(t.entry(-342) == (0xEEF4_53D6_923B_D65A, 0x113F_AA29_06A1_3B3F))
        #expect(t.entry(-1) == (0xCCCC_CCCC_CCCC_CCCC, 0xCCCC_CCCC_CCCC_CCCD))
        #expect(t.entry(0) == (0x8000_0000_0000_0000, 0))
        #expect(t.entry(1) == (0xA000_0000_0000_0000, 0))
        #expect(t.entry(28) == (0x813F_3978_F894_0984, 0x4000_0000_0000_0000))
        #expect(t.entry(308) == (0x8E67_9C2F_5E44_FF8F, 0x570F_09EA_A7EA_7648))
    }

    @Test func endToEndColumnsMatchTheStandardLibrary() throws {
        let texts = Self.randomTexts(count: 20_000, seed: 9)
        let rows = texts.count / 4
        var csv = "a,b,c,d\n"
        for r in 0..<rows { csv += texts[(4 * r)..<(4 * r + 4)].joined(separator: ",") + "\n" }
        for threads in [1, 3] {
            let t = try CSVTest.read(csv, CSVTest.options(threads: threads, chunk: 4_096))
            for (j, name) in ["a", "b", "c", "d"].enumerated() {
                guard case let .double(values) = try t.column(named: name).values else {
                    Issue.record("\(name) should be double")
                    continue
                }
                let mismatches = (0..<rows).filter { values[$0].bitPattern != Double(texts[4 * $0 + j])?.bitPattern }
                #expect(mismatches.isEmpty, "\(name): \(mismatches.prefix(3).map { texts[4 * $0 + j] })")
            }
        }
    }

    @Test func specialValuesAndNotNumbers() throws {
        let t = try CSVTest.read("x,y\ninf,0x10\n-Infinity,1e\nnan,.\n+INF,-\n-nan,1.5\n")
        let x = try t.column(named: "x")
        guard case let .double(v) = x.values else {
            Issue.record("x should be double")
            return
        }
        #expect(v[0] == .infinity && v[1] == -.infinity && v[2].isNaN && v[3] == .infinity)
        #expect(v[4].isNaN && v[4].sign == .minus)
        #expect(x.missingCount == 0)  // a NaN written in the data is a value, not a missing one
        // Hex floats and incomplete numbers are text ("." is a missing token).
        #expect(try t.column(named: "y").values == .categorical(codes: [0, 1, 0, 2, 3], levels: ["0x10", "1e", "-", "1.5"]))
    }

    @Test func integersAtTheEdgesOfInt64() throws {
        let t = try CSVTest.read("a,b\n9223372036854775807,-9223372036854775808\n-9223372036854775807,0\n")
        #expect(try t.column(named: "a").values == .int([Int.max, -Int.max]))
        #expect(try t.column(named: "b").values == .int([Int.min, 0]))
        let wide = try CSVTest.read("a\n1\n-9223372036854775809\n")
        #expect(try wide.column(named: "a").values == .double([1, -9_223_372_036_854_775_809.0]))
    }
}
