// The lane-wise Box–Muller transform of two 32-bit words per lane, with table-driven
// logarithm and sine/cosine (laid out as BoxMullerLayout.swift describes).
//
// Accuracy (against 50-digit references in the tests): ln u₁ within 2·10⁻¹⁶ absolute,
// sin/cos within 2·10⁻¹⁶ absolute, the radius within 1 ulp of √ of the computed log. The
// variates are exact functions of 32-bit inputs, so these errors are far below the
// 2⁻³² grid that limits them anyway (see RandomAddress+Philox.swift).

/// Loads table entries (a pair of doubles each) at `index` per lane; indices must be
/// within the table (the callers derive them from masked bit fields).
@inline(__always)
func boxMullerGather(_ table: UnsafePointer<Double>, _ index: WordLanes) -> (DoubleLanes, DoubleLanes) {
    let raw = UnsafeRawPointer(table)
    var first = DoubleLanes(), second = DoubleLanes()
    for lane in 0..<DoubleLanes.scalarCount {
        let entry = raw.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: index[lane]) &* 16, as: SIMD2<Double>.self)
        first[lane] = entry.x
        second[lane] = entry.y
    }
    return (first, second)
}

/// ln x for positive normal finite x: x = 2^k·m, m in [√½, √2) falls in one of 128
/// slices with centre c; r = m·(1/c) − 1 (|r| ≤ 2⁻⁷; exactly m − 1 in the slice of 1) and
/// ln x = k ln 2 + ln c + log1p(r), log1p by its Taylor series to r⁷ (error < r⁸/8).
@inline(__always)
public func boxMullerLog(_ x: DoubleLanes, _ table: UnsafePointer<Double>) -> DoubleLanes {
    let sqrtHalfBits = boxMullerSqrtHalfBits
    let ix = unsafeBitCast(x, to: WordLanes.self) &+ ((1.0).bitPattern &- sqrtHalfBits)
    let k = unsafeBitCast((ix &>> 52) | (0x1p52).bitPattern, to: DoubleLanes.self) - (0x1p52 + 1023)
    let offset = ix & 0x000F_FFFF_FFFF_FFFF
    let m = unsafeBitCast(offset &+ sqrtHalfBits, to: DoubleLanes.self)
    let (inverse, logC) = boxMullerGather(table, offset &>> boxMullerLogIndexShift)
    let r = m * inverse - 1
    let r2 = r * r
    let a2: Double = -0.5, a3: Double = 1.0 / 3, a4: Double = -0.25, a5: Double = 0.2
    let a6: Double = -1.0 / 6, a7: Double = 1.0 / 7
    let tail: DoubleLanes = (a4 + r * a5) + r2 * (a6 + r * a7)
    let head: DoubleLanes = a2 + r * a3
    let p: DoubleLanes = r + r2 * (head + r2 * tail)
    let ln2Hi: Double = 0x1.62e42fee00000p-1
    let ln2Lo: Double = 0x1.a39ef35793c76p-33
    return k * ln2Hi + (logC + (p + k * ln2Lo))
}

/// (sin 2πu, cos 2πu) for u = b·2⁻³², b a 32-bit word per lane: 2πu = 2πq/1024 + θ with
/// q = b >> 22 from the table and θ = 2π(b mod 2²²)·2⁻³² in [0, 2π/1024) by Taylor series
/// (sin to θ⁵, cos to θ⁴: truncation errors below 8·10⁻¹⁷), then angle addition.
@inline(__always)
public func boxMullerSinCos(_ b: WordLanes, _ table: UnsafePointer<Double>) -> (sin: DoubleLanes, cos: DoubleLanes) {
    let (sinQ, cosQ) = boxMullerGather(table, b &>> (32 - boxMullerSinCosIndexBits))
    let lowMask = WordLanes(repeating: (1 << (32 - boxMullerSinCosIndexBits)) - 1)
    let low = unsafeBitCast((b & lowMask) | (0x1p52).bitPattern, to: DoubleLanes.self) - 0x1p52
    let theta = low * (6.283185307179586 * 0x1p-32)
    let t2 = theta * theta
    let s3: Double = -1.0 / 6, s5: Double = 1.0 / 120
    let c2: Double = -0.5, c4: Double = 1.0 / 24
    let sinPoly: DoubleLanes = s3 + t2 * s5
    let sinT: DoubleLanes = theta + (theta * t2) * sinPoly
    let cosPoly: DoubleLanes = c2 + t2 * c4
    let cosTm1: DoubleLanes = t2 * cosPoly
    let sinOut: DoubleLanes = sinQ + (sinQ * cosTm1 + cosQ * sinT)
    let cosOut: DoubleLanes = cosQ + (cosQ * cosTm1 - sinQ * sinT)
    return (sinOut, cosOut)
}

/// The Box–Muller pair of two 32-bit words per lane: u₁ = (2³² − a)·2⁻³² in (0, 1] and
/// u₂ = b·2⁻³² in [0, 1) give (√(−2 ln u₁)·cos 2πu₂, √(−2 ln u₁)·sin 2πu₂).
@inline(__always)
public func boxMullerPairLanes(
    _ a: WordLanes, _ b: WordLanes, logTable: UnsafePointer<Double>, sinCosTable: UnsafePointer<Double>
) -> (cos: DoubleLanes, sin: DoubleLanes) {
    let aDouble = unsafeBitCast(a | (0x1p52).bitPattern, to: DoubleLanes.self) - 0x1p52
    let u1 = (0x1p32 - aDouble) * 0x1p-32
    let radius = squareRootLanes(-2 * boxMullerLog(u1, logTable))
    let (s, c) = boxMullerSinCos(b, sinCosTable)
    return (radius * c, radius * s)
}
