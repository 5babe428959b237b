import Foundation

extension LinearAlgebraSelfCheck {
    /// The steps as an aligned text table, one line per step, and a closing verdict.
    public static func format(_ steps: [Step]) -> String {
        var lines: [String] = []
        let width = steps.map(\.name.count).max() ?? 0
        for step in steps {
            let name = step.name.padding(toLength: width, withPad: " ", startingAt: 0)
            let rate = step.gflops.map { String(format: "%7.1f GFLOP/s", $0) } ?? String(repeating: " ", count: 15)
            let verdict = step.passed ? "ok  " : "FAIL"
            lines.append(String(format: "%@  %@  %8.3f s  %@  error %.2e  (%@)",
                                verdict, name, step.seconds, rate, step.error, step.check))
        }
        let failed = steps.filter { !$0.passed }.count
        lines.append(failed == 0 ? "all \(steps.count) checks passed" : "\(failed) of \(steps.count) checks FAILED")
        return lines.joined(separator: "\n")
    }
}
