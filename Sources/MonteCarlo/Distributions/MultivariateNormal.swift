import LinearAlgebra

/// Multivariate normal N(μ, Σ) with Σ only required to be positive *semi*definite: x = μ + F·z,
/// F = P·L from a pivoted Cholesky factorization (rank r), z of r standard normals
/// (ingredients 0 ..< r of the address).
///
/// A rank-deficient Σ (as fixed-effect models give) is handled exactly: the variates lie on
/// the r-dimensional support of the distribution.
public struct MultivariateNormal: Sendable {
    /// μ.
    public let mean: [Double]
    /// F (d × r) with F·Fᵀ = Σ up to the factorization's tolerance.
    public let factor: Matrix
    /// The numerical rank r of Σ.
    public var rank: Int { factor.columns }

    /// - Parameters:
    ///   - mean: μ, d finite values.
    ///   - covariance: Σ, d × d symmetric positive semidefinite.
    ///   - tolerance: Pivot threshold of `PivotedCholesky` (nil: d·ε·max diag).
    /// - Throws: `MonteCarloError.invalidArgument` for a non-finite mean or a size mismatch;
    ///   `LinearAlgebraError` from `PivotedCholesky` (not symmetric, not semidefinite, NaN).
    /// - Complexity: O(d²·r).
    public init(mean: [Double], covariance: Matrix, tolerance: Double? = nil) throws {
        try require(mean.allSatisfy(\.isFinite), "mean", "must be finite")
        try require(covariance.rows == mean.count && covariance.columns == mean.count, "covariance",
                    "is \(covariance.rows)×\(covariance.columns), the mean has \(mean.count) values")
        self.mean = mean
        self.factor = try PivotedCholesky(covariance, tolerance: tolerance).permutedFactor
    }

    /// The variate at `address`, using `scale`·z in place of z (1 for the normal itself).
    func sample(at address: RandomAddress, scale: Double) -> [Double] {
        var x = mean
        let d = mean.count
        for j in 0..<rank {
            let z = scale * address.standardNormal(ingredient: UInt32(j))
            for i in 0..<d { x[i] += factor[i, j] * z }
        }
        return x
    }

    /// The variate at `address`.
    /// - Complexity: r Philox blocks and O(d·r).
    public func sample(at address: RandomAddress) -> [Double] { sample(at: address, scale: 1) }
}

/// Multivariate t with ν degrees of freedom, location μ and scale matrix Σ (positive
/// semidefinite): x = μ + F·z / √(w/ν), z as in `MultivariateNormal` (ingredients 0 ..< r)
/// and w ~ χ²_ν from ingredient r. Covariance ν/(ν − 2)·Σ for ν > 2.
public struct MultivariateT: Sendable {
    /// The normal part N(μ, Σ) whose draws are scaled by √(ν/w).
    public let normal: MultivariateNormal
    /// ν.
    public let degreesOfFreedom: Double
    let chiSquare: ChiSquareDistribution

    /// - Throws: as `MultivariateNormal.init`, and `invalidArgument` unless ν is finite and > 0.
    public init(degreesOfFreedom: Double, location: [Double], scale: Matrix, tolerance: Double? = nil) throws {
        self.chiSquare = try ChiSquareDistribution(degreesOfFreedom: degreesOfFreedom)
        self.normal = try MultivariateNormal(mean: location, covariance: scale, tolerance: tolerance)
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// The variate at `address`.
    /// - Complexity: r + 1 Philox blocks, a gamma quantile and O(d·r).
    public func sample(at address: RandomAddress) -> [Double] {
        let w = chiSquare.sample(at: address, ingredient: UInt32(normal.rank))
        return normal.sample(at: address, scale: 1 / (w / degreesOfFreedom).squareRoot())
    }
}
