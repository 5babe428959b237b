import Foundation
import LinearAlgebra

/// Writes a run's files (results.json, manifest.json, report.html) and re-runs a manifest.
public enum PipelineArtifacts {
    /// Writes `outcome` into `directory` (created if needed).
    /// - Returns: the manifest written.
    /// - Throws: `PolicyLabError.file` when a file cannot be written.
    @discardableResult
    public static func write(_ outcome: PipelineRun.Outcome, spec: PipelineSpec, command: [String], threads: Int,
                             directory: String, extraTimings: [String: Double] = [:]) throws -> RunManifest {
        let fileManager = FileManager.default
        do { try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw PolicyLabError.file(path: directory, reason: "cannot be created (\(error.localizedDescription))")
        }
        let results = try outcome.result.json()
        try save(Data(results.utf8), to: directory + "/results.json")
        var manifest = RunManifest(
            policylabVersion: PolicyLabVersion.current, gitCommit: RunEnvironment.gitCommit, command: command,
            specFile: URL(fileURLWithPath: spec.file).standardizedFileURL.path, spec: spec.text,
            specSHA256: FileDigest.sha256(bytes: Array(spec.text.utf8)), inputs: outcome.inputs, data: outcome.result.data,
            seed: spec.simulation.seed, threads: threads, platform: RunEnvironment.platform,
            timings: outcome.timings.stages.merging(extraTimings) { $1 },
            resultsSHA256: FileDigest.sha256(bytes: Array(results.utf8)), outputs: ["results.json", "report.html", "manifest.json"])
        let clock = ContinuousClock()
        let start = clock.now
        let html = PipelineReport.html(outcome, manifest: manifest)
        let elapsed = clock.now - start
        manifest.timings["report"] = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        try save(Data(html.utf8), to: directory + "/report.html")
        try save(try manifest.json(), to: directory + "/manifest.json")
        return manifest
    }

    static func save(_ data: Data, to path: String) throws {
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw PolicyLabError.file(path: path, reason: "cannot be written (\(error.localizedDescription))")
        }
    }

    /// The outcome of re-running a manifest.
    public struct Reproduction: Sendable {
        /// nil when every number matches; else the first difference ("simulation.scenarios[1]…: expected …, got …").
        public let difference: String?
        /// Numbers in the recorded results.json (all of them were compared when `difference` is nil).
        public let numbersCompared: Int
    }

    /// Re-runs the manifest's spec (same seed; any thread count) and compares every number of
    /// the new results with the recorded results.json.
    /// - Throws: `PolicyLabError.file` when an input changed since the run (naming it and both
    ///   digests), when the recorded results are missing, or the spec no longer parses.
    public static func reproduce(manifestPath: String, parallelism: Parallelism) throws -> Reproduction {
        let manifest = try RunManifest.load(path: manifestPath)
        for (path, digest) in manifest.inputs.sorted(by: { $0.key < $1.key }) {
            let now = try FileDigest.sha256(path: path)
            guard now == digest else {
                throw PolicyLabError.file(path: path, reason: "changed since the run: SHA-256 was \(digest), is now \(now)")
            }
        }
        let directory = URL(fileURLWithPath: manifestPath).deletingLastPathComponent().path
        guard let recorded = FileManager.default.contents(atPath: directory + "/results.json") else {
            throw PolicyLabError.file(path: directory + "/results.json", reason: "is missing; it holds the numbers to reproduce")
        }
        let spec = try PipelineSpec(yaml: manifest.spec, file: manifest.specFile)
        let outcome = try PipelineRun.execute(spec, parallelism: parallelism)
        let fresh = try outcome.result.json()
        let expected = try JSONSerialization.jsonObject(with: recorded)
        let actual = try JSONSerialization.jsonObject(with: Data(fresh.utf8))
        return Reproduction(difference: JSONComparison.firstDifference(expected, actual), numbersCompared: JSONComparison.numberCount(expected))
    }
}
