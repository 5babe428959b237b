import Foundation
import LinearAlgebra

/// A model variable evaluated on the kept rows.
enum EvaluatedVariable: Sendable {
    /// Numeric columns (one, or `degree` for `poly`), with the suffix each adds to the label
    /// (`""`, or `"1"`, `"2"`, … as R's matrix-valued variables).
    case numeric(label: String, columns: [[Double]], suffixes: [String])
    /// A factor: dummy columns per level (text, `factor()`, `i()`, or a logical column).
    case factor(label: String, coding: LevelCoding)

    var label: String {
        switch self {
        case let .numeric(label, _, _), let .factor(label, _): return label
        }
    }
}

/// Evaluates variables (`x`, `log(x)`, `I(x^2)`, `poly(x, 3)`, `factor(g)`, `i(g, ref = …)`)
/// on a model frame. Arithmetic follows R (`x^2` is `x*x`, other powers `pow`), except that a
/// value R would turn into NaN or ±Inf is a typed error here, naming the term and the row:
/// `log` of a non-positive number, `sqrt` of a negative one, division by zero, overflow.
struct VariableEvaluator: Sendable {
    let frame: ModelFrame
    /// Level lists fixed in advance, by column name (streaming: every chunk codes a factor
    /// with the levels of the whole file, so its dummies line up across chunks).
    var fixedLevels: [String: [String]] = [:]

    /// The variable `expression` (a model-term variable, never a sum or interaction).
    /// - Throws: `TabularError.invalidVariable` for a single-level factor, an absent `ref`
    ///   level, a `poly` degree at or above the number of distinct values, a categorical
    ///   column in arithmetic, or a non-finite value.
    func evaluate(_ expression: FormulaExpression) throws -> EvaluatedVariable {
        let label = expression.description
        switch expression {
        case let .name(n):
            let column = try frame.column(n)
            if let logical = LevelCoding.logical(in: column, rows: frame.rows) {
                return .factor(label: label, coding: logical)  // R codes a logical column as FALSE/TRUE
            }
            if column.type == .categorical { return .factor(label: label, coding: try factor(column, label: label)) }
        case let .call("factor", args):
            guard case let .name(n)? = args.first?.value else { break }
            return .factor(label: label, coding: try factor(try frame.column(n), label: label))
        case let .call("i", args):
            guard case let .name(n)? = args.first?.value else { break }
            // fixest's i() named like factor(): columns `factor(g)Bali`, not fixest's `g::Bali`.
            let factorLabel = FormulaExpression.call("factor", [FormulaArgument(.name(n))]).description
            var coding = try factor(try frame.column(n), label: label)
            if let ref = args.first(where: { $0.label == "ref" })?.value {
                let wanted = VariableEvaluator.levelName(ref)
                guard let moved = coding.releveled(reference: wanted) else {
                    let hint = Suggestions.closest(to: wanted, in: coding.levels)
                    let tail = hint.isEmpty ? "levels: " + coding.levels.joined(separator: ", ")
                                            : "did you mean " + hint.map { "'\($0)'" }.joined(separator: " or ") + "?"
                    throw TabularError.invalidVariable(name: label, reason: "reference level '\(wanted)' is not among the levels used; \(tail)")
                }
                coding = moved
            }
            return .factor(label: factorLabel, coding: coding)
        case let .call("poly", args):
            return try poly(args, label: label)
        default:
            break
        }
        let values = try finite(try arithmetic(expression, label: label), label: label)
        return .numeric(label: label, columns: [values], suffixes: [""])
    }

    /// The response: arithmetic, one column, finite.
    func response(_ expression: FormulaExpression) throws -> [Double] {
        let label = expression.description
        return try finite(try arithmetic(expression, label: label), label: label)
    }

    private func factor(_ column: Column, label: String) throws -> LevelCoding {
        let coding = LevelCoding.present(in: column, rows: frame.rows)
        if let fixed = fixedLevels[column.name] {
            var index: [String: Int32] = [:]
            for (k, level) in fixed.enumerated() { index[level] = Int32(k) }
            var remap: [Int32] = []
            for level in coding.levels {
                guard let k = index[level] else {
                    throw TabularError.invalidVariable(name: label, reason:
                        "level '\(level)' is not among the \(fixed.count) levels fixed for column '\(column.name)'")
                }
                remap.append(k)
            }
            guard fixed.count >= 2 else {
                throw TabularError.invalidVariable(name: label, reason: "has a single level; a factor needs two or more levels")
            }
            return LevelCoding(codes: coding.codes.map { remap[Int($0)] }, levels: fixed)
        }
        guard coding.levels.count >= 2 else {
            let only = coding.levels.first.map { " '\($0)'" } ?? ""
            let after = frame.droppedRowCount > 0 ? " after dropping \(frame.droppedRowCount) rows with missing values" : ""
            throw TabularError.invalidVariable(name: label, reason:
                "has a single level\(only)\(after); a factor needs two or more levels (drop the term or check the data)")
        }
        return coding
    }

    /// The level name a `ref =` value denotes: the string, or the number as R prints it.
    static func levelName(_ value: FormulaExpression) -> String {
        switch value {
        case let .string(s): return s
        case let .number(v): return RNumberFormat.string(v)
        case let .negate(.number(v)): return RNumberFormat.string(-v)
        case let .name(n): return n
        default: return value.description
        }
    }

    private func poly(_ args: [FormulaArgument], label: String) throws -> EvaluatedVariable {
        let positional = args.filter { $0.label == nil }
        let degreeArgument = positional.count > 1 ? positional[1].value : args.first { $0.label == "degree" }?.value
        guard let x = positional.first?.value, case let .number(d)? = degreeArgument, d >= 1, d < 1e6 else {
            throw TabularError.invalidVariable(name: label, reason: "poly() needs a variable and a whole degree of at least 1")
        }
        let degree = Int(d)
        let values = try finite(try arithmetic(x, label: label), label: label)
        let distinct = Set(values).count
        guard degree < distinct else {
            throw TabularError.invalidVariable(name: label, reason:
                "degree \(degree) must be less than the number of distinct values (\(distinct)) of \(x) on the rows used")
        }
        var columns = [values]
        if degree >= 2 {
            for k in 2...degree {
                let p = Double(k)
                columns.append(k == 2 ? values.map { $0 * $0 } : values.map { Foundation.pow($0, p) })
            }
        }
        return .numeric(label: label, columns: try columns.map { try finite($0, label: label) },
                        suffixes: (1...degree).map(String.init))
    }

    private func finite(_ values: [Double], label: String) throws -> [Double] {
        if VectorKernels.allFinite(values) { return values }
        if let k = values.firstIndex(where: { !$0.isFinite }) {
            throw TabularError.invalidVariable(name: label, reason:
                "is \(RNumberFormat.string(values[k])) at row \(frame.rows[k] + 1) (division by zero, overflow or an infinite value in the data)")
        }
        return values
    }

    /// Elementwise arithmetic on the kept rows.
    func arithmetic(_ e: FormulaExpression, label: String) throws -> [Double] {
        let n = frame.rows.count
        switch e {
        case let .name(name): return try frame.numericValues(name, context: label)
        case let .number(v): return [Double](repeating: v, count: n)
        case let .group(inner): return try arithmetic(inner, label: label)
        case let .call("I", args) where args.count == 1: return try arithmetic(args[0].value, label: label)
        case let .negate(inner): return try arithmetic(inner, label: label).map { -$0 }
        case let .binary(op, l, r):
            let a = try arithmetic(l, label: label)
            let b = try arithmetic(r, label: label)
            switch op {
            case .plus: return zip(a, b).map(+)
            case .minus: return zip(a, b).map(-)
            case .times: return zip(a, b).map(*)
            case .divide: return zip(a, b).map(/)
            case .power: return zip(a, b).map { $1 == 2 ? $0 * $0 : Foundation.pow($0, $1) }
            case .colon: break
            }
        case let .call(f, args):
            guard let x = args.first?.value else { break }
            let v = try arithmetic(x, label: label)
            switch f {
            case "log":
                try domain(v, label: label, "log() of a non-positive value") { $0 > 0 }
                guard let baseArgument = args.dropFirst().first?.value else { return v.map { Foundation.log($0) } }
                let base = try arithmetic(baseArgument, label: label)
                try domain(base, label: label, "log() with a non-positive base") { $0 > 0 }
                return zip(v, base).map { Foundation.log($0) / Foundation.log($1) }
            case "log2":
                try domain(v, label: label, "log2() of a non-positive value") { $0 > 0 }
                return v.map { Foundation.log2($0) }
            case "log10":
                try domain(v, label: label, "log10() of a non-positive value") { $0 > 0 }
                return v.map { Foundation.log10($0) }
            case "log1p":
                try domain(v, label: label, "log1p() of a value at or below -1") { $0 > -1 }
                return v.map { Foundation.log1p($0) }
            case "sqrt":
                try domain(v, label: label, "sqrt() of a negative value") { $0 >= 0 }
                return v.map { $0.squareRoot() }
            case "exp": return v.map { Foundation.exp($0) }
            case "abs": return v.map { Swift.abs($0) }
            default: break
            }
        case .string: break
        }
        throw TabularError.invalidVariable(name: label, reason: "'\(e)' is not an arithmetic expression")
    }

    private func domain(_ v: [Double], label: String, _ what: String, _ ok: (Double) -> Bool) throws {
        if let k = v.firstIndex(where: { !ok($0) }) {
            throw TabularError.invalidVariable(name: label, reason:
                "\(what) (\(RNumberFormat.string(v[k]))) at row \(frame.rows[k] + 1); R would give NaN or -Inf — drop or fix the row")
        }
    }
}
