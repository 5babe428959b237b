// Lookup tables that let Box–Muller skip the division of a log and the quadrant logic of a
// sine: 128 (1/c, ln c) pairs for the logarithm and 1024 (sin, cos) pairs of 2πk/1024.
//
// Both are computed once from PolicyLab's own IEEE-exact polynomial kernels (never from
// libm), so every machine builds bit-identical tables and draws identical variates.
import LinearAlgebra
import RandomKernels

/// The tables, in one allocation that lives as long as the process.
struct BoxMullerTables: @unchecked Sendable {
    /// log table: entry j is (1/c_j, ln c_j) for the j-th of 128 slices of [√½, √2);
    /// sincos table: entry k is (sin 2πk/1024, cos 2πk/1024). Pairs are adjacent so one
    /// 16-byte load fetches both. Immutable after `init`.
    let log: UnsafeMutablePointer<Double>
    let sinCos: UnsafeMutablePointer<Double>

    static let logIndexShift = boxMullerLogIndexShift
    static let sqrtHalfBits = boxMullerSqrtHalfBits
    static let sinCosEntries = boxMullerSinCosEntries

    static let shared = BoxMullerTables()

    /// The log table as the kernels read it.
    var logTable: UnsafePointer<Double> { UnsafePointer(log) }
    /// The sine/cosine table as the kernels read it.
    var sinCosTable: UnsafePointer<Double> { UnsafePointer(sinCos) }

    private init() {
        log = .allocate(capacity: 2 * boxMullerLogEntries)
        sinCos = .allocate(capacity: 2 * Self.sinCosEntries)
        let inverses = (0..<128).map { j -> Double in
            let low = Double(bitPattern: (UInt64(j) << Self.logIndexShift) &+ Self.sqrtHalfBits)
            let high = Double(bitPattern: (UInt64(j + 1) << Self.logIndexShift) &+ Self.sqrtHalfBits)
            // The slice holding 1 uses c = 1 exactly, so r = m − 1 is exact near u = 1.
            let center = (low <= 1 && 1 < high) ? 1 : (low + high) / 2
            return 1 / center
        }
        // LinearAlgebra's vector log (within 1 ulp of glibc, IEEE arithmetic only), so the
        // table does not depend on the platform's libm.
        let logs = VectorKernels.log(inverses)
        for j in 0..<128 {
            log[2 * j] = inverses[j]
            log[2 * j + 1] = -logs[j]
        }
        for k in 0..<Self.sinCosEntries {
            let (s, c) = SinCos2PiLanes.sinCos(DoubleLanes(repeating: Double(k) / Double(Self.sinCosEntries)))
            sinCos[2 * k] = s[0]
            sinCos[2 * k + 1] = c[0]
        }
    }
}
