/// The Moré–Thuente line search (MINPACK-2 `dcsrch`/`dcstep`, Moré & Thuente 1994): finds a
/// step satisfying the strong Wolfe conditions
///     φ(t) ≤ φ(0) + ftol·t·φ′(0)   and   |φ′(t)| ≤ gtol·|φ′(0)|
/// by safeguarded cubic and quadratic interpolation on an interval of uncertainty.
///
/// Driven by reverse communication: `start` gives the first trial step, each `next(value:slope:)`
/// takes φ and φ′ at the trial step and says what to do. A NaN or infinite φ is not passed in:
/// `rejectNonFinite()` halves the step toward the best point and caps later steps below it.
struct MoreThuenteLineSearch {
    enum Action: Equatable {
        /// Evaluate φ at this step next.
        case evaluate(Double)
        /// Both Wolfe conditions hold at the last step.
        case converged
        /// No better step can be found (rounding, the interval closed, a step limit); the last
        /// step is the best available.
        case warning(String)
    }

    let ftol: Double, gtol: Double, xtol: Double
    private(set) var stp: Double
    private var stpmin: Double, stpmax: Double
    private var finit: Double, ginit: Double, gtest: Double
    private var stx = 0.0, fx: Double, gx: Double
    private var sty = 0.0, fy: Double, gy: Double
    private var stmin = 0.0, stmax: Double
    private var width: Double, width1: Double
    private var brackt = false
    private var stage = 1
    private static let xtrapl = 1.1, xtrapu = 4.0

    /// Starts a search from φ(0) = `value`, φ′(0) = `slope` (< 0) with trial step `step` in
    /// [stepMin, stepMax].
    init(value: Double, slope: Double, step: Double, stepMin: Double = 0, stepMax: Double,
         ftol: Double = 1e-3, gtol: Double = 0.9, xtol: Double = 0.1) {
        self.ftol = ftol
        self.gtol = gtol
        self.xtol = xtol
        self.stpmin = stepMin
        self.stpmax = stepMax
        self.stp = Swift.min(Swift.max(step, stepMin), stepMax)
        finit = value
        ginit = slope
        gtest = ftol * slope
        width = stepMax - stepMin
        width1 = 2 * width
        fx = value; gx = slope
        fy = value; gy = slope
        stmax = stp + Self.xtrapu * stp
    }

    /// The first trial step.
    var firstStep: Double { stp }

    /// Whether `value` at the current trial step satisfies the sufficient-decrease condition.
    func sufficientDecrease(_ value: Double) -> Bool { value <= finit + stp * gtest }

    /// The trial step gave a NaN or infinite value: try half of it (toward the best step) and
    /// never go beyond that again.
    mutating func rejectNonFinite() -> Action {
        let limit = stx + 0.5 * (stp - stx)
        if !(limit > stpmin) || limit == stp || limit == stx {
            return .warning("the objective is not finite along the search direction")
        }
        stpmax = Swift.min(stpmax, limit)
        brackt = false
        stmin = stx
        stmax = limit
        stp = limit
        return .evaluate(stp)
    }

    /// Takes φ(stp) and φ′(stp); returns the next action.
    mutating func next(value f: Double, slope g: Double) -> Action {
        let ftest = finit + stp * gtest
        if stage == 1 && f <= ftest && g >= 0 { stage = 2 }
        if brackt && (stp <= stmin || stp >= stmax) { return .warning("rounding errors prevent progress") }
        if brackt && stmax - stmin <= xtol * stmax { return .warning("the interval of uncertainty is below xtol") }
        if stp == stpmax && f <= ftest && g <= gtest { return .warning("the step is at the upper limit") }
        if stp == stpmin && (f > ftest || g >= gtest) { return .warning("the step is at the lower limit") }
        if f <= ftest && Swift.abs(g) <= gtol * (-ginit) { return .converged }

        if stage == 1 && f <= fx && f > ftest {
            // The modified function ψ(t) = φ(t) − φ(0) − ftol·t·φ′(0) guides the step until
            // a point with ψ ≤ 0 and φ′ ≥ 0 is found.
            var fxm = fx - stx * gtest, fym = fy - sty * gtest
            var gxm = gx - gtest, gym = gy - gtest
            let fm = f - stp * gtest, gm = g - gtest
            Self.step(stx: &stx, fx: &fxm, dx: &gxm, sty: &sty, fy: &fym, dy: &gym,
                      stp: &stp, fp: fm, dp: gm, brackt: &brackt, stpmin: stmin, stpmax: stmax)
            fx = fxm + stx * gtest; fy = fym + sty * gtest
            gx = gxm + gtest; gy = gym + gtest
        } else {
            Self.step(stx: &stx, fx: &fx, dx: &gx, sty: &sty, fy: &fy, dy: &gy,
                      stp: &stp, fp: f, dp: g, brackt: &brackt, stpmin: stmin, stpmax: stmax)
        }
        if brackt {
            if Swift.abs(sty - stx) >= 0.66 * width1 { stp = stx + 0.5 * (sty - stx) }
            width1 = width
            width = Swift.abs(sty - stx)
            stmin = Swift.min(stx, sty)
            stmax = Swift.max(stx, sty)
        } else {
            stmin = stp + Self.xtrapl * (stp - stx)
            stmax = stp + Self.xtrapu * (stp - stx)
        }
        stp = Swift.min(Swift.max(stp, stpmin), stpmax)
        if (brackt && (stp <= stmin || stp >= stmax)) || (brackt && stmax - stmin <= xtol * stmax) { stp = stx }
        if !stp.isFinite { return .warning("the interpolated step is not finite") }
        return .evaluate(stp)
    }

    /// `dcstep`: a safeguarded cubic/quadratic step and the update of the interval.
    private static func step(stx: inout Double, fx: inout Double, dx: inout Double,
                             sty: inout Double, fy: inout Double, dy: inout Double,
                             stp: inout Double, fp: Double, dp: Double, brackt: inout Bool,
                             stpmin: Double, stpmax: Double) {
        let sgnd = dp * (dx / Swift.abs(dx))
        var stpf: Double
        if fp > fx {
            // Higher value: the minimum is bracketed. Cubic if closer to stx, else the average.
            let theta = 3 * (fx - fp) / (stp - stx) + dx + dp
            let s = Swift.max(Swift.abs(theta), Swift.abs(dx), Swift.abs(dp))
            var gamma = s * ((theta / s) * (theta / s) - (dx / s) * (dp / s)).squareRoot()
            if stp < stx { gamma = -gamma }
            let p = (gamma - dx) + theta
            let q = ((gamma - dx) + gamma) + dp
            let stpc = stx + (p / q) * (stp - stx)
            let stpq = stx + ((dx / ((fx - fp) / (stp - stx) + dx)) / 2) * (stp - stx)
            stpf = Swift.abs(stpc - stx) < Swift.abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2
            brackt = true
        } else if sgnd < 0 {
            // Lower value, derivatives of opposite sign: bracketed. Cubic if farther from stp.
            let theta = 3 * (fx - fp) / (stp - stx) + dx + dp
            let s = Swift.max(Swift.abs(theta), Swift.abs(dx), Swift.abs(dp))
            var gamma = s * ((theta / s) * (theta / s) - (dx / s) * (dp / s)).squareRoot()
            if stp > stx { gamma = -gamma }
            let p = (gamma - dp) + theta
            let q = ((gamma - dp) + gamma) + dx
            let stpc = stp + (p / q) * (stx - stp)
            let stpq = stp + (dp / (dp - dx)) * (stx - stp)
            stpf = Swift.abs(stpc - stp) > Swift.abs(stpq - stp) ? stpc : stpq
            brackt = true
        } else if Swift.abs(dp) < Swift.abs(dx) {
            // Lower value, same sign, the derivative's magnitude decreases.
            let theta = 3 * (fx - fp) / (stp - stx) + dx + dp
            let s = Swift.max(Swift.abs(theta), Swift.abs(dx), Swift.abs(dp))
            var gamma = s * Swift.max(0, (theta / s) * (theta / s) - (dx / s) * (dp / s)).squareRoot()
            if stp > stx { gamma = -gamma }
            let p = (gamma - dp) + theta
            let q = (gamma + (dx - dp)) + gamma
            let r = p / q
            let stpc: Double
            if r < 0 && gamma != 0 { stpc = stp + r * (stx - stp) } else if stp > stx { stpc = stpmax } else { stpc = stpmin }
            let stpq = stp + (dp / (dp - dx)) * (stx - stp)
            if brackt {
                stpf = Swift.abs(stpc - stp) < Swift.abs(stpq - stp) ? stpc : stpq
                stpf = stp > stx ? Swift.min(stp + 0.66 * (sty - stp), stpf) : Swift.max(stp + 0.66 * (sty - stp), stpf)
            } else {
                stpf = Swift.abs(stpc - stp) > Swift.abs(stpq - stp) ? stpc : stpq
                stpf = Swift.max(stpmin, Swift.min(stpmax, stpf))
            }
        } else {
            // Lower value, same sign, the derivative's magnitude does not decrease.
            if brackt {
                let theta = 3 * (fp - fy) / (sty - stp) + dy + dp
                let s = Swift.max(Swift.abs(theta), Swift.abs(dy), Swift.abs(dp))
                var gamma = s * ((theta / s) * (theta / s) - (dy / s) * (dp / s)).squareRoot()
                if stp > sty { gamma = -gamma }
                let p = (gamma - dp) + theta
                let q = ((gamma - dp) + gamma) + dy
                stpf = stp + (p / q) * (sty - stp)
            } else {
                stpf = stp > stx ? stpmax : stpmin
            }
        }
        if fp > fx {
            sty = stp; fy = fp; dy = dp
        } else {
            if sgnd < 0 { sty = stx; fy = fx; dy = dx }
            stx = stp; fx = fp; dx = dp
        }
        stp = stpf
    }
}
