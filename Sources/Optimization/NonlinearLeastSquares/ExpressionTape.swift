import Foundation
import LinearAlgebra

/// A model expression compiled to a straight-line program ("tape") over data columns and
/// parameters, evaluated row by row with exact forward-mode derivatives.
///
/// Each instruction reads earlier results only; constant subtrees are folded at compile
/// time, and derivative work is skipped for instructions that do not depend on a parameter.
/// Every constant is also kept in double-double (`exactConstants`), folded in double-double,
/// for the extended-precision evaluation of `ExpressionTape+Extended.swift`.
struct ExpressionTape: Sendable {
    enum Leaf { case column(Int), parameter(Int), constant(DoubleDouble) }

    enum Instruction: Sendable {
        case constant(Double)
        case column(Int)
        case parameter(Int)
        case negate(Int)
        case add(Int, Int)
        case subtract(Int, Int)
        case multiply(Int, Int)
        case divide(Int, Int)
        case powerConstant(Int, Double)
        case power(Int, Int)
        case function(ModelFunction, Int)
    }

    private(set) var instructions: [Instruction] = []
    /// Whether instruction k depends on some parameter.
    private(set) var dependent: [Bool] = []
    /// For a `.constant` instruction its value, for a `.powerConstant` instruction its
    /// exponent, in double-double (a literal as the decimal it was written as, when it has at
    /// most 15 significant digits); zero for the other instructions.
    private(set) var exactConstants: [DoubleDouble] = []
    /// The number of parameters.
    let parameterCount: Int

    /// Compiles `expression`, resolving each name with `resolve`.
    /// - Complexity: O(size of the tree).
    init(_ expression: ModelExpression, parameterCount: Int,
         resolve: (String, Int) throws -> Leaf) rethrows {
        self.parameterCount = parameterCount
        _ = try emit(expression, resolve)
    }

    var resultIndex: Int { instructions.count - 1 }

    private mutating func push(_ i: Instruction, _ dep: Bool, exact: DoubleDouble = .zero) -> Int {
        instructions.append(i)
        dependent.append(dep)
        exactConstants.append(exact)
        return instructions.count - 1
    }

    private func constantValue(_ k: Int) -> Double? {
        if case let .constant(c) = instructions[k] { return c }
        return nil
    }

    private mutating func emit(_ e: ModelExpression, _ resolve: (String, Int) throws -> Leaf) rethrows -> Int {
        switch e {
        case let .number(v):
            return push(.constant(v), false, exact: Self.exactLiteral(v))
        case let .name(n, p):
            switch try resolve(n, p) {
            case let .column(c): return push(.column(c), false)
            case let .parameter(i): return push(.parameter(i), true)
            case let .constant(v): return push(.constant(v.hi), false, exact: v)
            }
        case let .negate(a):
            let ka = try emit(a, resolve)
            if let c = constantValue(ka) { return fold(-c, exact: -exactConstants[ka], from: ka) }
            return push(.negate(ka), dependent[ka])
        case let .call(f, a):
            let ka = try emit(a, resolve)
            if let c = constantValue(ka) { return fold(Self.apply(f, c), exact: Self.apply(f, exactConstants[ka]), from: ka) }
            return push(.function(f, ka), dependent[ka])
        case let .binary(op, a, b):
            let ka = try emit(a, resolve)
            let kb = try emit(b, resolve)
            let dep = dependent[ka] || dependent[kb]
            if let ca = constantValue(ka), let cb = constantValue(kb), kb == ka + 1 {
                let exact = Self.apply(op, exactConstants[ka], exactConstants[kb])
                instructions.removeLast(2)
                dependent.removeLast(2)
                exactConstants.removeLast(2)
                return push(.constant(Self.apply(op, ca, cb)), false, exact: exact)
            }
            switch op {
            case .add: return push(.add(ka, kb), dep)
            case .subtract: return push(.subtract(ka, kb), dep)
            case .multiply: return push(.multiply(ka, kb), dep)
            case .divide: return push(.divide(ka, kb), dep)
            case .power:
                if let cb = constantValue(kb) { return push(.powerConstant(ka, cb), dep, exact: exactConstants[kb]) }
                return push(.power(ka, kb), dep)
            }
        }
    }

    /// Replaces the just-emitted constant at `k` (the last instruction) with `value`.
    private mutating func fold(_ value: Double, exact: DoubleDouble, from k: Int) -> Int {
        precondition(k == instructions.count - 1, "ExpressionTape.fold: constant must be last")
        instructions[k] = .constant(value)
        exactConstants[k] = exact
        return k
    }

    /// The literal `v` in double-double: the shortest decimal that rounds to `v` (Swift's
    /// description), read exactly. For a literal of at most 15 significant digits that decimal
    /// is the literal itself, so `0.1` means one tenth, not the double nearest to it.
    static func exactLiteral(_ v: Double) -> DoubleDouble {
        guard v.isFinite, let exact = DoubleDouble(decimal: "\(v)"), exact.hi == v else { return DoubleDouble(v) }
        return exact
    }

    static func apply(_ f: ModelFunction, _ x: Double) -> Double {
        switch f {
        case .exp: return Foundation.exp(x)
        case .log: return Foundation.log(x)
        case .sin: return Foundation.sin(x)
        case .cos: return Foundation.cos(x)
        case .atan: return Foundation.atan(x)
        case .sqrt: return x.squareRoot()
        }
    }

    static func apply(_ op: ModelOperator, _ a: Double, _ b: Double) -> Double {
        switch op {
        case .add: return a + b
        case .subtract: return a - b
        case .multiply: return a * b
        case .divide: return a / b
        case .power: return Foundation.pow(a, b)
        }
    }

    /// f(x) and f′(x) of an elementary function.
    @inline(__always)
    static func valueAndSlope(_ f: ModelFunction, _ x: Double) -> (Double, Double) {
        switch f {
        case .exp: let e = Foundation.exp(x); return (e, e)
        case .log: return (Foundation.log(x), 1 / x)
        case .sin: return (Foundation.sin(x), Foundation.cos(x))
        case .cos: return (Foundation.cos(x), -Foundation.sin(x))
        case .atan: return (Foundation.atan(x), 1 / (1 + x * x))
        case .sqrt: let s = x.squareRoot(); return (s, 0.5 / s)
        }
    }

    /// f(x), f′(x) and f″(x) of an elementary function.
    static func taylor2(_ f: ModelFunction, _ x: Double) -> (Double, Double, Double) {
        switch f {
        case .exp: let e = Foundation.exp(x); return (e, e, e)
        case .log: return (Foundation.log(x), 1 / x, -1 / (x * x))
        case .sin: let s = Foundation.sin(x), c = Foundation.cos(x); return (s, c, -s)
        case .cos: let s = Foundation.sin(x), c = Foundation.cos(x); return (c, -s, -c)
        case .atan: let q = 1 / (1 + x * x); return (Foundation.atan(x), q, -2 * x * q * q)
        case .sqrt: let s = x.squareRoot(); return (s, 0.5 / s, -0.25 / (s * s * s))
        }
    }
}
