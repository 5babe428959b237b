import CPolicyLabHeader
import Foundation
import PolicyLab

// Simulation: `policylab_simulate` maps onto the calls `policylab simulate` makes
// (`SimulationSpec` → `PreparedSimulation` → `ModelSimulation.run` → JSON), from spec text.

@c @implementation
public func policylab_simulate(_ spec_yaml: UnsafePointer<CChar>?, _ spec_directory_or_null: UnsafePointer<CChar>?,
                               _ json_out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    json_out?.pointee = nil
    return entryPoint {
        let text = try string(spec_yaml, "spec_yaml")
        let directory = try spec_directory_or_null.map { try string($0, "spec_directory_or_null") }
            ?? FileManager.default.currentDirectoryPath
        let out = try required(json_out, "json_out")
        // The spec's relative paths resolve against the directory of its file: name the text
        // after the parameter, in that directory (error messages then say "DIR/spec_yaml:3:5").
        let file = URL(fileURLWithPath: directory, isDirectory: true).appendingPathComponent("spec_yaml").path
        let parallelism = currentParallelism
        let spec = try SimulationSpec(yaml: text, file: file)
        let prepared = try PreparedSimulation(spec: spec, parallelism: parallelism)
        var result = try ModelSimulation.run(prepared, parallelism: parallelism)
        result.run = ["threads": "\(parallelism.threads)"]
        out.pointee = try allocatedCString(try result.json())
    }
}
