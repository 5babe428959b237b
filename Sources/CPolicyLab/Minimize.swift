import CPolicyLabHeader
import Foundation
import PolicyLab

// Minimization of a C objective: `policylab_minimize` wraps the callbacks in an `Objective`
// (thread-safe only when the caller says so) and hands it to `OptimizationMethod.minimize`.

/// The JSON report of `policylab_minimize`.
private struct MinimizeReport: Encodable {
    let method: String
    let x: [Double]
    let value: Double
    let gradientNorm: Double?
    let iterations: Int
    let evaluations: Int
    let gradientEvaluations: Int
    let converged: Bool
    let message: String

    enum CodingKeys: String, CodingKey {
        case method, x, value, iterations, evaluations, converged, message
        case gradientNorm = "gradient_norm", gradientEvaluations = "gradient_evaluations"
    }
}

@c @implementation
public func policylab_minimize(_ f: policylab_objective?, _ gradient_or_null: policylab_objective_gradient?,
                               _ user_data: UnsafeMutableRawPointer?, _ thread_safe: Int32, _ n: Int64,
                               _ x0: UnsafePointer<Double>?, _ lower_or_null: UnsafePointer<Double>?,
                               _ upper_or_null: UnsafePointer<Double>?, _ method_or_null: UnsafePointer<CChar>?,
                               _ seed: UInt64, _ max_evaluations: Int64, _ x_out: UnsafeMutablePointer<Double>?,
                               _ value_out: UnsafeMutablePointer<Double>?,
                               _ report_json_out_or_null: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    report_json_out_or_null?.pointee = nil
    return entryPoint {
        let function = try required(f, "f")
        let dimension = try size(n, "n")
        let methodName = try method_or_null.map { try string($0, "method_or_null") } ?? OptimizationMethod.lbfgsb.rawValue
        guard let method = OptimizationMethod(rawValue: methodName) else {
            throw OptimizationError.unknownName(kind: "method", name: methodName, known: OptimizationMethod.allCases.map(\.rawValue))
        }
        guard max_evaluations >= 0 else { throw ABIError.argument("max_evaluations must be 0 (the method's default) or positive, got \(max_evaluations)") }
        let xOut = try required(x_out, "x_out")
        let valueOut = try required(value_out, "value_out")
        let start: [Double]
        if let x0 {
            start = doubles(x0, count: dimension)
        } else if method.isGlobal {
            start = [Double](repeating: 0, count: dimension)   // global methods ignore the start point
        } else {
            throw ABIError.argument("x0 is NULL; the local method \(method.rawValue) needs a start point")
        }
        let bounds = try Bounds(lower: lower_or_null.map { doubles($0, count: dimension) } ?? [Double](repeating: -.infinity, count: dimension),
                                upper: upper_or_null.map { doubles($0, count: dimension) } ?? [Double](repeating: .infinity, count: dimension))

        // The callbacks and the caller's pointer cross into `@Sendable` closures: the caller
        // declares (thread_safe) whether they may run concurrently; otherwise every call is
        // made serially on this thread, which `Objective(threadSafe: false)` guarantees.
        nonisolated(unsafe) let userData = user_data
        nonisolated(unsafe) let valueCallback = function
        let threadSafe = thread_safe != 0
        let objective: Objective
        if let gradientFunction = gradient_or_null {
            nonisolated(unsafe) let gradientCallback = gradientFunction
            objective = Objective(
                dimension: dimension, threadSafe: threadSafe,
                value: { x in x.withUnsafeBufferPointer { valueCallback($0.baseAddress, Int64($0.count), userData) } },
                gradient: { x in
                    var g = [Double](repeating: .nan, count: x.count)
                    let value = x.withUnsafeBufferPointer { xp in
                        g.withUnsafeMutableBufferPointer { gp in gradientCallback(xp.baseAddress, Int64(xp.count), gp.baseAddress, userData) }
                    }
                    return (value, g)
                })
        } else {
            objective = Objective(dimension: dimension, threadSafe: threadSafe) { x in
                x.withUnsafeBufferPointer { valueCallback($0.baseAddress, Int64($0.count), userData) }
            }
        }
        let result = try method.minimize(objective, bounds: bounds, start: start, seed: seed,
                                         parallelism: threadSafe ? currentParallelism : .serial,
                                         maxEvaluations: max_evaluations == 0 ? nil : Int(max_evaluations))
        guard result.x.count == dimension else {
            throw ABIError(status: POLICYLAB_ERROR_INTERNAL, message: "internal error: the optimizer returned \(result.x.count) coordinates for \(dimension)")
        }
        if let reportOut = report_json_out_or_null {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            let report = MinimizeReport(method: result.method, x: result.x, value: result.value, gradientNorm: result.gradientNorm,
                                        iterations: result.iterations, evaluations: result.evaluations,
                                        gradientEvaluations: result.gradientEvaluations, converged: result.converged,
                                        message: result.message)
            reportOut.pointee = try allocatedCString(String(decoding: try encoder.encode(report), as: UTF8.self))
        }
        xOut.update(from: result.x, count: dimension)
        valueOut.pointee = result.value
    }
}
