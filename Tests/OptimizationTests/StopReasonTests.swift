import Testing
@testable import Optimization

@Suite("Stop reasons")
struct StopReasonTests {
    @Test func reasonsSayWhetherTheyConvergedInWords() {
        #expect(StopReason.gradientTolerance(1e-8).converged)
        #expect(!StopReason.evaluationBudget(100).converged)
        #expect(StopReason.evaluationBudget(100).description == "stopped: evaluation budget of 100 spent before convergence")
        #expect(StopReason.stalled("line search found no decrease").description.hasPrefix("stalled: "))
    }
}
