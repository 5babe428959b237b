import Testing
@testable import LinearAlgebra

// VectorKernels against naive left-to-right loops, for every length 0…40 (all tail
// lengths of the 16-wide body, two full blocks and more) and 1001 (62 blocks + a tail of 9).
//
// Two kinds of data:
// - small integers: every partial sum is an integer below 2⁵³, so any summation order
//   gives the exact result and the kernels must equal the naive loops bit for bit;
//   a missed or doubled element in the body or tail shows up as an exact mismatch;
// - random reals: the kernels reorder the sum, so they may differ from the naive loop by
//   rounding; |kernel − naive| ≤ 2·n·ε·Σ|terms| (both are within γ_n·Σ|terms| of the truth).
//
// scaledCopy and scale do one multiplication per element, so they must match α·xᵢ exactly.

@Suite("VectorKernels")
struct VectorKernelsTests {
    static let lengths = Array(0...40) + [1001]

    static func integers(_ n: Int, seed: UInt64) -> [Double] {
        var rng = TestRandom(seed: seed)
        return (0..<n).map { _ in Double(Int.random(in: -50...50, using: &rng)) }
    }

    static func naiveSum(_ x: [Double]) -> Double { x.reduce(0, +) }

    static func naiveDot(_ x: [Double], _ y: [Double]) -> Double {
        var s = 0.0
        for i in x.indices { s += x[i] * y[i] }
        return s
    }

    static func naiveWeightedDot(_ x: [Double], _ y: [Double], _ w: [Double]) -> Double {
        var s = 0.0
        for i in x.indices { s += w[i] * x[i] * y[i] }
        return s
    }

    @Test func smallCasesByHand() throws {
        let x: [Double] = [1, 2, 3], y: [Double] = [4, 5, 6], w: [Double] = [1, 0, 2]
        #expect(VectorKernels.sum(x) == 6)                                        // 1 + 2 + 3
        #expect(VectorKernels.sumOfSquares(x) == 14)                              // 1 + 4 + 9
        #expect(VectorKernels.sumOfSquaredDeviations(x, from: 2) == 2)            // 1 + 0 + 1
        #expect(VectorKernels.sumOfSquaredDeviations([1, .nan], from: 0).isNaN)
        #expect(try VectorKernels.dot(x, y) == 32)                                // 4 + 10 + 18
        #expect(try VectorKernels.weightedSum(x, weights: w) == 7)                // 1 + 0 + 6
        #expect(try VectorKernels.weightedSumOfSquares(x, weights: w) == 19)      // 1 + 0 + 2·9
        #expect(try VectorKernels.weightedDot(x, y, weights: w) == 40)            // 4 + 0 + 2·18
        #expect(VectorKernels.scaledCopy(-2, x) == [-2, -4, -6])
        var z = x
        VectorKernels.scale(0.5, &z)
        #expect(z == [0.5, 1, 1.5])
        #expect(VectorKernels.allFinite(x) && !VectorKernels.allFinite([1, .nan]))
    }

    @Test(arguments: lengths)
    func exactOnIntegerData(_ n: Int) throws {
        let x = Self.integers(n, seed: UInt64(n)), y = Self.integers(n, seed: UInt64(n + 500))
        let w = Self.integers(n, seed: UInt64(n + 900)).map { abs($0) }
        #expect(VectorKernels.sum(x) == Self.naiveSum(x))
        #expect(VectorKernels.sumOfSquares(x) == Self.naiveDot(x, x))
        let shifted = x.map { $0 - 3 }
        #expect(VectorKernels.sumOfSquaredDeviations(x, from: 3) == Self.naiveDot(shifted, shifted))
        #expect(VectorKernels.sumOfSquaredDeviations(x[...], from: 0) == Self.naiveDot(x, x))
        #expect(try VectorKernels.dot(x, y) == Self.naiveDot(x, y))
        #expect(try VectorKernels.weightedSum(x, weights: w) == Self.naiveDot(x, w))
        #expect(try VectorKernels.weightedSumOfSquares(x, weights: w) == Self.naiveWeightedDot(x, x, w))
        #expect(try VectorKernels.weightedDot(x, y, weights: w) == Self.naiveWeightedDot(x, y, w))
    }

    @Test(arguments: lengths)
    func exactOnSingleNonzeroElement(_ n: Int) throws {
        // One 1 at each position in turn: the sum is 1 only if that position is read exactly once.
        for position in 0..<n {
            var x = [Double](repeating: 0, count: n)
            x[position] = 1
            #expect(VectorKernels.sum(x) == 1, "n = \(n), position \(position)")
            #expect(VectorKernels.sumOfSquares(x) == 1, "n = \(n), position \(position)")
            let twos = [Double](repeating: 2, count: n)
            #expect(try VectorKernels.weightedDot(x, twos, weights: twos) == 4, "n = \(n), position \(position)")
            if n > 100 { break }
        }
    }

    @Test(arguments: lengths)
    func closeToNaiveOnRandomData(_ n: Int) throws {
        var rng = TestRandom(seed: UInt64(7000 + n))
        let x = rng.vector(n), y = rng.vector(n)
        let w = rng.vector(n).map { abs($0) }
        let bound = { (absSum: Double) in 2 * Double(n) * eps * absSum }
        #expect(abs(VectorKernels.sum(x) - Self.naiveSum(x)) <= bound(x.reduce(0) { $0 + abs($1) }))
        #expect(abs(VectorKernels.sumOfSquares(x) - Self.naiveDot(x, x)) <= bound(Self.naiveDot(x, x)))
        let absXY = zip(x, y).reduce(0) { $0 + abs($1.0 * $1.1) }
        #expect(abs(try VectorKernels.dot(x, y) - Self.naiveDot(x, y)) <= bound(absXY))
        let absWX = zip(x, w).reduce(0) { $0 + abs($1.0 * $1.1) }
        #expect(abs(try VectorKernels.weightedSum(x, weights: w) - Self.naiveDot(x, w)) <= bound(absWX))
        let absWXX = (0..<n).reduce(0.0) { $0 + abs(w[$1] * x[$1] * x[$1]) }
        #expect(abs(try VectorKernels.weightedSumOfSquares(x, weights: w) - Self.naiveWeightedDot(x, x, w)) <= 2 * bound(absWXX))
        let absWXY = (0..<n).reduce(0.0) { $0 + abs(w[$1] * x[$1] * y[$1]) }
        #expect(abs(try VectorKernels.weightedDot(x, y, weights: w) - Self.naiveWeightedDot(x, y, w)) <= 2 * bound(absWXY))
        // Reproducible: the same input gives the same bits.
        #expect(VectorKernels.sum(x).bitPattern == VectorKernels.sum(x).bitPattern)
    }

    @Test(arguments: lengths)
    func scaledCopyAndScaleAreExact(_ n: Int) {
        var rng = TestRandom(seed: UInt64(8000 + n))
        let x = rng.vector(n)
        for alpha in [0.0, -1.0, 0.1, 3.7e10] {
            let expected = x.map { alpha * $0 }
            #expect(VectorKernels.scaledCopy(alpha, x) == expected)
            var y = x
            VectorKernels.scale(alpha, &y)
            #expect(y == expected)
        }
    }

    @Test(arguments: lengths)
    func arraySliceInputsReadTheRightWindow(_ n: Int) throws {
        // The slices start at index 5 of a larger array whose other elements are NaN.
        var rng = TestRandom(seed: UInt64(9000 + n))
        let x = rng.vector(n), y = rng.vector(n)
        let padX = [Double](repeating: .nan, count: 5) + x + [Double](repeating: .nan, count: 3)
        let padY = [Double](repeating: .nan, count: 5) + y + [Double](repeating: .nan, count: 3)
        let sx = padX[5..<(5 + n)], sy = padY[5..<(5 + n)]
        // Same storage order as the Array, so the same bits.
        #expect(VectorKernels.sum(sx).bitPattern == VectorKernels.sum(x).bitPattern)
        #expect(VectorKernels.sumOfSquares(sx).bitPattern == VectorKernels.sumOfSquares(x).bitPattern)
        #expect(try VectorKernels.dot(sx, sy).bitPattern == (try VectorKernels.dot(x, y)).bitPattern)
        #expect(try VectorKernels.weightedSum(sx, weights: sy).bitPattern == (try VectorKernels.weightedSum(x, weights: y)).bitPattern)
        #expect(try VectorKernels.weightedDot(sx, sy, weights: sx).bitPattern
                == (try VectorKernels.weightedDot(x, y, weights: x)).bitPattern)
        #expect(try VectorKernels.weightedSumOfSquares(sx, weights: sy).bitPattern
                == (try VectorKernels.weightedSumOfSquares(x, weights: y)).bitPattern)
        #expect(VectorKernels.scaledCopy(2, sx) == x.map { 2 * $0 })
        #expect(VectorKernels.allFinite(sx))
        // A non-contiguous collection (lazy map) is copied first, with the same result.
        #expect(VectorKernels.sum(x.lazy.map { $0 }).bitPattern == VectorKernels.sum(x).bitPattern)
        #expect(!VectorKernels.allFinite(padX.lazy.map { $0 }))
    }

    @Test(arguments: lengths)
    func allFiniteFindsEveryNonFiniteValue(_ n: Int) {
        var rng = TestRandom(seed: UInt64(10_000 + n))
        let x = rng.vector(n)
        #expect(VectorKernels.allFinite(x))
        // Every position for n ≤ 40; for 1001, positions in the first block, the body, the
        // last full block (976…991) and the 9-element tail (992…1000).
        let positions = n <= 40 ? Array(0..<n) : [0, 1, 15, 16, 500, 975, 976, 991, 992, 995, 1000]
        for position in positions {
            for bad in [Double.nan, .infinity, -.infinity, .signalingNaN] {
                var y = x
                y[position] = bad
                #expect(!VectorKernels.allFinite(y), "n = \(n), position \(position), value \(bad)")
                #expect(!VectorKernels.allFinite(y[...]), "slice, n = \(n), position \(position)")
            }
        }
    }

    @Test func allFiniteAcceptsExtremeFiniteValues() {
        // x − x = 0 for every finite x, including the largest magnitude and subnormals.
        let extremes: [Double] = [.greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude,
                                  -.leastNormalMagnitude, -0.0, 0.0]
        for n in [extremes.count, 16, 17, 33] {
            let x = (0..<n).map { extremes[$0 % extremes.count] }
            #expect(VectorKernels.allFinite(x), "n = \(n)")
        }
    }
}
