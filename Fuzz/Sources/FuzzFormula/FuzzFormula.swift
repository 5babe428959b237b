import FuzzSupport
import Tabular

/// Parses arbitrary bytes as a model formula: it must either parse or throw a TabularError,
/// and a parsed formula's canonical text must parse again to an equal formula.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzFormulaInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let formula = try Formula(text)
        let again = try Formula(formula.description)
        precondition(again == formula, "canonical form does not round-trip: \(formula.description)")
    } catch is TabularError {
        // Rejected with a typed error: the expected outcome for most inputs.
    } catch {
        preconditionFailure("untyped error: \(error)")
    }
    return 0
}

/// Entry point: SwiftPM aliases `main` to `FuzzFormula_main`; hand over to libFuzzer's driver.
@_cdecl("FuzzFormula_main")
func fuzzFormulaMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzFormulaInput)
}
