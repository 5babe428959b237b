import Foundation

/// The distributions of test statistics that inference needs — Student t, F, χ², standard
/// normal — as upper-tail probabilities and quantiles, built on `SpecialFunctions`.
///
/// Accuracy: tail probabilities about 1e-14 relative (that of the incomplete beta and gamma
/// functions); quantiles are solved to 1e-15 relative by safeguarded Newton steps on the
/// CDF, so they invert the CDF to its own accuracy. Checked in the tests against R's
/// `pt`/`qt`/`pf`/`pchisq`/`qnorm`. Every function returns NaN for a NaN argument, a
/// non-positive degrees of freedom or a probability outside [0, 1].
public enum TestDistributions {
    /// P(T > |t|)·2, the two-sided p-value of a t statistic with ν degrees of freedom
    /// (ν = +inf gives the normal's).
    public static func studentTTwoSided(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        guard !t.isNaN, nu > 0 else { return .nan }
        if nu.isInfinite { return Foundation.erfc(Swift.abs(t) * 0.70710678118654752440) }
        if t.isInfinite { return 0 }
        return SpecialFunctions.regularizedBeta(nu / (nu + t * t), nu / 2, 0.5)
    }

    /// The Student t density with ν degrees of freedom.
    public static func studentTDensity(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        guard !t.isNaN, nu > 0 else { return .nan }
        if nu.isInfinite { return Foundation.exp(-0.5 * t * t) / (2 * Double.pi).squareRoot() }
        let logConstant = SpecialFunctions.logGamma((nu + 1) / 2) - SpecialFunctions.logGamma(nu / 2) - 0.5 * Foundation.log(nu * Double.pi)
        return Foundation.exp(logConstant - (nu + 1) / 2 * Foundation.log1p(t * t / nu))
    }

    /// The p-quantile of Student's t with ν degrees of freedom (R's `qt(p, ν)`).
    /// Returns ∓inf at p = 0 or 1.
    /// - Complexity: a few dozen incomplete-beta evaluations at most.
    public static func studentTQuantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        guard p >= 0, p <= 1, nu > 0 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        if nu.isInfinite { return normalQuantile(p) }
        // Solve on the upper tail q = min(p, 1 − p) for t ≥ 0, then restore the sign.
        let q = Swift.min(p, 1 - p)
        let tail: (Double) -> Double = { t in 0.5 * studentTTwoSided(t, degreesOfFreedom: nu) }
        if nu == 1 { return (p < 0.5 ? -1 : 1) * Foundation.tan(Double.pi * (0.5 - q)) }
        if nu == 2 { let t = (2 / (4 * q * (1 - q)) - 2).squareRoot(); return p < 0.5 ? -t : t }
        // Start from the normal quantile with a Cornish–Fisher correction.
        let z = -normalQuantile(q)
        var t = z + (z * z * z + z) / (4 * nu) + (5 * Foundation.pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * nu * nu)
        if !(t > 0) || !t.isFinite { t = 1 }
        var low = 0.0, high = Double.infinity
        for _ in 0..<200 {
            let f = tail(t) - q
            if f > 0 { low = t } else { high = t }
            let density = studentTDensity(t, degreesOfFreedom: nu)
            var next = density > 0 ? t + f / density : .nan
            if !(next > low && next < high) || !next.isFinite {
                next = high.isFinite ? 0.5 * (low + high) : 2 * t
            }
            if Swift.abs(next - t) <= 1e-15 * Swift.abs(next) { t = next; break }
            t = next
        }
        return p < 0.5 ? -t : t
    }

    /// The standard normal p-quantile (R's `qnorm(p)`): a rational start refined by Halley
    /// steps on erfc (accurate in both tails).
    public static func normalQuantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        let q = Swift.min(p, 1 - p)
        // Abramowitz & Stegun 26.2.23 start (|error| < 4.5e-4), for the upper-tail x ≥ 0.
        let s = (-2 * Foundation.log(q)).squareRoot()
        var x = s - (2.515517 + 0.802853 * s + 0.010328 * s * s) / (1 + 1.432788 * s + 0.189269 * s * s + 0.001308 * s * s * s)
        for _ in 0..<6 {
            let upper = 0.5 * Foundation.erfc(x * 0.70710678118654752440)
            let density = Foundation.exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
            guard density > 0 else { break }
            let u = (upper - q) / density
            let step = u / (1 + 0.5 * x * u)
            x += step
            if Swift.abs(step) <= 1e-16 * Swift.abs(x) { break }
        }
        return p < 0.5 ? -x : x
    }

    /// P(F > f) for an F(d₁, d₂) statistic (R's `pf(f, d1, d2, lower.tail = FALSE)`).
    public static func fUpperTail(_ f: Double, numeratorDF d1: Double, denominatorDF d2: Double) -> Double {
        guard !f.isNaN, d1 > 0, d2 > 0 else { return .nan }
        if f <= 0 { return 1 }
        if f.isInfinite { return 0 }
        if d2.isInfinite { return chiSquareUpperTail(f * d1, degreesOfFreedom: d1) }
        return SpecialFunctions.regularizedBeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2)
    }

    /// P(χ² > x) with ν degrees of freedom (R's `pchisq(x, ν, lower.tail = FALSE)`).
    public static func chiSquareUpperTail(_ x: Double, degreesOfFreedom nu: Double) -> Double {
        guard !x.isNaN, nu > 0 else { return .nan }
        if x <= 0 { return 1 }
        if x.isInfinite { return 0 }
        return SpecialFunctions.regularizedGammaQ(nu / 2, x / 2)
    }
}
