import Testing
@testable import Optimization

@Suite("Sobol and Latin hypercube designs")
struct SobolTests {
    /// scipy 1.17.1 `qmc.Sobol(d=40, scramble=False).random(1001)` rows 1–5 and 1000, times 1024
    /// (these points are dyadic, so the values are exact).
    static let reference: [Int: [Int]] = [
        1: Array(repeating: 512, count: 40),
        2: [768, 256, 256, 256, 768, 768, 256, 768, 768, 768, 768, 768, 256, 256, 768, 256, 768, 256, 768, 256,
            256, 768, 256, 256, 256, 768, 256, 768, 256, 768, 256, 256, 256, 768, 768, 768, 256, 256, 256, 256],
        3: [256, 768, 768, 768, 256, 256, 768, 256, 256, 256, 256, 256, 768, 768, 256, 768, 256, 768, 256, 768,
            768, 256, 768, 768, 768, 256, 768, 256, 768, 256, 768, 768, 768, 256, 256, 256, 768, 768, 768, 768],
        4: [384, 384, 640, 896, 384, 128, 384, 896, 896, 640, 896, 384, 384, 640, 384, 896, 384, 896, 896, 128,
            128, 128, 384, 896, 896, 896, 384, 640, 128, 128, 384, 128, 896, 896, 640, 640, 640, 896, 384, 896],
        5: [896, 896, 128, 384, 896, 640, 896, 384, 384, 128, 384, 896, 896, 128, 896, 384, 896, 384, 384, 640,
            640, 640, 896, 384, 384, 384, 896, 128, 640, 640, 896, 640, 384, 384, 128, 128, 128, 384, 896, 384],
        1000: [225, 99, 531, 693, 287, 929, 47, 921, 513, 71, 87, 261, 165, 393, 147, 379, 737, 353, 1015, 743,
               535, 563, 973, 553, 597, 929, 41, 1003, 61, 349, 151, 149, 303, 607, 821, 789, 869, 851, 315, 491],
    ]

    @Test func firstPointsMatchJoeKuoAsScipyComputesThem() throws {
        var sobol = try SobolSequence(dimension: 40)
        let points = sobol.next(1001)
        #expect(points[0] == Array(repeating: 0, count: 40))
        for (index, expected) in Self.reference {
            #expect(points[index].map { Int($0 * 1024) } == expected, "point \(index)")
            #expect(points[index].allSatisfy { ($0 * 1024).rounded() == $0 * 1024 }, "point \(index) is dyadic")
        }
    }

    @Test func sixtyFourDimensionsAreBalanced() throws {
        // Each coordinate of the first 2^k points takes every multiple of 2^-k exactly once.
        var sobol = try SobolSequence(dimension: SobolSequence.maxDimension)
        let points = sobol.next(256)
        for d in 0..<SobolSequence.maxDimension {
            #expect(Set(points.map { Int($0[d] * 256) }).count == 256, "coordinate \(d)")
        }
        #expect(throws: OptimizationError.self) { try SobolSequence(dimension: 65) }
    }

    @Test func digitalShiftKeepsBalanceAndDependsOnTheSeed() throws {
        var a = try SobolSequence(dimension: 3, seed: 1), b = try SobolSequence(dimension: 3, seed: 2)
        let pa = a.next(64), pb = b.next(64)
        #expect(pa != pb)
        for d in 0..<3 { #expect(Set(pa.map { Int($0[d] * 64) }).count == 64) }
    }

    @Test func latinHypercubeHasOnePointPerStratum() {
        var stream = SearchRandomStream(seed: 9, stream: 0)
        let points = LatinHypercube.sample(count: 50, dimension: 4, stream: &stream)
        for d in 0..<4 { #expect(Set(points.map { Int($0[d] * 50) }) == Set(0..<50)) }
    }
}
