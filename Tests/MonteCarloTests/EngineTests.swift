import Foundation
import LinearAlgebra
import Synchronization
import Testing
@testable import MonteCarlo

// The Monte Carlo engine: replicate outputs are pure functions of (plan, replicate), so any
// thread count, batch size, early stop and checkpoint/resume give the same bits.

/// A small microsimulation-like computation: 500 units, two outputs from bulk normals and
/// one from scalar uniforms.
@Sendable func toyComputation(_ replicate: Replicate) throws -> [Double] {
    let z = try replicate.stream(ingredient: 0).fill(.normal, count: 500)
    var sum = 0.0, squares = 0.0
    for v in z { sum += v; squares += v * v }
    var u = 0.0
    for unit in 0..<20 { u += replicate.uniform(unit: UInt32(unit), slot: 3, ingredient: 1) }
    return [sum / 500, squares / 500, u / 20]
}

let toyNames = ["mean_z", "mean_z2", "mean_u"]

func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("policylab-mc-\(UUID())-\(name)").path
}

@Suite("Monte Carlo engine")
struct EngineTests {
    /// A plan whose outputs cannot fit in this machine's memory is a typed error before any
    /// replicate runs (it trapped in the allocation: `draws: 4000000000` in a simulate spec).
    @Test func planLargerThanMemoryIsATypedError() throws {
        let outputs = MemoryBudget.availableBytes / (8 << 32) + 2
        let plan = try MonteCarloPlan(seed: 1, replicates: 1 << 32)
        let ran = Atomic<Int>(0)
        do {
            _ = try MonteCarloEngine(plan: plan, outputNames: (0..<outputs).map { "y\($0)" }).run { _ in
                ran.add(1, ordering: .relaxed)
                return [Double](repeating: 0, count: outputs)
            }
            Issue.record("a \(outputs)-output plan of 2^32 replicates ran")
        } catch let MonteCarloError.invalidArgument(name, reason) {
            #expect(name == "replicates" && reason.contains("more than the"), "\(reason)")
        }
        #expect(ran.load(ordering: .relaxed) == 0)
        // The same for one bulk fill.
        #expect(throws: MonteCarloError.self) {
            _ = try RandomStream(seed: 1).fill(.normal, count: MemoryBudget.availableBytes / 8 + 1)
        }
    }

    @Test func sameBitsForAnyThreadCountAndBatchSize() throws {
        let plan = try MonteCarloPlan(seed: 77, replicates: 45, batchSize: 8)
        let reference = try MonteCarloEngine(plan: plan, outputNames: toyNames).run(toyComputation)
        #expect(reference.completedReplicates == 45 && reference.values.count == 45 * 3)
        for threads in [1, 2, 3, 8] {
            for batch in [1, 7, 8, 64] {
                let p = try MonteCarloPlan(seed: 77, replicates: 45, batchSize: batch)
                let r = try MonteCarloEngine(plan: p, outputNames: toyNames, parallelism: Parallelism(threads: threads))
                    .run(toyComputation)
                #expect(bits(r.values) == bits(reference.values), "\(threads) threads, batch \(batch)")
            }
        }
        // Replicate r's outputs are the computation at plan.replicate(r), wherever it ran.
        let direct = try toyComputation(plan.replicate(31))
        #expect(bits(Array(reference.values[(31 * 3)..<(32 * 3)])) == bits(direct))
        // Distinct replicates draw distinct numbers.
        #expect(reference.values[0] != reference.values[3])
    }

    @Test func antitheticPairsMirrorTheirDraws() throws {
        let plan = try MonteCarloPlan(seed: 5, replicates: 6, antithetic: true, batchSize: 2)
        let a = plan.replicate(2), b = plan.replicate(3)
        #expect(a.drawIndex == 1 && b.drawIndex == 1 && !a.antithetic && b.antithetic)
        for slot in [0, 1, 17, 1000] as [UInt32] {
            let u = a.uniform(unit: 4, slot: slot), v = b.uniform(unit: 4, slot: slot)
            #expect(v == (1 - 0x1p-52) - u && v >= 0 && v < 1)
            #expect(b.standardNormal(unit: 4, slot: slot) == -a.standardNormal(unit: 4, slot: slot))
        }
        // Bulk antithetic streams equal the scalar antithetic addresses, bit for bit.
        for kind in [RandomStream.Kind.normal, .uniform] {
            let stream = b.stream(ingredient: 2)
            let values = try stream.fill(kind, count: 3 * RandomStream.chunkSize + 77, first: 5, parallelism: Parallelism(threads: 3))
            let plain = try a.stream(ingredient: 2).fill(kind, count: values.count, first: 5)
            for i in [0, 1, 2, 31, 32, 65_540, values.count - 1] {
                let address = stream.address(of: 5 + i)
                let scalar = kind == .normal ? address.standardNormal(ingredient: 2) : address.uniform(ingredient: 2)
                #expect(values[i].bitPattern == scalar.bitPattern)
                #expect(values[i] == (kind == .normal ? -plain[i] : (1 - 0x1p-52) - plain[i]))
            }
            // Filling a reused buffer gives the same bits as a fresh array.
            var reused = [Double](repeating: .nan, count: values.count)
            try stream.fill(kind, into: &reused, first: 5, parallelism: Parallelism(threads: 2))
            #expect(bits(reused) == bits(values))
        }
        // Addresses written before the flag existed decode as plain; the flag round-trips.
        let old = try JSONDecoder().decode(RandomAddress.self, from: Data(#"{"seed":5,"replicate":1,"unit":4,"slot":0}"#.utf8))
        #expect(old == RandomAddress(seed: 5, replicate: 1, unit: 4) && !old.antithetic)
        let mirrored = b.address(unit: 4)
        #expect(try JSONDecoder().decode(RandomAddress.self, from: try JSONEncoder().encode(mirrored)) == mirrored)
        // Distributions are mirrored through their ingredients: Gamma by inverse CDF is monotone.
        let gamma = try GammaDistribution(shape: 2)
        let x = gamma.sample(at: a.address(unit: 1)), y = gamma.sample(at: b.address(unit: 1))
        let u = a.uniform(unit: 1)
        #expect((u < 0.5) == (x < y))
    }

    @Test func antitheticStandardErrorIsThatOfPairMeans() throws {
        // An output linear in z: pair means are exactly 0, so the SE is 0 and the correlation −1.
        let plan = try MonteCarloPlan(seed: 9, replicates: 40, antithetic: true, batchSize: 10)
        let result = try MonteCarloEngine(plan: plan, outputNames: ["z", "z2"]).run { r in
            let z = r.standardNormal(unit: 0, slot: 0)
            return [z, z * z]
        }
        let linear = try result.summary(ofOutput: 0)
        #expect(linear.standardError == 0 && linear.mean == 0 && linear.pairCorrelation == -1)
        #expect(linear.naiveStandardError > 0.05)
        // z² is symmetric: both members of a pair are equal, so the pair SE equals the SE of 20 draws.
        let square = try result.summary(ofOutput: 1)
        let firsts = (0..<20).map { result.values[(2 * $0) * 2 + 1] }
        let mean = firsts.reduce(0, +) / 20
        let sd = (firsts.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 19).squareRoot()
        #expect(Swift.abs(square.standardError - sd / 20.0.squareRoot()) < 1e-12)
        #expect(square.pairCorrelation == 1)
    }

    @Test func summaryMatchesHandComputation() throws {
        let summary = try OutputSummary(name: "x", values: [1, 2, 3, 4, 10], antithetic: false, level: 0.5)
        #expect(summary.mean == 4 && summary.replicates == 5 && summary.omitted == 0)
        // Σ(x − 4)² = 9 + 4 + 1 + 0 + 36 = 50; s² = 12.5.
        #expect(summary.standardDeviation == 12.5.squareRoot())
        #expect(Swift.abs(summary.standardError - (12.5 / 5).squareRoot()) < 1e-15)
        // Type 7: h = 4·0.25 = 1 → 2; h = 4·0.75 = 3 → 4.
        #expect(summary.interval.lower == 2 && summary.interval.upper == 4)
        let interval = try QuantileInterval(level: 0.9, values: [5, 1, 3, .nan])
        // Sorted 1, 3, 5: h = 2·0.05 = 0.1 → 1.2; h = 1.9 → 4.8.
        #expect(Swift.abs(interval.lower - 1.2) < 1e-15 && Swift.abs(interval.upper - 4.8) < 1e-15)
        #expect(throws: MonteCarloError.self) { try QuantileInterval(level: 1, values: [1]) }
        #expect(throws: MonteCarloError.self) { try OutputSummary(name: "x", values: [1], antithetic: false, level: 0) }
    }

    @Test func earlyStopAtABatchBoundaryIndependentOfThreads() throws {
        let rule = try StoppingRule(target: 0.01, outputs: [0], minimumReplicates: 16)
        let plan = try MonteCarloPlan(seed: 3, replicates: 10_000, batchSize: 16, stopping: rule)
        var seen: [MonteCarloProgress] = []
        let reference = try MonteCarloEngine(plan: plan, outputNames: toyNames).run(progress: { seen.append($0) }, toyComputation)
        // mean_z has SD 1/√500 ≈ 0.0447, so SE ≤ 0.01 needs about 20 replicates: the first boundary
        // at or after that where the sample SE is below target.
        #expect(reference.stopReason == .targetReached)
        #expect(reference.completedReplicates % 16 == 0 && reference.completedReplicates >= 16)
        #expect(reference.completedReplicates < 200)
        let se = try reference.summary(ofOutput: 0).standardError
        #expect(se <= 0.01)
        // It did not stop at the previous boundary.
        let before = reference.completedReplicates - 16
        if before >= 16 {
            let column = (0..<before).map { reference.values[$0 * 3] }
            #expect(OutputSummary.standardError(values: column, antithetic: false).standardError > 0.01)
        }
        #expect(seen.map(\.completedReplicates) == Array(stride(from: 16, through: reference.completedReplicates, by: 16)))
        #expect(seen.last?.worstStandardErrorRatio.map { $0 <= 1 } == true)
        for threads in [2, 3, 8] {
            let r = try MonteCarloEngine(plan: plan, outputNames: toyNames, parallelism: Parallelism(threads: threads))
                .run(toyComputation)
            #expect(r.completedReplicates == reference.completedReplicates && bits(r.values) == bits(reference.values))
        }
        // A relative target that cannot be met runs everything.
        let never = try MonteCarloPlan(seed: 3, replicates: 48, batchSize: 16,
                                       stopping: try StoppingRule(target: 1e-9, relative: true, minimumReplicates: 2))
        let all = try MonteCarloEngine(plan: never, outputNames: toyNames).run(toyComputation)
        #expect(all.stopReason == .allReplicates && all.completedReplicates == 48)
    }

    @Test func workspacesAreReusedNotShared() throws {
        let made = Atomic<Int>(0)
        let plan = try MonteCarloPlan(seed: 1, replicates: 64, batchSize: 16)
        let engine = try MonteCarloEngine(plan: plan, outputNames: ["sum"], parallelism: Parallelism(threads: 3))
        let result = try engine.run(workspace: { () -> [Double] in
            made.add(1, ordering: .relaxed)
            return [Double](repeating: 0, count: 1000)
        }) { replicate, scratch in
            for i in 0..<scratch.count { scratch[i] = replicate.uniform(unit: UInt32(i)) }
            return [scratch.reduce(0, +)]
        }
        #expect(made.load(ordering: .relaxed) <= 3)
        let serial = try MonteCarloEngine(plan: plan, outputNames: ["sum"]).run { r in
            [(0..<1000).map { r.uniform(unit: UInt32($0)) }.reduce(0, +)]
        }
        #expect(bits(result.values) == bits(serial.values))
    }

    @Test func invalidPlansAndOutputsAreTypedErrors() throws {
        #expect(throws: MonteCarloError.invalidArgument(name: "replicates", reason: "must be at least 1, got 0")) {
            try MonteCarloPlan(seed: 1, replicates: 0)
        }
        #expect(throws: MonteCarloError.self) { try MonteCarloPlan(seed: 1, replicates: 7, antithetic: true) }
        #expect(throws: MonteCarloError.self) { try MonteCarloPlan(seed: 1, replicates: 8, antithetic: true, batchSize: 3) }
        #expect(throws: MonteCarloError.self) { try MonteCarloPlan(seed: 1, replicates: 8, batchSize: 0) }
        #expect(throws: MonteCarloError.self) { try StoppingRule(target: 0) }
        #expect(throws: MonteCarloError.self) { try StoppingRule(target: .nan) }
        #expect(throws: MonteCarloError.self) { try StoppingRule(target: 1, outputs: []) }
        let plan = try MonteCarloPlan(seed: 1, replicates: 10, batchSize: 4)
        #expect(throws: MonteCarloError.self) { try MonteCarloEngine(plan: plan, outputNames: []) }
        #expect(throws: MonteCarloError.self) { try MonteCarloEngine(plan: plan, outputNames: ["a", "a"]) }
        let badRule = try MonteCarloPlan(seed: 1, replicates: 10, stopping: try StoppingRule(target: 1, outputs: [3]))
        #expect(throws: MonteCarloError.self) { try MonteCarloEngine(plan: badRule, outputNames: ["a"]) }
        let engine = try MonteCarloEngine(plan: plan, outputNames: ["a", "b"], parallelism: Parallelism(threads: 2))
        #expect(throws: MonteCarloError.outputCountMismatch(replicate: 0, expected: 2, actual: 1)) {
            try engine.run { _ in [1] }
        }
        // NaN outputs: rejected at the lowest replicate by default …
        #expect(throws: MonteCarloError.nonFiniteOutput(replicate: 5, output: "b")) {
            try engine.run { r in [1, r.index >= 5 ? .nan : 1] }
        }
        // … or omitted from the summaries and counted.
        let omitting = try MonteCarloEngine(plan: plan, outputNames: ["a", "b"], nonFinite: .omit)
        let result = try omitting.run { r in [Double(r.index), r.index % 3 == 0 ? .nan : Double(r.index)] }
        let b = try result.summary(ofOutput: 1)
        #expect(b.omitted == 4 && b.replicates == 6 && b.mean == Double(1 + 2 + 4 + 5 + 7 + 8) / 6)
        #expect(result.values[1].isNaN)
        // A computation's own error propagates: the lowest failing replicate's.
        struct Boom: Error, Equatable { let replicate: Int }
        #expect(throws: Boom(replicate: 2)) {
            try engine.run { r in if r.index >= 2 { throw Boom(replicate: r.index) }; return [1, 2] }
        }
    }
}

@Suite("Monte Carlo checkpoints")
struct CheckpointTests {
    @Test func interruptedRunResumesToTheSameBits() throws {
        let path = temporaryPath("resume.ckpt")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let plan = try MonteCarloPlan(seed: 11, replicates: 100, batchSize: 16, fingerprint: "toy v1")
        let uninterrupted = try MonteCarloEngine(plan: plan, outputNames: toyNames, parallelism: Parallelism(threads: 2))
            .run(toyComputation)
        let options = try CheckpointOptions(path: path)
        let engine = try MonteCarloEngine(plan: plan, outputNames: toyNames, parallelism: Parallelism(threads: 3), checkpoint: options)
        struct Interrupted: Error {}
        #expect(throws: Interrupted.self) {
            try engine.run { r in
                if r.index == 70 { throw Interrupted() }
                return try toyComputation(r)
            }
        }
        let saved = try #require(try MonteCarloCheckpoint.read(from: path))
        #expect(saved.completedReplicates == 64 && saved.plan == plan && saved.outputNames == toyNames)
        #expect(bits(saved.values) == bits(Array(uninterrupted.values[0..<(64 * 3)])))
        let calls = Atomic<Int>(0)
        let resumed = try engine.run { r in
            calls.add(1, ordering: .relaxed)
            return try toyComputation(r)
        }
        #expect(resumed.resumedReplicates == 64 && calls.load(ordering: .relaxed) == 36)
        #expect(bits(resumed.values) == bits(uninterrupted.values) && resumed.completedReplicates == 100)
        // The final checkpoint holds the finished run: resuming again computes nothing.
        let again = try engine.run { _ in Issue.record("no replicate should run"); return [0, 0, 0] }
        #expect(bits(again.values) == bits(uninterrupted.values) && again.resumedReplicates == 100)
    }

    @Test func earlyStopSurvivesAResume() throws {
        let path = temporaryPath("stop.ckpt")
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Output 1 (mean of z²) is symmetric, so pairs do not shrink its SE: about 124 replicates.
        let rule = try StoppingRule(target: 0.008, outputs: [1], minimumReplicates: 8)
        let plan = try MonteCarloPlan(seed: 21, replicates: 4096, antithetic: true, batchSize: 8, stopping: rule)
        let reference = try MonteCarloEngine(plan: plan, outputNames: toyNames).run(toyComputation)
        #expect(reference.stopReason == .targetReached)
        let stopAt = reference.completedReplicates
        let engine = try MonteCarloEngine(plan: plan, outputNames: toyNames, parallelism: Parallelism(threads: 2),
                                          checkpoint: try CheckpointOptions(path: path, everyBatches: 2))
        struct Interrupted: Error {}
        #expect(throws: Interrupted.self) {
            try engine.run { r in
                if r.index == stopAt - 3 { throw Interrupted() }
                return try toyComputation(r)
            }
        }
        let resumed = try engine.run(toyComputation)
        #expect(resumed.resumedReplicates > 0 && resumed.resumedReplicates < stopAt)
        #expect(resumed.completedReplicates == stopAt && resumed.stopReason == .targetReached)
        #expect(bits(resumed.values) == bits(reference.values))
    }

    @Test func foreignDamagedAndMissingCheckpointsAreRefused() throws {
        let path = temporaryPath("bad.ckpt")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let plan = try MonteCarloPlan(seed: 1, replicates: 8, batchSize: 4, fingerprint: "spec A")
        _ = try MonteCarloEngine(plan: plan, outputNames: toyNames, checkpoint: try CheckpointOptions(path: path)).run(toyComputation)
        // Another seed, fingerprint or output list.
        for (other, names) in [(try MonteCarloPlan(seed: 2, replicates: 8, batchSize: 4, fingerprint: "spec A"), toyNames),
                               (try MonteCarloPlan(seed: 1, replicates: 8, batchSize: 4, fingerprint: "spec B"), toyNames),
                               (plan, ["a", "b", "c"])] {
            let engine = try MonteCarloEngine(plan: other, outputNames: names, checkpoint: try CheckpointOptions(path: path))
            #expect { try engine.run(toyComputation) } throws: { error in
                guard case let .checkpoint(p, reason)? = error as? MonteCarloError else { return false }
                return p == path && reason.contains("delete it")
            }
        }
        // `.never` overwrites it.
        let other = try MonteCarloPlan(seed: 2, replicates: 8, batchSize: 4, fingerprint: "spec A")
        _ = try MonteCarloEngine(plan: other, outputNames: toyNames,
                                 checkpoint: try CheckpointOptions(path: path, resume: .never)).run(toyComputation)
        #expect(try MonteCarloCheckpoint.read(from: path)?.plan.seed == 2)
        // A flipped byte or a truncated file fails the checksum.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count - 20] ^= 1
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(throws: MonteCarloError.self) { try MonteCarloCheckpoint.read(from: path) }
        try Data(bytes.prefix(30)).write(to: URL(fileURLWithPath: path))
        #expect(throws: MonteCarloError.self) { try MonteCarloCheckpoint.read(from: path) }
        try Data("not a checkpoint".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: MonteCarloError.self) { try MonteCarloCheckpoint.read(from: path) }
        // A required resume without a file; an unwritable location.
        let missing = try MonteCarloEngine(plan: plan, outputNames: toyNames,
                                           checkpoint: try CheckpointOptions(path: path + ".missing", resume: .required))
        #expect(throws: MonteCarloError.self) { try missing.run(toyComputation) }
        let unwritable = try MonteCarloEngine(plan: plan, outputNames: toyNames,
                                              checkpoint: try CheckpointOptions(path: "/nonexistent-dir/x.ckpt"))
        #expect(throws: MonteCarloError.self) { try unwritable.run(toyComputation) }
        #expect(throws: MonteCarloError.self) { try CheckpointOptions(path: "") }
        #expect(throws: MonteCarloError.self) { try CheckpointOptions(path: "x", everyBatches: 0) }
    }

    @Test func fileFormatRoundTripsEveryBit() throws {
        let plan = try MonteCarloPlan(seed: .max, replicates: 3, antithetic: false, batchSize: 1,
                                      stopping: try StoppingRule(target: 0.1 + 0.2, relative: true, outputs: [1], minimumReplicates: 2),
                                      fingerprint: "sha256:abc \"quoted\"")
        let values: [Double] = [.nan, -0.0, .infinity, .leastNonzeroMagnitude, -.greatestFiniteMagnitude, 0.1]
        let checkpoint = try MonteCarloCheckpoint(plan: plan, outputNames: ["a", "b"], completedReplicates: 3, values: values)
        let decoded = try MonteCarloCheckpoint(bytes: try checkpoint.encoded(path: "x"), path: "x")
        #expect(decoded.plan == plan && decoded.outputNames == ["a", "b"] && decoded.completedReplicates == 3)
        #expect(bits(decoded.values) == bits(values))
        #expect(throws: MonteCarloError.self) {
            try MonteCarloCheckpoint(plan: plan, outputNames: ["a", "b"], completedReplicates: 2, values: values)
        }
    }
}
