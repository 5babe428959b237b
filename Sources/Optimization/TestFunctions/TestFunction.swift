import Foundation

/// The classic benchmark functions for global optimizers, with their search boxes, known
/// minima and exact gradients, plus shifted-optimum variants f(x − o) that do not reward a
/// method for looking at the centre of the box or along its diagonal.
///
/// Each is written once, generic over `DifferentiableReal` (so automatic differentiation
/// applies), and also has a hand-written gradient (`valueAndGradient`) that the tests check
/// against the dual numbers.
public struct TestFunction: ObjectiveFunction, DifferentiableFunction, CustomStringConvertible {
    /// The six functions.
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// Σ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)² on [−5, 10]ⁿ; minimum 0 at (1, …, 1). A curved valley.
        case rosenbrock
        /// 10n + Σ xᵢ² − 10 cos 2πxᵢ on [−5.12, 5.12]ⁿ; minimum 0 at 0. ~10ⁿ local minima.
        case rastrigin
        /// −20 exp(−0.2 √(Σxᵢ²/n)) − exp(Σ cos 2πxᵢ / n) + 20 + e on [−32.768, 32.768]ⁿ; minimum 0 at 0.
        case ackley
        /// 1 + Σ xᵢ²/4000 − Π cos(xᵢ/√i) on [−600, 600]ⁿ; minimum 0 at 0.
        case griewank
        /// 418.98288727…·n − Σ xᵢ sin √|xᵢ| on [−500, 500]ⁿ; minimum ≈ 0 at 420.9687…, far from the
        /// second-best minima (deceptive).
        case schwefel
        /// ½ Σ xᵢ⁴ − 16xᵢ² + 5xᵢ on [−5, 5]ⁿ; minimum −39.16616570377142·n at −2.903534…
        case styblinskiTang = "styblinski-tang"
    }

    /// Which function.
    public let kind: Kind
    /// n.
    public let dimension: Int
    /// The shift o: the function is f(x − o) (zeros for the plain function).
    public let shift: [Double]
    /// The search box.
    public let bounds: Bounds

    static let schwefelConstant = 418.982_887_272_433_69
    static let schwefelArgmin = 420.968_746_359_982_0
    static let styblinskiArgmin = -2.903_534_027_771_178

    /// The plain function, or its shifted variant, in `dimension` dimensions.
    /// - Throws: `OptimizationError.invalidSetting` when `dimension < 1` (Rosenbrock: < 2).
    public init(_ kind: Kind, dimension: Int, shifted: Bool = false) throws {
        let minimum = kind == .rosenbrock ? 2 : 1
        guard dimension >= minimum else {
            throw OptimizationError.invalidSetting(name: "dimension", reason: "\(kind.rawValue) needs at least \(minimum), got \(dimension)")
        }
        self.kind = kind
        self.dimension = dimension
        let (lo, hi) = Self.box(kind)
        bounds = Bounds(unchecked: Array(repeating: lo, count: dimension), upper: Array(repeating: hi, count: dimension))
        shift = shifted ? (0..<dimension).map { Self.shift(kind, coordinate: $0) } : Array(repeating: 0, count: dimension)
    }

    /// A function by name: `rastrigin`, `shifted-rastrigin`, `styblinski-tang`, …
    /// - Throws: `OptimizationError.unknownName` listing the known names; `.invalidSetting` for
    ///   a bad dimension.
    public init(named name: String, dimension: Int) throws {
        let lower = name.lowercased()
        let shifted = lower.hasPrefix("shifted-")
        let base = shifted ? String(lower.dropFirst("shifted-".count)) : lower
        guard let kind = Kind(rawValue: base) else {
            throw OptimizationError.unknownName(kind: "test function", name: name, known: Self.names)
        }
        try self.init(kind, dimension: dimension, shifted: shifted)
    }

    /// Every name `init(named:)` accepts.
    public static var names: [String] { Kind.allCases.map(\.rawValue) + Kind.allCases.map { "shifted-" + $0.rawValue } }

    /// Whether this is a shifted variant.
    public var isShifted: Bool { shift.contains { $0 != 0 } }
    /// "rastrigin" or "shifted-rastrigin".
    public var description: String { (isShifted ? "shifted-" : "") + kind.rawValue }

    static func box(_ kind: Kind) -> (Double, Double) {
        switch kind {
        case .rosenbrock: return (-5, 10)
        case .rastrigin: return (-5.12, 5.12)
        case .ackley: return (-32.768, 32.768)
        case .griewank: return (-600, 600)
        case .schwefel: return (-500, 500)
        case .styblinskiTang: return (-5, 5)
        }
    }

    /// oᵢ = scale·uᵢ with uᵢ = 2·frac((i+1)/φ) − 1 ∈ (−1, 1); the scales keep the optimum inside
    /// the box. Schwefel's shift lies in (−75, 15): outside [−500, 500] its terms −z sin √|z| go
    /// below the in-box minimum −418.98 for z < −525 (and only beyond z ≈ 631 on the other side),
    /// so the shifted box [−500 − o, 500 − o] must not reach past −520.
    static func shift(_ kind: Kind, coordinate i: Int) -> Double {
        let u = 2 * (Double(i + 1) * 0.618_033_988_749_894_9).truncatingRemainder(dividingBy: 1) - 1
        switch kind {
        case .rosenbrock: return 2 * u
        case .rastrigin: return 2 * u
        case .ackley: return 16 * u
        case .griewank: return 300 * u
        case .schwefel: return -30 + 45 * u
        case .styblinskiTang: return 2 * u
        }
    }

    /// The global minimizer.
    public var minimizer: [Double] {
        (0..<dimension).map { i in
            let base: Double
            switch kind {
            case .rosenbrock: base = 1
            case .schwefel: base = Self.schwefelArgmin
            case .styblinskiTang: base = Self.styblinskiArgmin
            default: base = 0
            }
            return base + shift[i]
        }
    }

    /// The global minimum f* (0, except Styblinski–Tang: −39.16616570377142·n; Schwefel's is
    /// 0 to within 1e-9·n).
    public var minimum: Double {
        kind == .styblinskiTang ? -39.166_165_703_771_42 * Double(dimension) : 0
    }

    /// Whether `value` is within `tolerance` of the global minimum (the benchmark's success test).
    public func isSuccess(_ value: Double, tolerance: Double = 1e-5) -> Bool { Swift.abs(value - minimum) < tolerance }

    /// f(x) on any scalar type. - Complexity: O(n).
    public func callAsFunction<T: DifferentiableReal>(_ x: [T]) -> T {
        let n = dimension
        let z = (0..<n).map { x[$0] - T(shift[$0]) }
        let twoPi = T(2 * Double.pi)
        switch kind {
        case .rosenbrock:
            var sum = T(0)
            for i in 0..<(n - 1) {
                let a = z[i + 1] - z[i] * z[i], b = 1 - z[i]
                sum += 100 * a * a + b * b
            }
            return sum
        case .rastrigin:
            var sum = T(Double(10 * n))
            for zi in z { sum += zi * zi - 10 * T.cos(twoPi * zi) }
            return sum
        case .ackley:
            var squares = T(0), cosines = T(0)
            for zi in z {
                squares += zi * zi
                cosines += T.cos(twoPi * zi)
            }
            let dn = T(Double(n))
            return -20 * T.exp(-0.2 * T.sqrt(squares / dn)) - T.exp(cosines / dn) + T(20 + M_E)
        case .griewank:
            var sum = T(0), product = T(1)
            for (i, zi) in z.enumerated() {
                sum += zi * zi
                product *= T.cos(zi / T(Double(i + 1).squareRoot()))
            }
            return 1 + sum / 4000 - product
        case .schwefel:
            var sum = T(Self.schwefelConstant * Double(n))
            for zi in z { sum -= zi * T.sin(T.sqrt(T.abs(zi))) }
            return sum
        case .styblinskiTang:
            var sum = T(0)
            for zi in z {
                let z2 = zi * zi
                sum += z2 * z2 - 16 * z2 + 5 * zi
            }
            return sum * 0.5
        }
    }

    /// f(x). - Complexity: O(n).
    public func value(at x: [Double]) -> Double {
        guard x.count == dimension else { return .nan }
        return self(x)
    }

    /// `true`: hand-written gradients.
    public var providesGradient: Bool { true }

    /// f(x) and the hand-written gradient. At Ackley's minimum and Schwefel's xᵢ = o, where a
    /// square root of 0 makes the derivative singular, the limit from the formula's smooth part
    /// is used (0 and the sine term). - Complexity: O(n).
    public func valueAndGradient(at x: [Double]) -> (value: Double, gradient: [Double])? {
        let n = dimension
        guard x.count == n else { return nil }
        let z = (0..<n).map { x[$0] - shift[$0] }
        var g = [Double](repeating: 0, count: n)
        let twoPi = 2 * Double.pi
        switch kind {
        case .rosenbrock:
            for i in 0..<(n - 1) {
                let a = z[i + 1] - z[i] * z[i]
                g[i] += -400 * z[i] * a - 2 * (1 - z[i])
                g[i + 1] += 200 * a
            }
        case .rastrigin:
            for i in 0..<n { g[i] = 2 * z[i] + 20 * Double.pi * Foundation.sin(twoPi * z[i]) }
        case .ackley:
            var squares = 0.0, cosines = 0.0
            for zi in z { squares += zi * zi; cosines += Foundation.cos(twoPi * zi) }
            let dn = Double(n), r = (squares / dn).squareRoot()
            let e1 = Foundation.exp(-0.2 * r), e2 = Foundation.exp(cosines / dn)
            for i in 0..<n {
                let radial = r > 0 ? 4 * e1 * z[i] / (dn * r) : 0
                g[i] = radial + twoPi * Foundation.sin(twoPi * z[i]) * e2 / dn
            }
        case .griewank:
            let roots = (0..<n).map { Double($0 + 1).squareRoot() }
            let cosines = (0..<n).map { Foundation.cos(z[$0] / roots[$0]) }
            var prefix = [Double](repeating: 1, count: n + 1)
            var suffix = [Double](repeating: 1, count: n + 1)
            for i in 0..<n { prefix[i + 1] = prefix[i] * cosines[i] }
            for i in stride(from: n - 1, through: 0, by: -1) { suffix[i] = suffix[i + 1] * cosines[i] }
            for i in 0..<n {
                g[i] = z[i] / 2000 + Foundation.sin(z[i] / roots[i]) / roots[i] * prefix[i] * suffix[i + 1]
            }
        case .schwefel:
            for i in 0..<n {
                let r = Swift.abs(z[i]).squareRoot()
                g[i] = -(Foundation.sin(r) + 0.5 * r * Foundation.cos(r))
            }
        case .styblinskiTang:
            for i in 0..<n { g[i] = 0.5 * (4 * z[i] * z[i] * z[i] - 32 * z[i] + 5) }
        }
        return (self(x), g)
    }
}
