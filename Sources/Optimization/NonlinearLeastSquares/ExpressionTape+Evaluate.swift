import Foundation

extension ExpressionTape {
    /// Scratch space for evaluating one tape over many rows without allocating per row.
    struct Workspace {
        var values: [Double]
        var gradients: [Double]
        var first: [Double]
        var second: [Double]

        init(_ tape: ExpressionTape) {
            let k = tape.instructions.count
            values = [Double](repeating: 0, count: k)
            gradients = [Double](repeating: 0, count: k * tape.parameterCount)
            first = [Double](repeating: 0, count: k)
            second = [Double](repeating: 0, count: k)
            // Parameter leaves have a constant unit gradient; every other non-dependent
            // instruction keeps a zero gradient, since evaluation never writes it.
            for (i, ins) in tape.instructions.enumerated() {
                if case let .parameter(p) = ins { gradients[i * tape.parameterCount + p] = 1 }
            }
        }
    }

    /// The value at `row` (no derivatives). `columns[c][row]` is data column c.
    /// - Complexity: O(instructions).
    func value(row: Int, columns: [[Double]], parameters: [Double], workspace w: inout Workspace) -> Double {
        for (k, ins) in instructions.enumerated() {
            let v: Double
            switch ins {
            case let .constant(c): v = c
            case let .column(c): v = columns[c][row]
            case let .parameter(p): v = parameters[p]
            case let .negate(a): v = -w.values[a]
            case let .add(a, b): v = w.values[a] + w.values[b]
            case let .subtract(a, b): v = w.values[a] - w.values[b]
            case let .multiply(a, b): v = w.values[a] * w.values[b]
            case let .divide(a, b): v = w.values[a] / w.values[b]
            case let .powerConstant(a, c): v = Foundation.pow(w.values[a], c)
            case let .power(a, b): v = Foundation.pow(w.values[a], w.values[b])
            case let .function(f, a): v = Self.apply(f, w.values[a])
            }
            w.values[k] = v
        }
        return w.values[resultIndex]
    }

    /// The value at `row` and its exact gradient with respect to the parameters, written to
    /// `gradient[offset + j·stride]` for parameter j (a row of a column-major Jacobian).
    /// - Complexity: O(instructions · parameters).
    func valueAndGradient(row: Int, columns: [[Double]], parameters: [Double], workspace w: inout Workspace,
                          gradient: inout [Double], offset: Int, stride: Int) -> Double {
        let np = parameterCount
        for (k, ins) in instructions.enumerated() {
            let dep = dependent[k]
            let gk = k * np
            switch ins {
            case let .constant(c): w.values[k] = c
            case let .column(c): w.values[k] = columns[c][row]
            case let .parameter(p): w.values[k] = parameters[p]
            case let .negate(a):
                w.values[k] = -w.values[a]
                if dep { for j in 0..<np { w.gradients[gk + j] = -w.gradients[a * np + j] } }
            case let .add(a, b):
                w.values[k] = w.values[a] + w.values[b]
                if dep { for j in 0..<np { w.gradients[gk + j] = w.gradients[a * np + j] + w.gradients[b * np + j] } }
            case let .subtract(a, b):
                w.values[k] = w.values[a] - w.values[b]
                if dep { for j in 0..<np { w.gradients[gk + j] = w.gradients[a * np + j] - w.gradients[b * np + j] } }
            case let .multiply(a, b):
                let va = w.values[a], vb = w.values[b]
                w.values[k] = va * vb
                if dep { for j in 0..<np { w.gradients[gk + j] = w.gradients[a * np + j] * vb + va * w.gradients[b * np + j] } }
            case let .divide(a, b):
                let vb = w.values[b], q = w.values[a] / vb
                w.values[k] = q
                if dep { for j in 0..<np { w.gradients[gk + j] = (w.gradients[a * np + j] - q * w.gradients[b * np + j]) / vb } }
            case let .powerConstant(a, c):
                let va = w.values[a]
                w.values[k] = Foundation.pow(va, c)
                if dep {
                    let slope = c == 0 ? 0 : c * Foundation.pow(va, c - 1)
                    for j in 0..<np { w.gradients[gk + j] = slope * w.gradients[a * np + j] }
                }
            case let .power(a, b):
                let va = w.values[a], vb = w.values[b], p = Foundation.pow(va, vb)
                w.values[k] = p
                if dep {
                    let sa = dependent[a] ? vb * Foundation.pow(va, vb - 1) : 0
                    let sb = dependent[b] ? p * Foundation.log(va) : 0
                    for j in 0..<np { w.gradients[gk + j] = sa * w.gradients[a * np + j] + sb * w.gradients[b * np + j] }
                }
            case let .function(f, a):
                let (v, slope) = Self.valueAndSlope(f, w.values[a])
                w.values[k] = v
                if dep { for j in 0..<np { w.gradients[gk + j] = slope * w.gradients[a * np + j] } }
            }
        }
        let r = resultIndex
        for j in 0..<np { gradient[offset + j * stride] = w.gradients[r * np + j] }
        return w.values[r]
    }

    /// The second derivative at `row` along `direction` in parameter space:
    /// d²/dt² f(row; parameters + t·direction) at t = 0, exactly (second-order forward mode).
    /// Used by geodesic acceleration.
    /// - Complexity: O(instructions).
    func secondDirectionalDerivative(row: Int, columns: [[Double]], parameters: [Double], direction: [Double],
                                     workspace w: inout Workspace) -> Double {
        for (k, ins) in instructions.enumerated() {
            var v = 0.0, d = 0.0, e = 0.0
            switch ins {
            case let .constant(c): v = c
            case let .column(c): v = columns[c][row]
            case let .parameter(p): v = parameters[p]; d = direction[p]
            case let .negate(a): v = -w.values[a]; d = -w.first[a]; e = -w.second[a]
            case let .add(a, b):
                v = w.values[a] + w.values[b]; d = w.first[a] + w.first[b]; e = w.second[a] + w.second[b]
            case let .subtract(a, b):
                v = w.values[a] - w.values[b]; d = w.first[a] - w.first[b]; e = w.second[a] - w.second[b]
            case let .multiply(a, b):
                let (va, da, ea) = (w.values[a], w.first[a], w.second[a])
                let (vb, db, eb) = (w.values[b], w.first[b], w.second[b])
                v = va * vb; d = da * vb + va * db; e = ea * vb + 2 * da * db + va * eb
            case let .divide(a, b):
                let vb = w.values[b], db = w.first[b]
                v = w.values[a] / vb
                d = (w.first[a] - v * db) / vb
                e = (w.second[a] - 2 * d * db - v * w.second[b]) / vb
            case let .powerConstant(a, c):
                (v, d, e) = Self.powerJet(w.values[a], w.first[a], w.second[a], exponent: c)
            case let .power(a, b):
                if !dependent[b] {
                    (v, d, e) = Self.powerJet(w.values[a], w.first[a], w.second[a], exponent: w.values[b])
                } else {
                    let (va, da, ea) = (w.values[a], w.first[a], w.second[a])
                    let (vb, db, eb) = (w.values[b], w.first[b], w.second[b])
                    let l = Foundation.log(va), l1 = da / va, l2 = ea / va - l1 * l1
                    let g1 = db * l + vb * l1, g2 = eb * l + 2 * db * l1 + vb * l2
                    v = Foundation.pow(va, vb); d = v * g1; e = v * (g2 + g1 * g1)
                }
            case let .function(f, a):
                let (fv, f1, f2) = Self.taylor2(f, w.values[a])
                let da = w.first[a]
                v = fv; d = f1 * da; e = f1 * w.second[a] + f2 * da * da
            }
            w.values[k] = v
            w.first[k] = d
            w.second[k] = e
        }
        return w.second[resultIndex]
    }

    /// (a^c, (a^c)′, (a^c)″) for the jet (a, a′, a″) and a fixed exponent c.
    private static func powerJet(_ a: Double, _ da: Double, _ ea: Double, exponent c: Double) -> (Double, Double, Double) {
        let v = Foundation.pow(a, c)
        if c == 0 { return (v, 0, 0) }
        let s1 = c * Foundation.pow(a, c - 1)
        let s2 = c == 1 ? 0 : c * (c - 1) * Foundation.pow(a, c - 2)
        return (v, s1 * da, s1 * ea + s2 * da * da)
    }
}
