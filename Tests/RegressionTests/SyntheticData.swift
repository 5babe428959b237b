import Foundation
import LinearAlgebra
import Tabular

/// Deterministic synthetic regression data (SplitMix64 + Box–Muller), for tests that need
/// more rows than the fixtures: y = 1 + Σ βⱼxⱼ + firm effect + year effect + d + ε.
enum SyntheticData {
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }
        /// A uniform index in 0..<count (modulo bias below 2⁻⁴⁰ for the counts tests use).
        mutating func index(_ count: Int) -> Int { Int(next() % UInt64(count)) }
        mutating func normal() -> Double {
            let u = Swift.max(uniform(), 1e-300), v = uniform()
            return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * v)
        }
    }

    static func table(rows n: Int, regressors k: Int, firms: Int = 300, years: Int = 12, seed: UInt64 = 7) throws -> Table {
        var g = Generator(state: seed)
        var columns: [[Double]] = Array(repeating: [], count: k)
        var y: [Double] = [], z: [Double] = [], d: [Double] = [], w: [Double] = []
        var firm: [Int] = [], year: [Int] = []
        let firmEffect = (0..<firms).map { _ in g.normal() }
        for _ in 0..<n {
            let f = Int(g.next() % UInt64(firms)), t = Int(g.next() % UInt64(years))
            var mean = 1 + firmEffect[f] + 0.1 * Double(t)
            for j in 0..<k {
                let x = g.normal() + 0.3 * firmEffect[f]
                columns[j].append(x)
                mean += Double(j % 3 - 1) * 0.5 * x
            }
            let instrument = g.normal(), error = g.normal()
            let endogenous = 0.8 * instrument + 0.5 * error + g.normal()
            y.append(mean + endogenous + error * (1 + 0.5 * Swift.abs(columns[0].last ?? 0)))
            z.append(instrument); d.append(endogenous); w.append(0.5 + g.uniform())
            firm.append(f); year.append(t)
        }
        var all = try (0..<k).map { try Column(name: "x\($0 + 1)", values: .double(columns[$0])) }
        all += [try Column(name: "y", values: .double(y)), try Column(name: "z", values: .double(z)),
                try Column(name: "d", values: .double(d)), try Column(name: "w", values: .double(w)),
                try Column(name: "firm", values: .int(firm)), try Column(name: "year", values: .int(year))]
        return try Table(columns: all)
    }
}
