// Paired measurement of what LinearAlgebra's gemm wrapper costs over a raw cblas_dgemm call.
//
// package-benchmark runs one benchmark after the other, so drift on a shared machine (other
// tenants, frequency changes) lands on one side only and swamps a few-percent difference. Here
// each round times wrapper and raw back to back, alternating which goes first, and the figure is
// the median of the per-round ratios wrapper/raw, with the 10th–90th percentile range.
// Usage: WrapperOverhead [rounds]   (scripts/bench runs it)
import CBLASBaseline
import Dispatch
import LinearAlgebra

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let rounds = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 40
print("size  rounds  wrapper_best_ms  raw_best_ms  median_ratio  p10_ratio  p90_ratio")
for n in [500, 1000, 4000] {
    let a = Matrix(rows: n, columns: n) { i, j in Double((i &* 7919 &+ j &* 104_729) % 1_000) / 1_000 - 0.5 }
    let b = Matrix(rows: n, columns: n) { i, j in Double((i &* 104_729 &+ j &* 7919) % 1_000) / 1_000 - 0.5 }
    var c = Matrix(rows: n, columns: n)
    let rawA = a.storage, rawB = b.storage
    var rawC = [Double](repeating: 0, count: n * n)
    let n32 = Int32(n)
    func wrapper() throws { try BLAS.gemm(1, a.view, b.view, 0, &c) }
    func raw() {
        rawA.withUnsafeBufferPointer { pa in
            rawB.withUnsafeBufferPointer { pb in
                rawC.withUnsafeMutableBufferPointer { pc in
                    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n32, n32, n32, 1,
                                pa.baseAddress, n32, pb.baseAddress, n32, 0, pc.baseAddress, n32)
                }
            }
        }
    }
    try wrapper(); raw()  // warm up
    let count = n >= 4000 ? Swift.max(6, rounds / 5) : rounds
    var ratios: [Double] = [], wrapperTimes: [Double] = [], rawTimes: [Double] = []
    for round in 0..<count {
        var tw = 0.0, tr = 0.0
        if round % 2 == 0 {
            tw = try seconds(wrapper); tr = seconds(raw)
        } else {
            tr = seconds(raw); tw = try seconds(wrapper)
        }
        wrapperTimes.append(tw); rawTimes.append(tr); ratios.append(tw / tr)
    }
    guard c.storage == rawC else { print("results differ at n=\(n)"); continue }
    ratios.sort()
    let pick = { (q: Double) in ratios[Int(q * Double(ratios.count - 1))] }
    print(n, count, (wrapperTimes.min() ?? 0) * 1e3, (rawTimes.min() ?? 0) * 1e3, pick(0.5), pick(0.1), pick(0.9))
}
