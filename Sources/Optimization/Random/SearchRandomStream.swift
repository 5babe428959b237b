import Foundation

/// A small counter-based random stream for the stochastic optimizers (SplitMix64's mixing
/// function applied to a counter, Steele, Lea & Flood 2014).
///
/// Draw k of stream (seed, stream) is mix(key + k·γ) with key = mix(seed ⊕ mix(stream)), so a
/// stream is addressed, not carried: generation g of a population method draws from stream g
/// and is the same whatever happened before. Draws are made on one thread in a fixed order,
/// before the batch is evaluated in parallel; that is why a seed gives the same optimum for
/// any thread count. (Optimization does not import MonteCarlo, whose Philox generator serves
/// simulation.) Not for cryptography.
public struct SearchRandomStream: Sendable {
    private let key: UInt64
    private var counter: UInt64 = 0
    private var spareNormal: Double?

    /// The stream `stream` of `seed`.
    public init(seed: UInt64, stream: UInt64) {
        key = Self.mix(seed ^ Self.mix(stream &+ 0x632B_E59B_D9B4_E019))
    }

    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        counter &+= 1
        return Self.mix(key &+ counter &* 0x9E37_79B9_7F4A_7C15)
    }

    /// A uniform double in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A uniform double in [a, b).
    public mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * uniform() }

    /// A uniform integer in 0..<n (Lemire's unbiased multiply-shift). - Precondition: n ≥ 1.
    public mutating func index(below n: Int) -> Int {
        precondition(n >= 1, "SearchRandomStream.index(below:) needs n ≥ 1")
        let bound = UInt64(n)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
        }
        return Int(product.high)
    }

    /// A standard normal draw (Box–Muller; the second value of a pair is kept for the next call).
    public mutating func normal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        let u1 = 1 - uniform()  // (0, 1]
        let u2 = uniform()
        let r = (-2 * Foundation.log(u1)).squareRoot()
        spareNormal = r * Foundation.sin(2 * Double.pi * u2)
        return r * Foundation.cos(2 * Double.pi * u2)
    }

    /// A random permutation of 0..<n (Fisher–Yates).
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<Swift.max(0, n))
        if n > 1 { for i in stride(from: n - 1, to: 0, by: -1) { p.swapAt(i, index(below: i + 1)) } }
        return p
    }
}
