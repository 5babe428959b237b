// sin 2πu and cos 2πu for u in [0, 1) (any finite u works), lane-wise, SSE2 only. Builds
// the sine/cosine table of `BoxMullerTables` and serves callers needing any angle.
//
// Reduction is exact: v = u − round(u) in [−½, ½], k = round(4v), r = v − k/4 in [−⅛, ⅛]
// (each subtraction is exact: the operands are close multiples of a common power of two).
// Then θ = 2π·r (one rounding, |θ| ≤ π/4) and fdlibm's __kernel_sin/__kernel_cos
// polynomials (error < 1 ulp on [−π/4, π/4]) give sin θ, cos θ, rotated by k quarter turns.
// Measured against glibc's sin/cos(2π·u) in the tests: within 2·10⁻¹⁶ absolute.

import RandomKernels

enum SinCos2PiLanes {
    typealias Lanes = DoubleLanes
    typealias Bits = WordLanes

    /// (sin 2πu, cos 2πu) per lane.
    @inline(__always)
    static func sinCos(_ u: Lanes) -> (sin: Lanes, cos: Lanes) {
        let shifter: Double = 0x1.8p52
        let v = u - ((u + shifter) - shifter)
        let t = v * 4 + shifter
        let k = t - shifter
        let r = v - 0.25 * k
        let quadrant = unsafeBitCast(t, to: Bits.self) & 3
        let x = r * 6.283185307179586
        let z = x * x
        // fdlibm __kernel_sin (y = 0): x + x·z·(S1 + z·(S2 + … + z·S6)).
        let sr = 2.75573137070700676789e-06 + z * (-2.50507602534068634195e-08 + z * 1.58969099521155010221e-10)
        let sp = 8.33333333332248946124e-03 + z * (-1.98412698298579493134e-04 + z * sr)
        let sinX = x + (x * z) * (-1.66666666666666324348e-01 + z * sp)
        // fdlibm __kernel_cos (y = 0): w + (((1 − w) − hz) + z·r) with hz = z/2, w = 1 − hz.
        let cr = -2.75573143513906633035e-07 + z * (2.08757232129817482790e-09 + z * -1.13596475577881948265e-11)
        let cp = z * (4.16666666666666019037e-02 + z * (-1.38888888888741095749e-03 + z * (2.48015872894767294178e-05 + z * cr)))
        let hz = 0.5 * z
        let w = 1 - hz
        let cosX = w + (((1 - w) - hz) + z * cp)
        // sin(θ + kπ/2), cos(θ + kπ/2): odd k swaps; sin negated for k = 2, 3; cos for k = 1, 2.
        let swap = (quadrant & 1) .!= 0
        let s = sinX.replacing(with: cosX, where: swap)
        let c = cosX.replacing(with: sinX, where: swap)
        let sinSign = (quadrant & 2) &<< 62
        let cosSign = ((quadrant &+ 1) & 2) &<< 62
        return (unsafeBitCast(unsafeBitCast(s, to: Bits.self) ^ sinSign, to: Lanes.self),
                unsafeBitCast(unsafeBitCast(c, to: Bits.self) ^ cosSign, to: Lanes.self))
    }
}
