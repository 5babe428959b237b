import Foundation
import LinearAlgebra

/// A distribution whose variates are pure functions of a `RandomAddress`.
///
/// Each variate reads a fixed number of ingredients (`ingredients`: uniforms or standard
/// normals, numbered 0, 1, … in Philox counter word 3), never a variable number: no
/// rejection sampling, so neighbouring SIMD lanes and any chunking stay in step and a
/// variate's cost is bounded. Non-normal shapes use inverse CDFs (gamma by
/// `SpecialFunctions.gammaQuantile`) or exact transformations of those.
public protocol UnivariateDistribution: Sendable {
    /// How many ingredients (counter word 3 = 0 ..< ingredients) one variate reads.
    var ingredients: Int { get }
    /// The variate at `address`.
    func sample(at address: RandomAddress) -> Double
}

extension UnivariateDistribution {
    /// Variates `first ..< first + count` of `stream` (variate i at `stream.address(of: i)`),
    /// computed on `parallelism` threads; the same bits for any thread count.
    /// - Throws: `MonteCarloError.invalidArgument` for a negative or too large range.
    /// - Complexity: O(count) samples; one allocation.
    public func samples(_ stream: RandomStream, count: Int, first: Int = 0,
                        parallelism: Parallelism = .serial) throws -> [Double] {
        guard count >= 0, first >= 0, first <= Int.max - count, (first + count) >> 32 <= Int(UInt32.max) + 1 else {
            throw MonteCarloError.invalidArgument(name: "count/first", reason: "need 0 ≤ first, 0 ≤ count, first + count ≤ 2⁶⁴")
        }
        let chunks = try Parallel.map(count: count, chunkSize: 4096, parallelism: parallelism) { range in
            range.map { self.sample(at: stream.address(of: first + $0)) }
        }
        return Array(chunks.joined())
    }
}

/// Throws `invalidArgument` unless `condition` holds.
@inline(__always)
func require(_ condition: Bool, _ name: String, _ reason: @autoclosure () -> String) throws {
    if !condition { throw MonteCarloError.invalidArgument(name: name, reason: reason()) }
}

/// Uniform on [lower, upper): lower + (upper − lower)·u, one uniform.
public struct UniformDistribution: UnivariateDistribution {
    /// The bounds of [lower, upper).
    public let lower: Double, upper: Double
    /// - Throws: `invalidArgument` unless both bounds are finite and lower < upper.
    public init(lower: Double = 0, upper: Double = 1) throws {
        try require(lower.isFinite && upper.isFinite && lower < upper, "uniform", "need finite lower < upper, got [\(lower), \(upper))")
        self.lower = lower
        self.upper = upper
    }
    /// 1 ingredient per variate.
    public var ingredients: Int { 1 }
    /// - Complexity: one Philox block.
    public func sample(at address: RandomAddress) -> Double {
        lower + (upper - lower) * address.uniform()
    }
}

/// Normal N(mean, sd²): mean + sd·z, one standard normal (Box–Muller).
public struct NormalDistribution: UnivariateDistribution {
    /// Mean and standard deviation.
    public let mean: Double, standardDeviation: Double
    /// - Throws: `invalidArgument` unless mean is finite and sd is finite and ≥ 0.
    public init(mean: Double = 0, standardDeviation: Double = 1) throws {
        try require(mean.isFinite && standardDeviation.isFinite && standardDeviation >= 0, "normal",
                    "need finite mean and sd ≥ 0, got \(mean), \(standardDeviation)")
        self.mean = mean
        self.standardDeviation = standardDeviation
    }
    /// 1 ingredient per variate.
    public var ingredients: Int { 1 }
    /// - Complexity: one Philox block and one Box–Muller step.
    public func sample(at address: RandomAddress) -> Double {
        mean + standardDeviation * address.standardNormal()
    }
}

/// Log-normal: exp(μ + σ·z), one standard normal.
public struct LogNormalDistribution: UnivariateDistribution {
    /// Mean and standard deviation of the logarithm.
    public let mu: Double, sigma: Double
    /// - Throws: `invalidArgument` unless μ is finite and σ is finite and ≥ 0.
    public init(mu: Double = 0, sigma: Double = 1) throws {
        try require(mu.isFinite && sigma.isFinite && sigma >= 0, "lognormal", "need finite mu and sigma ≥ 0, got \(mu), \(sigma)")
        self.mu = mu
        self.sigma = sigma
    }
    /// 1 ingredient per variate.
    public var ingredients: Int { 1 }
    /// The variate at `address` (see the type's documentation for the ingredients it reads).
    public func sample(at address: RandomAddress) -> Double {
        Foundation.exp(mu + sigma * address.standardNormal())
    }
}

/// Gamma(shape k, scale θ) by inverse CDF of one uniform: θ·P⁻¹(k, u).
///
/// Accuracy is that of `SpecialFunctions.gammaQuantile` (|P(k, x) − u| ≤ 10⁻¹¹·u·max(1, √k)).
public struct GammaDistribution: UnivariateDistribution {
    /// Shape k and scale θ (mean kθ).
    public let shape: Double, scale: Double
    /// - Throws: `invalidArgument` unless shape and scale are finite and > 0.
    public init(shape: Double, scale: Double = 1) throws {
        try require(shape.isFinite && shape > 0 && scale.isFinite && scale > 0, "gamma",
                    "need finite shape > 0 and scale > 0, got \(shape), \(scale)")
        self.shape = shape
        self.scale = scale
    }
    /// 1 ingredient per variate.
    public var ingredients: Int { 1 }
    /// The variate from ingredient `ingredient`.
    /// - Complexity: one Philox block and a gamma quantile (a few incomplete-gamma evaluations).
    public func sample(at address: RandomAddress, ingredient: UInt32) -> Double {
        let u = address.uniform(ingredient: ingredient)
        return scale * SpecialFunctions.gammaQuantile(shape: shape, p: u, q: 1 - u)
    }
    /// The variate at `address` (see the type's documentation for the ingredients it reads).
    public func sample(at address: RandomAddress) -> Double { sample(at: address, ingredient: 0) }
}

/// Chi-square with ν degrees of freedom: Gamma(ν/2, scale 2), one uniform.
public struct ChiSquareDistribution: UnivariateDistribution {
    /// ν.
    public let degreesOfFreedom: Double
    let gamma: GammaDistribution
    /// - Throws: `invalidArgument` unless ν is finite and > 0.
    public init(degreesOfFreedom: Double) throws {
        try require(degreesOfFreedom.isFinite && degreesOfFreedom > 0, "chisquare", "need finite df > 0, got \(degreesOfFreedom)")
        self.degreesOfFreedom = degreesOfFreedom
        self.gamma = try GammaDistribution(shape: degreesOfFreedom / 2, scale: 2)
    }
    /// 1 ingredient per variate.
    public var ingredients: Int { 1 }
    /// The variate from ingredient `ingredient`.
    public func sample(at address: RandomAddress, ingredient: UInt32) -> Double {
        gamma.sample(at: address, ingredient: ingredient)
    }
    /// The variate at `address` (see the type's documentation for the ingredients it reads).
    public func sample(at address: RandomAddress) -> Double { sample(at: address, ingredient: 0) }
}

/// Student t with ν degrees of freedom: z / √(χ²_ν / ν), a normal (ingredient 0) and a
/// chi-square (ingredient 1).
public struct StudentTDistribution: UnivariateDistribution {
    /// ν.
    public let degreesOfFreedom: Double
    let chiSquare: ChiSquareDistribution
    /// - Throws: `invalidArgument` unless ν is finite and > 0.
    public init(degreesOfFreedom: Double) throws {
        self.chiSquare = try ChiSquareDistribution(degreesOfFreedom: degreesOfFreedom)
        self.degreesOfFreedom = degreesOfFreedom
    }
    /// 2 ingredients per variate.
    public var ingredients: Int { 2 }
    /// The variate at `address` (see the type's documentation for the ingredients it reads).
    public func sample(at address: RandomAddress) -> Double {
        address.standardNormal(ingredient: 0) / (chiSquare.sample(at: address, ingredient: 1) / degreesOfFreedom).squareRoot()
    }
}

/// Beta(a, b): X/(X + Y) with X ~ Gamma(a) (ingredient 0) and Y ~ Gamma(b) (ingredient 1).
///
/// For very small shapes both gammas can underflow to 0; the variate is then 1 if
/// u₀ < a/(a + b) and 0 otherwise — the limit of Beta(a, b) as both shapes shrink.
public struct BetaDistribution: UnivariateDistribution {
    /// The shapes a (alpha) and b (beta).
    public let alpha: Double, beta: Double
    let x: GammaDistribution, y: GammaDistribution
    /// - Throws: `invalidArgument` unless both shapes are finite and > 0.
    public init(alpha: Double, beta: Double) throws {
        try require(alpha.isFinite && alpha > 0 && beta.isFinite && beta > 0, "beta",
                    "need finite shapes > 0, got \(alpha), \(beta)")
        self.alpha = alpha
        self.beta = beta
        self.x = try GammaDistribution(shape: alpha)
        self.y = try GammaDistribution(shape: beta)
    }
    /// 2 ingredients per variate.
    public var ingredients: Int { 2 }
    /// The variate at `address` (see the type's documentation for the ingredients it reads).
    public func sample(at address: RandomAddress) -> Double {
        let gx = x.sample(at: address, ingredient: 0), gy = y.sample(at: address, ingredient: 1)
        let sum = gx + gy
        if sum > 0 { return gx / sum }
        return address.uniform(ingredient: 0) < alpha / (alpha + beta) ? 1 : 0
    }
}
