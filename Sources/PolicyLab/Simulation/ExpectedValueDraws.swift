import LinearAlgebra
import MonteCarlo

/// Expected values of a linear predictor over a population, one per coefficient draw: the
/// model-based simulation of King, Tomz and Wittenberg reduced to its core product.
///
/// Draw r (0-based) is βᵣ = `coefficients.sample(at: RandomAddress(seed: seed, replicate: r))`
/// — unit 0, slot 0, exactly the β that `ModelSimulation` draws in replicate r of a run with
/// the same seed — and its expected value is the (weighted) mean over the n units of X·βᵣ:
/// evᵣ = Σᵢ wᵢ·(X·βᵣ)ᵢ / Σᵢ wᵢ (wᵢ = 1 without weights). For R draws that is one n×k by k×R
/// product and a mean per column.
///
/// How it is computed: the draws are cut into fixed blocks of `drawBlock` columns, each handled
/// whole by one `Parallel` worker; a worker builds its k×b block of β, then walks the units in
/// fixed blocks of `rowBlock` rows, multiplies the X rows by the β block with one
/// single-threaded `BLAS.gemm` into a b-column tile that stays in the core's cache, and adds
/// the tile's weighted column sums (`BLAS.gemv`) to the block's totals, row block after row
/// block. The cut depends only on n and R, so every result has the same bits for any thread
/// count; and the n×R product never reaches memory (10⁵ units × 10⁴ draws would be 8 GB).
///
/// For the identity link used here the mean is also x̄ᵀβᵣ (x̄ the weighted column means of X),
/// which costs O(n·k + R·k). The full product is what a non-linear outcome (a transform of
/// each unit's prediction before the mean) needs, and it is what issue 5's benchmark times
/// against the one dgemm of the same shapes (BENCHMARKS.md, "Model-based simulation").
public struct ExpectedValueDraws: Sendable {
    /// X, n × k: one row per unit, one column per coefficient.
    public let x: Matrix
    /// The sampling distribution of β, N(β̂, V̂), with k coefficients.
    public let coefficients: MultivariateNormal
    /// Unit weights (nil: every unit weighs 1).
    public let weights: [Double]?

    /// Draws per parallel block (the columns of one tile); the cut depends on nothing else.
    static let drawBlock = 128
    /// Units per tile. A 128 × 128 tile (128 KiB) stays in a core's L2 cache between the gemm
    /// that writes it and the gemv that sums it. Measured on the 2-core benchmark machine
    /// (10⁵ × 20 times 20 × 2,000, one thread): 128 × 128 and 256 × 128 tiles ran at ≈ 40
    /// GFLOP/s, 512 × 64 at 34, 1,024 × 64 at 27–30, 1,024 × 16 at 25.
    static let rowBlock = 128

    /// A population X with the coefficient distribution `coefficients`.
    /// - Parameters:
    ///   - x: n × k, n ≥ 1, finite.
    ///   - coefficients: N(β̂, V̂) over the k columns of X.
    ///   - weights: n finite non-negative weights with a positive sum, or nil.
    /// - Throws: `PolicyLabError.invalidArgument` for no units, a column count that differs
    ///   from the number of coefficients, a non-finite X, or bad weights.
    /// - Complexity: O(n·k) for the checks.
    public init(x: Matrix, coefficients: MultivariateNormal, weights: [Double]? = nil) throws {
        guard x.rows >= 1 else {
            throw PolicyLabError.invalidArgument(name: "x", reason: "needs at least one unit (row)")
        }
        guard x.columns == coefficients.mean.count else {
            throw PolicyLabError.invalidArgument(
                name: "x", reason: "has \(x.columns) columns but the coefficient distribution has \(coefficients.mean.count) coefficients")
        }
        guard x.isFinite else {
            throw PolicyLabError.invalidArgument(name: "x", reason: "contains NaN or infinite values")
        }
        if let weights {
            guard weights.count == x.rows else {
                throw PolicyLabError.invalidArgument(name: "weights", reason: "has \(weights.count) values for \(x.rows) units")
            }
            guard weights.allSatisfy({ $0.isFinite && $0 >= 0 }), VectorKernels.sum(weights) > 0 else {
                throw PolicyLabError.invalidArgument(name: "weights", reason: "must be finite and non-negative with a positive sum")
            }
        }
        self.x = x
        self.coefficients = coefficients
        self.weights = weights
    }

    /// A population X with β ~ N(`mean`, `covariance`); V̂ may be only positive semidefinite
    /// (a pivoted Cholesky factor is used, see `MultivariateNormal`).
    /// - Throws: as `init(x:coefficients:weights:)`; `MonteCarloError` or `LinearAlgebraError`
    ///   from `MultivariateNormal` (non-finite mean, size mismatch, covariance not symmetric
    ///   or not semidefinite).
    /// - Complexity: O(n·k + k³).
    public init(x: Matrix, mean: [Double], covariance: Matrix, weights: [Double]? = nil) throws {
        try self.init(x: x, coefficients: try MultivariateNormal(mean: mean, covariance: covariance), weights: weights)
    }

    /// Units n.
    public var units: Int { x.rows }

    /// βᵣ for draws `draws` of seed `seed`, as the columns of a k × count matrix.
    /// - Throws: `PolicyLabError.invalidArgument` for a range outside 0 ..< 2³².
    /// - Complexity: k Philox blocks and O(k·rank) per draw.
    public func coefficientDraws(_ draws: Range<Int>, seed: UInt64) throws -> Matrix {
        try Self.checkDraws(draws)
        let k = coefficients.mean.count
        var storage: [Double] = []
        storage.reserveCapacity(k * draws.count)
        for r in draws {
            storage += coefficients.sample(at: RandomAddress(seed: seed, replicate: UInt32(truncatingIfNeeded: r)))
        }
        return try Matrix(rows: k, columns: draws.count, columnMajor: storage)
    }

    /// The expected value of each of draws 0 ..< `draws`: evᵣ = mean over units of X·βᵣ.
    ///
    /// evᵣ is a function of (X, weights, coefficients, seed, r) alone: the same bits for any
    /// `parallelism` (fixed blocks, fixed order of the sums; see the type) and for any R, so
    /// the first 1,000 of 2,000 draws are the 1,000 draws of a shorter run.
    ///
    /// On the 2-core benchmark machine, 10⁵ units × k = 20 × 10⁴ draws (4·10¹⁰ flops) take
    /// 0.94 s on one thread and 0.47–0.51 s on two (≈ 80 % of the measured dgemm peak): 0.6–0.8
    /// of the time of the one dgemm of the same shapes, which must write the 8 GB product, and
    /// 2.6× (one thread) to 3.3× or more (two) faster than numpy (BENCHMARKS.md).
    /// - Parameters:
    ///   - draws: R ≥ 1 (at most 2³², the replicates an address holds).
    ///   - seed: The seed of the β draws.
    ///   - parallelism: Threads; each block's BLAS calls run single-threaded.
    /// - Throws: `PolicyLabError.invalidArgument` for R out of range; `LinearAlgebraError`
    ///   only if a BLAS size exceeds 32-bit indices (a row block never does).
    /// - Complexity: 2·n·k·R′ flops in the products, n·R′ in the sums and k·R′ normals, with
    ///   R′ = R rounded up to a multiple of 128 (the draw block); memory O(R + threads·128²).
    public func means(draws: Int, seed: UInt64, parallelism: Parallelism = .serial) throws -> [Double] {
        guard draws >= 1 else {
            throw PolicyLabError.invalidArgument(name: "draws", reason: "must be at least 1, got \(draws)")
        }
        try Self.checkDraws(0..<draws)
        return try uncheckedMeans(draws: draws, seed: seed, parallelism: parallelism,
                                  drawBlock: Self.drawBlock, rowBlock: Self.rowBlock)
    }

    /// `means` with explicit block sizes (tests and tuning; any sizes give the same values up
    /// to rounding, and the same bits for any thread count at fixed sizes).
    func uncheckedMeans(draws: Int, seed: UInt64, parallelism: Parallelism, drawBlock: Int, rowBlock: Int) throws -> [Double] {
        let n = x.rows
        let unitWeights = weights ?? [Double](repeating: 1, count: Swift.min(n, rowBlock))
        let totalWeight = weights.map { VectorKernels.sum($0) } ?? Double(n)
        let blocks = try Parallel.map(count: draws, chunkSize: drawBlock, parallelism: parallelism) { drawRange in
            // A short last block is padded with the draws that follow it (and their results
            // dropped): every block is drawBlock wide, so draw r always sits in column
            // r mod drawBlock of its tile and its value does not depend on R.
            let b = drawBlock
            let beta = try coefficientDraws(drawRange.lowerBound..<(drawRange.lowerBound + b), seed: seed)
            var sums = [Double](repeating: 0, count: b)
            var tile = Matrix(rows: Swift.min(rowBlock, n), columns: b)
            for rowStart in stride(from: 0, to: n, by: rowBlock) {
                let rows = rowStart..<Swift.min(rowStart + rowBlock, n)
                if rows.count != tile.rows { tile = Matrix(rows: rows.count, columns: b) }  // the last, shorter block
                try BLAS.gemm(1, x.view(rows: rows), beta.view, 0, &tile)
                // sums += tileᵀ·w over the block's rows.
                let w = weights == nil ? unitWeights[0..<rows.count] : unitWeights[rows]
                try BLAS.gemv(1, tile.view.T, w, 1, &sums)
            }
            return sums.prefix(drawRange.count).map { $0 / totalWeight }
        }
        return Array(blocks.joined())
    }

    private static func checkDraws(_ draws: Range<Int>) throws {
        guard draws.lowerBound >= 0, draws.upperBound <= Int(UInt32.max) + 1 else {
            throw PolicyLabError.invalidArgument(
                name: "draws", reason: "draw indices must lie in 0 ..< 2³², got \(draws.lowerBound) ..< \(draws.upperBound)")
        }
    }
}
