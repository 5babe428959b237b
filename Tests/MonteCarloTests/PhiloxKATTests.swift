import Foundation
import Testing
@testable import MonteCarlo
import RandomKernels

// Known-answer tests: every Philox vector of Random123's tests/kat_vectors (DEShawResearch/
// random123, copied verbatim to ../shared/data/random123_kat_vectors.txt), for 2x32, 4x32,
// 2x64 and 4x64 at 7 and 10 rounds. Threefry, ARS and AESNI lines are counted and skipped.

/// The shared data directory: $POLICYLAB_SHARED_DIR, else <repository>/../shared.
func sharedDataDirectory() -> URL {
    if let dir = ProcessInfo.processInfo.environment["POLICYLAB_SHARED_DIR"], !dir.isEmpty {
        return URL(fileURLWithPath: dir)
    }
    let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return repository.deletingLastPathComponent().appendingPathComponent("shared")
}

struct KATLine {
    let name: String
    let rounds: Int
    let words: [UInt64]
}

func katLines() throws -> [KATLine] {
    let url = sharedDataDirectory().appendingPathComponent("data/random123_kat_vectors.txt")
    let text = try String(contentsOf: url, encoding: .utf8)
    return text.split(separator: "\n").compactMap { raw -> KATLine? in
        let fields = raw.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let name = fields.first, !name.hasPrefix("#"), fields.count > 2, let rounds = Int(fields[1]) else { return nil }
        let words = fields.dropFirst(2).compactMap { UInt64($0, radix: 16) }
        guard words.count == fields.count - 2 else { return nil }
        return KATLine(name: String(name), rounds: rounds, words: words)
    }
}

@Suite("Philox known-answer vectors (Random123)")
struct PhiloxKATTests {
    @Test func everyPhiloxVectorMatches() throws {
        let lines = try katLines()
        var passed: [String: Int] = [:]
        var skipped: [String: Int] = [:]
        for line in lines {
            let w = line.words
            let label = "\(line.name) \(line.rounds)"
            switch line.name {
            case "philox4x32":
                try #require(w.count == 10, "\(label): expected 4 + 2 + 4 words")
                let c = SIMD4(UInt32(w[0]), UInt32(w[1]), UInt32(w[2]), UInt32(w[3]))
                let got = Philox4x32.block(counter: c, key: SIMD2(UInt32(w[4]), UInt32(w[5])), rounds: line.rounds)
                #expect(got == SIMD4(UInt32(w[6]), UInt32(w[7]), UInt32(w[8]), UInt32(w[9])), "\(label)")
            case "philox2x32":
                try #require(w.count == 5, "\(label): expected 2 + 1 + 2 words")
                let got = Philox2x32.block(counter: SIMD2(UInt32(w[0]), UInt32(w[1])), key: UInt32(w[2]), rounds: line.rounds)
                #expect(got == SIMD2(UInt32(w[3]), UInt32(w[4])), "\(label)")
            case "philox4x64":
                try #require(w.count == 10, "\(label): expected 4 + 2 + 4 words")
                let got = Philox4x64.block(counter: SIMD4(w[0], w[1], w[2], w[3]), key: SIMD2(w[4], w[5]), rounds: line.rounds)
                #expect(got == SIMD4(w[6], w[7], w[8], w[9]), "\(label)")
            case "philox2x64":
                try #require(w.count == 5, "\(label): expected 2 + 1 + 2 words")
                let got = Philox2x64.block(counter: SIMD2(w[0], w[1]), key: w[2], rounds: line.rounds)
                #expect(got == SIMD2(w[3], w[4]), "\(label)")
            default:
                skipped[line.name, default: 0] += 1
                continue
            }
            passed[label, default: 0] += 1
        }
        print("Philox KAT: \(passed.values.reduce(0, +)) vectors checked \(passed.sorted { $0.key < $1.key }); "
              + "skipped \(skipped.values.reduce(0, +)) non-Philox: \(skipped.sorted { $0.key < $1.key })")
        #expect(passed.values.reduce(0, +) == 24)
        #expect(passed["philox4x32 10"] == 3)
    }

    /// The SIMD kernel is bit-identical to the scalar generator (and so to the KATs).
    @Test func simdKernelMatchesScalar() {
        let key = SIMD2<UInt32>(0xA409_3822, 0x299F_31D0)
        let keys = philoxRoundKeys(key)
        let c0 = PhiloxWords(0x243F_6A88, 0xFFFF_FFFF, 0, 12345)
        let c1 = PhiloxWords(0x85A3_08D3, 0xFFFF_FFFF, 0, 1)
        let c2 = PhiloxWords(0x1319_8A2E, 0xFFFF_FFFF, 0, 7)
        let c3 = PhiloxWords(0x0370_7344, 0xFFFF_FFFF, 0, 99)
        let (w0, w1, w2, w3) = philox10Lanes(c0, c1, c2, c3, keys: keys)
        for lane in 0..<4 {
            let counter = SIMD4(UInt32(c0[lane]), UInt32(c1[lane]), UInt32(c2[lane]), UInt32(c3[lane]))
            let expected = Philox4x32.block(counter: counter, key: key)
            #expect(SIMD4(UInt32(w0[lane]), UInt32(w1[lane]), UInt32(w2[lane]), UInt32(w3[lane])) == expected)
        }
        // Random123's third philox4x32-10 vector through the SIMD kernel.
        #expect(UInt32(w0[0]) == 0xD16C_FE09 && UInt32(w3[0]) == 0x2412_6EA1)
    }
}
