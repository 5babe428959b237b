import LinearAlgebra

/// The linear-algebra self-check that `scripts/demo` runs until the policy pipeline exists:
/// each routine on seeded random data, with the error against a known answer, the time,
/// and the GFLOP/s reached where the flop count is standard.
public struct LinearAlgebraSelfCheck: Sendable {
    /// One line of the report.
    public struct Step: Sendable, Codable, Equatable {
        /// What was computed, with sizes.
        public let name: String
        /// Wall time in seconds.
        public let seconds: Double
        /// Floating-point rate, when the operation has a standard flop count.
        public let gflops: Double?
        /// The measured error (a norm stated in `check`).
        public let error: Double
        /// What the error measures and the bound it must meet.
        public let check: String
        /// Whether the error met the bound.
        public let passed: Bool
    }

    /// The problem-size scale: 1 is the demo; smaller values make a fast test.
    public let scale: Double
    /// Threads for the parallel steps.
    public let parallelism: Parallelism
    /// Seed of the test data.
    public let seed: UInt64

    /// A self-check at `scale` (sizes shrink proportionally, with floors) on `parallelism`.
    public init(scale: Double = 1, parallelism: Parallelism = .allCores, seed: UInt64 = 20_261_129) {
        self.scale = Swift.max(0.001, Swift.min(scale, 1))
        self.parallelism = parallelism
        self.seed = seed
    }

    private func size(_ full: Int, floor: Int) -> Int { Swift.max(floor, Int(Double(full) * scale)) }

    /// Runs every step in order.
    /// - Throws: only a `LinearAlgebraError` that would itself be a failure of the library.
    public func run() throws -> [Step] {
        var rng = SplitMix64(seed: seed)
        OpenBLASThreads.set(parallelism.threads)
        return [
            try gemmStep(&rng), try gramStep(&rng), try leastSquaresStep(&rng), try choleskyStep(&rng),
            try luStep(&rng), try svdStep(&rng), try eigenStep(&rng),
        ]
    }

    private func random(_ rows: Int, _ columns: Int, _ rng: inout SplitMix64) -> Matrix {
        Matrix(rows: rows, columns: columns) { _, _ in rng.nextSigned() }
    }

    private func maxAbs(_ m: Matrix) -> Double { m.storage.reduce(0) { Swift.max($0, Swift.abs($1)) } }

    private func difference(_ a: Matrix, _ b: Matrix) -> Double {
        zip(a.storage, b.storage).reduce(0) { Swift.max($0, Swift.abs($1.0 - $1.1)) }
    }

    private func gemmStep(_ rng: inout SplitMix64) throws -> Step {
        let n = size(2000, floor: 64)
        let a = random(n, n, &rng), b = random(n, n, &rng)
        let (c, seconds) = try Stopwatch.time { try Matrix.product(a.view, b.view) }
        // Check one column against gemv: C·e_j = A·(B e_j).
        let j = n / 2
        let reference = try Matrix.product(a.view, Array(b.column(j)))
        let error = zip(c.column(j), reference).reduce(0) { Swift.max($0, Swift.abs($1.0 - $1.1)) }
        let bound = Double(n) * 1e-14
        return Step(name: "gemm \(n)×\(n)·\(n)×\(n)", seconds: seconds, gflops: 2 * pow3(n) / seconds / 1e9,
                    error: error, check: "max |C e_j − A(B e_j)| ≤ \(bound)", passed: error <= bound)
    }

    private func gramStep(_ rng: inout SplitMix64) throws -> Step {
        let n = size(1_000_000, floor: 20_000), k = 20
        let x = random(n, k, &rng)
        let (g, seconds) = try Stopwatch.time { try Matrix.gram(x.view, parallelism: parallelism) }
        let serial = try Matrix.gram(x.view, parallelism: .serial)
        let identical = zip(g.storage, serial.storage).allSatisfy { $0.bitPattern == $1.bitPattern }
        var syrk = Matrix(rows: k, columns: k)
        try BLAS.syrk(1, x.view.T, 0, &syrk)
        let error = difference(g, syrk) / maxAbs(syrk)
        let bound = 1e-12
        return Step(name: "XᵀX \(n)×\(k), \(parallelism) (bit-identical to 1 thread: \(identical))", seconds: seconds,
                    gflops: 2 * Double(n) * Double(k * k) / seconds / 1e9, error: error,
                    check: "max |G − syrk| / max|G| ≤ \(bound) and identical bits", passed: error <= bound && identical)
    }

    private func leastSquaresStep(_ rng: inout SplitMix64) throws -> Step {
        let n = size(200_000, floor: 2_000), k = 10
        let x = random(n, k, &rng)
        let beta = (0..<k).map { Double($0 + 1) }
        let y = try Matrix.product(x.view, beta)
        let (solution, seconds) = try Stopwatch.time { try x.leastSquares(y) }
        let error = zip(solution.coefficients, beta).reduce(0) { Swift.max($0, Swift.abs($1.0 - $1.1) / $1.1) }
        let bound = 1e-12
        return Step(name: "least squares (pivoted QR) \(n)×\(k), exact fit", seconds: seconds,
                    gflops: (2 * Double(n) * Double(k * k) - 2 * pow3(k) / 3) / seconds / 1e9, error: error,
                    check: "max relative coefficient error ≤ \(bound), rank \(solution.rank)", passed: error <= bound && solution.rank == k)
    }

    private func choleskyStep(_ rng: inout SplitMix64) throws -> Step {
        let n = size(1500, floor: 50)
        let b = random(n, n, &rng)
        var a = Matrix.identity(n)
        try BLAS.syrk(1, b.view, Double(n), &a)
        let (factor, seconds) = try Stopwatch.time { try Cholesky(a) }
        let reconstructed = try Matrix.product(factor.factor.view, factor.factor.view.T)
        let error = difference(reconstructed, a) / maxAbs(a)
        let bound = Double(n) * 1e-15
        return Step(name: "Cholesky \(n)×\(n)", seconds: seconds, gflops: pow3(n) / 3 / seconds / 1e9, error: error,
                    check: "max |LLᵀ − A| / max|A| ≤ \(bound)", passed: error <= bound)
    }

    private func luStep(_ rng: inout SplitMix64) throws -> Step {
        let n = size(1000, floor: 50)
        var a = random(n, n, &rng)
        for i in 0..<n { a[i, i] += Double(n) }
        let (inverse, seconds) = try Stopwatch.time { try a.inverse() }
        let product = try Matrix.product(a.view, inverse.view)
        let error = difference(product, Matrix.identity(n))
        let bound = Double(n) * 1e-14
        return Step(name: "LU inverse \(n)×\(n)", seconds: seconds, gflops: 2 * pow3(n) / seconds / 1e9, error: error,
                    check: "max |A·A⁻¹ − I| ≤ \(bound)", passed: error <= bound)
    }

    private func svdStep(_ rng: inout SplitMix64) throws -> Step {
        let m = size(1000, floor: 60), n = size(400, floor: 30)
        let a = random(m, n, &rng)
        let (svd, seconds) = try Stopwatch.time { try SingularValueDecomposition(a) }
        var us = svd.u
        for j in 0..<svd.singularValues.count {
            for i in 0..<m { us[i, j] *= svd.singularValues[j] }
        }
        let reconstructed = try Matrix.product(us.view, svd.vt.view)
        let error = difference(reconstructed, a) / maxAbs(a)
        let bound = Double(m) * 1e-14
        return Step(name: "thin SVD \(m)×\(n)", seconds: seconds, gflops: nil, error: error,
                    check: "max |U S Vᵀ − A| / max|A| ≤ \(bound)", passed: error <= bound)
    }

    private func eigenStep(_ rng: inout SplitMix64) throws -> Step {
        let n = size(600, floor: 40)
        let b = random(n, n, &rng)
        var a = Matrix(rows: n, columns: n)
        try BLAS.syrk(1, b.view, 0, &a)
        let (eigen, seconds) = try Stopwatch.time { try SymmetricEigendecomposition(a) }
        var vl = eigen.eigenvectors
        for j in 0..<n {
            for i in 0..<n { vl[i, j] *= eigen.eigenvalues[j] }
        }
        let reconstructed = try Matrix.product(vl.view, eigen.eigenvectors.view.T)
        let error = difference(reconstructed, a) / maxAbs(a)
        let bound = Double(n) * 1e-14
        return Step(name: "symmetric eigen \(n)×\(n)", seconds: seconds, gflops: nil, error: error,
                    check: "max |V Λ Vᵀ − A| / max|A| ≤ \(bound)", passed: error <= bound)
    }

    private func pow3(_ n: Int) -> Double { Double(n) * Double(n) * Double(n) }
}
