import FuzzSupport
import Tabular

/// Parses arbitrary bytes as a model formula: it must either parse or throw a TabularError,
/// and the canonical text must be a fixed point: parsing it and printing again gives the same
/// text. (Not the same tree: numbers print with R's 15 significant digits, as R names terms,
/// so a longer literal such as 888…882 reads back as a nearby double.)
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzFormulaInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let canonical = try Formula(text).description
        let again = try Formula(canonical).description
        precondition(again == canonical, "canonical form is not a fixed point: \(canonical) → \(again)")
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
