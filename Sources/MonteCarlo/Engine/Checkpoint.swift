import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a run saves its completed replicates, how often, and whether it resumes from them.
public struct CheckpointOptions: Sendable, Equatable {
    /// Whether a run continues from an existing checkpoint file.
    public enum ResumeMode: String, Sendable, Codable, CaseIterable {
        /// Resume if the file exists (it must belong to the same plan); otherwise start afresh.
        case ifPresent
        /// The file must exist and belong to the same plan.
        case required
        /// Start afresh and overwrite any file at `path`.
        case never
    }

    /// The checkpoint file.
    public let path: String
    /// Write after every `everyBatches` batches (and always after the last one).
    public let everyBatches: Int
    /// Whether to resume.
    public let resume: ResumeMode

    /// Options.
    /// - Throws: `MonteCarloError.invalidArgument` for an empty path or `everyBatches` < 1.
    public init(path: String, everyBatches: Int = 1, resume: ResumeMode = .ifPresent) throws {
        try require(!path.isEmpty, "checkpoint.path", "must not be empty")
        try require(everyBatches >= 1, "checkpoint.everyBatches", "must be at least 1, got \(everyBatches)")
        self.path = path
        self.everyBatches = everyBatches
        self.resume = resume
    }
}

/// The saved state of a run: its identity (plan, output names, generator) and the outputs of
/// replicates 0 ..< completedReplicates, in order, bit for bit.
///
/// File format (little-endian), version 1:
///
///     "PLMCCKPT"                 8 bytes
///     header length H            UInt32
///     header                     H bytes of JSON (sorted keys): format, generator, plan,
///                                output_names, completed_replicates
///     values                     completed × outputs Float64, replicate-major
///     checksum                   UInt64 over every byte before it (see `checksum`)
///
/// Writes go to `path.partial-<pid>`, are flushed with `fsync`, then renamed over `path`
/// (atomic on POSIX file systems) and the directory is synced: a reader sees the old file or
/// the new one, never a mix. A process killed mid-write leaves at most the `.partial-<pid>`
/// file, which nothing reads.
public struct MonteCarloCheckpoint: Sendable, Equatable {
    /// The generator and address mapping the values were drawn with; a checkpoint from another
    /// generator version is refused.
    public static let generator = "Philox4x32-10 + Box-Muller v1; replicate r at address replicate r (antithetic: r/2, mirrored if r odd)"
    /// The file format version this build writes and reads.
    public static let formatVersion = 1
    static let magic = Array("PLMCCKPT".utf8)

    /// The plan of the run that wrote the file.
    public let plan: MonteCarloPlan
    /// The outputs' names, in order.
    public let outputNames: [String]
    /// How many replicates (from 0) the file holds.
    public let completedReplicates: Int
    /// The outputs, replicate-major: value k of replicate r at r·outputNames.count + k.
    public let values: [Double]

    /// A checkpoint.
    /// - Throws: `MonteCarloError.invalidArgument` when `values` does not hold
    ///   completedReplicates × outputNames.count numbers or exceeds the plan.
    public init(plan: MonteCarloPlan, outputNames: [String], completedReplicates: Int, values: [Double]) throws {
        try require(completedReplicates >= 0 && completedReplicates <= plan.replicates, "completedReplicates",
                    "must be in 0...\(plan.replicates), got \(completedReplicates)")
        try require(values.count == completedReplicates * outputNames.count, "values",
                    "has \(values.count) numbers, expected \(completedReplicates) × \(outputNames.count)")
        self.plan = plan
        self.outputNames = outputNames
        self.completedReplicates = completedReplicates
        self.values = values
    }

    private struct Header: Codable {
        var format: Int
        var generator: String
        var plan: MonteCarloPlan
        var outputNames: [String]
        var completedReplicates: Int
    }

    /// The file's bytes (see the type's documentation).
    /// - Throws: `MonteCarloError.checkpoint` if the header cannot be encoded.
    /// - Complexity: O(values).
    public func encoded(path: String) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let header: Data
        do {
            header = try encoder.encode(Header(format: Self.formatVersion, generator: Self.generator, plan: plan,
                                               outputNames: outputNames, completedReplicates: completedReplicates))
        } catch {
            throw MonteCarloError.checkpoint(path: path, reason: "cannot encode the header (\(error))")
        }
        var bytes = Self.magic
        bytes.reserveCapacity(8 + 4 + header.count + 8 * values.count + 8)
        Self.append(UInt32(header.count), to: &bytes)
        bytes.append(contentsOf: header)
        if 1.littleEndian == 1 {
            values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        } else {
            for v in values { Self.append(v.bitPattern, to: &bytes) }
        }
        Self.append(bytes.withUnsafeBytes { Self.checksum($0) }, to: &bytes)
        return bytes
    }

    /// Decodes a file's bytes.
    /// - Throws: `MonteCarloError.checkpoint` naming what is wrong (not a checkpoint, another
    ///   format version or generator, truncated, checksum mismatch, inconsistent sizes).
    /// - Complexity: O(bytes).
    public init(bytes: [UInt8], path: String) throws {
        func fail(_ reason: String) -> MonteCarloError { .checkpoint(path: path, reason: reason) }
        guard bytes.count >= 20, Array(bytes[0..<8]) == Self.magic else {
            throw fail("is not a PolicyLab Monte Carlo checkpoint (bad magic bytes)")
        }
        let stored = Self.load(UInt64.self, bytes, at: bytes.count - 8)
        let computed = bytes.withUnsafeBytes { Self.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<(bytes.count - 8)])) }
        guard stored == computed else {
            throw fail("is damaged (checksum mismatch); delete it to start afresh")
        }
        let headerLength = Int(Self.load(UInt32.self, bytes, at: 8))
        guard headerLength <= bytes.count - 20 else { throw fail("is truncated (header length \(headerLength))") }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let header: Header
        do {
            header = try decoder.decode(Header.self, from: Data(bytes[12..<(12 + headerLength)]))
        } catch {
            throw fail("has an unreadable header (\(error))")
        }
        guard header.format == Self.formatVersion else {
            throw fail("has format version \(header.format); this build reads version \(Self.formatVersion)")
        }
        guard header.generator == Self.generator else {
            throw fail("was drawn with generator '\(header.generator)', this build uses '\(Self.generator)'")
        }
        let valueBytes = bytes.count - 20 - headerLength
        let k = header.outputNames.count
        guard valueBytes % 8 == 0, header.completedReplicates >= 0,
              valueBytes / 8 == header.completedReplicates * k else {
            throw fail("holds \(valueBytes) value bytes for \(header.completedReplicates) replicates × \(k) outputs")
        }
        let first = 12 + headerLength
        let values = bytes.withUnsafeBytes { raw in
            (0..<(valueBytes / 8)).map {
                Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: first + 8 * $0, as: UInt64.self)))
            }
        }
        do {
            try self.init(plan: header.plan, outputNames: header.outputNames,
                          completedReplicates: header.completedReplicates, values: values)
        } catch {
            throw fail("is inconsistent (\(error))")
        }
    }

    /// Writes the checkpoint to `path` atomically (temporary file, fsync, rename, directory fsync).
    /// - Throws: `MonteCarloError.checkpoint` with the system's reason when a step fails.
    /// - Complexity: O(values) time and one buffer of the file's size.
    public func write(to path: String) throws {
        let bytes = try encoded(path: path)
        try AtomicFile.write(bytes, to: path)
    }

    /// Reads the checkpoint at `path`, or nil if no file exists there.
    /// - Throws: `MonteCarloError.checkpoint` for an unreadable or invalid file.
    public static func read(from path: String) throws -> MonteCarloCheckpoint? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MonteCarloError.checkpoint(path: path, reason: "cannot be read")
        }
        return try MonteCarloCheckpoint(bytes: [UInt8](data), path: path)
    }

    /// Explains how this checkpoint differs from the identity of a run, or nil if it matches.
    func mismatch(plan other: MonteCarloPlan, outputNames otherNames: [String]) -> String? {
        if plan.fingerprint != other.fingerprint {
            return "was written for computation '\(plan.fingerprint)', this run is '\(other.fingerprint)'"
        }
        if plan.seed != other.seed { return "was written with seed \(plan.seed), this run has seed \(other.seed)" }
        if plan.replicates != other.replicates {
            return "was written for \(plan.replicates) replicates, this run asks for \(other.replicates)"
        }
        if plan.antithetic != other.antithetic {
            return "was written with antithetic = \(plan.antithetic), this run has \(other.antithetic)"
        }
        if plan.batchSize != other.batchSize {
            return "was written with batch size \(plan.batchSize), this run has \(other.batchSize)"
        }
        if plan.stopping != other.stopping { return "was written with another stopping rule" }
        if outputNames != otherNames {
            return "was written with outputs \(outputNames.prefix(5))…, this run has \(otherNames.prefix(5))…"
        }
        return nil
    }

    /// A 64-bit checksum: words of 8 bytes (the tail zero-padded) folded as
    /// h ← ((h ⊕ w)·0x100000001B3) ⊕ (· >> 29), seeded with the byte count. It detects
    /// truncation and damage; it is not a cryptographic hash.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(bytes.count)
        var i = 0
        while i < bytes.count {
            var w: UInt64 = 0
            if i + 8 <= bytes.count {
                w = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            } else {
                for j in 0..<(bytes.count - i) { w |= UInt64(bytes[i + j]) << (8 * UInt64(j)) }
            }
            h = (h ^ w) &* 0x0000_0100_0000_01B3
            h ^= h >> 29
            i += 8
        }
        return h
    }

    static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    static func load<T: FixedWidthInteger>(_: T.Type, _ bytes: [UInt8], at offset: Int) -> T {
        var value: T = 0
        for j in 0..<MemoryLayout<T>.size { value |= T(bytes[offset + j]) << (8 * j) }
        return value
    }
}

/// Atomic replacement of a file: temporary sibling, fsync, rename, directory fsync.
enum AtomicFile {
    /// POSIX write(2) (the name is taken by `write(_:to:)` inside this type).
    private static func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.write(fd, buffer, count)
        #else
        return Darwin.write(fd, buffer, count)
        #endif
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        func fail(_ step: String) -> MonteCarloError {
            .checkpoint(path: path, reason: "\(step) failed: \(String(cString: strerror(errno)))")
        }
        let temporary = "\(path).partial-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw fail("creating \(temporary)") }
        var ok = bytes.withUnsafeBytes { raw -> Bool in
            guard let base = raw.baseAddress else { return true }
            var offset = 0
            while offset < raw.count {
                let n = systemWrite(fd, base + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
        if !ok { let error = fail("writing \(temporary)"); close(fd); unlink(temporary); throw error }
        ok = fsync(fd) == 0
        if !ok { let error = fail("fsync of \(temporary)"); close(fd); unlink(temporary); throw error }
        close(fd)
        guard rename(temporary, path) == 0 else { let error = fail("rename"); unlink(temporary); throw error }
        // Make the rename itself durable; failure here cannot undo it, so it is not an error.
        let directory = (path as NSString).deletingLastPathComponent
        let dfd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    }
}
