import FuzzSupport
import PolicyLab
import Tabular

/// Reads arbitrary bytes as a simulation spec and as a pipeline spec (YAML): each must either
/// parse or throw a typed error naming the file — never trap, hang or expand without bound.
/// Parsing a spec reads no other file (data and model paths are only resolved).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzSpecInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    expectTypedOutcome { _ = try SimulationSpec(yaml: text, file: "/fuzz/spec.yaml") }
    expectTypedOutcome { _ = try PipelineSpec(yaml: text, file: "/fuzz/spec.yaml") }
    return 0
}

/// Runs `body`; a spec, PolicyLab or Tabular error is the expected outcome for most inputs.
private func expectTypedOutcome(_ body: () throws -> Void) {
    do {
        try body()
    } catch let error as SpecError {
        precondition(error.file == "/fuzz/spec.yaml", "a spec error names another file: \(error)")
    } catch is PolicyLabError {
    } catch is TabularError {
    } catch {
        preconditionFailure("untyped error: \(error)")
    }
}

/// Entry point: SwiftPM aliases `main` to `FuzzSpec_main`; hand over to libFuzzer's driver.
@_cdecl("FuzzSpec_main")
func fuzzSpecMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzSpecInput)
}
