/// One factor of an output column: a numeric column of a variable, or the indicator of one
/// level of a factor variable.
enum ColumnComponent: Sendable, Equatable {
    case numeric(variable: Int, column: Int)
    case level(variable: Int, code: Int32)
}

/// One output column: the product of its components (none: the intercept, all ones).
struct PlannedColumn: Sendable, Equatable {
    var components: [ColumnComponent]
    var name: String
    /// R's `assign`: 0 for the intercept, else the 1-based term index.
    var term: Int
}

/// R's `model.matrix` column layout for a set of terms.
///
/// For each factor in a term R decides between contrasts (treatment: the first level is the
/// reference and gets no column) and full indicators: contrasts when the term without that
/// factor is empty or contained in an earlier term, indicators otherwise (`TermCode` in R's
/// model.c; the heuristic of *Statistical Models in S*, p. 38). Without an intercept, the
/// first factor of the first term that has one is coded by indicators. Columns of a term
/// are the products of its variables' columns, the first variable varying fastest; a name
/// joins the variables' column names with `:` (`x1:factor(g)Java`, `gAceh:urbanTRUE`).
enum ColumnPlan {
    /// The columns for `terms`, whose variable `k` is `variables[variableIndex[k]]`.
    /// - Parameters:
    ///   - codingIntercept: whether factors are coded as in a model with an intercept.
    ///   - emitIntercept: whether to output the `(Intercept)` column first.
    /// - Complexity: O(terms² · variables + output columns · variables).
    static func columns(
        for terms: ModelTerms, variableIndex: [Int], variables: [EvaluatedVariable],
        codingIntercept: Bool, emitIntercept: Bool
    ) -> [PlannedColumn] {
        var out: [PlannedColumn] = []
        if emitIntercept { out.append(PlannedColumn(components: [], name: "(Intercept)", term: 0)) }
        func isFactor(_ local: Int) -> Bool {
            if case .factor = variables[variableIndex[local]] { return true }
            return false
        }
        // codes[j][v] for factor v of term j: true = contrasts, false = indicators.
        var contrasts: [[Int: Bool]] = terms.terms.enumerated().map { j, term in
            var codes: [Int: Bool] = [:]
            for v in term where isFactor(v) {
                let rest = Set(term).subtracting([v])
                codes[v] = rest.isEmpty || terms.terms[..<j].contains { rest.isSubset(of: Set($0)) }
            }
            return codes
        }
        if !codingIntercept,
           let j = terms.terms.indices.first(where: { j in terms.terms[j].contains(where: isFactor) }),
           let v = terms.terms[j].first(where: isFactor) {
            contrasts[j][v] = false
        }
        for (j, term) in terms.terms.enumerated() {
            var combos: [([ColumnComponent], [String])] = [([], [])]
            for v in term {
                let g = variableIndex[v]
                var options: [(ColumnComponent, String)] = []
                switch variables[g] {
                case let .numeric(label, columns, suffixes):
                    for c in columns.indices { options.append((.numeric(variable: g, column: c), label + suffixes[c])) }
                case let .factor(label, coding):
                    let first = contrasts[j][v] == true ? 1 : 0
                    for code in first..<coding.levels.count {
                        options.append((.level(variable: g, code: Int32(code)), label + coding.levels[code]))
                    }
                }
                // Earlier variables vary fastest.
                combos = options.flatMap { option in combos.map { ($0.0 + [option.0], $0.1 + [option.1]) } }
            }
            for (components, names) in combos {
                out.append(PlannedColumn(components: components, name: names.joined(separator: ":"), term: j + 1))
            }
        }
        return out
    }

    /// The values of `column` on `rows` rows.
    /// - Complexity: O(rows · components).
    static func values(of column: PlannedColumn, variables: [EvaluatedVariable], rows: Int) -> [Double] {
        // A plain numeric variable is its own column (shared storage, no copy).
        if column.components.count == 1, case let .numeric(v, c) = column.components[0],
           case let .numeric(_, columns, _) = variables[v] {
            return columns[c]
        }
        var out = [Double](repeating: 1, count: rows)
        for component in column.components {
            switch component {
            case let .numeric(v, c):
                guard case let .numeric(_, columns, _) = variables[v] else { continue }
                let x = columns[c]
                for i in 0..<rows { out[i] *= x[i] }
            case let .level(v, code):
                guard case let .factor(_, coding) = variables[v] else { continue }
                for i in 0..<rows where coding.codes[i] != code { out[i] = 0 }
            }
        }
        return out
    }
}
