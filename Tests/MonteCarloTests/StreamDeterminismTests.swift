import Foundation
import LinearAlgebra
import Testing
@testable import MonteCarlo

// Every variate is a pure function of its address: bulk fills equal the scalar functions,
// and any thread count (1, 2, 3, 8) or split of the range gives the same bits.

func bits(_ x: [Double]) -> [UInt64] { x.map(\.bitPattern) }

@Suite("Random streams: addressing and determinism")
struct StreamDeterminismTests {
    static let stream = RandomStream(seed: 0x0123_4567_89AB_CDEF, replicate: 3, ingredient: 1)

    @Test(arguments: [RandomStream.Kind.normal, .uniform])
    func bulkEqualsScalar(kind: RandomStream.Kind) throws {
        for first in [0, 1, 5, 17, 1000, (1 << 32) - 9] {
            let values = try Self.stream.fill(kind, count: 53, first: first)
            for (offset, v) in values.enumerated() {
                let a = Self.stream.address(of: first + offset)
                let expected = kind == .normal ? a.standardNormal(ingredient: 1) : a.uniform(ingredient: 1)
                #expect(v.bitPattern == expected.bitPattern, "variate \(first + offset)")
            }
        }
    }

    @Test(arguments: [RandomStream.Kind.normal, .uniform])
    func threadCountsGiveSameBits(kind: RandomStream.Kind) throws {
        let count = 3 * RandomStream.chunkSize + 12_345
        let reference = bits(try Self.stream.fill(kind, count: count, first: 7, parallelism: .serial))
        for threads in [2, 3, 8] {
            let other = bits(try Self.stream.fill(kind, count: count, first: 7, parallelism: Parallelism(threads: threads)))
            #expect(other == reference, "\(threads) threads")
        }
        // Any split of the range: pieces at odd offsets reassemble to the same bits.
        var pieces: [Double] = []
        var start = 7
        for length in [1, 3, 64, 999, 70_001] {
            pieces += try Self.stream.fill(kind, count: length, first: start)
            start += length
        }
        pieces += try Self.stream.fill(kind, count: count + 7 - start, first: start, parallelism: Parallelism(threads: 3))
        #expect(bits(pieces) == reference)
    }

    @Test func addressMappingIsDocumented() {
        // Uniform at slot s = 8g + 4p + l is half p of block 4g + l (see RandomAddress+Philox.swift).
        let a = RandomAddress(seed: 0xFFFF_FFFF_0000_0001, replicate: 9, unit: 4, slot: 8 * 5 + 4 + 2)
        #expect(a.philoxKey == SIMD2(1, 0xFFFF_FFFF))
        #expect(a.philoxCounter(ingredient: 6, variatesPerBlock: 2) == SIMD4<UInt32>(4 * 5 + 2, 4, 9, 6))
        let block = Philox4x32.block(counter: SIMD4(22, 4, 9, 0), key: SIMD2(1, 0xFFFF_FFFF))
        let bits = (UInt64(block.w) << 32 | UInt64(block.z)) >> 12
        #expect(a.uniform() == Double(bits) * 0x1p-52)
        // Normal at slot s = 16g + 4p + l is position p of block 4g + l.
        let n = RandomAddress(seed: 5, slot: 16 * 3 + 4 * 2 + 1)
        #expect(n.philoxCounter(variatesPerBlock: 4) == SIMD4<UInt32>(13, 0, 0, 0))
        let b = Philox4x32.block(counter: SIMD4(13, 0, 0, 0), key: SIMD2(5, 0))
        let u1 = Double(UInt64(1) << 32 - UInt64(b.z)) * 0x1p-32
        let u2 = Double(b.w) * 0x1p-32
        let expected = (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
        #expect(Swift.abs(n.standardNormal() - expected) <= 1e-14 * Swift.max(1, Swift.abs(expected)))
    }

    @Test func replicatesUnitsSeedsAndIngredientsDiffer() {
        let base = RandomAddress(seed: 1, replicate: 2, unit: 3, slot: 4)
        var variants = [base]
        variants.append(RandomAddress(seed: 2, replicate: 2, unit: 3, slot: 4))
        variants.append(RandomAddress(seed: 1, replicate: 3, unit: 3, slot: 4))
        variants.append(RandomAddress(seed: 1, replicate: 2, unit: 4, slot: 4))
        variants.append(RandomAddress(seed: 1, replicate: 2, unit: 3, slot: 5))
        let values = variants.map { $0.uniform() } + [base.uniform(ingredient: 1)]
        #expect(Set(values).count == values.count)
    }

    @Test func invalidRangesThrow() {
        #expect(throws: MonteCarloError.self) { try Self.stream.fill(.normal, count: -1) }
        #expect(throws: MonteCarloError.self) { try Self.stream.fill(.normal, count: 1, first: -1) }
        #expect(throws: MonteCarloError.self) { try Self.stream.fill(.uniform, count: 10, first: Int.max - 5) }
        // Near Int.max a short range used to pass the check and overflow while rounding to SIMD steps.
        #expect(throws: MonteCarloError.self) { try Self.stream.fill(.normal, count: 3, first: Int.max - 5) }
        #expect(throws: MonteCarloError.self) { try Self.stream.fill(.uniform, count: 1, first: RandomStream.maximumVariates) }
        #expect((try? Self.stream.fill(.normal, count: 0))?.isEmpty == true)
    }

    /// The last variates of the window are served, and equal the scalar functions.
    @Test func endOfTheWindow() throws {
        let first = RandomStream.maximumVariates - 77
        let values = try Self.stream.fill(.normal, count: 77, first: first)
        for (offset, v) in values.enumerated() {
            #expect(v.bitPattern == Self.stream.address(of: first + offset).standardNormal(ingredient: 1).bitPattern)
        }
    }
}

@Suite("Sample moments")
struct SampleMomentsTests {
    @Test func sameBitsForAnyThreadCount() throws {
        let x = try RandomStream(seed: 3).fill(.normal, count: 5 * 65_536 + 17, parallelism: Parallelism(threads: 2))
        let reference = SampleMoments(x)
        for threads in [2, 3, 8] {
            let m = SampleMoments(x, parallelism: Parallelism(threads: threads))
            #expect(m.mean.bitPattern == reference.mean.bitPattern && m.variance.bitPattern == reference.variance.bitPattern)
        }
        #expect(Swift.abs(reference.mean) < 0.01 && Swift.abs(reference.variance - 1) < 0.01)
        let small = SampleMoments([1, 2, 3, 4])
        #expect(small.mean == 2.5 && small.variance == 5.0 / 3)
        #expect(SampleMoments([]) == SampleMoments([]) && SampleMoments([]).mean == 0)
    }
}
