// Gram products of narrow X through the AVX-512 kernel (Sources/GramKernelsAVX512/LowerGram.swift).
import CPUFeatures
import Foundation
import GramKernelsAVX512

/// Which kernel forms the Gram products of X with 1…256 columns in `Matrix.gram`,
/// `gram(_:rowScale:)`, `gramAndTransposedProduct` and `residualsAndScaledGram`: the
/// AVX-512 lane kernel when the processor runs it and `POLICYLAB_SIMD` is not `baseline`, else
/// OpenBLAS's gemm over row panels. Read once per process.
///
/// Both are deterministic for any thread count; they sum in different orders, so their last
/// bits differ (relative differences of order 1e-15, tested). Set `POLICYLAB_SIMD=baseline` to
/// reproduce on an AVX-512 machine the bits a machine without it gives.
public enum GramKernelDispatch {
    /// The two kernels.
    public enum Kernel: String, Sendable {
        /// OpenBLAS gemm over row panels (every processor).
        case openBLAS
        /// The AVX-512 lane kernel with prefetch.
        case avx512
    }

    /// Whether this processor and operating system run the AVX-512 build.
    public static let avx512Supported: Bool = policylab_cpu_supports_avx512() != 0

    /// The kernel narrow Gram products use in this process.
    public static let active: Kernel = {
        if ProcessInfo.processInfo.environment["POLICYLAB_SIMD"] == "baseline" { return .openBLAS }
        return avx512Supported ? .avx512 : .openBLAS
    }()

    /// The widest X the lane kernel takes. OLS + HC1 on 2 threads, whole fit, lane kernel vs
    /// OpenBLAS panels: 2·10⁶ × 48 0.135 vs 0.216 s, 10⁶ × 100 0.27 vs 0.35 s, 10⁶ × 200 1.08 vs
    /// 1.42 s, 3·10⁵ × 300 0.82 vs 0.88 s, 2·10⁵ × 500 1.62 vs 1.57 s (its k(k+1)/2 lane
    /// accumulators, 64 bytes each, outgrow L2 and OpenBLAS's cache-blocked gemm wins).
    public static let maximumColumns = 256
}

extension Matrix {
    /// Rows per panel of the lane kernel; the loop over one panel prefetches the next. 512 ran
    /// fastest at k = 100 and k = 200 too (256 rows: +1 %, 128 rows: +9 %).
    static let lanePanelRows = 512

    /// Rows per block (one partial sum each, summed in block order) on the lane path: 64
    /// panels, so that a thread prefetches its own next panel all through a block (with
    /// 2,048-row blocks the two threads alternate blocks and every fourth panel came cold:
    /// XᵀX of 5·10⁶ × 20 took 52 ms instead of 41 ms). Depends only on the kernel.
    static let laneBlockRows = 32_768

    /// Whether `x`'s Gram products go through `kernel`'s lane path (untransposed, 1…256 columns).
    static func usesLaneKernel(_ x: MatrixView, kernel: GramKernelDispatch.Kernel) -> Bool {
        defaultGramBlockRows(columns: x.columns, kernel: kernel, transposed: x.isTransposed) == laneBlockRows
    }

    /// Calls `body` with pointers to row 0 of each column of `x` followed by `extra` (n values
    /// each, row r of the view at offset r).
    /// - Precondition: untransposed `x`; each extra array has `x.rows` values.
    static func withColumnPointers<R>(
        _ x: MatrixView, extra: [[Double]], _ body: (UnsafePointer<UnsafePointer<Double>>, Int) -> R
    ) -> R {
        x.base.withUnsafeBufferPointer { base in
            guard let start = base.baseAddress else { preconditionFailure("withColumnPointers: empty storage") }
            var pointers = (0..<x.columns).map { UnsafePointer(start + x.offset + $0 * x.leadingDimension) }
            return withExtraPointers(extra[...], into: &pointers, body)
        }
    }

    /// Appends the pointers of `extra`'s arrays (recursively, so each stays pinned) and calls `body`.
    private static func withExtraPointers<R>(
        _ extra: ArraySlice<[Double]>, into pointers: inout [UnsafePointer<Double>],
        _ body: (UnsafePointer<UnsafePointer<Double>>, Int) -> R
    ) -> R {
        guard let first = extra.first else {
            return pointers.withUnsafeBufferPointer { p in
                guard let base = p.baseAddress else { preconditionFailure("withColumnPointers: no column") }
                return body(base, p.count)
            }
        }
        return first.withUnsafeBufferPointer { column in
            guard let base = column.baseAddress else { preconditionFailure("withColumnPointers: empty column") }
            pointers.append(base)
            return withExtraPointers(extra.dropFirst(), into: &pointers, body)
        }
    }

    /// The lower-triangle lane sums of [X | extra]ᵀ[X | extra] over `rows` of the view, panel by
    /// panel (`lanePanelRows`, from `rows.lowerBound`), each panel prefetching the next.
    /// - Precondition: `usesLaneKernel(x, …)`; `rows` within the view.
    static func laneGramSums(_ x: MatrixView, extra: [[Double]], rows: Range<Int>) -> [GramLanes] {
        let total = x.columns + extra.count
        var sums = [GramLanes](repeating: GramLanes(), count: total * (total + 1) / 2)
        withColumnPointers(x, extra: extra) { columns, count in
            sums.withUnsafeMutableBufferPointer { accumulators in
                guard let into = accumulators.baseAddress else { return }
                var start = rows.lowerBound
                while start < rows.upperBound {
                    let end = Swift.min(rows.upperBound, start + lanePanelRows)
                    accumulateLowerGram(columns: columns, count: count, rows: start, end, weights: nil, into: into,
                                        prefetchColumns: columns, prefetchCount: end < x.rows ? count : 0,
                                        prefetchShift: lanePanelRows, prefetchLast: x.rows - 1)
                    start = end
                }
            }
        }
        return sums
    }

    /// The lane sums of XᵀWX over `rows` for W = diag(s²), s = `rowScale` or, when `rowScale` is
    /// nil, s = u = y − X·β (`fit`): (D·X)ᵀ(D·X) for D = diag(s), each term summed as (sᵣ²·xᵢ)·xⱼ.
    /// Panel by panel (`lanePanelRows` from `rows.lowerBound`), s² goes into one reused buffer
    /// and the kernel multiplies it into its tiles while the next panel of X (and y or s) is
    /// prefetched: no scaled copy of X is made. With `fit`, the residuals of the rows are written
    /// to `residuals` (its element 0 is row `rows.lowerBound`) when given, and Σu² — each panel's
    /// squares summed by `VectorKernels.uncheckedSum`, panels in order — is returned.
    /// - Precondition: `usesLaneKernel(x, …)`; exactly one of `rowScale` and `fit` given;
    ///   `residuals`, when given, has room for `rows.count` values.
    static func laneScaledGramSums(
        _ x: MatrixView, rows: Range<Int>, rowScale: [Double]?, fit: (y: [Double], beta: [Double])?,
        residuals: UnsafeMutablePointer<Double>?
    ) -> (sums: [GramLanes], sumOfSquares: Double) {
        let k = x.columns
        var sums = [GramLanes](repeating: GramLanes(), count: k * (k + 1) / 2)
        var squares = [Double](repeating: 0, count: lanePanelRows)
        // Where the residuals go when the caller keeps none: one panel, overwritten.
        var discarded = [Double](repeating: 0, count: residuals == nil && fit != nil ? lanePanelRows : 0)
        var sumOfSquares = 0.0
        let extra = rowScale.map { [$0] } ?? fit.map { [$0.y] } ?? []
        let beta = fit?.beta ?? []
        withColumnPointers(x, extra: extra) { columns, count in
            // The columns shifted to each panel's first row, so the kernel sees rows 0..<m
            // of the panel beside the squares buffer.
            var shifted = (0..<k).map { columns[$0] }
            squares.withUnsafeMutableBufferPointer { w in
                sums.withUnsafeMutableBufferPointer { accumulators in
                    beta.withUnsafeBufferPointer { b in
                        discarded.withUnsafeMutableBufferPointer { scratch in
                            guard let square = w.baseAddress, let into = accumulators.baseAddress else { return }
                            // y (with `fit`) or s (with `rowScale`).
                            let extraColumn = columns[k]
                            var start = rows.lowerBound
                            while start < rows.upperBound {
                                let end = Swift.min(rows.upperBound, start + lanePanelRows)
                                if fit != nil, let bBase = b.baseAddress,
                                   let out = residuals.map({ $0 + (start - rows.lowerBound) }) ?? scratch.baseAddress {
                                    residualsAndSquares(columns: columns, count: k, y: extraColumn, beta: bBase,
                                                        rows: start, end, residuals: out, squares: square)
                                    sumOfSquares += VectorKernels.uncheckedSum(UnsafeBufferPointer(start: square, count: end - start))
                                } else {
                                    VectorKernels.uncheckedMultiply(extraColumn + start, extraColumn + start, into: square, count: end - start)
                                }
                                for j in 0..<k { shifted[j] = columns[j] + start }
                                shifted.withUnsafeBufferPointer { panel in
                                    guard let panelColumns = panel.baseAddress else { return }
                                    accumulateLowerGram(columns: panelColumns, count: k, rows: 0, end - start, weights: UnsafePointer(square),
                                                        into: into, prefetchColumns: columns, prefetchCount: end < x.rows ? count : 0,
                                                        prefetchShift: start + lanePanelRows, prefetchLast: x.rows - 1)
                                }
                                start = end
                            }
                        }
                    }
                }
            }
        }
        return (sums, sumOfSquares)
    }

    /// Entries (i, 0…i−1) of the lower-triangle lane sums, reduced: Xᵀv when column i is v.
    static func laneRow(_ i: Int, of sums: [GramLanes]) -> [Double] {
        (0..<i).map { laneSum(sums[lowerTriangleIndex(i, $0)]) }
    }

    /// The symmetric leading `columns` × `columns` matrix of lower-triangle lane sums.
    static func symmetricMatrix(fromLaneSums sums: [GramLanes], columns k: Int) -> Matrix {
        var gram = Matrix(rows: k, columns: k)
        for i in 0..<k {
            for j in 0...i {
                let value = laneSum(sums[lowerTriangleIndex(i, j)])
                gram[i, j] = value
                gram[j, i] = value
            }
        }
        return gram
    }
}
