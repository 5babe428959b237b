import Foundation
import Testing
@testable import MonteCarlo
import CPUFeatures

// The AVX2 build of the lane kernels (RandomKernelsAVX2, the same source compiled for
// `haswell`) gives the same bits as the baseline build, for normals and uniforms, over
// ragged ranges, several streams and counters near the top of the address space. On a
// processor without AVX2 only the baseline runs (the other build would fault).

@Suite("Random kernels: AVX2 build = baseline build")
struct KernelDispatchTests {
    static let streams = [
        RandomStream(seed: 20_261_129),
        RandomStream(seed: 0x0123_4567_89AB_CDEF, replicate: 3, ingredient: 1),
        RandomStream(seed: .max, replicate: .max, ingredient: .max),
    ]

    static func fill(_ stream: RandomStream, _ kind: RandomStream.Kind, count: Int, first: Int,
                     build: RandomKernelDispatch.Build) -> [UInt64] {
        var out = [Double](repeating: .nan, count: count)
        out.withUnsafeMutableBufferPointer { buffer in
            switch kind {
            case .normal: stream.uncheckedFillNormals(buffer, first: first, build: build)
            case .uniform: stream.uncheckedFillUniforms(buffer, first: first, build: build)
            }
        }
        return out.map(\.bitPattern)
    }

    @Test(arguments: [RandomStream.Kind.normal, .uniform])
    func buildsAgreeBitForBit(kind: RandomStream.Kind) throws {
        try #require(policylab_cpu_supports_haswell() == (RandomKernelDispatch.avx2Supported ? 1 : 0))
        guard RandomKernelDispatch.avx2Supported else {
            print("AVX2 not supported here: only the baseline build can run; comparison skipped")
            return
        }
        var compared = 0
        for stream in Self.streams {
            for (first, count) in [(0, 1 << 18), (5, 1_000_003), ((1 << 32) - 37, 4_099), ((1 << 33) + 96, 512)] {
                let baseline = Self.fill(stream, kind, count: count, first: first, build: .baseline)
                let avx2 = Self.fill(stream, kind, count: count, first: first, build: .avx2)
                let firstDifference = baseline.indices.first { baseline[$0] != avx2[$0] }
                #expect(firstDifference == nil, "seed \(stream.seed) first \(first): variate \(firstDifference ?? -1) differs")
                #expect(!baseline.contains(Double.nan.bitPattern))
                compared += count
            }
        }
        print("AVX2 vs baseline \(kind): \(compared) variates, identical")
    }

    /// The public fill uses the active build and still equals the scalar address functions.
    @Test func activeBuildMatchesScalarFunctions() throws {
        let stream = Self.streams[1]
        let values = try stream.fill(.normal, count: 4_096 + 13, first: 3)
        for (offset, v) in values.enumerated() where offset % 97 == 0 {
            #expect(v.bitPattern == stream.address(of: 3 + offset).standardNormal(ingredient: 1).bitPattern)
        }
        print("active random kernel build: \(RandomKernelDispatch.active.rawValue)")
    }
}
