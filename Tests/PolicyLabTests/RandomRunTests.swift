import Foundation
import Testing
import PolicyLab

// `policylab random`: everything but "run" is byte-identical for any thread count, and the
// raw file holds exactly the drawn little-endian float64 values.

@Suite("policylab random (RandomRun)")
struct RandomRunTests {
    /// The JSON without its "run" object (which holds threads and timings).
    func withoutRun(_ json: String) throws -> Data {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["run"] != nil)
        object["run"] = nil
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    @Test(arguments: [RandomStream.Kind.normal, .uniform])
    func outputIsByteIdenticalAcrossThreadCounts(kind: RandomStream.Kind) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("policylab-random-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var reference: (json: Data, raw: Data)?
        for threads in [1, 2, 3, 8] {
            let path = dir.appendingPathComponent("\(threads).f64").path
            let run = try RandomRun(kind: kind, count: 200_003, seed: 42, parallelism: Parallelism(threads: threads))
            let report = try run.run(rawPath: path)
            #expect(report.run.threads == threads)
            let json = try withoutRun(try RandomRun.json(report))
            let raw = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(raw.count == 200_003 * 8)
            if let reference {
                #expect(json == reference.json, "\(threads) threads")
                #expect(raw == reference.raw, "\(threads) threads")
            } else {
                reference = (json, raw)
            }
        }
        // The raw bytes are the stream's values, little-endian.
        let values = try RandomStream(seed: 42).fill(kind, count: 5)
        let raw = try #require(reference?.raw)
        for (i, v) in values.enumerated() {
            let bits = raw.subdata(in: (8 * i)..<(8 * i + 8)).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            #expect(UInt64(littleEndian: bits) == v.bitPattern)
        }
    }

    @Test func invalidArgumentsAndUnwritableFile() throws {
        #expect(throws: PolicyLabError.self) { try RandomRun(kind: .normal, count: -1, seed: 1, parallelism: .serial) }
        #expect(throws: PolicyLabError.self) { try RandomRun(kind: .normal, count: 1, seed: 1, repeats: 0, parallelism: .serial) }
        let run = try RandomRun(kind: .normal, count: 3, seed: 1, parallelism: .serial)
        #expect(throws: PolicyLabError.self) { try run.run(rawPath: "/nonexistent-dir/x.f64") }
    }
}
