/// The terms of a model part, expanded from a formula expression as R's `terms()` does.
///
/// A *variable* is one thing that yields columns (`x1`, `log(x)`, `factor(g)`,
/// `poly(x, 3)`); a *term* is a set of variables multiplied together (`x1:factor(g)`).
/// `a*b` becomes `a + b + a:b`, `a/b` becomes `a + a:b`, `(a + b + c)^2` all terms up to
/// order 2, `- t` removes a term, `0`/`-1` drop and `1` restores the intercept (the last
/// one written wins). Duplicates are dropped, then terms are ordered by their number of
/// variables, keeping the written order among equals (R's `keep.order = FALSE`).
/// Variables are numbered in order of first appearance, and a term's label lists them in
/// that order, so `y ~ b:a + a` gives labels `a`, `b:a` — as R does.
public struct ModelTerms: Sendable, Equatable {
    /// The distinct variables, in order of first appearance.
    public let variables: [FormulaExpression]
    /// Each term as ascending indices into `variables`; main effects first.
    public let terms: [[Int]]
    /// Whether the model has an intercept.
    public let hasIntercept: Bool

    /// Expands `expression` (model terms, as parsed by `Formula`).
    /// - Complexity: O(terms² · variables) for crossings; formulas are small.
    public init(_ expression: FormulaExpression) {
        var encoder = TermEncoder()
        let encoded = encoder.encode(expression, positive: true)
        let ordered = encoded.enumerated().sorted { a, b in
            a.element.count != b.element.count ? a.element.count < b.element.count : a.offset < b.offset
        }
        self.variables = encoder.variables
        self.terms = ordered.map { $0.element.sorted() }
        self.hasIntercept = encoder.intercept
    }

    /// The term labels as R writes them: variables joined by `:` (`x1`, `x1:factor(g)`).
    public var labels: [String] {
        terms.map { $0.map { variables[$0].description }.joined(separator: ":") }
    }
}

/// R's `EncodeVars`: turns an expression into a list of terms (sets of variable indices).
private struct TermEncoder {
    var variables: [FormulaExpression] = []
    var keys: [String: Int] = [:]
    var intercept = true

    typealias Term = Set<Int>

    mutating func encode(_ e: FormulaExpression, positive: Bool) -> [Term] {
        switch e {
        case .name, .call:
            let key = e.description
            if let i = keys[key] { return [[i]] }
            keys[key] = variables.count
            variables.append(e)
            return [[variables.count - 1]]
        case let .number(v):
            // 1 sets the intercept, 0 removes it; under a minus sign the meaning flips.
            intercept = (v == 1) == positive
            return []
        case .string:
            return []
        case let .group(inner):
            return encode(inner, positive: positive)
        case let .negate(inner):
            _ = encode(inner, positive: !positive)
            return []
        case let .binary(op, l, r):
            switch op {
            case .plus:
                let left = encode(l, positive: positive)
                return trim(left + encode(r, positive: positive))
            case .minus:
                let left = encode(l, positive: positive)
                let removed = encode(r, positive: !positive)
                return left.filter { !removed.contains($0) }
            case .colon:
                let left = encode(l, positive: positive)
                return interact(left, encode(r, positive: positive))
            case .times:
                let left = encode(l, positive: positive)
                let right = encode(r, positive: positive)
                return trim(left + right + interact(left, right))
            case .divide:
                let left = encode(l, positive: positive)
                let right = encode(r, positive: positive)
                let all = left.reduce(into: Term()) { $0.formUnion($1) }
                return trim(left + interact([all], right))
            case .power:
                let base = encode(l, positive: positive)
                guard case let .number(n) = r, n >= 2 else { return base }
                var result = base
                for _ in 1..<Int(n) {
                    let next = interact(base, result)
                    if next == result { break }  // every combination already present
                    result = next
                }
                return result
            }
        }
    }

    /// Every union of a left and a right term, left-major, without repeats.
    func interact(_ left: [Term], _ right: [Term]) -> [Term] {
        var out: [Term] = []
        for l in left {
            for r in right { out.append(l.union(r)) }
        }
        return trim(out)
    }

    /// Drops empty and repeated terms, keeping first occurrences.
    func trim(_ terms: [Term]) -> [Term] {
        var out: [Term] = []
        for t in terms where !t.isEmpty && !out.contains(t) { out.append(t) }
        return out
    }
}
