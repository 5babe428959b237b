import LinearAlgebra

extension ExpressionTape {
    /// The value at `row` in double-double arithmetic (no derivatives): data from
    /// `columns[c][row]`, constants from `exactConstants`, every operation and elementary
    /// function in double-double (relative error ~1e-31 each, see `DoubleDouble`). Used for
    /// the residuals of the extended-precision final stage of a fit, where double rounding of
    /// f(x; β) would swamp residuals of a few hundred ulps.
    /// - Complexity: O(instructions), ~10–50× the cost of `value(row:…)`; `workspace` must
    ///   hold one entry per instruction.
    func extendedValue(row: Int, columns: [[DoubleDouble]], parameters: [DoubleDouble],
                       workspace w: inout [DoubleDouble]) -> DoubleDouble {
        for (k, ins) in instructions.enumerated() {
            let v: DoubleDouble
            switch ins {
            case .constant: v = exactConstants[k]
            case let .column(c): v = columns[c][row]
            case let .parameter(p): v = parameters[p]
            case let .negate(a): v = -w[a]
            case let .add(a, b): v = w[a] + w[b]
            case let .subtract(a, b): v = w[a] - w[b]
            case let .multiply(a, b): v = w[a] * w[b]
            case let .divide(a, b): v = w[a] / w[b]
            case let .powerConstant(a, _): v = w[a].power(exactConstants[k])
            case let .power(a, b): v = w[a].power(w[b])
            case let .function(f, a): v = Self.apply(f, w[a])
            }
            w[k] = v
        }
        return w[resultIndex]
    }

    /// f(x) of an elementary function in double-double.
    static func apply(_ f: ModelFunction, _ x: DoubleDouble) -> DoubleDouble {
        switch f {
        case .exp: return x.exp()
        case .log: return x.log()
        case .sin: return x.sin()
        case .cos: return x.cos()
        case .atan: return x.atan()
        case .sqrt: return x.squareRoot()
        }
    }

    /// a op b in double-double.
    static func apply(_ op: ModelOperator, _ a: DoubleDouble, _ b: DoubleDouble) -> DoubleDouble {
        switch op {
        case .add: return a + b
        case .subtract: return a - b
        case .multiply: return a * b
        case .divide: return a / b
        case .power: return a.power(b)
        }
    }
}
