// Benchmarks of the LinearAlgebra core. Each pair is measured in the same run so that the
// ratio, not the absolute time, is the figure: wrapper vs raw CBLAS, SIMD reductions vs a
// memory copy. scripts/bench runs them and writes the ratios to BENCHMARKS.md.
import Benchmark
import CBLASBaseline
import LinearAlgebra

/// Square matrices for the gemm pair, filled deterministically.
private func squareMatrix(_ n: Int, seed: Double) -> Matrix {
    Matrix(rows: n, columns: n) { i, j in
        let v = Double((i &* 7919 &+ j &* 104_729) % 1_000) / 1_000
        return v - 0.5 + seed * 1e-3
    }
}

private let gemmSizes = [500, 1000, 4000]
private let streamLength = 100_000_000
// Global constants are initialized lazily, once, on first use (thread-safe).
private let streamX = [Double](unsafeUninitializedCapacity: streamLength) { b, n in
    for i in 0..<streamLength { b[i] = Double(i % 1_000) * 1e-3 }
    n = streamLength
}
private let streamY = [Double](unsafeUninitializedCapacity: streamLength) { b, n in
    for i in 0..<streamLength { b[i] = Double((i * 7) % 1_000) * 1e-3 }
    n = streamLength
}
private let gramInputs: [Int: Matrix] = [20: tall(20), 100: tall(100)]

private func tall(_ k: Int) -> Matrix {
    Matrix(rows: 1_000_000, columns: k) { i, j in Double((i &* 31 &+ j &* 17) % 997) / 997 - 0.5 }
}

private func configuration(iterations: Int, seconds: Int) -> Benchmark.Configuration {
    .init(metrics: [.wallClock, .throughput], warmupIterations: 1, maxDuration: .seconds(seconds), maxIterations: iterations)
}

let benchmarks: @Sendable () -> Void = {
    for n in gemmSizes {
        let iterations = n >= 4000 ? 8 : (n >= 1000 ? 60 : 200)
        Benchmark("gemm wrapper \(n)", configuration: configuration(iterations: iterations, seconds: 20)) { benchmark in
            let a = squareMatrix(n, seed: 1), b = squareMatrix(n, seed: 2)
            var c = Matrix(rows: n, columns: n)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                try BLAS.gemm(1, a.view, b.view, 0, &c)
                blackHole(c[0, 0])
            }
        }
        Benchmark("gemm raw cblas \(n)", configuration: configuration(iterations: iterations, seconds: 20)) { benchmark in
            let a = squareMatrix(n, seed: 1).storage, b = squareMatrix(n, seed: 2).storage
            var c = [Double](repeating: 0, count: n * n)
            let n32 = Int32(n)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                a.withUnsafeBufferPointer { pa in
                    b.withUnsafeBufferPointer { pb in
                        c.withUnsafeMutableBufferPointer { pc in
                            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n32, n32, n32, 1,
                                        pa.baseAddress, n32, pb.baseAddress, n32, 0, pc.baseAddress, n32)
                        }
                    }
                }
                blackHole(c[0])
            }
        }
    }

    Benchmark("stream copy 1e8", configuration: configuration(iterations: 20, seconds: 15)) { benchmark in
        var destination = [Double](repeating: 0, count: streamLength)
        let source = streamX
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            source.withUnsafeBytes { s in destination.withUnsafeMutableBytes { d in d.copyMemory(from: s) } }
            blackHole(destination[streamLength / 2])
        }
    }
    Benchmark("stream simd sum 1e8", configuration: configuration(iterations: 20, seconds: 15)) { benchmark in
        let x = streamX
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(VectorKernels.sum(x)) }
    }
    Benchmark("stream simd dot 1e8", configuration: configuration(iterations: 20, seconds: 15)) { benchmark in
        let x = streamX, y = streamY
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try VectorKernels.dot(x, y)) }
    }

    for k in [20, 100] {
        Benchmark("gram 1000000x\(k) 2 threads", configuration: configuration(iterations: 20, seconds: 15)) { benchmark in
            guard let x = gramInputs[k] else { return }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try Matrix.gram(x.view, parallelism: Parallelism(threads: 2))[0, 0])
            }
        }
    }
}
