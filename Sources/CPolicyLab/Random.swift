import CPolicyLabHeader
import PolicyLab

// Random numbers: the stream `policylab random` draws (`RandomRun` fills variates 0 ..< count of
// `RandomStream(seed:replicate:)`); here any window `offset ..< offset + count` of it.

/// The end of the window of variates the C ABI serves: 2⁶².
private let maximumVariate: Int64 = 1 << 62

/// Fills `out` with variates `offset ..< offset + count` of the stream (seed, replicate).
private func fill(_ kind: RandomStream.Kind, seed: UInt64, replicate: UInt32, offset: Int64, count: Int64,
                  out: UnsafeMutablePointer<Double>?) -> Int32 {
    entryPoint {
        let count = try size(count, "count")
        guard offset >= 0 else { throw ABIError.argument("offset must be at least 0, got \(offset)") }
        // The stream's kernels round window ends up to whole SIMD steps in `Int`; 2⁶² variates
        // keep that arithmetic far from overflow (and are more than any run draws).
        guard Int64(count) <= maximumVariate - offset else {
            throw ABIError.argument("offset + count must be at most 2^62, got offset \(offset) and count \(count)")
        }
        let out = try required(out, "out")
        let values = try RandomStream(seed: seed, replicate: replicate)
            .fill(kind, count: count, first: Int(offset), parallelism: currentParallelism)
        out.update(from: values, count: count)
    }
}

@c @implementation
public func policylab_random_normal(_ seed: UInt64, _ replicate: UInt32, _ offset: Int64, _ count: Int64,
                                    _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    fill(.normal, seed: seed, replicate: replicate, offset: offset, count: count, out: out)
}

@c @implementation
public func policylab_random_uniform(_ seed: UInt64, _ replicate: UInt32, _ offset: Int64, _ count: Int64,
                                     _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    fill(.uniform, seed: seed, replicate: replicate, offset: offset, count: count, out: out)
}
