/// The functions a formula may call, and the arguments each accepts.
enum FormulaFunction: String, CaseIterable, Sendable {
    case log, log2, log10, log1p, exp, sqrt, abs
    /// `I(expr)`: arithmetic on columns and numbers, one column.
    case I
    /// `poly(x, degree)`: raw powers x … x^degree.
    case poly
    /// `factor(g)`: dummies of a column.
    case factor
    /// fixest's `i(g)` / `i(g, ref = "level")`: dummies with a chosen reference level.
    case i

    /// Whether the function maps numbers to numbers (usable inside `I()` and the response).
    var isArithmetic: Bool {
        switch self {
        case .poly, .factor, .i: return false
        default: return true
        }
    }

    /// Checks the arguments of a call at `callAt` (1-based), each with its start position.
    /// - Throws: `TabularError.formula` pointing at the offending argument.
    func validate(_ arguments: [(FormulaArgument, Int)], callAt: Int, closeAt: Int, parser: FormulaParser) throws {
        let positional = arguments.filter { $0.0.label == nil }
        let labelled = arguments.filter { $0.0.label != nil }
        let name = rawValue
        func fail(_ at: Int, _ reason: String) -> TabularError { parser.error(at: at, reason) }
        func allowLabels(_ allowed: [String]) throws {
            for (a, at) in labelled where !allowed.contains(a.label ?? "") {
                let list = allowed.isEmpty ? "no named arguments" : "only " + allowed.map { "'\($0) ='" }.joined(separator: ", ")
                throw fail(at, "\(name)() takes \(list), not '\(a.label ?? "") ='")
            }
            var seen: Set<String> = []
            for (a, at) in labelled {
                if !seen.insert(a.label ?? "").inserted { throw fail(at, "argument '\(a.label ?? "")' given twice") }
            }
        }
        guard let first = positional.first else {
            throw fail(closeAt, "\(name)() needs a variable as its first argument")
        }
        switch self {
        case .log:
            try allowLabels(["base"])
            let baseCount = positional.count - 1 + labelled.count
            if positional.count > 2 || baseCount > 1 {
                throw fail((positional.count > 2 ? positional[2] : labelled[0]).1, "log() takes a value and an optional base: log(x) or log(x, 2)")
            }
        case .log2, .log10, .log1p, .exp, .sqrt, .abs, .I:
            try allowLabels([])
            if positional.count > 1 { throw fail(positional[1].1, "\(name)() takes one argument") }
        case .poly:
            try allowLabels(["degree", "raw"])
            let degreeArgs = Array(positional.dropFirst()) + labelled.filter { $0.0.label == "degree" }
            if positional.count > 2 { throw fail(positional[2].1, "poly() takes a variable and a degree: poly(x, 3)") }
            guard degreeArgs.count == 1, let degree = degreeArgs.first else {
                throw fail(degreeArgs.count > 1 ? degreeArgs[1].1 : closeAt, "poly() needs one degree: poly(x, 3)")
            }
            guard case let .number(d) = degree.0.value, d == d.rounded() else {
                throw fail(degree.1, "the degree of poly() must be a whole number, as in poly(x, 3)")
            }
            guard d >= 1 else { throw fail(degree.1, "the degree of poly() must be at least 1, got \(RNumberFormat.string(d))") }
            if let raw = labelled.first(where: { $0.0.label == "raw" }) {
                guard raw.0.value == .name("TRUE") || raw.0.value == .name("T") else {
                    throw fail(raw.1, "only raw polynomials are supported: poly(x, d) gives x, x^2, …, x^d (R's orthogonal poly() is not offered)")
                }
            }
            if case .call = first.0.value {} else if case .name = first.0.value {} else if case .group = first.0.value {} else {
                throw fail(first.1, "poly() needs a variable (a column or a function of one) as its first argument")
            }
        case .factor:
            try allowLabels([])
            guard case .name = first.0.value else { throw fail(first.1, "factor() takes a column name, as in factor(g)") }
            if positional.count > 1 { throw fail(positional[1].1, "factor() takes one column; for a reference level use i(g, ref = \"level\")") }
        case .i:
            try allowLabels(["ref"])
            guard case .name = first.0.value else { throw fail(first.1, "i() takes a column name, as in i(g) or i(g, ref = \"Java\")") }
            if positional.count > 1 {
                throw fail(positional[1].1, "i() with a second variable (fixest's interaction form) is not supported; write x:i(g)")
            }
            if let ref = labelled.first {
                switch ref.0.value {
                case .string, .number, .negate(.number), .name("TRUE"), .name("FALSE"): break
                default: throw fail(ref.1, "ref must be a level written as a string or number, as in ref = \"Java\"")
                }
            }
        }
    }
}
