// Tests for VectorKernels.exp / log / logistic (Kernels/ElementwiseMath.swift).
//
// References: glibc through Foundation for exp and log (the kernels must be
// within 2 ulp of it), and an 80-bit (Float80) evaluation for logistic.
// Set POLICYLAB_LONG_TESTS=1 to run 50x more random samples.

import Foundation
import Testing

@testable import LinearAlgebra

/// SplitMix64: small, seeded, deterministic.
private struct ElementwiseMathTestRNG {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Uniform in [a, b).
    mutating func uniform(_ a: Double, _ b: Double) -> Double {
        a + (b - a) * (Double(next() >> 11) * 0x1p-53)
    }

    /// A random bit pattern: every finite double, inf and NaN can come out.
    mutating func anyDouble() -> Double { Double(bitPattern: next()) }
}

/// Distance in units in the last place between two doubles, counting the
/// representable values between them (so ±0 are 0 apart and the largest
/// finite value is 1 from infinity). NaN vs NaN is 0, NaN vs number is max.
private func elementwiseMathULPDistance(_ a: Double, _ b: Double) -> UInt64 {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN ? 0 : .max }
    func ordered(_ x: Double) -> Int64 {
        let magnitude = Int64(bitPattern: x.bitPattern & 0x7fff_ffff_ffff_ffff)
        return x.sign == .minus ? -magnitude : magnitude
    }
    let (p, q) = (ordered(a), ordered(b))
    return p >= q ? UInt64(p - q) : UInt64(q - p)
}

/// Largest ulp distance between `f(x)` and `reference` applied elementwise.
private func elementwiseMathMaxULP(
    _ x: [Double], _ f: ([Double]) -> [Double], _ reference: (Double) -> Double
) -> (ulps: UInt64, worstInput: Double) {
    let y = f(x)
    var worst: (UInt64, Double) = (0, .nan)
    for i in x.indices {
        let d = elementwiseMathULPDistance(y[i], reference(x[i]))
        if d > worst.0 || worst.1.isNaN { worst = (d, x[i]) }
    }
    return worst
}

/// logistic in 80-bit arithmetic, rounded once to Double.
private func elementwiseMathLogisticReference(_ x: Double) -> Double {
    let e = Foundation.exp(-Swift.abs(Float80(x)))
    return Double((x >= 0 ? 1 : e) / (1 + e))
}

private let elementwiseMathSampleCount =
    ProcessInfo.processInfo.environment["POLICYLAB_LONG_TESTS"] == nil ? 40_000 : 2_000_000

@Suite("VectorKernels elementwise exp/log/logistic")
struct ElementwiseMathTests {

    // MARK: exp

    @Test func expWithinTwoULPOfFoundationOnRandomInputs() {
        var rng = ElementwiseMathTestRNG(state: 1)
        let n = elementwiseMathSampleCount
        let ranges: [(Double, Double)] = [(-746, 710), (-1, 1), (-1e-9, 1e-9), (-760, -700), (700, 710)]
        for (a, b) in ranges {
            let x = (0..<n).map { _ in rng.uniform(a, b) }
            let (ulps, at) = elementwiseMathMaxULP(x, VectorKernels.exp, Foundation.exp)
            #expect(ulps <= 2, "exp on [\(a), \(b)): \(ulps) ulp at x = \(at)")
        }
        let bits = (0..<n).map { _ in rng.anyDouble() }
        let (ulps, at) = elementwiseMathMaxULP(bits, VectorKernels.exp, Foundation.exp)
        #expect(ulps <= 2, "exp on random bit patterns: \(ulps) ulp at x = \(at)")
    }

    @Test func expEdgeCases() {
        let x: [Double] = [
            0, -0.0, .infinity, -.infinity, .nan, -.nan, 1, -1,
            .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
            .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
            709.782712893384, 709.7827128933841, 709.79, 710, 1000,   // overflow threshold
            -708.3964185322641, -708.4, -720, -745.0,                  // into subnormal results
            -745.1332191019411, -745.1332191019412, -745.14, -746, -1000, // underflow to 0
            0x1p-30, -0x1p-30, 0x1p-60, 0.34657359027997264, -0.34657359027997264,
        ]
        let y = VectorKernels.exp(x)
        for (xi, yi) in zip(x, y) {
            let reference = Foundation.exp(xi)
            #expect(elementwiseMathULPDistance(yi, reference) <= 2, "exp(\(xi)) = \(yi), libm \(reference)")
        }
        #expect(y[0] == 1 && y[1] == 1)
        #expect(y[2] == .infinity && y[3] == 0 && y[3].sign == .plus)
        #expect(y[4].isNaN && y[5].isNaN)
        #expect(VectorKernels.exp([709.7827128933841, 710, 1e300]) == [.infinity, .infinity, .infinity])
        #expect(VectorKernels.exp([-745.1332191019412, -746, -1e300]) == [0, 0, 0])
        #expect(VectorKernels.exp([-745.1332191019411]) == [.leastNonzeroMagnitude])
        #expect(VectorKernels.exp([709.782712893384])[0].isFinite)
    }

    // MARK: log

    @Test func logWithinTwoULPOfFoundationOnRandomInputs() {
        var rng = ElementwiseMathTestRNG(state: 2)
        let n = elementwiseMathSampleCount
        // Every positive double (subnormals and huge values included).
        let positive = (0..<n).map { _ in Swift.abs(rng.anyDouble()) }.filter(\.isFinite)
        // Near 1, where the absolute size of log is small.
        let nearOne = (0..<n).map { _ in rng.uniform(0.7, 1.5) }
        let veryNearOne = (0..<n).map { _ in 1 + rng.uniform(-1e-6, 1e-6) }
        let subnormal = (0..<n).map { _ in Double(bitPattern: rng.next() & 0x000f_ffff_ffff_ffff) }
        for (name, x) in [("positive", positive), ("near 1", nearOne),
                          ("very near 1", veryNearOne), ("subnormal", subnormal)] {
            let (ulps, at) = elementwiseMathMaxULP(x, VectorKernels.log, Foundation.log)
            #expect(ulps <= 2, "log on \(name) inputs: \(ulps) ulp at x = \(at)")
        }
    }

    @Test func logEdgeCases() {
        let x: [Double] = [
            1, 0, -0.0, .infinity, -.infinity, .nan, -1, -.leastNonzeroMagnitude,
            .leastNonzeroMagnitude, 0x1p-1060, .leastNormalMagnitude.nextDown,
            .leastNormalMagnitude, .greatestFiniteMagnitude, 2, 0.5, M_E,
            1.0.nextUp, 1.0.nextDown, 0.7071067811865476, 1.414213562373095,
        ]
        let y = VectorKernels.log(x)
        #expect(y[0] == 0 && y[0].sign == .plus, "log(1) must be +0")
        #expect(y[1] == -.infinity && y[2] == -.infinity)
        #expect(y[3] == .infinity)
        #expect(y[4].isNaN && y[5].isNaN && y[6].isNaN && y[7].isNaN)
        for (xi, yi) in zip(x, y) where !(xi < 0) {
            let reference = Foundation.log(xi)
            #expect(elementwiseMathULPDistance(yi, reference) <= 2, "log(\(xi)) = \(yi), libm \(reference)")
        }
    }

    // MARK: logistic

    @Test func logisticWithinFourULPOfExtendedReference() {
        var rng = ElementwiseMathTestRNG(state: 3)
        let n = elementwiseMathSampleCount
        for (a, b) in [(-40.0, 40.0), (-1.0, 1.0), (-745.5, -600.0), (-1e-8, 1e-8)] {
            let x = (0..<n).map { _ in rng.uniform(a, b) }
            let (ulps, at) = elementwiseMathMaxULP(x, VectorKernels.logistic, elementwiseMathLogisticReference)
            #expect(ulps <= 4, "logistic on [\(a), \(b)): \(ulps) ulp at x = \(at)")
        }
    }

    @Test func logisticLimitsAndSymmetry() {
        let big: [Double] = [.infinity, 1e308, 1000, 745.2, 40, 37]
        #expect(VectorKernels.logistic(big) == [1, 1, 1, 1, 1, 1])
        let small = VectorKernels.logistic([-.infinity, -1e308, -1000, -745.2])
        #expect(small == [0, 0, 0, 0])
        #expect(small.allSatisfy { $0.sign == .plus })
        #expect(VectorKernels.logistic([0, -0.0]) == [0.5, 0.5])
        #expect(VectorKernels.logistic([.nan])[0].isNaN)
        #expect(VectorKernels.logistic([-740])[0] > 0, "decays through the subnormals")

        var rng = ElementwiseMathTestRNG(state: 4)
        let x = (0..<elementwiseMathSampleCount).map { _ in rng.uniform(0, 50) }
        let positive = VectorKernels.logistic(x)
        let negative = VectorKernels.logistic(x.map { -$0 })
        for i in x.indices {
            #expect(Swift.abs(negative[i] - (1 - positive[i])) <= 0x1p-51, "x = \(x[i])")
            #expect(positive[i] >= 0.5 && positive[i] <= 1 && negative[i] >= 0 && negative[i] <= 0.5)
        }
        #expect(VectorKernels.logistic(Array(x.prefix(1000))).allSatisfy { !$0.isNaN })
    }

    // MARK: Lengths, tails, in place

    /// A mix of ordinary values and specials, so specials also land in tails.
    private static func mixedInputs(count: Int, seed: UInt64) -> [Double] {
        var rng = ElementwiseMathTestRNG(state: seed)
        let specials: [Double] = [0, -0.0, .infinity, -.infinity, .nan, 1, 800, -800, 0x1p-1070]
        return (0..<count).map { i in
            i % 5 == 3 ? specials[Int(rng.next() % UInt64(specials.count))] : rng.uniform(-30, 30)
        }
    }

    private static var functions: [(name: String, outOfPlace: ([Double]) -> [Double],
                                     inPlace: (inout [Double]) -> Void, reference: (Double) -> Double)] {
        [
            ("exp", VectorKernels.exp, VectorKernels.formExp, { Foundation.exp($0) }),
            ("log", VectorKernels.log, VectorKernels.formLog, { Foundation.log($0) }),
            ("logistic", VectorKernels.logistic, VectorKernels.formLogistic, elementwiseMathLogisticReference),
        ]
    }

    @Test(arguments: Array(0...17) + [1001])
    func everyLengthMatchesTheFullArrayBitwise(count: Int) {
        let full = Self.mixedInputs(count: 1001, seed: 5)
        let x = Array(full.prefix(count))
        for f in Self.functions {
            let y = f.outOfPlace(x)
            let yFull = f.outOfPlace(full)
            #expect(y.count == count)
            for i in 0..<count {
                #expect(y[i].bitPattern == yFull[i].bitPattern || (y[i].isNaN && yFull[i].isNaN),
                        "\(f.name), count \(count), index \(i)")
                let tolerance: UInt64 = f.name == "logistic" ? 4 : 2
                #expect(elementwiseMathULPDistance(y[i], f.reference(x[i])) <= tolerance,
                        "\(f.name)(\(x[i])) = \(y[i])")
            }
        }
    }

    @Test(arguments: [0, 1, 3, 7, 8, 9, 16, 17, 1001])
    func inPlaceEqualsOutOfPlaceBitwise(count: Int) {
        let x = Self.mixedInputs(count: count, seed: 6)
        for f in Self.functions {
            var z = x
            f.inPlace(&z)
            let y = f.outOfPlace(x)
            #expect(z.map(\.bitPattern) == y.map(\.bitPattern), "\(f.name), count \(count)")
        }
    }

    @Test func uncheckedCoresAcceptDistinctAndIdenticalBuffers() {
        let x = Self.mixedInputs(count: 37, seed: 7)
        let expected = VectorKernels.exp(x)
        var distinct = [Double](repeating: -1, count: x.count)
        x.withUnsafeBufferPointer { source in
            distinct.withUnsafeMutableBufferPointer { VectorKernels.uncheckedExp(source, $0) }
        }
        #expect(distinct.map(\.bitPattern) == expected.map(\.bitPattern))
        var aliased = x
        aliased.withUnsafeMutableBufferPointer { VectorKernels.uncheckedLog(UnsafeBufferPointer($0), $0) }
        #expect(aliased.map(\.bitPattern) == VectorKernels.log(x).map(\.bitPattern))
        var empty: [Double] = []
        VectorKernels.formLogistic(&empty)
        #expect(empty.isEmpty && VectorKernels.exp([]).isEmpty)
    }
}
