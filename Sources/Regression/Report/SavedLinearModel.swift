import Foundation
import Tabular

/// What a simulation needs from a fitted linear model, as `policylab estimate --save` writes
/// it: the kept terms with their coefficients and covariance (of the chosen variance type),
/// σ̂ and its degrees of freedom, the formula, and the levels of every text column the formula
/// uses (so a population table is coded alike). JSON, versioned.
public struct SavedLinearModel: Codable, Sendable, Equatable {
    /// "policylab-linear-model".
    public var format: String
    /// The format version (1); `load` rejects others.
    public var version: Int
    /// The fitted formula; its right-hand side is rebuilt on the population.
    public var formula: String
    /// The response's name.
    public var response: String
    /// The model kind: `ols`, `wls` or `iv`, with `+fe` when fixed effects were absorbed.
    public var model: String
    /// The kept terms (design column names), in coefficient order.
    public var terms: [String]
    /// β̂, in `terms` order.
    public var coefficients: [Double]
    /// Row-major covariance of `coefficients`.
    public var covariance: [[Double]]
    /// The variance type of `covariance` (`iid`, `hc1`, `cluster:firm`, …).
    public var vcov: String
    /// σ̂ = √(Σwᵢuᵢ²/df_residual).
    public var sigma: Double
    /// Residual degrees of freedom (of the simulation's scaled inverse-χ² draw of σ²).
    public var dfResidual: Int
    /// Observations used in the fit.
    public var nobs: Int
    /// The fit's weight column; nil for OLS.
    public var weights: String?
    /// Aliased terms dropped from the fit.
    public var dropped: [String]
    /// Absorbed fixed-effect terms; their estimates are not saved, so a simulation refuses such a model.
    public var fixedEffects: [String]
    /// Sorted levels of the text columns the formula uses, by column.
    public var levels: [String: [String]]

    enum CodingKeys: String, CodingKey {
        case format, version, formula, response, model, terms, coefficients, covariance, vcov, sigma, nobs, weights, dropped, levels
        case dfResidual = "df_residual", fixedEffects = "fixed_effects"
    }

    /// The saved form of `result`, with the levels of the text columns of `table` that `result.formula` names.
    /// - Throws: `TabularError.formula` if the formula no longer parses (it came from a fit, so it does).
    public init(result: RegressionResult, table: Table, weights: String?) throws {
        format = "policylab-linear-model"
        version = 1
        formula = result.formula
        response = result.response
        model = result.model
        terms = result.coefficients.map(\.term)
        coefficients = result.coefficients.map(\.estimate)
        covariance = result.vcovMatrix
        vcov = result.vcov
        sigma = result.sigma
        dfResidual = result.dfResidual
        nobs = result.nobs
        self.weights = weights
        dropped = result.dropped
        fixedEffects = result.fixedEffects
        var levels: [String: [String]] = [:]
        for name in try Formula(result.formula).columnNames {
            guard let column = try? table.column(named: name), case let .categorical(codes, names) = column.values else { continue }
            var used = Set<Int32>()
            for i in 0..<column.count where column.validity.isValid(i) { used.insert(codes[i]) }
            levels[name] = used.map { names[Int($0)] }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        }
        self.levels = levels
    }

    /// Sorted-key, pretty JSON.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// Reads a saved model.
    /// - Throws: `RegressionError.invalidOption` naming the file when it is not a saved PolicyLab
    ///   linear model, has an unknown version, its shapes disagree, or its numbers cannot come
    ///   from a fit (a non-finite coefficient or covariance, a negative variance, an asymmetric
    ///   covariance, σ̂ negative or not finite, residual degrees of freedom below 1) — an edited
    ///   file is refused here instead of simulating nonsense.
    public static func load(path: String) throws -> SavedLinearModel {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw RegressionError.invalidOption(option: "model file", value: path, expected: "a readable file written by `policylab estimate --save`")
        }
        let model: SavedLinearModel
        do { model = try JSONDecoder().decode(SavedLinearModel.self, from: data) } catch {
            throw RegressionError.invalidOption(option: "model file", value: path, expected: "JSON written by `policylab estimate --save` (\(error))")
        }
        guard model.format == "policylab-linear-model", model.version == 1 else {
            throw RegressionError.invalidOption(option: "model file", value: path, expected: "format policylab-linear-model version 1")
        }
        let k = model.terms.count
        guard model.coefficients.count == k, model.covariance.count == k, model.covariance.allSatisfy({ $0.count == k }) else {
            throw RegressionError.invalidOption(option: "model file", value: path, expected: "\(k) coefficients and a \(k)×\(k) covariance")
        }
        if let problem = model.numericProblem {
            throw RegressionError.invalidOption(option: "model file", value: path, expected: problem)
        }
        return model
    }

    /// What makes the numbers of a well-shaped model impossible for a fit, or nil.
    var numericProblem: String? {
        if let i = coefficients.firstIndex(where: { !$0.isFinite }) { return "finite coefficients (\(terms[i]) is \(coefficients[i]))" }
        for i in covariance.indices {
            if !(covariance[i][i] >= 0) || !covariance[i][i].isFinite {
                return "a covariance with finite non-negative variances (the variance of \(terms[i]) is \(covariance[i][i]))"
            }
            for j in 0..<i {
                let (a, b) = (covariance[i][j], covariance[j][i])
                // Rounding in a sandwich product leaves asymmetry near 1e-16 of the scale √(vᵢvⱼ).
                let scale = (covariance[i][i] * covariance[j][j]).squareRoot()
                guard a.isFinite, b.isFinite, abs(a - b) <= 1e-10 * scale else {
                    return "a finite symmetric covariance (entries \(terms[i]), \(terms[j]): \(a) and \(b))"
                }
            }
        }
        guard sigma.isFinite, sigma >= 0 else { return "sigma a finite number ≥ 0 (got \(sigma))" }
        guard dfResidual >= 1 else { return "df_residual at least 1 (got \(dfResidual))" }
        return nil
    }
}
