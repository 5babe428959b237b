import Foundation
import LinearAlgebra

/// Raw binary matrices: little-endian IEEE float64, column-major (Fortran order), no header.
/// This is the exchange format of `scripts/bench-peers` (numpy writes it with `X.T.tofile`
/// or `np.asfortranarray(X).ravel(order="F").tofile`).
public enum RawMatrixFile {
    /// Reads a `rows × columns` matrix.
    /// - Throws: `PolicyLabError.file` when the file is missing, unreadable or not exactly
    ///   rows·columns·8 bytes; `.invalidArgument` for negative dimensions.
    /// - Complexity: O(rows · columns) time and memory (one read, one copy).
    public static func read(path: String, rows: Int, columns: Int) throws -> Matrix {
        guard rows >= 0, columns >= 0 else {
            throw PolicyLabError.invalidArgument(name: "rows/cols", reason: "must be non-negative, got \(rows)×\(columns)")
        }
        let expected = rows.multipliedReportingOverflow(by: columns)
        guard !expected.overflow, !expected.partialValue.multipliedReportingOverflow(by: 8).overflow else {
            throw PolicyLabError.invalidArgument(name: "rows/cols", reason: "\(rows)×\(columns) is too large")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw PolicyLabError.file(path: path, reason: "cannot be read (\(error.localizedDescription))")
        }
        guard data.count == expected.partialValue * 8 else {
            throw PolicyLabError.file(
                path: path,
                reason: "has \(data.count) bytes; a \(rows)×\(columns) float64 matrix needs \(expected.partialValue * 8)")
        }
        let values = [Double](unsafeUninitializedCapacity: expected.partialValue) { buffer, initialized in
            data.withUnsafeBytes { raw in
                for i in 0..<expected.partialValue {
                    buffer[i] = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))
                }
            }
            initialized = expected.partialValue
        }
        return try Matrix(rows: rows, columns: columns, columnMajor: values)
    }
}
