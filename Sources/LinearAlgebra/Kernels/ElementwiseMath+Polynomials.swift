// SIMD cores behind `VectorKernels.exp`, `.log` and `.logistic`.
//
// Everything here works on one `ElementwiseMathLanes.Lanes` vector at a time
// with add, multiply, divide, compare/select and 64-bit integer add/and/or/
// shift only, so it lowers to plain SSE2 on the default x86-64 target. No
// `addingProduct`/FMA: without `-mfma` that is a libm call per lane.
//
// Each function has a short path for ordinary inputs and a branch-free masked
// path for every input (overflow, subnormals, ±0, ±inf, NaN); one predictable
// branch per vector picks between them (see `apply`).
//
// The polynomial coefficients were fitted for this file by a weighted Remez
// exchange in 60-digit arithmetic (mpmath), then rounded to Double; the
// comments give the approximation error with the rounded coefficients.

/// A lane-wise function with a short path and a path for every input.
protocol ElementwiseLaneKernel {
    /// Value for the unused lanes of the last, partial vector.
    static var pad: Double { get }
    /// Lanes whose top bit is set need `full`; all others may use `fast`.
    static func outside(_ x: ElementwiseMathLanes.Lanes) -> ElementwiseMathLanes.Bits
    static func fast(_ x: ElementwiseMathLanes.Lanes) -> ElementwiseMathLanes.Lanes
    static func full(_ x: ElementwiseMathLanes.Lanes) -> ElementwiseMathLanes.Lanes
}

enum ElementwiseMathLanes {
    /// Eight doubles (four SSE2 registers) per step: measured 13-17% faster
    /// than 4 (more independent work in flight) and as fast as 16.
    typealias Lanes = SIMD8<Double>
    /// Same-size integer view of `Lanes`, for exponent-field arithmetic.
    typealias Bits = SIMD8<UInt64>

    @inline(__always)
    static func bits(_ x: Lanes) -> Bits { unsafeBitCast(x, to: Bits.self) }

    @inline(__always)
    static func double(_ b: Bits) -> Lanes { unsafeBitCast(b, to: Lanes.self) }

    /// Whether any lane has its top bit set. Range checks are written as
    /// integer arithmetic because LLVM turns floating-point ones into
    /// emulated 64-bit integer compares on SSE2.
    @inline(__always)
    static func anySignBit(_ w: Bits) -> Bool {
        var any: UInt64 = 0
        for i in w.indices { any |= w[i] }
        return any >> 63 != 0
    }

    /// ln 2 = ln2Hi + ln2Lo; ln2Hi has 32 significant bits, so k * ln2Hi is
    /// exact for every |k| < 2^21.
    static let ln2Hi: Double = 0x1.62e42fee00000p-1
    static let ln2Lo: Double = 0x1.a39ef35793c76p-33
    /// 1.5 * 2^52: adding it rounds to an integer that then sits in the low
    /// bits of the sum.
    static let shifter: Double = 0x1.8p52

    // MARK: exp

    /// e^x: x = k ln2 + r with |r| <= ln2/2 (Cody–Waite), e^r = 1 + r + r^2 g(r)
    /// with g of degree 9 (relative error of the fit 8e-18, 0.07 ulp), then a
    /// scale by 2^k built in the exponent field.
    enum Exp: ElementwiseLaneKernel {
        static var pad: Double { 0 }

        /// |x| > 708 or NaN: bits(708) - bits(|x|) goes negative.
        @inline(__always)
        static func outside(_ x: Lanes) -> Bits {
            (708.0).bitPattern &- (bits(x) & 0x7fff_ffff_ffff_ffff)
        }

        /// |x| <= 708: 2^k and the result are normal doubles.
        @inline(__always)
        static func fast(_ x: Lanes) -> Lanes {
            let (m, t) = reduced(x)
            return m * double((bits(t) &- (shifter.bitPattern &- 1023)) &<< 52)
        }

        /// Any x: clamps, scales by 2^k in two normal steps (so the only
        /// rounding is the last one: gradual underflow, or overflow to +inf)
        /// and passes NaN through. Equal to `fast` wherever both apply.
        @inline(__always)
        static func full(_ x: Lanes) -> Lanes {
            // Keeps |k| <= 1587; e^x is finite and nonzero only for |x| < 746.
            // NaN fails both comparisons and is put back at the end.
            var xc = x.replacing(with: 1100, where: x .> 1100)
            xc = xc.replacing(with: -1100, where: xc .< -1100)
            let (m, t) = reduced(xc)
            // With biased = k + 2048 > 0: h = biased / 2 = k1 + 1024, k2 = k - k1.
            let biased = bits(t) &- (shifter.bitPattern &- 2048)
            let h = biased &>> 1
            let scale1 = double((h &- 1) &<< 52)
            let scale2 = double((biased &- h &- 1) &<< 52)
            return ((m * scale1) * scale2).replacing(with: x, where: x .!= x)
        }

        /// m = e^r with r = x - k ln2, and t = shifter + k.
        @inline(__always)
        static func reduced(_ x: Lanes) -> (m: Lanes, t: Lanes) {
            let t = x * 0x1.71547652b82fep0 + shifter
            let k = t - shifter
            let r = (x - k * ln2Hi) - k * ln2Lo
            // g(r) = (e^r - 1 - r) / r^2 by Estrin's scheme.
            let r2 = r * r
            let r4 = r2 * r2
            let p01 = r * 0x1.5555555555516p-3 + 0x1.0000000000003p-1
            let p23 = r * 0x1.11111111242bfp-7 + 0x1.55555555529c4p-5
            let p45 = r * 0x1.a01a012fd5c8bp-13 + 0x1.6c16c17dbcf46p-10
            let p67 = r * 0x1.71df30820d08bp-19 + 0x1.a019a9bc9150ap-16
            let p89 = r * 0x1.ad50b1472aabdp-26 + 0x1.28a03683dc7a5p-22
            let p03 = p23 * r2 + p01
            let p47 = p67 * r2 + p45
            let p07 = p47 * r4 + p03
            let g = p89 * (r4 * r4) + p07
            return (1 + (r + r2 * g), t)
        }
    }

    // MARK: log

    /// log x: x = 2^k m with m in [sqrt(1/2), sqrt(2)); with f = m - 1 and
    /// s = f / (2 + f), log m = 2 atanh(s) = f - f^2/2 + s (f^2/2 + R) where
    /// R = s^2 q(s^2), q of degree 6 (relative error of the fit 2e-18).
    enum Log: ElementwiseLaneKernel {
        static var pad: Double { 1 }

        /// Not (positive, normal, finite). With b = bits(x), those are exactly
        /// 0x0010... <= b < 0x7ff0...: b - 0x0010... is negative for +0,
        /// subnormals and most negatives, b + 0x0010... for +inf, NaN and the
        /// remaining negatives.
        @inline(__always)
        static func outside(_ x: Lanes) -> Bits {
            let b = bits(x)
            return (b &- 0x0010_0000_0000_0000) | (b &+ 0x0010_0000_0000_0000)
        }

        @inline(__always)
        static func fast(_ x: Lanes) -> Lanes { reduced(x, exponentAdjust: .zero) }

        /// Any x: subnormals scaled by 2^54 first; log(±0) = -inf, log of a
        /// negative = NaN, log(+inf) = +inf, NaN passes through. Equal to
        /// `fast` wherever both apply.
        @inline(__always)
        static func full(_ x: Lanes) -> Lanes {
            let tiny = x .< 0x1p-1022
            let scaled = x.replacing(with: x * 0x1p54, where: tiny)
            let adjust = Lanes.zero.replacing(with: 54, where: tiny)
            var y = reduced(scaled, exponentAdjust: adjust)
            y = y.replacing(with: -.infinity, where: x .== 0)
            y = y.replacing(with: .nan, where: x .< 0)
            return y.replacing(with: x, where: (x .== .infinity) .| (x .!= x))
        }

        /// log(x) - exponentAdjust * ln 2 for positive normal finite x.
        @inline(__always)
        static func reduced(_ x: Lanes, exponentAdjust: Lanes) -> Lanes {
            // Offset the bits so that the exponent field of ix is the k that
            // puts m in [sqrt(1/2), sqrt(2)).
            let sqrtHalfBits: UInt64 = 0x3fe6_a09e_667f_3bcd
            let ix = bits(x) &+ ((1.0).bitPattern &- sqrtHalfBits)
            // Biased k (0...2047) to Double without a per-lane conversion:
            // the bit pattern 0x4330... | n is the double 2^52 + n.
            let kField = ix &>> 52
            let k = (double(kField | (0x1p52).bitPattern) - (0x1p52 + 1023)) - exponentAdjust
            let m = double((ix & 0x000f_ffff_ffff_ffff) &+ sqrtHalfBits)

            let f = m - 1
            let s = f / (2 + f)
            let z = s * s
            // q(z) by Estrin's scheme.
            let z2 = z * z
            let q01 = z * 0x1.999999998af29p-2 + 0x1.555555555556bp-1
            let q23 = z * 0x1.c71c5864fadc7p-3 + 0x1.249249394b788p-2
            let q45 = z * 0x1.39be9e1f29369p-3 + 0x1.74650b74acfe2p-3
            let q46 = z2 * 0x1.2df381caac239p-3 + q45
            let q = (q46 * z2 + q23) * z2 + q01
            let halfF2 = 0.5 * f * f
            return k * ln2Hi - ((halfF2 - (s * (halfF2 + z * q) + k * ln2Lo)) - f)
        }
    }

    // MARK: logistic

    /// 1 / (1 + e^-x) in the form that never divides two large numbers: with
    /// e = e^-|x| in [0, 1], 1 / (1 + e) for x >= 0 and e / (1 + e) for x < 0.
    enum Logistic: ElementwiseLaneKernel {
        static var pad: Double { 0 }

        @inline(__always)
        static func outside(_ x: Lanes) -> Bits { Exp.outside(x) }

        @inline(__always)
        static func fast(_ x: Lanes) -> Lanes { combine(x, Exp.fast(-magnitude(x))) }

        @inline(__always)
        static func full(_ x: Lanes) -> Lanes { combine(x, Exp.full(-magnitude(x))) }

        @inline(__always)
        static func combine(_ x: Lanes, _ e: Lanes) -> Lanes {
            e.replacing(with: 1, where: x .>= 0) / (1 + e)
        }

        @inline(__always)
        static func magnitude(_ x: Lanes) -> Lanes {
            double(bits(x) & 0x7fff_ffff_ffff_ffff)
        }
    }

    // MARK: driver

    /// Applies `K` to `source`, writing `destination` (equal counts; the two
    /// may be the same memory).
    ///
    /// Each vector of 8 runs `K.fast` unless `K.outside` flags a lane, then
    /// `K.full` (a single, well-predicted branch per vector; scanning blocks
    /// first to get a branch-free loop measured up to 15% slower). The last
    /// `count % 8` elements are padded with `K.pad` into one vector that runs
    /// `K.full`, and only the valid lanes are written back.
    @inline(__always)
    static func apply<K: ElementwiseLaneKernel>(
        _ source: UnsafeBufferPointer<Double>,
        _ destination: UnsafeMutableBufferPointer<Double>,
        _: K.Type
    ) {
        assert(source.count == destination.count, "source and destination counts differ")
        let n = Swift.min(source.count, destination.count)
        guard n > 0, let src = source.baseAddress, let dst = destination.baseAddress else {
            return
        }
        @inline(__always) func load(_ i: Int) -> Lanes {
            UnsafeRawPointer(src + i).loadUnaligned(as: Lanes.self)
        }
        @inline(__always) func store(_ v: Lanes, _ i: Int) {
            UnsafeMutableRawPointer(dst + i).storeBytes(of: v, as: Lanes.self)
        }
        let width = Lanes.scalarCount
        let wholeEnd = n - n % width
        for i in stride(from: 0, to: wholeEnd, by: width) {
            let v = load(i)
            store(_fastPath(!anySignBit(K.outside(v))) ? K.fast(v) : K.full(v), i)
        }
        if wholeEnd < n {
            var v = Lanes(repeating: K.pad)
            for j in 0..<(n - wholeEnd) { v[j] = src[wholeEnd + j] }
            let y = K.full(v)
            for j in 0..<(n - wholeEnd) { dst[wholeEnd + j] = y[j] }
        }
    }
}
