import Foundation
import Testing
import LinearAlgebra
@testable import Optimization

@Suite("Derivatives: dual numbers, expressions, finite differences")
struct DerivativeTests {
    static func point(_ f: TestFunction, _ k: Int) -> [Double] {
        // A fixed, off-centre point inside the box (no coordinate at 0, where Ackley and
        // Schwefel have square-root kinks).
        (0..<f.dimension).map { i in
            let lo = f.bounds.lower[i], hi = f.bounds.upper[i]
            return lo + (hi - lo) * (0.13 + 0.71 * (Double((i + 1) * (k + 3)) * 0.618_033_988_75).truncatingRemainder(dividingBy: 1))
        }
    }

    @Test("dual-number gradients equal the hand-written ones", arguments: TestFunction.names)
    func dualGradientsMatchAnalytic(name: String) throws {
        let f = try TestFunction(named: name, dimension: 7)
        for k in 0..<3 {
            let x = Self.point(f, k)
            let analytic = try #require(f.valueAndGradient(at: x))
            let dual = Dual<Double>.gradient(of: { f($0) }, at: x)
            #expect(dual.value == analytic.value)
            for i in 0..<7 {
                let scale = Swift.max(1, Swift.abs(analytic.gradient[i]))
                #expect(Swift.abs(dual.gradient[i] - analytic.gradient[i]) <= 1e-12 * scale, "\(name) ∂\(i) at \(x)")
            }
        }
    }

    @Test func nestedDualsGiveTheExactHessian() throws {
        // Rosenbrock's Hessian in closed form.
        let f = AutoDiffObjective(try TestFunction(.rosenbrock, dimension: 3))
        let x = [0.3, -0.7, 1.9]
        let h = try #require(f.hessian(at: x))
        var expected = Matrix(rows: 3, columns: 3)
        for i in 0..<2 {
            expected[i, i] += 1200 * x[i] * x[i] - 400 * x[i + 1] + 2
            expected[i + 1, i + 1] += 200
            expected[i, i + 1] += -400 * x[i]
            expected[i + 1, i] += -400 * x[i]
        }
        for i in 0..<3 { for j in 0..<3 { #expect(Swift.abs(h[i, j] - expected[i, j]) < 1e-10, "H[\(i),\(j)]") } }
    }

    @Test func dualElementaryFunctionsMatchCalculus() {
        let x = 0.7
        func d(_ f: (Dual<Double>) -> Dual<Double>) -> Double { f(Dual(x, 1)).tangent }
        #expect(Swift.abs(d { Dual.exp($0) } - Foundation.exp(x)) < 1e-15)
        #expect(Swift.abs(d { Dual.log($0) } - 1 / x) < 1e-15)
        #expect(Swift.abs(d { Dual.sin($0) } - Foundation.cos(x)) < 1e-15)
        #expect(Swift.abs(d { Dual.cos($0) } + Foundation.sin(x)) < 1e-15)
        #expect(Swift.abs(d { Dual.atan($0) } - 1 / (1 + x * x)) < 1e-15)
        #expect(Swift.abs(d { Dual.sqrt($0) } - 0.5 / x.squareRoot()) < 1e-15)
        #expect(Swift.abs(d { Dual.pow($0, 3.5) } - 3.5 * Foundation.pow(x, 2.5)) < 1e-14)
        #expect(Swift.abs(d { Dual.pow(Dual(2, 0), $0) } - Foundation.pow(2, x) * Foundation.log(2)) < 1e-14)
        #expect(Swift.abs(d { $0 / ($0 * $0 + 1) } - (1 - x * x) / ((x * x + 1) * (x * x + 1))) < 1e-15)
    }

    @Test func expressionObjectiveHasExactDerivatives() throws {
        let e = try ExpressionObjective("(1 - a)^2 + 100*(b - a^2)^2 + exp(-c)*sin(a*c) + sqrt(c)/atan(b)", parameters: ["a", "b", "c"])
        let f = AutoDiffObjective(e)
        let x = [0.4, 1.3, 2.2]
        let (value, gradient) = try #require(f.valueAndGradient(at: x))
        let (a, b, c) = (x[0], x[1], x[2])
        #expect(Swift.abs(value - ((1 - a) * (1 - a) + 100 * (b - a * a) * (b - a * a) + Foundation.exp(-c) * Foundation.sin(a * c) + c.squareRoot() / Foundation.atan(b))) < 1e-12)
        let ga = -2 * (1 - a) - 400 * a * (b - a * a) + Foundation.exp(-c) * c * Foundation.cos(a * c)
        let gb = 200 * (b - a * a) - c.squareRoot() / (Foundation.atan(b) * Foundation.atan(b)) / (1 + b * b)
        let gc = -Foundation.exp(-c) * Foundation.sin(a * c) + Foundation.exp(-c) * a * Foundation.cos(a * c) + 0.5 / c.squareRoot() / Foundation.atan(b)
        #expect(Swift.abs(gradient[0] - ga) < 1e-12)
        #expect(Swift.abs(gradient[1] - gb) < 1e-12)
        #expect(Swift.abs(gradient[2] - gc) < 1e-12)
        // And it minimizes: the Rosenbrock part alone from the expression.
        let rosen = AutoDiffObjective(try ExpressionObjective("(1 - a)^2 + 100*(b - a^2)^2", parameters: ["a", "b"]))
        let r = try TrustRegionNewton().minimize(rosen, from: [-1.2, 1])
        #expect(Swift.abs(r.x[0] - 1) < 1e-8)
    }

    @Test func expressionObjectiveRejectsUnknownNames() {
        #expect(throws: NLSError.unknownVariable(name: "bb", position: 13, suggestions: ["b", "a"])) {
            try ExpressionObjective("(1 - a)^2 + bb", parameters: ["a", "b"])
        }
    }

    @Test func centralDifferencesAreAccurateAndStayInsideBounds() throws {
        // Record every evaluated point: none may leave the box.
        let bounds = try Bounds(lower: [0, -1, 2], upper: [1, 1, 2.000001])
        let f = Objective(dimension: 3) { x in
            precondition(bounds.contains(x), "finite differences left the box at \(x)")
            return Foundation.exp(x[0]) + x[1] * x[1] * x[1] + Foundation.sin(x[2])
        }
        let x = [0, 1, 2.0000005]
        let g = FiniteDifferences().gradient(of: f, at: x, value: f.value(at: x), bounds: bounds, parallelism: Parallelism(threads: 3))
        #expect(Swift.abs(g[0] - 1) < 1e-9)          // forward, second order, at the lower bound
        #expect(Swift.abs(g[1] - 3) < 1e-8)          // backward, at the upper bound
        #expect(Swift.abs(g[2] - Foundation.cos(2.0000005)) < 1e-4)  // a box narrower than 4h
    }

    @Test func finiteDifferenceGradientIsTheSameForAnyThreadCount() throws {
        let f = try TestFunction(.ackley, dimension: 9)
        let plain = Objective(dimension: 9) { f.value(at: $0) }
        let x = DerivativeTests.point(f, 1)
        let g1 = FiniteDifferences().gradient(of: plain, at: x, value: f.value(at: x), bounds: f.bounds, parallelism: .serial)
        for threads in [2, 3, 8] {
            let g = FiniteDifferences().gradient(of: plain, at: x, value: f.value(at: x), bounds: f.bounds, parallelism: Parallelism(threads: threads))
            #expect(g.map(\.bitPattern) == g1.map(\.bitPattern))
        }
        let exact = try #require(f.valueAndGradient(at: x)).gradient
        for i in 0..<9 { #expect(Swift.abs(g1[i] - exact[i]) < 1e-7 * Swift.max(1, Swift.abs(exact[i]))) }
    }

    @Test func nonThreadSafeObjectivesRunSerially() throws {
        final class Counter: @unchecked Sendable {
            var active = 0, peak = 0
            let lock = NSLock()
        }
        let counter = Counter()
        let f = Objective(dimension: 4, threadSafe: false) { x in
            counter.lock.lock(); counter.active += 1; counter.peak = Swift.max(counter.peak, counter.active); counter.lock.unlock()
            Thread.sleep(forTimeInterval: 0.0002)
            counter.lock.lock(); counter.active -= 1; counter.lock.unlock()
            return x.reduce(0) { $0 + $1 * $1 }
        }
        var de = DifferentialEvolution()
        de.parallelism = Parallelism(threads: 4)
        de.maxGenerations = 3
        de.polish = false
        _ = try de.minimize(f, bounds: try Bounds(dimension: 4, lower: -1, upper: 1))
        #expect(counter.peak == 1)
    }
}

@Suite("Batch evaluation")
struct BatchEvaluationTests {
    final class Calls: @unchecked Sendable {
        var batches = 0, points = 0
        let lock = NSLock()
    }

    @Test func aVectorizedBatchIsUsedWhenGiven() throws {
        let calls = Calls()
        let f = try TestFunction(.styblinskiTang, dimension: 3)
        let objective = Objective(dimension: 3, batch: { points in
            calls.lock.lock(); calls.batches += 1; calls.points += points.count; calls.lock.unlock()
            return points.map { f.value(at: $0) }
        }) { f.value(at: $0) }
        var de = DifferentialEvolution()
        de.maxGenerations = 4
        de.polish = false
        de.populationSize = 10
        let r = try de.minimize(objective, bounds: f.bounds)
        #expect(calls.batches == 5)             // initial population + 4 generations
        #expect(calls.points == r.evaluations)  // every evaluation went through the batch
    }

    @Test func aBatchOfTheWrongLengthCountsAsFailedPoints() throws {
        let objective = Objective(dimension: 2, batch: { _ in [1.0] }) { $0[0] * $0[0] + $0[1] * $0[1] }
        #expect(throws: OptimizationError.self) {
            try DifferentialEvolution().minimize(objective, bounds: try Bounds(dimension: 2, lower: -1, upper: 1))
        }
    }
}
