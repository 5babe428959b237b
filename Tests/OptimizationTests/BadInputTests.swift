import Foundation
import Testing
import LinearAlgebra
@testable import Optimization

@Suite("Optimizers: bad input and non-finite values")
struct BadInputTests {
    static func rosenbrock() throws -> TestFunction { try TestFunction(.rosenbrock, dimension: 2) }

    @Test func startOutsideBounds() throws {
        let bounds = try Bounds(lower: [-1, -1], upper: [1, 1])
        #expect(throws: OptimizationError.startOutsideBounds(index: 1, value: 3, lower: -1, upper: 1)) {
            try LBFGSB().minimize(try Self.rosenbrock(), from: [0, 3], bounds: bounds)
        }
        #expect(throws: OptimizationError.startOutsideBounds(index: 0, value: -2, lower: -1, upper: 1)) {
            try NelderMead().minimize(try Self.rosenbrock(), from: [-2, 0], bounds: bounds)
        }
        let message = OptimizationError.startOutsideBounds(index: 1, value: 3, lower: -1, upper: 1).description
        #expect(message.contains("coordinate 1") && message.contains("[-1.0, 1.0]"))
    }

    @Test func lowerAboveUpper() {
        #expect(throws: OptimizationError.invalidBounds(index: 1, lower: 2, upper: 1)) {
            try Bounds(lower: [0, 2], upper: [1, 1])
        }
        #expect(throws: OptimizationError.self) { try Bounds(lower: [.nan], upper: [1]) }
    }

    @Test func dimensionMismatch() throws {
        #expect(throws: OptimizationError.dimensionMismatch(what: "the start point", expected: 2, got: 3)) {
            try LBFGSB().minimize(try Self.rosenbrock(), from: [0, 0, 0])
        }
        #expect(throws: OptimizationError.self) { try Bounds(lower: [0, 0], upper: [1]) }
        let wrongBox = try Bounds(dimension: 3, lower: -1, upper: 1)
        #expect(throws: OptimizationError.dimensionMismatch(what: "the bounds", expected: 2, got: 3)) {
            try DifferentialEvolution().minimize(try Self.rosenbrock(), bounds: wrongBox)
        }
    }

    @Test func nonFiniteObjectiveAtTheStart() throws {
        let f = Objective(dimension: 1) { x in Foundation.log(x[0]) }
        #expect(throws: OptimizationError.nonFiniteStart(value: -.infinity)) { try LBFGSB().minimize(f, from: [0]) }
        #expect(throws: OptimizationError.self) { try NelderMead().minimize(f, from: [-1]) }
        let nowhere = Objective(dimension: 2) { _ in .nan }
        #expect(throws: OptimizationError.self) { try DifferentialEvolution().minimize(nowhere, bounds: try Bounds(dimension: 2, lower: 0, upper: 1)) }
        #expect(throws: OptimizationError.self) { try CMAES().minimize(nowhere, bounds: try Bounds(dimension: 2, lower: 0, upper: 1)) }
    }

    /// Found by review: `policylab minimize rosenbrock --method cmaes --dim 100000` trapped
    /// allocating 80 GB; Nelder–Mead and differential evolution grew until the kernel killed them.
    /// Each method refuses a dimension whose dense storage exceeds the machine's memory.
    @Test func dimensionsBeyondMemoryAreRefusedUpFront() throws {
        let n = Int((Double(MemoryBudget.availableBytes) / 8).squareRoot()) + 1_000
        let f = try TestFunction(.rosenbrock, dimension: n)
        let box = try Bounds(dimension: n, lower: -2, upper: 2)
        let start = [Double](repeating: 0.5, count: n)
        func expectRefused(_ method: String, _ body: () throws -> OptimizationResult) {
            do {
                _ = try body()
                Issue.record("\(method) ran at dimension \(n)")
            } catch let OptimizationError.invalidSetting(name, reason) {
                #expect(name == "dimension" && reason.contains("more than the") && reason.contains("L-BFGS-B"), "\(method): \(reason)")
            } catch {
                Issue.record("\(method): \(error)")
            }
        }
        expectRefused("CMA-ES") { try CMAES().minimize(f, bounds: box, start: start) }
        expectRefused("TrustRegionNewton") { try TrustRegionNewton().minimize(AutoDiffObjective(f), from: start, bounds: box) }
        expectRefused("Nelder–Mead") { try NelderMead().minimize(f, from: start, bounds: box) }
        expectRefused("differential evolution") { try DifferentialEvolution().minimize(f, bounds: box) }
    }

    @Test func globalMethodsNeedFiniteBounds() {
        #expect(throws: OptimizationError.unboundedSearchSpace(index: 0)) {
            try DifferentialEvolution().minimize(try Self.rosenbrock(), bounds: .unbounded(dimension: 2))
        }
        #expect(throws: OptimizationError.unboundedSearchSpace(index: 0)) {
            try MultiStart().minimize(try Self.rosenbrock(), bounds: .unbounded(dimension: 2))
        }
    }

    @Test func invalidSettings() throws {
        var de = DifferentialEvolution()
        de.populationSize = 3
        #expect(throws: OptimizationError.self) { try de.minimize(try Self.rosenbrock(), bounds: try Self.rosenbrock().bounds) }
        var lbfgs = LBFGSB()
        lbfgs.memory = 0
        #expect(throws: OptimizationError.self) { try lbfgs.minimize(try Self.rosenbrock(), from: [0, 0]) }
        #expect(throws: OptimizationError.unknownName(kind: "test function", name: "rosenbrok", known: TestFunction.names)) {
            try TestFunction(named: "rosenbrok", dimension: 2)
        }
    }

    /// A budget too small for a global method's first stage is an error, not an empty result;
    /// a larger one is respected by the multistart as a whole.
    @Test func evaluationBudgets() throws {
        let f = try Self.rosenbrock()
        var cmaes = CMAES()
        cmaes.maxEvaluations = 1
        #expect(throws: OptimizationError.self) { try cmaes.minimize(f, bounds: f.bounds) }
        var de = DifferentialEvolution()
        de.maxEvaluations = 3
        #expect(throws: OptimizationError.self) { try de.minimize(f, bounds: f.bounds) }
        var multistart = MultiStart()
        multistart.designPoints = 100
        multistart.maxEvaluations = 100
        #expect(throws: OptimizationError.self) { try multistart.minimize(f, bounds: f.bounds) }
        for budget in [101, 150, 400] {
            multistart.maxEvaluations = budget
            let result = try multistart.minimize(f, bounds: f.bounds)
            #expect(result.evaluations <= budget, "budget \(budget): \(result.evaluations) evaluations")
            #expect(result.x.count == 2 && result.value.isFinite)
        }
        multistart.maxEvaluations = 150
        #expect(try multistart.minimize(f, bounds: f.bounds).stopReason == .evaluationBudget(150))
    }

    /// f = (x − 2)² for x < 3 and NaN beyond: a long first step lands in the NaN region and must
    /// be rejected, not returned.
    static let cliff = Objective(dimension: 1, value: { x in x[0] < 3 ? (x[0] - 2) * (x[0] - 2) : .nan },
                                 gradient: { x in x[0] < 3 ? ((x[0] - 2) * (x[0] - 2), [2 * (x[0] - 2)]) : (.nan, [.nan]) })

    @Test func nonFiniteValuesDuringTheSearchAreRejected() throws {
        // From −100 the first L-BFGS step (length 1/‖g‖·|g|… then unit Newton-like steps) overshoots into NaN.
        let r = try LBFGSB().minimize(Self.cliff, from: [-100])
        #expect(r.value.isFinite)
        #expect(Swift.abs(r.x[0] - 2) < 1e-6, "\(r.x) \(r.message)")
        let nm = try NelderMead().minimize(Self.cliff, from: [2.9])
        #expect(nm.value.isFinite && Swift.abs(nm.x[0] - 2) < 1e-4)
        let trust = Objective(dimension: 1, value: Self.cliff.value(at:), gradient: { Self.cliff.valueAndGradient(at: $0)! },
                              hessian: { _ in Matrix(rows: 1, columns: 1, repeating: 2) })
        var tr = TrustRegionNewton()
        tr.initialRadius = 50
        let t = try tr.minimize(trust, from: [-40])
        #expect(t.value.isFinite && Swift.abs(t.x[0] - 2) < 1e-6, "\(t.message)")
        // Global methods never keep a NaN member.
        let box = try Bounds(dimension: 1, lower: -10, upper: 10)
        var de = DifferentialEvolution()
        de.seed = 4
        let g = try de.minimize(Self.cliff, bounds: box)
        #expect(g.value.isFinite && Swift.abs(g.x[0] - 2) < 1e-6)
        var cma = CMAES()
        cma.seed = 4
        let c = try cma.minimize(Self.cliff, bounds: box)
        #expect(c.value.isFinite && Swift.abs(c.x[0] - 2) < 1e-5)
    }

    @Test func messagesAreSentences() {
        let errors: [OptimizationError] = [
            .dimensionMismatch(what: "the start point", expected: 2, got: 3), .invalidBounds(index: 0, lower: 2, upper: 1),
            .nonFiniteStart(value: .nan), .unboundedSearchSpace(index: 4),
            .missingDerivative(method: "TrustRegionNewton", needs: "a Hessian"),
        ]
        for e in errors { #expect(!e.description.isEmpty && !e.description.contains("\n")) }
    }
}
