import Foundation
@testable import Optimization

/// One NIST StRD nonlinear regression problem read from its .dat file, with the model
/// hand-coded as a formula string for the PolicyLab parser.
struct NISTProblem {
    let name: String
    let formula: String
    let parameterNames: [String]
    let starts: [[Double]]
    let certified: [Double]
    let certifiedSE: [Double]
    let certifiedRSS: Double
    let columns: [String: [Double]]
    /// The same data as the decimal text of the file, for the double-double final stage.
    let decimalColumns: [String: [String]]

    /// The 27 models, written from each file's "Model:" text (`**` → `^`, `[ ]` → `( )`).
    static let formulas: [String: String] = [
        "Misra1a": "y ~ b1*(1-exp(-b2*x))",
        "Chwirut2": "y ~ exp(-b1*x)/(b2+b3*x)",
        "Chwirut1": "y ~ exp(-b1*x)/(b2+b3*x)",
        "Lanczos3": "y ~ b1*exp(-b2*x) + b3*exp(-b4*x) + b5*exp(-b6*x)",
        "Gauss1": "y ~ b1*exp( -b2*x ) + b3*exp( -(x-b4)^2 / b5^2 ) + b6*exp( -(x-b7)^2 / b8^2 )",
        "Gauss2": "y ~ b1*exp( -b2*x ) + b3*exp( -(x-b4)^2 / b5^2 ) + b6*exp( -(x-b7)^2 / b8^2 )",
        "DanWood": "y ~ b1*x^b2",
        "Misra1b": "y ~ b1 * (1-(1+b2*x/2)^(-2))",
        "Kirby2": "y ~ (b1 + b2*x + b3*x^2) / (1 + b4*x + b5*x^2)",
        "Hahn1": "y ~ (b1+b2*x+b3*x^2+b4*x^3) / (1+b5*x+b6*x^2+b7*x^3)",
        "Nelson": "log(y) ~ b1 - b2*x1 * exp(-b3*x2)",
        "MGH17": "y ~ b1 + b2*exp(-x*b4) + b3*exp(-x*b5)",
        "Lanczos1": "y ~ b1*exp(-b2*x) + b3*exp(-b4*x) + b5*exp(-b6*x)",
        "Lanczos2": "y ~ b1*exp(-b2*x) + b3*exp(-b4*x) + b5*exp(-b6*x)",
        "Gauss3": "y ~ b1*exp( -b2*x ) + b3*exp( -(x-b4)^2 / b5^2 ) + b6*exp( -(x-b7)^2 / b8^2 )",
        "Misra1c": "y ~ b1 * (1-(1+2*b2*x)^(-.5))",
        "Misra1d": "y ~ b1*b2*x*((1+b2*x)^(-1))",
        "Roszman1": "y ~ b1 - b2*x - atan(b3/(x-b4))/pi",
        "ENSO": "y ~ b1 + b2*cos( 2*pi*x/12 ) + b3*sin( 2*pi*x/12 ) + b5*cos( 2*pi*x/b4 ) + b6*sin( 2*pi*x/b4 )"
            + " + b8*cos( 2*pi*x/b7 ) + b9*sin( 2*pi*x/b7 )",
        "MGH09": "y ~ b1*(x^2+x*b2) / (x^2+x*b3+b4)",
        "Thurber": "y ~ (b1 + b2*x + b3*x^2 + b4*x^3) / (1 + b5*x + b6*x^2 + b7*x^3)",
        "BoxBOD": "y ~ b1*(1-exp(-b2*x))",
        "Rat42": "y ~ b1 / (1+exp(b2-b3*x))",
        "MGH10": "y ~ b1 * exp(b2/(x+b3))",
        "Eckerle4": "y ~ (b1/b2) * exp(-0.5*((x-b3)/b2)^2)",
        "Rat43": "y ~ b1 / ((1+exp(b2-b3*x))^(1/b4))",
        "Bennett5": "y ~ b1 * (b2+x)^(-1/b3)",
    ]

    /// The problems in NIST's order of difficulty (lower, average, higher).
    static let order = ["Misra1a", "Chwirut2", "Chwirut1", "Lanczos3", "Gauss1", "Gauss2", "DanWood", "Misra1b",
                        "Kirby2", "Hahn1", "Nelson", "MGH17", "Lanczos1", "Lanczos2", "Gauss3", "Misra1c",
                        "Misra1d", "Roszman1", "ENSO", "MGH09", "Thurber", "BoxBOD", "Rat42", "MGH10",
                        "Eckerle4", "Rat43", "Bennett5"]

    /// The folder of the .dat files: $POLICYLAB_SHARED_DIR/data/nist_strd_nls, else
    /// <repository root>/../shared/data/nist_strd_nls (the root is three levels above this file).
    static func directory(filePath: String = #filePath) -> URL {
        if let shared = ProcessInfo.processInfo.environment["POLICYLAB_SHARED_DIR"], !shared.isEmpty {
            return URL(fileURLWithPath: shared).appendingPathComponent("data/nist_strd_nls")
        }
        let root = URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent("../shared/data/nist_strd_nls").standardized
    }

    struct LoadError: Error, CustomStringConvertible { let description: String }

    /// Reads `name`.dat using the line ranges its header gives.
    static func load(_ name: String) throws -> NISTProblem {
        let url = directory().appendingPathComponent("\(name).dat")
        let text = try String(contentsOf: url, encoding: .utf8)
        let lines = text.replacingOccurrences(of: "\r", with: "").components(separatedBy: "\n")
        func range(_ label: String) throws -> ClosedRange<Int> {
            guard let line = lines.first(where: { $0.lowercased().contains(label.lowercased()) && $0.contains("lines") }) else {
                throw LoadError(description: "\(name): no '\(label)' line range")
            }
            let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            guard numbers.count >= 2 else { throw LoadError(description: "\(name): bad range line '\(line)'") }
            return numbers[numbers.count - 2]...numbers[numbers.count - 1]
        }
        var names: [String] = [], s1: [Double] = [], s2: [Double] = [], cert: [Double] = [], se: [Double] = []
        var rss = Double.nan
        for i in try range("Certified Values") {
            let line = lines[i - 1]
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "=" }).map(String.init)
            if line.contains("Residual Sum of Squares:"), let v = fields.last.flatMap(Double.init) { rss = v }
            guard fields.count == 5, fields[0].hasPrefix("b"), line.contains("=") else { continue }
            let v = fields[1...].compactMap(Double.init)
            guard v.count == 4 else { throw LoadError(description: "\(name): bad parameter line '\(line)'") }
            names.append(fields[0]); s1.append(v[0]); s2.append(v[1]); cert.append(v[2]); se.append(v[3])
        }
        let dataRange = try range("Data  ")
        let header = lines[dataRange.lowerBound - 2].split(separator: " ").dropFirst().map(String.init)
        var columns = [String: [Double]]()
        var decimalColumns = [String: [String]]()
        for i in dataRange {
            let fields = lines[i - 1].split(separator: " ").map(String.init)
            let v = fields.compactMap { Double($0) }
            guard v.count == header.count, fields.count == header.count else {
                throw LoadError(description: "\(name): bad data line \(i)")
            }
            for (h, x) in zip(header, v) { columns[h, default: []].append(x) }
            for (h, t) in zip(header, fields) { decimalColumns[h, default: []].append(t) }
        }
        guard let formula = formulas[name], rss.isFinite, !names.isEmpty else {
            throw LoadError(description: "\(name): missing formula, parameters or RSS")
        }
        return NISTProblem(name: name, formula: formula, parameterNames: names, starts: [s1, s2], certified: cert,
                           certifiedSE: se, certifiedRSS: rss, columns: columns, decimalColumns: decimalColumns)
    }

    /// The log relative error −log10(|x − c|/|c|), capped at 11 (NIST's certified digits).
    static func lre(_ x: Double, _ c: Double) -> Double {
        guard x.isFinite else { return 0 }
        let e = Swift.abs(x - c) / Swift.abs(c)
        return e == 0 ? 11 : Swift.min(11, Swift.max(0, -Foundation.log10(e)))
    }
}
