/// Box constraints l ≤ x ≤ u, coordinate by coordinate; ±∞ means no bound on that side.
public struct Bounds: Sendable, Equatable {
    /// Lower bounds (−∞ for none).
    public let lower: [Double]
    /// Upper bounds (+∞ for none).
    public let upper: [Double]

    /// Bounds from two arrays of the same length.
    /// - Throws: `OptimizationError.dimensionMismatch` when the lengths differ;
    ///   `.invalidBounds` when some lᵢ > uᵢ or a bound is NaN.
    /// - Complexity: O(n).
    public init(lower: [Double], upper: [Double]) throws {
        guard lower.count == upper.count else {
            throw OptimizationError.dimensionMismatch(what: "the upper bounds (vs \(lower.count) lower bounds)", expected: lower.count, got: upper.count)
        }
        for i in lower.indices where lower[i].isNaN || upper[i].isNaN || lower[i] > upper[i] {
            throw OptimizationError.invalidBounds(index: i, lower: lower[i], upper: upper[i])
        }
        self.lower = lower
        self.upper = upper
    }

    /// The same interval [lower, upper] for each of `dimension` coordinates.
    /// - Throws: `.invalidBounds` when lower > upper or either is NaN.
    public init(dimension: Int, lower: Double, upper: Double) throws {
        try self.init(lower: Array(repeating: lower, count: Swift.max(0, dimension)),
                      upper: Array(repeating: upper, count: Swift.max(0, dimension)))
    }

    /// No bounds on any of `dimension` coordinates.
    public static func unbounded(dimension: Int) -> Bounds {
        Bounds(unchecked: Array(repeating: -.infinity, count: Swift.max(0, dimension)),
               upper: Array(repeating: .infinity, count: Swift.max(0, dimension)))
    }

    init(unchecked lower: [Double], upper: [Double]) {
        self.lower = lower
        self.upper = upper
    }

    /// The number of coordinates.
    public var dimension: Int { lower.count }
    /// Whether no coordinate has a finite bound.
    public var isUnbounded: Bool { !lower.contains { $0 > -.infinity } && !upper.contains { $0 < .infinity } }
    /// Whether every coordinate has two finite bounds.
    public var isFinite: Bool { lower.allSatisfy(\.isFinite) && upper.allSatisfy(\.isFinite) }

    /// x projected onto the box (each coordinate clamped). - Complexity: O(n).
    public func project(_ x: [Double]) -> [Double] {
        var y = x
        for i in y.indices { y[i] = Swift.min(Swift.max(y[i], lower[i]), upper[i]) }
        return y
    }

    /// Whether l ≤ x ≤ u (NaN coordinates are outside). - Complexity: O(n).
    public func contains(_ x: [Double]) -> Bool {
        x.indices.allSatisfy { x[$0] >= lower[$0] && x[$0] <= upper[$0] }
    }

    /// Checks that `x` is a finite point of dimension `dimension` inside the box.
    /// - Throws: `.dimensionMismatch`, `.startOutsideBounds`.
    func validateStart(_ x: [Double], dimension n: Int) throws {
        guard x.count == n else { throw OptimizationError.dimensionMismatch(what: "the start point", expected: n, got: x.count) }
        guard lower.count == n else { throw OptimizationError.dimensionMismatch(what: "the bounds", expected: n, got: lower.count) }
        for i in 0..<n where !x[i].isFinite || x[i] < lower[i] || x[i] > upper[i] {
            throw OptimizationError.startOutsideBounds(index: i, value: x[i], lower: lower[i], upper: upper[i])
        }
    }

    /// Checks that every bound is finite (global methods search a box).
    /// - Throws: `.dimensionMismatch`, `.unboundedSearchSpace`.
    func validateFinite(dimension n: Int) throws {
        guard lower.count == n else { throw OptimizationError.dimensionMismatch(what: "the bounds", expected: n, got: lower.count) }
        for i in 0..<n where !lower[i].isFinite || !upper[i].isFinite { throw OptimizationError.unboundedSearchSpace(index: i) }
    }
}
