import CPolicyLabHeader
import Glibc
import PolicyLab

// Linear models: `policylab_ols` (arrays) maps onto `RegressionData` + `LinearRegression.fit`;
// `policylab_estimate_csv` onto `CSVReader.read` + `LinearRegression.fit(table:formula:…)`, as
// `policylab estimate` does.

@c @implementation
public func policylab_ols(_ n: Int64, _ k: Int64, _ x_colmajor: UnsafePointer<Double>?, _ y: UnsafePointer<Double>?,
                          _ weights_or_null: UnsafePointer<Double>?, _ vcov: UnsafePointer<CChar>?,
                          _ coef_out: UnsafeMutablePointer<Double>?, _ stderr_out: UnsafeMutablePointer<Double>?,
                          _ vcov_out_or_null: UnsafeMutablePointer<Double>?) -> Int32 {
    entryPoint {
        let rows = try size(n, "n")
        let columns = try size(k, "k")
        let elements = try product(rows, columns, "n·k")
        let x = try required(x_colmajor, "x_colmajor")
        let y = try required(y, "y")
        let vcovName = try string(vcov, "vcov")
        let coefficients = try required(coef_out, "coef_out")
        let standardErrors = try required(stderr_out, "stderr_out")
        let variance = try VarianceType(parsing: vcovName)
        guard variance.clusterColumns.isEmpty else {
            throw ABIError.argument("vcov '\(vcovName)': cluster variances need cluster columns; use policylab_estimate_csv")
        }

        let data = try RegressionData(x: try Matrix(rows: rows, columns: columns, columnMajor: doubles(x, count: elements)),
                                      y: doubles(y, count: rows),
                                      weights: weights_or_null.map { doubles($0, count: rows) },
                                      parallelism: currentParallelism,
                                      finiteCheck: .byFit)   // the fit below checks y and X (same errors)
        let result = try LinearRegression.fit(data, options: RegressionOptions(vcov: variance, parallelism: currentParallelism))

        // The result lists the kept columns by name (x1 … xk); aliased ones stay NaN, as R reports NA.
        var position: [String: Int] = [:]
        for (j, name) in data.columnNames.enumerated() { position[name] = j }
        let kept = result.coefficients.map { position[$0.term] }
        guard !kept.contains(nil) else {
            throw ABIError(status: POLICYLAB_ERROR_INTERNAL, message: "internal error: the fit returned a term that is not a column of X")
        }
        (coefficients).update(repeating: .nan, count: columns)
        standardErrors.update(repeating: .nan, count: columns)
        for (row, j) in zip(result.coefficients, kept) {
            guard let j else { continue }
            coefficients[j] = row.estimate
            standardErrors[j] = row.stdError
        }
        if let out = vcov_out_or_null {
            out.update(repeating: .nan, count: columns * columns)
            for (a, ja) in kept.enumerated() {
                for (b, jb) in kept.enumerated() {
                    guard let ja, let jb else { continue }
                    out[jb * columns + ja] = result.vcovMatrix[a][b]
                }
            }
        }
    }
}

@c @implementation
public func policylab_estimate_csv(_ csv_path: UnsafePointer<CChar>?, _ formula: UnsafePointer<CChar>?,
                                   _ weights_column_or_null: UnsafePointer<CChar>?, _ vcov: UnsafePointer<CChar>?,
                                   _ json_out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    json_out?.pointee = nil
    return entryPoint {
        let path = try string(csv_path, "csv_path")
        let formula = try string(formula, "formula")
        let weights = try weights_column_or_null.map { try string($0, "weights_column_or_null") }
        let variance = try VarianceType(parsing: try string(vcov, "vcov"))
        let out = try required(json_out, "json_out")
        let parallelism = currentParallelism
        let table = try CSVReader.read(path: path, options: CSVOptions(parallelism: parallelism))
        let result = try LinearRegression.fit(table: table, formula: formula, weights: weights,
                                              options: RegressionOptions(vcov: variance, parallelism: parallelism))
        out.pointee = try allocatedCString(try result.json())
    }
}

// MARK: - R's .C convention

@c @implementation
public func policylab_r_ols(_ n: UnsafePointer<Int32>?, _ k: UnsafePointer<Int32>?, _ x_colmajor: UnsafePointer<Double>?,
                            _ y: UnsafePointer<Double>?, _ weights: UnsafePointer<Double>?, _ has_weights: UnsafePointer<Int32>?,
                            _ vcov: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ coef_out: UnsafeMutablePointer<Double>?,
                            _ stderr_out: UnsafeMutablePointer<Double>?, _ vcov_out: UnsafeMutablePointer<Double>?,
                            _ status: UnsafeMutablePointer<Int32>?) -> Int32 {
    var code = entryPoint {
        _ = try required(n, "n")
        _ = try required(k, "k")
        _ = try required(has_weights, "has_weights")
        _ = try required(vcov, "vcov")
    }
    if code == POLICYLAB_OK, let n, let k, let has_weights, let vcov {
        let w = has_weights.pointee != 0 ? weights : nil
        if has_weights.pointee != 0 && weights == nil {
            code = entryPoint { throw ABIError.argument("weights is NULL while has_weights is nonzero") }
        } else {
            code = policylab_ols(Int64(n.pointee), Int64(k.pointee), x_colmajor, y, w, UnsafePointer(vcov.pointee),
                                 coef_out, stderr_out, vcov_out)
        }
    }
    status?.pointee = code
    return code
}

@c @implementation
public func policylab_r_last_error(_ buffer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    // Reads the message without replacing it (this call must not clear what it reports).
    guard let buffer, let target = buffer.pointee else { return POLICYLAB_ERROR_ARGUMENT }
    let message = policylab_last_error() ?? UnsafePointer(target)
    let length = min(strlen(message), strlen(target))
    memcpy(target, message, length)
    target[length] = 0
    return POLICYLAB_OK
}
