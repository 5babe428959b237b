import Foundation
import MonteCarlo

/// What a run needs to be re-run and checked: version and commit, the full spec text, the
/// SHA-256 of every input and of the results, seeds, threads, platform and timings.
public struct RunManifest: Sendable, Codable, Equatable {
    /// Always `policylab-manifest`; `load` rejects anything else.
    public var format = "policylab-manifest"
    /// The manifest format version (1).
    public var version = 1
    /// `PolicyLabVersion.current` of the executable that ran.
    public var policylabVersion: String
    /// `RunEnvironment.gitCommit`: the source commit, with `+dirty`, or `unknown`.
    public var gitCommit: String
    /// The command-line arguments.
    public var command: [String]
    /// The spec file's absolute path; empty when there is none.
    public var specFile: String
    /// The full spec text (without a spec file, the arguments joined by spaces).
    public var spec: String
    /// Hex SHA-256 of `spec` (UTF-8).
    public var specSHA256: String
    /// Hex SHA-256 of every input file, by path; `reproduce` stops if one changed.
    public var inputs: [String: String]
    /// How the pipeline's data were obtained (see `PipelineResult.data`); empty for single commands.
    public var data: [String: String]
    /// The simulation seed (0 for a command without one).
    public var seed: UInt64
    /// Threads the run used (the results do not depend on it).
    public var threads: Int
    /// `RunEnvironment.platform`: OS, cores, memory, architecture, CPU.
    public var platform: [String: String]
    /// Wall-clock seconds by stage (not part of results.json, so `reproduce` ignores them).
    public var timings: [String: Double]
    /// SHA-256 of results.json.
    public var resultsSHA256: String
    /// Files written next to the manifest.
    public var outputs: [String]

    enum CodingKeys: String, CodingKey {
        case format, version, command, spec, inputs, data, seed, threads, platform, timings, outputs
        case policylabVersion = "policylab_version", gitCommit = "git_commit", specFile = "spec_file",
             specSHA256 = "spec_sha256", resultsSHA256 = "results_sha256"
    }

    /// A manifest for a single command (`estimate`, `simulate`): the command line stands in for
    /// the spec when there is no spec file.
    public static func command(_ arguments: [String], specFile: String? = nil, specText: String? = nil,
                               inputs: [String: String], seed: UInt64 = 0, threads: Int,
                               timings: [String: Double], results: String, outputs: [String]) -> RunManifest {
        let spec = specText ?? arguments.joined(separator: " ")
        return RunManifest(policylabVersion: PolicyLabVersion.current, gitCommit: RunEnvironment.gitCommit, command: arguments,
                           specFile: specFile ?? "", spec: spec, specSHA256: FileDigest.sha256(bytes: Array(spec.utf8)),
                           inputs: inputs, data: [:], seed: seed, threads: threads, platform: RunEnvironment.platform,
                           timings: timings, resultsSHA256: FileDigest.sha256(bytes: Array(results.utf8)), outputs: outputs)
    }

    /// Pretty-printed, sorted-key JSON of the manifest.
    /// - Throws: `EncodingError` for a non-finite timing (JSONEncoder rejects NaN and ±inf).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// Reads a manifest.
    /// - Throws: `PolicyLabError.file` when it is unreadable or not a PolicyLab manifest.
    public static func load(path: String) throws -> RunManifest {
        guard let data = FileManager.default.contents(atPath: path) else { throw PolicyLabError.file(path: path, reason: "cannot be read") }
        let manifest: RunManifest
        do { manifest = try JSONDecoder().decode(RunManifest.self, from: data) } catch {
            throw PolicyLabError.file(path: path, reason: "is not a PolicyLab run manifest (\(error))")
        }
        guard manifest.format == "policylab-manifest", manifest.version == 1 else {
            throw PolicyLabError.file(path: path, reason: "has format \(manifest.format) version \(manifest.version); expected policylab-manifest version 1")
        }
        return manifest
    }
}

/// Facts about the machine and the source tree, for manifests.
public enum RunEnvironment {
    /// OS, kernel, CPU model, cores, architecture, and which build of the random-number
    /// kernels ran (`baseline` or `avx2`; the same bits either way).
    public static var platform: [String: String] {
        let info = ProcessInfo.processInfo
        var facts = ["os": info.operatingSystemVersionString, "cores": "\(info.activeProcessorCount)",
                     "memory_bytes": "\(info.physicalMemory)"]
        #if arch(x86_64)
        facts["architecture"] = "x86_64"
        #elseif arch(arm64)
        facts["architecture"] = "arm64"
        #endif
        if let cpu = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
            .split(separator: "\n").first(where: { $0.hasPrefix("model name") })?
            .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) {
            facts["cpu"] = cpu
        }
        facts["random_kernels"] = RandomKernelDispatch.active.rawValue
        return facts
    }

    /// The git commit of the source tree the executable was built from (found by walking up from
    /// the executable to a `.git`), with "+dirty" for uncommitted changes; "unknown" outside a checkout.
    public static var gitCommit: String {
        var directory = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<8 {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent(".git").path) {
                guard let commit = git(["rev-parse", "HEAD"], in: directory) else { return "unknown" }
                let dirty = git(["status", "--porcelain", "--untracked-files=no"], in: directory).map { !$0.isEmpty } ?? false
                return commit + (dirty ? "+dirty" : "")
            }
            directory = directory.deletingLastPathComponent()
        }
        return "unknown"
    }

    private static func git(_ arguments: [String], in directory: URL) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = ["-C", directory.path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Compares two JSON documents number by number and names the first difference.
public enum JSONComparison {
    /// nil when every value matches exactly; else "path: expected … got …".
    public static func firstDifference(_ expected: Any, _ actual: Any, path: String = "") -> String? {
        switch (expected, actual) {
        case let (a as [String: Any], b as [String: Any]):
            for key in a.keys.sorted() {
                guard let other = b[key] else { return "\(path.isEmpty ? key : path + "." + key): missing in the re-run" }
                if let difference = firstDifference(a[key] as Any, other, path: path.isEmpty ? key : path + "." + key) { return difference }
            }
            if let extra = b.keys.sorted().first(where: { a[$0] == nil }) { return "\(path.isEmpty ? extra : path + "." + extra): new in the re-run" }
            return nil
        case let (a as [Any], b as [Any]):
            guard a.count == b.count else { return "\(path): \(a.count) entries, the re-run has \(b.count)" }
            for i in a.indices {
                if let difference = firstDifference(a[i], b[i], path: "\(path)[\(i)]") { return difference }
            }
            return nil
        case let (a as NSNumber, b as NSNumber):
            return a == b ? nil : "\(path): expected \(a), got \(b)"
        case let (a as String, b as String):
            return a == b ? nil : "\(path): expected '\(a)', got '\(b)'"
        case (is NSNull, is NSNull):
            return nil
        default:
            return "\(path): expected \(expected), got \(actual)"
        }
    }

    /// Counts the numbers in a JSON document.
    public static func numberCount(_ value: Any) -> Int {
        switch value {
        case let d as [String: Any]: return d.values.reduce(0) { $0 + numberCount($1) }
        case let a as [Any]: return a.reduce(0) { $0 + numberCount($1) }
        case is NSNumber: return 1
        default: return 0
        }
    }
}
