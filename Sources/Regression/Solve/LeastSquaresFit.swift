import Foundation
import LinearAlgebra

/// How `LeastSquaresFit` solves: fast where it is provably accurate, QR where it must be.
public enum SolveStrategy: String, Sendable, Codable, CaseIterable {
    /// Cholesky of the equilibrated Gram matrix when its condition estimate allows, else pivoted QR.
    case automatic
    /// Always pivoted QR with extended-precision refinement.
    case qr
}

/// The method a fit used, reported with every result.
public enum SolveMethod: String, Sendable, Codable {
    /// Cholesky of the column-equilibrated XᵀWX, with one step of refinement (corrected
    /// semi-normal equations) when the condition estimate is above 30.
    case cholesky = "cholesky"
    /// Householder QR with column pivoting (LAPACK geqp3), then refinement of the augmented
    /// system with residuals in double-double precision.
    case pivotedQR = "pivoted-qr"
}

/// Settings of the least-squares solve.
public struct SolveOptions: Sendable, Equatable {
    /// The solver choice (default `.automatic`).
    public var strategy: SolveStrategy
    /// The largest condition number κ of the column-equilibrated X for which the Cholesky
    /// path is used (default 10³: its error bound κ²·ε stays below 10⁻¹⁰ before refinement,
    /// and one refinement step brings it to about κ·ε). Above it, pivoted QR with
    /// extended-precision refinement, which also removes the κ²·‖r‖ term that large
    /// residuals add (NIST Wampler4/5, κ ≈ 2.5·10³ after equilibration, need it for 9 digits).
    public var conditionLimit: Double
    /// Column j is aliased when its part orthogonal to the kept columns before it is shorter
    /// than `aliasTolerance` × its length (R's `lm` uses 10⁻⁷; the default 10⁻¹⁰ keeps all of
    /// NIST's Filip, which the extended-precision refinement then solves to 8 digits).
    public var aliasTolerance: Double
    /// Threads for the row-blocked passes (results do not depend on it).
    public var parallelism: Parallelism
    /// Whether the Cholesky path of an unweighted fit also returns Xᵀdiag(u²)X, computed in the
    /// same pass over X as the residuals u (`LeastSquaresFit.residualGram`; set by
    /// `LinearRegression` for HC0/HC1).
    var wantsResidualGram = false

    /// The defaults described on each property.
    public init(strategy: SolveStrategy = .automatic, conditionLimit: Double = 1e3, aliasTolerance: Double = 1e-10,
                parallelism: Parallelism = .serial) {
        self.strategy = strategy
        self.conditionLimit = conditionLimit
        self.aliasTolerance = aliasTolerance
        self.parallelism = parallelism
    }
}

/// The weighted least-squares solution of y ≈ X·β (weights w ≥ 0, W = diag(w)) and what
/// every variance estimator needs from it.
///
/// Rule (stated here and tested on NIST Filip and Wampler5): the Gram matrix G = XᵀWX is
/// equilibrated to C = D⁻¹GD⁻¹ (D = diag(√Gⱼⱼ)), and if its Cholesky succeeds with
/// κ₁(C) ≤ `conditionLimit`² (LAPACK pocon estimate; κ₁(C) ≈ κ(XD)²) the normal equations are
/// solved from it, plus one refinement step r = y − Xβ, β += C⁻¹D⁻¹XᵀWr when κ₁(C) > 10³ —
/// the corrected semi-normal equations (Björck), as accurate as QR at that conditioning. Otherwise (or with
/// `.qr`) √W·X is factored by pivoted QR, aliased columns are found in column order as R
/// does, and the solution is refined on the augmented system with double-double residuals
/// until the correction stops shrinking (at most 4 steps).
public struct LeastSquaresFit: Sendable {
    /// One coefficient per column of X, NaN for an aliased column.
    public let coefficients: [Double]
    /// Indices of the columns kept, ascending.
    public let kept: [Int]
    /// Indices of the aliased columns, ascending.
    public let aliased: [Int]
    /// (XᵀWX)⁻¹ restricted to the kept columns, in `kept` order: the bread of every sandwich.
    public let bread: Matrix
    /// y − X·β on every row (unweighted). Empty only when the internal
    /// `SolveOptions.wantsResidualGram` had the Cholesky path form the HC0/HC1 meat in the
    /// residuals' own pass: then only `residualSumOfSquares` is kept.
    public let residuals: [Double]
    /// The method used.
    public let method: SolveMethod
    /// The estimated condition number κ₁ of the column-equilibrated √W·X (kept columns).
    public let conditionNumber: Double
    /// Xᵀdiag(u²)X from the residuals' pass over X (the HC0/HC1 meat), when
    /// `SolveOptions.wantsResidualGram` asked for it and the Cholesky path ran unweighted; else nil.
    var residualGram: Matrix? = nil
    /// Σu² from that same pass (set exactly when `residualGram` is and `residuals` is empty).
    var residualSumOfSquares: Double? = nil

    /// Fits `y` on the columns of `x`.
    /// - Parameters:
    ///   - weights: non-negative row weights (nil for OLS); their count must be the row count.
    /// - Throws: `RegressionError.notEstimable` for no rows, mismatched lengths, non-finite
    ///   values, or no column left after alias removal; LinearAlgebra errors pass through.
    /// - Complexity: Cholesky path O(n·k²) flops at gemm speed and O(k²) extra memory;
    ///   QR path O(2n·k²) and a copy of X.
    public init(x: MatrixView, y: [Double], weights: [Double]? = nil, options: SolveOptions = SolveOptions()) throws {
        let n = x.rows, k = x.columns
        guard y.count == n, weights.map({ $0.count == n }) ?? true else {
            throw RegressionError.notEstimable(reason: "X has \(n) rows but y has \(y.count)" + (weights.map { " and weights \($0.count)" } ?? ""))
        }
        guard n > 0 else { throw RegressionError.notEstimable(reason: "no observations") }
        guard k > 0 else { throw RegressionError.notEstimable(reason: "the model has no regressors") }
        guard VectorKernels.allFinite(y) else { throw RegressionError.notEstimable(reason: "the response has a NaN or infinite value") }
        let rootWeights = weights.map { $0.map { $0.squareRoot() } }
        // OpenBLAS held at one thread: every LAPACK call gives the same bits whatever its
        // thread count elsewhere; the O(n·k²) passes run in `Parallel` regions.
        self = try OpenBLASThreads.singleThreaded {
            if options.strategy == .automatic,
               let fast = try LeastSquaresFit.cholesky(x: x, y: y, rootWeights: rootWeights, options: options) {
                return fast
            }
            return try LeastSquaresFit.pivotedQR(x: x, y: y, rootWeights: rootWeights, options: options)
        }
    }

    init(coefficients: [Double], kept: [Int], aliased: [Int], bread: Matrix, residuals: [Double], method: SolveMethod, conditionNumber: Double) {
        self.coefficients = coefficients
        self.kept = kept
        self.aliased = aliased
        self.bread = bread
        self.residuals = residuals
        self.method = method
        self.conditionNumber = conditionNumber
    }

    /// The coefficients of the kept columns, in `kept` order.
    public var keptCoefficients: [Double] { kept.map { coefficients[$0] } }

    // MARK: Cholesky path

    /// nil when the equilibrated Gram matrix is not positive definite or too ill-conditioned.
    static func cholesky(x: MatrixView, y: [Double], rootWeights: [Double]?, options: SolveOptions) throws -> LeastSquaresFit? {
        let k = x.columns
        // Unweighted: XᵀX and Xᵀy in one pass over X.
        let gram: Matrix
        var xty: [Double]?
        if let rootWeights {
            gram = try Matrix.gram(x, rowScale: rootWeights, parallelism: options.parallelism)
        } else {
            (gram, xty) = try Matrix.gramAndTransposedProduct(x, y, parallelism: options.parallelism)
        }
        guard VectorKernels.allFinite(gram.storage) else {
            throw RegressionError.notEstimable(reason: "a regressor has a NaN or infinite value (or XᵀX overflows; rescale the data)")
        }
        let scale = (0..<k).map { gram[$0, $0].squareRoot() }
        guard scale.allSatisfy({ $0 > 0 }) else { return nil }
        let equilibrated = Matrix(rows: k, columns: k) { i, j in gram[i, j] / (scale[i] * scale[j]) }
        guard let factor = try? Cholesky(equilibrated) else { return nil }
        let reciprocal = try factor.reciprocalConditionNumber()
        let condition = reciprocal > 0 ? 1 / reciprocal : .infinity
        guard condition <= options.conditionLimit * options.conditionLimit else { return nil }

        let parallelism = options.parallelism
        let weightedY = rootWeights.map { w in zip(y, w).map { $0 * $1 * $1 } } ?? y
        let rightSide = try xty ?? Matrix.transposedProduct(x, weightedY, parallelism: parallelism)
        var beta = try factor.solve(rightSide.enumerated().map { $1 / scale[$0] })
        for j in 0..<k { beta[j] /= scale[j] }
        // The last residuals: with the HC0/HC1 meat in the same pass over X when asked for.
        var residualGram: Matrix?
        var residualSumOfSquares: Double?
        func finalResiduals() throws -> [Double] {
            guard options.wantsResidualGram, rootWeights == nil else {
                return try LeastSquaresFit.residuals(x: x, y: y, beta: beta, parallelism: parallelism)
            }
            // The caller needs only Σu² and the meat: no n-array of residuals (5·10⁶ × 20: the
            // pass 0.043–0.047 s → see BENCHMARKS.md).
            (residualSumOfSquares, residualGram) = try Matrix.residualSumOfSquaresAndScaledGram(x, y, beta, parallelism: parallelism)
            return []
        }
        if condition > 1e3 {
            let first = try LeastSquaresFit.residuals(x: x, y: y, beta: beta, parallelism: parallelism)
            let weighted = rootWeights.map { w in zip(first, w).map { $0 * $1 * $1 } } ?? first
            let correction = try factor.solve(try Matrix.transposedProduct(x, weighted, parallelism: parallelism).enumerated().map { $1 / scale[$0] })
            for j in 0..<k { beta[j] += correction[j] / scale[j] }
        }
        let residuals = try finalResiduals()
        let inverse = try factor.inverse()
        let bread = Matrix(rows: k, columns: k) { i, j in inverse[i, j] / (scale[i] * scale[j]) }
        var fit = LeastSquaresFit(coefficients: beta, kept: Array(0..<k), aliased: [], bread: bread, residuals: residuals,
                                  method: .cholesky, conditionNumber: condition.squareRoot())
        fit.residualGram = residualGram
        fit.residualSumOfSquares = residualSumOfSquares
        return fit
    }

    /// y − X·β, in row blocks (bit-identical for any `parallelism`).
    static func residuals(x: MatrixView, y: [Double], beta: [Double], parallelism: Parallelism = .serial) throws -> [Double] {
        try Matrix.blockedResiduals(x, y, beta, parallelism: parallelism)
    }

    // MARK: QR path

    static func pivotedQR(x: MatrixView, y: [Double], rootWeights: [Double]?, options: SolveOptions) throws -> LeastSquaresFit {
        let n = x.rows, k = x.columns
        let scaled = rootWeights.map { x.rowScaled(by: $0) } ?? Matrix(x)
        guard VectorKernels.allFinite(scaled.storage) else {
            throw RegressionError.notEstimable(reason: "a regressor has a NaN or infinite value")
        }
        let scaledY = rootWeights.map { w in zip(y, w).map { $0 * $1 } } ?? y
        var qr = try PivotedQR(scaled)
        let kept = AliasDetection.keptColumns(AliasDetection.unpivotedR(qr), tolerance: options.aliasTolerance)
        guard !kept.isEmpty else {
            throw RegressionError.notEstimable(reason: "every regressor is zero or aliased")
        }
        let aliased = (0..<k).filter { !Set(kept).contains($0) }
        var design = scaled
        if !aliased.isEmpty {
            design = Matrix(rows: n, columns: kept.count) { i, j in scaled[i, kept[j]] }
            qr = try PivotedQR(design)
        }
        let p = kept.count
        // Solve with every remaining column (rank tolerance 0: the alias rule already decided).
        let first = try qr.solveLeastSquares(scaledY, tolerance: 0)
        guard first.rank == p else {
            throw RegressionError.notEstimable(reason: "the kept regressors are numerically singular (R has a zero pivot)")
        }
        var beta = first.coefficients
        var r = try residuals(x: design.view, y: scaledY, beta: beta)
        var previous = Double.infinity
        for _ in 0..<4 {
            let (f, g) = AugmentedResidual.compute(a: design.view, b: scaledY, x: beta, r: r)
            let (dx, dr) = try AugmentedSystem.solve(qr: qr, rank: p, f: f, g: g)
            for j in 0..<p { beta[j] += dx[j] }
            for i in 0..<n { r[i] += dr[i] }
            let size = VectorKernels.sumOfSquares(dx).squareRoot() / Swift.max(VectorKernels.sumOfSquares(beta).squareRoot(), .leastNormalMagnitude)
            if size <= Double.ulpOfOne || size >= 0.5 * previous { break }
            previous = size
        }
        let bread = try AugmentedSystem.inverseGram(qr: qr, rank: p)
        var coefficients = [Double](repeating: .nan, count: k)
        for (j, column) in kept.enumerated() { coefficients[column] = beta[j] }
        let unweightedResiduals = try residuals(x: x, y: y, beta: coefficients.map { $0.isNaN ? 0 : $0 }, parallelism: options.parallelism)
        let rcond = try qr.reciprocalConditionNumber(rank: p)
        return LeastSquaresFit(coefficients: coefficients, kept: kept, aliased: aliased, bread: bread,
                               residuals: unweightedResiduals, method: .pivotedQR, conditionNumber: rcond > 0 ? 1 / rcond : .infinity)
    }
}
