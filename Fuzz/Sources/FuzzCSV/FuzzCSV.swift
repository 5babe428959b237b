import FuzzSupport
import LinearAlgebra
import Tabular

/// Reads arbitrary bytes as CSV, in one piece on 1 thread, split into tiny chunks on 3, and in
/// tiny blocks on 2 (so that from the second block on, double values are written straight into
/// the columns by pass 2): all must give the same table or the same typed error.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzCSVInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let serial = outcome(bytes, CSVOptions(parallelism: .serial))
    var split = CSVOptions(parallelism: Parallelism(threads: 3))
    split.chunkBytes = 7
    let parallel = outcome(bytes, split)
    precondition(serial == parallel, "serial and chunked parallel reads differ")
    var blocks = CSVOptions(parallelism: Parallelism(threads: 2))
    blocks.chunkBytes = 16
    blocks.blockBytes = 64
    let placed = outcome(bytes, blocks)
    precondition(serial == placed, "serial and block-by-block reads differ")
    return 0
}

/// Entry point: SwiftPM aliases `main` to `FuzzCSV_main`; hand over to libFuzzer's driver.
@_cdecl("FuzzCSV_main")
func fuzzCSVMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzCSVInput)
}

/// A comparable summary of a read: the columns, or the error's text.
private func outcome(_ bytes: [UInt8], _ options: CSVOptions) -> String {
    do {
        let table = try CSVReader.read(bytes: bytes, name: "fuzz.csv", options: options)
        var text = "\(table.rowCount) rows:"
        for name in table.columnNames {
            guard let column = try? table.column(named: name) else { continue }
            text += "|\(name):\(column.type):" + (0..<column.count).map { column.text(at: $0) ?? "∅" }.joined(separator: ",")
        }
        return text
    } catch let error as TabularError {
        return "error: \(error)"
    } catch {
        preconditionFailure("untyped error: \(error)")
    }
}
