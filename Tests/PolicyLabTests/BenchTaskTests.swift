import Foundation
import Testing
@testable import PolicyLab

/// Writes `matrix` as raw little-endian float64, column-major, to a fresh temporary file.
private func writeRaw(_ matrix: Matrix, name: String) throws -> String {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("policylab-\(UUID().uuidString)-\(name).f64").path
    var bytes = Data()
    for value in matrix.storage {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }
    try bytes.write(to: URL(fileURLWithPath: path))
    return path
}

@Suite("Raw matrix files and bench tasks")
struct BenchTaskTests {
    @Test func rawFileRoundTripsBitForBit() throws {
        // Values chosen to exercise sign, subnormal and extreme exponents.
        let m = try Matrix(rowMajor: [[1.5, -0.0, .leastNonzeroMagnitude], [1e308, -2.25, 3]])
        let path = try writeRaw(m, name: "roundtrip")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let back = try RawMatrixFile.read(path: path, rows: 2, columns: 3)
        #expect(back.storage.map(\.bitPattern) == m.storage.map(\.bitPattern))
    }

    @Test func rawFileWithWrongSizeNamesTheFileAndTheSizes() throws {
        let m = Matrix(rows: 3, columns: 2, repeating: 1)
        let path = try writeRaw(m, name: "short")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: PolicyLabError.file(path: path, reason: "has 48 bytes; a 4×2 float64 matrix needs 64")) {
            try RawMatrixFile.read(path: path, rows: 4, columns: 2)
        }
    }

    @Test func missingFileIsAFileError() {
        #expect {
            try RawMatrixFile.read(path: "/nonexistent/policylab.f64", rows: 1, columns: 1)
        } throws: { error in
            guard case let .file(path, _) = error as? PolicyLabError else { return false }
            return path == "/nonexistent/policylab.f64"
        }
    }

    @Test func negativeDimensionsAreRejected() {
        #expect(throws: PolicyLabError.self) { try RawMatrixFile.read(path: "/dev/null", rows: -1, columns: 2) }
    }

    @Test func gramTaskChecksumMatchesNaiveSum() throws {
        var rng = SplitMix64(seed: 7)
        let x = Matrix(rows: 3000, columns: 4) { _, _ in rng.nextSigned() }
        let path = try writeRaw(x, name: "gram")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let report = try BenchTask(kind: .gram, inputs: [path], rows: 3000, columns: 4, repeats: 2,
                                   parallelism: Parallelism(threads: 2)).run()
        var naive = 0.0
        for i in 0..<4 { for j in 0..<4 { for r in 0..<3000 { naive += x[r, i] * x[r, j] } } }
        #expect(report.seconds.count == 2)
        #expect(report.best <= report.median)
        #expect(abs(report.checksum - naive) <= 1e-10 * abs(naive))
    }

    @Test func gemmTaskChecksumMatchesNaiveSum() throws {
        var rng = SplitMix64(seed: 8)
        let a = Matrix(rows: 30, columns: 30) { _, _ in rng.nextSigned() }
        let b = Matrix(rows: 30, columns: 30) { _, _ in rng.nextSigned() }
        let pa = try writeRaw(a, name: "a"), pb = try writeRaw(b, name: "b")
        defer {
            try? FileManager.default.removeItem(atPath: pa)
            try? FileManager.default.removeItem(atPath: pb)
        }
        let report = try BenchTask(kind: .gemm, inputs: [pa, pb], rows: 30, columns: 30, repeats: 1,
                                   parallelism: .serial).run()
        var naive = 0.0
        for i in 0..<30 { for j in 0..<30 { for l in 0..<30 { naive += a[i, l] * b[l, j] } } }
        #expect(abs(report.checksum - naive) <= 1e-12 * 900)
    }

    @Test func wrongInputCountIsAnArgumentError() {
        #expect(throws: PolicyLabError.invalidArgument(name: "--input", reason: "gemm takes 2 input file(s), got 1")) {
            try BenchTask(kind: .gemm, inputs: ["a"], rows: 2, columns: 2, repeats: 1, parallelism: .serial)
        }
        #expect(throws: PolicyLabError.invalidArgument(name: "--repeat", reason: "must be at least 1, got 0")) {
            try BenchTask(kind: .gram, inputs: ["a"], rows: 2, columns: 2, repeats: 0, parallelism: .serial)
        }
    }
}

@Suite("Linear-algebra self-check")
struct SelfCheckTests {
    @Test func everyStepPassesAtSmallScaleAndTheReportSaysSo() throws {
        let steps = try LinearAlgebraSelfCheck(scale: 0.01, parallelism: Parallelism(threads: 3)).run()
        #expect(steps.count == 7)
        for step in steps { #expect(step.passed, "\(step.name): \(step.error) (\(step.check))") }
        let text = LinearAlgebraSelfCheck.format(steps)
        #expect(text.hasSuffix("all 7 checks passed"))
    }

    @Test func timingSummaryTakesBestAndMedian() {
        let t = TimingSummary([3, 1, 2, 10])
        #expect(t.best == 1)
        #expect(t.median == 2.5)
        #expect(TimingSummary([4, 2, 9]).median == 4)
    }
}
