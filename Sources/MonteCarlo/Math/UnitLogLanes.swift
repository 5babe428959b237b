// A lane-wise natural logarithm for positive normal doubles (no special-case path), used
// to build `BoxMullerTables` (ln c of each log slice) from IEEE arithmetic only.
//
// Same reduction and coefficients as LinearAlgebra's `ElementwiseMathLanes.Log.reduced`
// (within 2 ulp of glibc; that kernel is internal to LinearAlgebra and only its array
// form is public, which would cost an extra pass over memory here): x = 2^k·m with m in
// [√½, √2), f = m − 1, s = f/(2 + f), log m = f − f²/2 + s(f²/2 + R(s²)).

enum UnitLogLanes {
    typealias Lanes = DoubleLanes
    typealias Bits = WordLanes

    /// log x for positive, normal, finite x in every lane (other inputs give garbage).
    @inline(__always)
    static func log(_ x: Lanes) -> Lanes {
        let sqrtHalfBits: UInt64 = 0x3FE6_A09E_667F_3BCD
        let ix = unsafeBitCast(x, to: Bits.self) &+ ((1.0).bitPattern &- sqrtHalfBits)
        let kField = ix &>> 52
        let k = unsafeBitCast(kField | (0x1p52).bitPattern, to: Lanes.self) - (0x1p52 + 1023)
        let m = unsafeBitCast((ix & 0x000F_FFFF_FFFF_FFFF) &+ sqrtHalfBits, to: Lanes.self)
        let f = m - 1
        let s = f / (2 + f)
        let z = s * s
        let z2 = z * z
        let q01 = z * 0x1.999999998af29p-2 + 0x1.555555555556bp-1
        let q23 = z * 0x1.c71c5864fadc7p-3 + 0x1.249249394b788p-2
        let q45 = z * 0x1.39be9e1f29369p-3 + 0x1.74650b74acfe2p-3
        let q46 = z2 * 0x1.2df381caac239p-3 + q45
        let q = (q46 * z2 + q23) * z2 + q01
        let halfF2 = 0.5 * f * f
        let ln2Hi: Double = 0x1.62e42fee00000p-1
        let ln2Lo: Double = 0x1.a39ef35793c76p-33
        return k * ln2Hi - ((halfF2 - (s * (halfF2 + z * q) + k * ln2Lo)) - f)
    }
}
