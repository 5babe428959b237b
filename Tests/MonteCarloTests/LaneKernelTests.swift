import Foundation
import Testing
@testable import MonteCarlo
import RandomKernels

// The SIMD math kernels against glibc's libm (itself within 1 ulp): sin/cos of 2πu, the
// table-driven log and sin/cos of Box–Muller, the Newton square root.

@Suite("SIMD lane kernels against libm")
struct LaneKernelTests {
    /// Deterministic test points: a SplitMix64-style sequence of 32-bit words.
    static func words(_ count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt64] {
        var state = seed
        return (0..<count).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return (z ^ (z >> 31)) & 0xFFFF_FFFF
        } + [0, 1, 2, 0x00FF_FFFF, 0x0100_0000, 0x4000_0000, 0x8000_0000, 0xC000_0000, 0xFFFF_FFFF, 0xFFFF_FFFE]
    }

    @Test func sinCos2PiMatchesLibm() {
        var worst = 0.0
        for w in Self.words(20_000) {
            let u = Double(w) * 0x1p-32
            let (s, c) = SinCos2PiLanes.sinCos(DoubleLanes(repeating: u))
            // libm's argument 2πu is itself rounded (≤ 4.4e-16 absolute), so compare absolutely.
            worst = Swift.max(worst, Swift.abs(s[0] - Foundation.sin(2 * Double.pi * u)),
                              Swift.abs(c[0] - Foundation.cos(2 * Double.pi * u)))
        }
        #expect(worst <= 1e-15, "worst absolute difference \(worst)")
        let (s0, c0) = SinCos2PiLanes.sinCos(DoubleLanes(0, 0.25, 0.5, 0.75, 1, 1.25, 0.125, 0.375))
        #expect(s0 == DoubleLanes(0, 1, 0, -1, 0, 1, s0[6], s0[7]))
        #expect(c0 == DoubleLanes(1, 0, -1, 0, 1, 0, c0[6], c0[7]))
        #expect(Swift.abs(s0[6] - 0.5.squareRoot()) <= 2e-16 && Swift.abs(c0[7] + 0.5.squareRoot()) <= 2e-16)
    }

    @Test func tableSinCosMatchesLibm() {
        let tables = BoxMullerTables.shared
        var worst = 0.0
        for w in Self.words(20_000) {
            let (s, c) = boxMullerSinCos(WordLanes(repeating: w), UnsafePointer(tables.sinCos))
            let angle = 2 * Double.pi * Double(w) * 0x1p-32
            worst = Swift.max(worst, Swift.abs(s[0] - Foundation.sin(angle)), Swift.abs(c[0] - Foundation.cos(angle)))
        }
        #expect(worst <= 1e-15, "worst absolute difference \(worst)")
    }

    @Test func logKernelsMatchLibm() {
        let tables = BoxMullerTables.shared
        var worstTable = 0.0
        var inputs = Self.words(20_000).map { Double((UInt64(1) << 32) - $0) * 0x1p-32 }
        inputs += [1, 0x1p-32, 0.5, 0.75, 1 - 0x1p-32, 0.7071067811865476]
        for x in inputs {
            let reference = Foundation.log(x)
            let tableValue = boxMullerLog(DoubleLanes(repeating: x), UnsafePointer(tables.log))[0]
            // Absolute error in units of ulp(1) for |log| < 1, relative beyond.
            let scale = Swift.max(1, Swift.abs(reference))
            worstTable = Swift.max(worstTable, Swift.abs(tableValue - reference) / scale)
        }
        #expect(worstTable <= 4e-16, "table log: worst \(worstTable)")
        #expect(boxMullerLog(DoubleLanes(repeating: 1), UnsafePointer(tables.log))[0] == 0)
    }

    @Test func newtonSquareRootIsWithinOneUlp() {
        var inputs: [Double] = [0, 1, 2, 4, 0x1p-64, 73.5, 1e-300, 1e300]
        inputs += Self.words(20_000).map { Double($0) * 0x1p-25 + 0x1p-40 }
        for x in inputs {
            let y = squareRootLanes(DoubleLanes(repeating: x))[0]
            let reference = x.squareRoot()
            #expect(Swift.abs(y - reference) <= reference.ulp, "√\(x): \(y) vs \(reference)")
        }
    }

    @Test func boxMullerRadiusAndTailBound() {
        // a = 2³² − 1 gives the smallest u₁ = 2⁻³² and the largest radius √(64 ln 2).
        let (c, s) = boxMullerPairLanes(WordLanes(repeating: 0xFFFF_FFFF), WordLanes(repeating: 0), logTable: BoxMullerTables.shared.logTable, sinCosTable: BoxMullerTables.shared.sinCosTable)
        #expect(Swift.abs(c[0] - (64 * Foundation.log(2.0)).squareRoot()) <= 1e-14)
        #expect(s[0] == 0)
        // a = 0 gives u₁ = 1 and radius 0.
        let zero = boxMullerPairLanes(WordLanes(repeating: 0), WordLanes(repeating: 123_456), logTable: BoxMullerTables.shared.logTable, sinCosTable: BoxMullerTables.shared.sinCosTable)
        #expect(zero.cos[0] == 0 && zero.sin[0] == 0)
    }
}
