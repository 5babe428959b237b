import Foundation
import Testing
import PolicyLab

/// Kill and resume a real `policylab mc-selftest` child process: the run resumed from its
/// checkpoint must print exactly the bytes of an uninterrupted run.
@Suite("policylab mc-selftest: kill and resume")
struct MonteCarloResumeTests {
    static func executable() throws -> URL {
        let binDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [binDirectory, binDirectory.deletingLastPathComponent()].map { $0.appendingPathComponent("policylab") }
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
                            "policylab binary not found next to the test bundle; run swift build --build-tests")
    }

    struct Finished {
        let status: Int32
        let reason: Process.TerminationReason
        let stdout: String
        let stderr: String
    }

    /// Starts the binary; `whileRunning` is called until it returns false or the process ends.
    static func run(_ arguments: [String], whileRunning: ((Process) -> Bool)? = nil) throws -> Finished {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        if let whileRunning {
            while process.isRunning && whileRunning(process) { usleep(5_000) }
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Finished(status: process.terminationStatus, reason: process.terminationReason,
                        stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func killedRunResumesToTheSameBytes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("policylab-mc-resume-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let common = ["mc-selftest", "--replicates", "48", "--batch", "8", "--households", "1200", "--seed", "20261129"]
        let reference = try Self.run(common + ["--threads", "2"])
        #expect(reference.status == 0, "\(reference.stderr)")
        #expect(reference.stdout.contains("\"replicates_completed\":48"))

        // Start, wait for the first checkpoint, SIGKILL. The pause keeps the child inside the run.
        let checkpoint = directory.appendingPathComponent("run.ckpt").path
        let arguments = common + ["--checkpoint", checkpoint]
        let deadline = Date().addingTimeInterval(120)
        let killed = try Self.run(arguments + ["--threads", "3", "--pause-after-batch-ms", "300"]) { process in
            if FileManager.default.fileExists(atPath: checkpoint) {
                kill(process.processIdentifier, SIGKILL)
                return false
            }
            return Date() < deadline
        }
        #expect(killed.reason == .uncaughtSignal && killed.status == SIGKILL, "child was not killed: \(killed.stderr)")
        #expect(killed.stdout.isEmpty)
        let saved = try #require(try MonteCarloCheckpoint.read(from: checkpoint))
        #expect(saved.completedReplicates > 0 && saved.completedReplicates < 48)

        // Resume on another thread count: same bytes as the uninterrupted run.
        let resumed = try Self.run(arguments + ["--threads", "1"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("resumed from replicate \(saved.completedReplicates) of 48"), "\(resumed.stderr)")
        #expect(resumed.stdout == reference.stdout)

        // The finished checkpoint resumes to the same bytes without computing anything.
        let again = try Self.run(arguments + ["--threads", "2"])
        #expect(again.stdout == reference.stdout && again.stderr.isEmpty)

        // A checkpoint from another run is refused with exit code 1 and a one-line message.
        let foreign = try Self.run(["mc-selftest", "--replicates", "48", "--batch", "8", "--households", "1200",
                                    "--seed", "1", "--checkpoint", checkpoint])
        #expect(foreign.status == 1 && foreign.stdout.isEmpty)
        #expect(foreign.stderr.contains("checkpoint \(checkpoint): was written with seed 20261129"), "\(foreign.stderr)")
        #expect(foreign.stderr.trimmingCharacters(in: .newlines).split(separator: "\n").count == 1)
    }

    @Test func badArgumentsExitOne() throws {
        for (arguments, fragment) in [(["--replicates", "0"], "replicates: must be at least 1"),
                                      (["--antithetic", "--replicates", "7"], "even count"),
                                      (["--households", "0"], "--households")] {
            let run = try Self.run(["mc-selftest"] + arguments)
            #expect(run.status == 1 && run.stderr.contains(fragment), "\(arguments): \(run.stderr)")
        }
    }
}
