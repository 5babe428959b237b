// The AVX-512 Gram kernels behind `Matrix.gram` and its fused variants for tall X of up to 256
// columns.
//
// This module is compiled only for `skylake-avx512` (AVX-512 F/CD/BW/DQ/VL) on x86-64; callers
// in LinearAlgebra enter it only when `policylab_cpu_supports_avx512()` says the processor and
// the operating system run such code (`GramKernelDispatch`). Like RandomKernelsAVX2 it declares
// no types, only free functions, so that it defines no weak symbols a baseline caller could
// end up running (scripts/check-kernel-symbols).
//
// Why a hand-written kernel: on tall X, OpenBLAS 0.3.21's gemms over row panels (small ones
// below 48 columns) ran well under the machine's peak and left the next panel's memory latency
// exposed, so each pass over X cost its read *plus* its arithmetic. Here each 4 × 4 block of the
// lower triangle accumulates over a panel's rows in 16 registers of eight lanes (one row per
// lane), and the loop prefetches the next panel's rows into L2, so the read overlaps the
// arithmetic. A weighted Gram XᵀWX multiplies the row weights into the four left columns inside
// the tile (no scaled copy of X is written).
//
// Summation order, which fixes the bits: entry (i, j), j ≤ i, adds the terms xᵢ·xⱼ — or
// (wᵣ·xᵢ)·xⱼ with weights — lane by lane: lane l takes the rows r ≡ l (mod 8) of a panel in
// increasing order, starting from zero; each panel's lanes are then added to the caller's lane
// accumulators in panel order, and the caller reduces the eight lanes as
// ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)). A multiply and an add are never fused
// (Swift does not contract them). Which tile computes an entry does not change its order.

import CPUFeatures

/// Eight lanes of doubles: one AVX-512 register.
public typealias GramLanes = SIMD8<Double>

/// The index of entry (i, j), j ≤ i, of a k × k lower triangle stored row by row.
@inline(__always)
public func lowerTriangleIndex(_ i: Int, _ j: Int) -> Int { i &* (i &+ 1) / 2 &+ j }

@inline(__always)
func lanes(_ column: UnsafePointer<Double>, _ row: Int) -> GramLanes {
    UnsafeRawPointer(column + row).loadUnaligned(as: GramLanes.self)
}

/// Prefetches into L2 the lines of two columns at `min(row, last)` (pointers already shifted to
/// the next panel), so that no address lies past the data. L2, not L1: the next panel does not
/// fit in L1 beside the one being summed (prefetching into L1 made XᵀX of 5·10⁶ × 20 take 41
/// instead of 34 ms).
@inline(__always)
func prefetchLines(_ first: UnsafePointer<Double>, _ second: UnsafePointer<Double>, _ row: Int, _ last: Int) {
    let at = row < last ? row : last
    policylab_prefetch(first + at)
    policylab_prefetch(second + at)
}

/// Adds a tile row's four sums to entries (i, j…j+3) of the lane accumulators (j + 3 ≤ i).
@inline(__always)
func addRow(_ accumulators: UnsafeMutablePointer<GramLanes>, _ i: Int, _ j: Int,
            _ s0: GramLanes, _ s1: GramLanes, _ s2: GramLanes, _ s3: GramLanes) {
    let first = lowerTriangleIndex(i, j)
    accumulators[first] += s0
    accumulators[first &+ 1] += s1
    accumulators[first &+ 2] += s2
    accumulators[first &+ 3] += s3
}

/// Rows [r0, r1) (a multiple of 8 apart) of columns i…i+3 (times the weights when `weighted`)
/// against columns j…j+3, a block left of the diagonal (j + 3 < i).
@inline(__always)
func tile4x4(_ c: UnsafePointer<UnsafePointer<Double>>, _ i: Int, _ j: Int, _ r0: Int, _ r1: Int,
             _ weights: UnsafePointer<Double>, _ weighted: Bool,
             _ accumulators: UnsafeMutablePointer<GramLanes>,
             _ prefetch0: UnsafePointer<Double>, _ prefetch1: UnsafePointer<Double>, _ prefetchLast: Int) {
    let a0 = c[i], a1 = c[i &+ 1], a2 = c[i &+ 2], a3 = c[i &+ 3]
    let b0 = c[j], b1 = c[j &+ 1], b2 = c[j &+ 2], b3 = c[j &+ 3]
    var s00 = GramLanes(), s01 = GramLanes(), s02 = GramLanes(), s03 = GramLanes()
    var s10 = GramLanes(), s11 = GramLanes(), s12 = GramLanes(), s13 = GramLanes()
    var s20 = GramLanes(), s21 = GramLanes(), s22 = GramLanes(), s23 = GramLanes()
    var s30 = GramLanes(), s31 = GramLanes(), s32 = GramLanes(), s33 = GramLanes()
    var r = r0
    while r < r1 {
        prefetchLines(prefetch0, prefetch1, r, prefetchLast)
        var x0 = lanes(a0, r), x1 = lanes(a1, r), x2 = lanes(a2, r), x3 = lanes(a3, r)
        if weighted {
            let w = lanes(weights, r)
            x0 = w * x0; x1 = w * x1; x2 = w * x2; x3 = w * x3
        }
        var y = lanes(b0, r)
        s00 += x0 * y; s10 += x1 * y; s20 += x2 * y; s30 += x3 * y
        y = lanes(b1, r)
        s01 += x0 * y; s11 += x1 * y; s21 += x2 * y; s31 += x3 * y
        y = lanes(b2, r)
        s02 += x0 * y; s12 += x1 * y; s22 += x2 * y; s32 += x3 * y
        y = lanes(b3, r)
        s03 += x0 * y; s13 += x1 * y; s23 += x2 * y; s33 += x3 * y
        r &+= 8
    }
    addRow(accumulators, i, j, s00, s01, s02, s03)
    addRow(accumulators, i &+ 1, j, s10, s11, s12, s13)
    addRow(accumulators, i &+ 2, j, s20, s21, s22, s23)
    addRow(accumulators, i &+ 3, j, s30, s31, s32, s33)
}

/// Rows [r0, r1) of columns i…i+4 (times the weights when `weighted`) against columns j…j+3
/// (j + 3 < i): the last group of rows when k = 4q + 1, so that its fifth row does not need
/// tiles of one row (five loads for four products).
@inline(__always)
func tile5x4(_ c: UnsafePointer<UnsafePointer<Double>>, _ i: Int, _ j: Int, _ r0: Int, _ r1: Int,
             _ weights: UnsafePointer<Double>, _ weighted: Bool,
             _ accumulators: UnsafeMutablePointer<GramLanes>,
             _ prefetch0: UnsafePointer<Double>, _ prefetch1: UnsafePointer<Double>, _ prefetchLast: Int) {
    let a0 = c[i], a1 = c[i &+ 1], a2 = c[i &+ 2], a3 = c[i &+ 3], a4 = c[i &+ 4]
    let b0 = c[j], b1 = c[j &+ 1], b2 = c[j &+ 2], b3 = c[j &+ 3]
    var s00 = GramLanes(), s01 = GramLanes(), s02 = GramLanes(), s03 = GramLanes()
    var s10 = GramLanes(), s11 = GramLanes(), s12 = GramLanes(), s13 = GramLanes()
    var s20 = GramLanes(), s21 = GramLanes(), s22 = GramLanes(), s23 = GramLanes()
    var s30 = GramLanes(), s31 = GramLanes(), s32 = GramLanes(), s33 = GramLanes()
    var s40 = GramLanes(), s41 = GramLanes(), s42 = GramLanes(), s43 = GramLanes()
    var r = r0
    while r < r1 {
        prefetchLines(prefetch0, prefetch1, r, prefetchLast)
        var x0 = lanes(a0, r), x1 = lanes(a1, r), x2 = lanes(a2, r), x3 = lanes(a3, r), x4 = lanes(a4, r)
        if weighted {
            let w = lanes(weights, r)
            x0 = w * x0; x1 = w * x1; x2 = w * x2; x3 = w * x3; x4 = w * x4
        }
        var y = lanes(b0, r)
        s00 += x0 * y; s10 += x1 * y; s20 += x2 * y; s30 += x3 * y; s40 += x4 * y
        y = lanes(b1, r)
        s01 += x0 * y; s11 += x1 * y; s21 += x2 * y; s31 += x3 * y; s41 += x4 * y
        y = lanes(b2, r)
        s02 += x0 * y; s12 += x1 * y; s22 += x2 * y; s32 += x3 * y; s42 += x4 * y
        y = lanes(b3, r)
        s03 += x0 * y; s13 += x1 * y; s23 += x2 * y; s33 += x3 * y; s43 += x4 * y
        r &+= 8
    }
    addRow(accumulators, i, j, s00, s01, s02, s03)
    addRow(accumulators, i &+ 1, j, s10, s11, s12, s13)
    addRow(accumulators, i &+ 2, j, s20, s21, s22, s23)
    addRow(accumulators, i &+ 3, j, s30, s31, s32, s33)
    addRow(accumulators, i &+ 4, j, s40, s41, s42, s43)
}

/// Rows [r0, r1) of columns i…i+3 (times the weights when `weighted`) against themselves: the
/// ten entries of a diagonal block's lower triangle only (a 4 × 4 tile would compute 16).
@inline(__always)
func diagonalTile4(_ c: UnsafePointer<UnsafePointer<Double>>, _ i: Int, _ r0: Int, _ r1: Int,
                   _ weights: UnsafePointer<Double>, _ weighted: Bool,
                   _ accumulators: UnsafeMutablePointer<GramLanes>,
                   _ prefetch0: UnsafePointer<Double>, _ prefetch1: UnsafePointer<Double>, _ prefetchLast: Int) {
    let a0 = c[i], a1 = c[i &+ 1], a2 = c[i &+ 2], a3 = c[i &+ 3]
    var s00 = GramLanes(), s10 = GramLanes(), s11 = GramLanes(), s20 = GramLanes(), s21 = GramLanes()
    var s22 = GramLanes(), s30 = GramLanes(), s31 = GramLanes(), s32 = GramLanes(), s33 = GramLanes()
    var r = r0
    while r < r1 {
        prefetchLines(prefetch0, prefetch1, r, prefetchLast)
        let y0 = lanes(a0, r), y1 = lanes(a1, r), y2 = lanes(a2, r), y3 = lanes(a3, r)
        var x0 = y0, x1 = y1, x2 = y2, x3 = y3
        if weighted {
            let w = lanes(weights, r)
            x0 = w * x0; x1 = w * x1; x2 = w * x2; x3 = w * x3
        }
        s00 += x0 * y0
        s10 += x1 * y0; s11 += x1 * y1
        s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2
        s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3
        r &+= 8
    }
    accumulators[lowerTriangleIndex(i, i)] += s00
    accumulators[lowerTriangleIndex(i &+ 1, i)] += s10; accumulators[lowerTriangleIndex(i &+ 1, i &+ 1)] += s11
    accumulators[lowerTriangleIndex(i &+ 2, i)] += s20; accumulators[lowerTriangleIndex(i &+ 2, i &+ 1)] += s21
    accumulators[lowerTriangleIndex(i &+ 2, i &+ 2)] += s22
    accumulators[lowerTriangleIndex(i &+ 3, i)] += s30; accumulators[lowerTriangleIndex(i &+ 3, i &+ 1)] += s31
    accumulators[lowerTriangleIndex(i &+ 3, i &+ 2)] += s32; accumulators[lowerTriangleIndex(i &+ 3, i &+ 3)] += s33
}

/// Rows [r0, r1) of column i (times the weights when `weighted`) against columns j…j+3 (j + 3 ≤ i).
@inline(__always)
func tile1x4(_ c: UnsafePointer<UnsafePointer<Double>>, _ i: Int, _ j: Int, _ r0: Int, _ r1: Int,
             _ weights: UnsafePointer<Double>, _ weighted: Bool, _ accumulators: UnsafeMutablePointer<GramLanes>) {
    let a = c[i], b0 = c[j], b1 = c[j &+ 1], b2 = c[j &+ 2], b3 = c[j &+ 3]
    var s0 = GramLanes(), s1 = GramLanes(), s2 = GramLanes(), s3 = GramLanes()
    var r = r0
    while r < r1 {
        var x = lanes(a, r)
        if weighted { x = lanes(weights, r) * x }
        s0 += x * lanes(b0, r); s1 += x * lanes(b1, r); s2 += x * lanes(b2, r); s3 += x * lanes(b3, r)
        r &+= 8
    }
    addRow(accumulators, i, j, s0, s1, s2, s3)
}

/// Rows [r0, r1) of column i (times the weights when `weighted`) against column j.
@inline(__always)
func tile1x1(_ c: UnsafePointer<UnsafePointer<Double>>, _ i: Int, _ j: Int, _ r0: Int, _ r1: Int,
             _ weights: UnsafePointer<Double>, _ weighted: Bool, _ accumulators: UnsafeMutablePointer<GramLanes>) {
    let a = c[i], b = c[j]
    var s = GramLanes()
    var r = r0
    while r < r1 {
        var x = lanes(a, r)
        if weighted { x = lanes(weights, r) * x }
        s += x * lanes(b, r)
        r &+= 8
    }
    accumulators[lowerTriangleIndex(i, j)] += s
}

/// Adds the lower triangle of AᵀA — or AᵀWA for W = diag(`weights`) — over rows [r0, r1) of the
/// k columns `columns[0..<k]` to `accumulators` (k(k+1)/2 lane vectors, `lowerTriangleIndex`
/// order; see the file comment for the order of the sums). Rows past the last multiple of 8
/// enter through zero-padded lanes.
///
/// While it computes, it prefetches row `r + prefetchShift` (at most `prefetchLast`) of the
/// `prefetchCount` columns `prefetchColumns` for every row r: the next panel of the data, so
/// that its read overlaps this panel's arithmetic. `prefetchCount` 0 prefetches nothing.
/// - Precondition: k ≥ 1, r0 ≤ r1, every column (and `weights`) readable on [r0, r1).
/// - Complexity: about (k + 4)²/2 · (r1 − r0) multiply–adds for k ≥ 4 (plus k·(r1 − r0)
///   multiplies with weights); no allocation.
public func accumulateLowerGram(
    columns: UnsafePointer<UnsafePointer<Double>>, count k: Int, rows r0: Int, _ r1: Int,
    weights: UnsafePointer<Double>?, into accumulators: UnsafeMutablePointer<GramLanes>,
    prefetchColumns: UnsafePointer<UnsafePointer<Double>>, prefetchCount: Int, prefetchShift: Int, prefetchLast: Int
) {
    // Two copies of the loops, specialized for a constant `weighted`.
    if let weights {
        lowerGramLoops(columns, k, r0, r1, weights, true, accumulators, prefetchColumns, prefetchCount, prefetchShift, prefetchLast)
    } else {
        lowerGramLoops(columns, k, r0, r1, columns[0], false, accumulators, prefetchColumns, prefetchCount, prefetchShift, prefetchLast)
    }
}

@inline(__always)
func lowerGramLoops(
    _ columns: UnsafePointer<UnsafePointer<Double>>, _ k: Int, _ r0: Int, _ r1: Int,
    _ weights: UnsafePointer<Double>, _ weighted: Bool, _ accumulators: UnsafeMutablePointer<GramLanes>,
    _ prefetchColumns: UnsafePointer<UnsafePointer<Double>>, _ prefetchCount: Int, _ prefetchShift: Int, _ prefetchLast: Int
) {
    let full = r0 &+ (r1 &- r0) / 8 &* 8
    let quads = k / 4
    let tiles = quads &* (quads &+ 1) / 2
    // Tile t prefetches columns t and t + tiles; any column past 2·tiles is prefetched here.
    if prefetchCount > 2 &* tiles {
        for c in (2 &* tiles)..<prefetchCount {
            var r = r0
            while r < r1 {
                policylab_prefetch(prefetchColumns[c] + Swift.min(r &+ prefetchShift, prefetchLast))
                r &+= 8
            }
        }
    }
    if full > r0 {
        var t = 0
        var i = 0
        // With k = 4q + 1 the last group has five rows: its tiles left of the diagonal are 5 × 4,
        // and only the fifth row's diagonal part is left to the one-row tiles below.
        let fiveRowGroup = k % 4 == 1 && k >= 5
        var leftover = 0
        while i &+ 3 < k {
            var j = 0
            while j < i &+ 4 {
                // Without prefetching, the "prefetch" touches the tile's own current rows.
                let quiet = prefetchCount == 0
                let p0 = quiet ? columns[0] : prefetchColumns[t < prefetchCount ? t : 0]
                let p1 = quiet ? columns[0] : prefetchColumns[t &+ tiles < prefetchCount ? t &+ tiles : (t < prefetchCount ? t : 0)]
                let shift = quiet ? 0 : prefetchShift
                let last = quiet ? full &- 8 : prefetchLast &- shift
                if j == i {
                    diagonalTile4(columns, i, r0, full, weights, weighted, accumulators, p0 + shift, p1 + shift, last)
                } else if fiveRowGroup && i &+ 5 == k {
                    tile5x4(columns, i, j, r0, full, weights, weighted, accumulators, p0 + shift, p1 + shift, last)
                    leftover = j &+ 4
                } else {
                    tile4x4(columns, i, j, r0, full, weights, weighted, accumulators, p0 + shift, p1 + shift, last)
                }
                j &+= 4
                t &+= 1
            }
            i &+= 4
        }
        while i < k {
            var j = leftover
            while j &+ 3 <= i {
                tile1x4(columns, i, j, r0, full, weights, weighted, accumulators)
                j &+= 4
            }
            while j <= i {
                tile1x1(columns, i, j, r0, full, weights, weighted, accumulators)
                j &+= 1
            }
            i &+= 1
        }
    }
    if full < r1 {
        // The last r1 − r0 < 8 rows, in zero-padded lanes (the padding adds 0·0).
        let w = weighted ? paddedLanes(weights, full, r1) : GramLanes()
        for i in 0..<k {
            var a = paddedLanes(columns[i], full, r1)
            if weighted { a = w * a }
            for j in 0...i { accumulators[lowerTriangleIndex(i, j)] += a * paddedLanes(columns[j], full, r1) }
        }
    }
}

/// Rows [r0, r1) (fewer than 8) of a column in the first lanes, zeros in the others.
@inline(__always)
func paddedLanes(_ column: UnsafePointer<Double>, _ r0: Int, _ r1: Int) -> GramLanes {
    var v = GramLanes()
    var l = 0
    while r0 &+ l < r1 {
        v[l] = column[r0 &+ l]
        l &+= 1
    }
    return v
}

/// The residuals u = y − Xβ of rows [r0, r1), written to `residuals[0..<(r1 − r0)]`, and their
/// squares, written to `squares[0..<(r1 − r0)]`. Xβ is summed over j in increasing order from
/// x₀β₀, lane by lane (the same order for the rows past the last multiple of 8), 32 rows at a
/// time in registers.
/// - Precondition: k ≥ 1; every pointer valid on its range.
/// - Complexity: 2·k·(r1 − r0) flops, one read of the rows, no allocation.
public func residualsAndSquares(
    columns: UnsafePointer<UnsafePointer<Double>>, count k: Int, y: UnsafePointer<Double>, beta: UnsafePointer<Double>,
    rows r0: Int, _ r1: Int, residuals: UnsafeMutablePointer<Double>, squares: UnsafeMutablePointer<Double>
) {
    let full = r0 &+ (r1 &- r0) / 8 &* 8
    var r = r0
    // 32 rows at a time: four independent chains of adds for Xβ, kept in registers (column by
    // column sweeps through the residual slots, or one chain, took twice as long; eight chains
    // were slower again).
    while r &+ 32 <= full {
        let b0 = GramLanes(repeating: beta[0])
        let c0 = columns[0]
        var f0 = lanes(c0, r) * b0, f1 = lanes(c0, r &+ 8) * b0, f2 = lanes(c0, r &+ 16) * b0, f3 = lanes(c0, r &+ 24) * b0
        for j in 1..<k {
            let b = GramLanes(repeating: beta[j])
            let c = columns[j]
            f0 += lanes(c, r) * b; f1 += lanes(c, r &+ 8) * b; f2 += lanes(c, r &+ 16) * b; f3 += lanes(c, r &+ 24) * b
        }
        storeResiduals(y, r, f0, residuals, squares, r0)
        storeResiduals(y, r &+ 8, f1, residuals, squares, r0)
        storeResiduals(y, r &+ 16, f2, residuals, squares, r0)
        storeResiduals(y, r &+ 24, f3, residuals, squares, r0)
        r &+= 32
    }
    while r < full {
        var fitted = lanes(columns[0], r) * GramLanes(repeating: beta[0])
        for j in 1..<k { fitted += lanes(columns[j], r) * GramLanes(repeating: beta[j]) }
        storeResiduals(y, r, fitted, residuals, squares, r0)
        r &+= 8
    }
    while r < r1 {
        var fitted = columns[0][r] * beta[0]
        for j in 1..<k { fitted += columns[j][r] * beta[j] }
        let u = y[r] - fitted
        residuals[r &- r0] = u
        squares[r &- r0] = u * u
        r &+= 1
    }
}

/// u = y − fitted for the eight rows from `row`, stored in `residuals[row − r0 ...]` and squared
/// in `squares[row − r0 ...]`.
@inline(__always)
func storeResiduals(_ y: UnsafePointer<Double>, _ row: Int, _ fitted: GramLanes, _ residuals: UnsafeMutablePointer<Double>,
                    _ squares: UnsafeMutablePointer<Double>, _ r0: Int) {
    let u = lanes(y, row) - fitted
    UnsafeMutableRawPointer(residuals + (row &- r0)).storeBytes(of: u, as: GramLanes.self)
    UnsafeMutableRawPointer(squares + (row &- r0)).storeBytes(of: u * u, as: GramLanes.self)
}

/// The eight lanes of `v` summed as ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)).
@inline(__always)
public func laneSum(_ v: GramLanes) -> Double {
    ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7]))
}
