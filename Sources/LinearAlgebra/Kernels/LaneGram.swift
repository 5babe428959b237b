// Gram products of tall X (1–256 columns) through the AVX-512 kernel (Sources/GramKernelsAVX512/LowerGram.swift).
import CPUFeatures
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
        SIMDPreference.baselineRequested || !avx512Supported ? .openBLAS : .avx512
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

    /// Whether Gram products of an X of this shape go through `kernel`'s lane path
    /// (untransposed, 1…`GramKernelDispatch.maximumColumns` columns).
    static func usesLaneKernel(columns: Int, transposed: Bool, kernel: GramKernelDispatch.Kernel) -> Bool {
        kernel == .avx512 && !transposed && columns >= 1 && columns <= GramKernelDispatch.maximumColumns
    }

    /// `usesLaneKernel(columns:transposed:kernel:)` for the view `x`.
    static func usesLaneKernel(_ x: MatrixView, kernel: GramKernelDispatch.Kernel) -> Bool {
        usesLaneKernel(columns: x.columns, transposed: x.isTransposed, kernel: kernel)
    }

    /// Calls `body` with pointers to row 0 of each column of `x`, then of `extra` when given
    /// (row r of the view at offset r), and their count.
    /// - Precondition: untransposed `x` with at least one row and column; `extra` has `x.rows` values.
    static func withColumnPointers<R>(
        _ x: MatrixView, extra: [Double]?, _ body: (UnsafePointer<UnsafePointer<Double>>, Int) -> R
    ) -> R {
        x.base.withUnsafeBufferPointer { base in
            (extra ?? []).withUnsafeBufferPointer { extraColumn in
                guard let start = base.baseAddress else { preconditionFailure("withColumnPointers: empty storage") }
                var pointers = (0..<x.columns).map { UnsafePointer(start + x.offset + $0 * x.leadingDimension) }
                if extra != nil {
                    guard let column = extraColumn.baseAddress else { preconditionFailure("withColumnPointers: empty extra column") }
                    pointers.append(column)
                }
                return pointers.withUnsafeBufferPointer { p in
                    guard let first = p.baseAddress else { preconditionFailure("withColumnPointers: no column") }
                    return body(first, p.count)
                }
            }
        }
    }

    /// The lower-triangle lane sums of [X | extra]ᵀ[X | extra] over `rows` of the view, panel by
    /// panel (`lanePanelRows`, from `rows.lowerBound`), each panel prefetching the next.
    /// - Precondition: `usesLaneKernel(x, …)`; `rows` within the view.
    static func laneGramSums(_ x: MatrixView, extra: [Double]?, rows: Range<Int>) -> [GramLanes] {
        let total = x.columns + (extra == nil ? 0 : 1)
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
        var sumOfSquares = 0.0
        // Per block: s² (or u²) of one panel; the residuals of one panel when the caller keeps
        // none; β; the columns shifted to the panel's first row, so that the kernel sees rows
        // 0..<m of the panel beside the squares.
        let squares = UnsafeMutablePointer<Double>.allocate(capacity: lanePanelRows)
        let discarded = UnsafeMutablePointer<Double>.allocate(capacity: lanePanelRows)
        let beta = UnsafeMutablePointer<Double>.allocate(capacity: k)
        let shifted = UnsafeMutablePointer<UnsafePointer<Double>>.allocate(capacity: k)
        defer {
            squares.deallocate()
            discarded.deallocate()
            beta.deallocate()
            shifted.deallocate()
        }
        if let fit { beta.initialize(from: fit.beta, count: k) }
        withColumnPointers(x, extra: rowScale ?? fit?.y) { columns, count in
            sums.withUnsafeMutableBufferPointer { accumulators in
                guard let into = accumulators.baseAddress else { return }
                let extraColumn = columns[k]  // y (with `fit`) or s (with `rowScale`)
                var start = rows.lowerBound
                while start < rows.upperBound {
                    let end = Swift.min(rows.upperBound, start + lanePanelRows)
                    if fit != nil {
                        residualsAndSquares(columns: columns, count: k, y: extraColumn, beta: beta, rows: start, end,
                                            residuals: residuals.map { $0 + (start - rows.lowerBound) } ?? discarded, squares: squares)
                        sumOfSquares += VectorKernels.uncheckedSum(UnsafeBufferPointer(start: squares, count: end - start))
                    } else {
                        VectorKernels.uncheckedMultiply(extraColumn + start, extraColumn + start, into: squares, count: end - start)
                    }
                    for j in 0..<k { shifted[j] = columns[j] + start }
                    accumulateLowerGram(columns: shifted, count: k, rows: 0, end - start, weights: squares,
                                        into: into, prefetchColumns: columns, prefetchCount: end < x.rows ? count : 0,
                                        prefetchShift: start + lanePanelRows, prefetchLast: x.rows - 1)
                    start = end
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
