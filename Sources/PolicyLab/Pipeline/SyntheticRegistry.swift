import Foundation
import LinearAlgebra
import MonteCarlo
import Tabular

/// A synthetic household registry, generated deterministically in process from a seed, for
/// the flagship proxy-means-test demo. Every draw comes from Philox streams addressed by
/// (seed, column), so the table is the same on every machine and thread count.
///
/// Structure (designed to resemble a national household survey):
/// - `province`: 34 provinces `P01`…`P34` with unequal sizes (share ∝ 1/(1 + p/6)); each has an
///   urbanization rate (15 %–75 %) and a consumption effect (±0.25 in logs) that rise together.
/// - A latent wealth w ~ N(0, 1), shared by the observable assets and by consumption, is what
///   makes a proxy-means test work: `rooms` (1–8), `electricity`, `water`, `assets` (0–6
///   durable goods) all increase with w; `owns_land` is more common in rural areas.
/// - `size` (1–12 people, larger in rural areas), `head_educ` (years, 0–16, higher in towns
///   and with wealth), `urban` (0/1).
/// - `consumption`: monthly per-capita consumption, log c = 7.45 + province effect + 0.25·urban
///   + 0.035·educ − 0.10·size + 0.004·size² + 0.30·w + 0.05·rooms + 0.08·electricity + 0.06·water
///   + 0.03·assets + u, u ~ N(0, 0.35²). A PMT regression of log c on the observables explains
///   about 60 % of its variance, as PMT models typically do.
/// - `weight`: persons in the household (= size), so poverty measures count people.
public enum SyntheticRegistry {
    /// The registry of `households` households.
    /// - Throws: `PolicyLabError.invalidArgument` for fewer than 100 or more than 2³² households.
    /// - Complexity: O(households), about 12 variates a household (SIMD Philox), under a second
    ///   for 10⁶ households.
    public static func generate(households n: Int, seed: UInt64, provinces: Int = 34) throws -> Table {
        guard n >= 100, n <= Int(UInt32.max) else {
            throw PolicyLabError.invalidArgument(name: "households", reason: "must be between 100 and \(UInt32.max), got \(n)")
        }
        guard provinces >= 2, provinces <= 999 else {
            throw PolicyLabError.invalidArgument(name: "provinces", reason: "must be between 2 and 999, got \(provinces)")
        }
        // About 25 arrays of n doubles are alive at the peak (draws, then columns).
        guard MemoryBudget.bytesIfAvailable(n, bytesPerItem: 25 * 8) != nil else {
            throw PolicyLabError.invalidArgument(name: "households", reason: "\(n) households need about \(MemoryBudget.shortfall(n, bytesPerItem: 25 * 8)); generate fewer")
        }
        func uniforms(_ k: UInt32) throws -> [Double] { try RandomStream(seed: seed, ingredient: k).fill(.uniform, count: n) }
        func normals(_ k: UInt32) throws -> [Double] { try RandomStream(seed: seed, ingredient: k).fill(.normal, count: n) }
        let uProvince = try uniforms(1), uUrban = try uniforms(2), uSize = try uniforms(3), uLand = try uniforms(4)
        let wealth = try normals(5), zEducation = try normals(6), zRooms = try normals(7), zAssets = try normals(8)
        let uElectricity = try uniforms(9), uWater = try uniforms(10), noise = try normals(11)

        // Province sizes and characteristics.
        let shares = (0..<provinces).map { 1 / (1 + Double($0) / 6) }
        let totalShare = shares.reduce(0, +)
        var cumulative: [Double] = []
        var running = 0.0
        for share in shares { running += share / totalShare; cumulative.append(running) }
        let urbanRate = (0..<provinces).map { 0.15 + 0.6 * Double(($0 * 7) % provinces) / Double(provinces - 1) }
        let effect = urbanRate.map { 0.25 * (($0 - 0.45) / 0.3) }
        let names = (0..<provinces).map { String(format: provinces > 99 ? "P%03d" : "P%02d", $0 + 1) }

        var province = [Int32](repeating: 0, count: n), urban = [Int](repeating: 0, count: n), size = [Int](repeating: 1, count: n)
        var education = [Int](repeating: 0, count: n), rooms = [Int](repeating: 1, count: n), assets = [Int](repeating: 0, count: n)
        var electricity = [Int](repeating: 0, count: n), water = [Int](repeating: 0, count: n), land = [Int](repeating: 0, count: n)
        var consumption = [Double](repeating: 0, count: n), weight = [Double](repeating: 1, count: n)
        for i in 0..<n {
            var p = 0
            while p < provinces - 1 && uProvince[i] > cumulative[p] { p += 1 }
            province[i] = Int32(p)
            let town = uUrban[i] < urbanRate[p] ? 1 : 0
            urban[i] = town
            let w = wealth[i] + 0.3 * effect[p] / 0.25
            let people = Swift.min(12, 1 + Int(-Foundation.log(Swift.max(uSize[i], 1e-12)) * (town == 1 ? 2.6 : 3.4)))
            size[i] = people
            education[i] = Swift.max(0, Swift.min(16, Int((5.5 + 3 * Double(town) + 1.6 * w + 2.5 * zEducation[i]).rounded())))
            rooms[i] = Swift.max(1, Swift.min(8, Int((2.2 + 0.9 * w + 0.15 * Double(people) + 0.8 * zRooms[i]).rounded())))
            assets[i] = Swift.max(0, Swift.min(6, Int((2 + 1.2 * w + 0.8 * Double(town) + 1.0 * zAssets[i]).rounded())))
            electricity[i] = uElectricity[i] < 1 / (1 + Foundation.exp(-(0.6 + 1.4 * w + 1.5 * Double(town)))) ? 1 : 0
            water[i] = uWater[i] < 1 / (1 + Foundation.exp(-(-0.4 + 1.1 * w + 1.2 * Double(town)))) ? 1 : 0
            land[i] = uLand[i] < (town == 1 ? 0.15 : 0.65) ? 1 : 0
            let s = Double(people)
            let logConsumption = 7.45 + effect[p] + 0.25 * Double(town) + 0.035 * Double(education[i]) - 0.10 * s + 0.004 * s * s
                + 0.30 * wealth[i] + 0.05 * Double(rooms[i]) + 0.08 * Double(electricity[i]) + 0.06 * Double(water[i])
                + 0.03 * Double(assets[i]) + 0.35 * noise[i]
            consumption[i] = (Foundation.exp(logConsumption) * 100).rounded() / 100
            weight[i] = s
        }
        return try Table(columns: [
            Column(name: "household_id", values: .int(Array(1...n))),
            Column(name: "province", values: .categorical(codes: province, levels: names)),
            Column(name: "urban", values: .int(urban)),
            Column(name: "size", values: .int(size)),
            Column(name: "head_educ", values: .int(education)),
            Column(name: "rooms", values: .int(rooms)),
            Column(name: "electricity", values: .int(electricity)),
            Column(name: "water", values: .int(water)),
            Column(name: "owns_land", values: .int(land)),
            Column(name: "assets", values: .int(assets)),
            Column(name: "consumption", values: .double(consumption)),
            Column(name: "weight", values: .double(weight)),
        ])
    }

    /// The PMT formula the demo estimates on the registry.
    public static let pmtFormula = "log(consumption) ~ size + I(size^2) + head_educ + urban + rooms + electricity + water + owns_land + assets + factor(province)"
}
