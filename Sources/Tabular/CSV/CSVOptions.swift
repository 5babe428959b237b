import LinearAlgebra

/// The byte that separates fields within a row.
public enum CSVDelimiter: String, Sendable, Codable, CaseIterable {
    /// `,` (RFC 4180).
    case comma = ","
    /// `;` (common where `,` is the decimal mark).
    case semicolon = ";"
    /// A horizontal tab (TSV files).
    case tab = "\t"
    /// `|`.
    case pipe = "|"

    /// The delimiter's ASCII byte.
    /// - Complexity: O(1); never fails.
    public var byte: UInt8 {
        switch self {
        case .comma: return UInt8(ascii: ",")
        case .semicolon: return UInt8(ascii: ";")
        case .tab: return UInt8(ascii: "\t")
        case .pipe: return UInt8(ascii: "|")
        }
    }
}

/// How `CSVReader` and `CSVChunkReader` read a delimited text file.
///
/// Lexical rules (RFC 4180): fields are separated by `delimiter`; rows end with LF or CRLF
/// (a lone CR is data); a field that starts with `"` is quoted and may contain delimiters,
/// line breaks and doubled quotes `""` (one `"` in the value); a `"` anywhere else in an
/// unquoted field is an error. An optional UTF-8 byte-order mark is skipped. Empty lines
/// are skipped (as pandas and R do; in a one-column file write a missing value as `NA` or
/// `""`).
///
/// Types: each column is `Int` if every present value is an integer literal that fits in
/// 64 bits, `Double` if every present value is a number (an integer too large for `Int`
/// makes the column `Double`), `Bool` if every present value is `true`/`false`/`TRUE`/
/// `FALSE`/`True`/`False`, else categorical. Quoting does not change a value's type. A
/// column with no present value is `Double`, all missing. `columnTypes` overrides inference.
public struct CSVOptions: Sendable, Equatable {
    /// The field separator. Default `,`.
    public var delimiter: CSVDelimiter
    /// Whether the first row holds the column names. Without one, columns are named
    /// `column1`, `column2`, …. Default true.
    public var hasHeader: Bool
    /// Field texts that mean "missing" (compared after trimming spaces, and tabs unless the
    /// delimiter is a tab; case-sensitive). A missing value clears the row's validity bit;
    /// it is never stored as NaN. Default: empty, `NA`, `NaN`, `.`. Other spellings of NaN
    /// (`nan`, `-nan`) are genuine NaN values in a `Double` column.
    public var missingTokens: [String]
    /// Per-column type overrides by column name: the column is parsed as that type, and a
    /// present value that is not of it is an error (line, column, text).
    public var columnTypes: [String: ColumnType]
    /// Threads for parsing. The result does not depend on it.
    public var parallelism: Parallelism
    /// Size of the byte ranges parsed concurrently (clamped to 1 … 2^30). The result does
    /// not depend on it. Default 1 MiB.
    public var chunkBytes: Int
    /// The most bytes read from the file per block, the unit that bounds the reader's buffer
    /// memory (inputs under 256 MiB use blocks of an eighth of their size, at least 4 MiB; a
    /// block grows when one row is longer). The result does not depend on it. Default 32 MiB.
    public var blockBytes: Int

    /// The default missing tokens: empty, `NA`, `NaN`, `.` (what pandas and R write for a
    /// missing value, and Stata's `.`).
    public static let defaultMissingTokens = ["", "NA", "NaN", "."]

    /// Options with the given values; the defaults read an RFC 4180 file with a header on all
    /// cores. Values are checked when a file is read: a type declared for a column the file
    /// does not have is `TabularError.unknownColumn`; sizes below 1 mean 1.
    /// - Complexity: O(1).
    public init(
        delimiter: CSVDelimiter = .comma, hasHeader: Bool = true,
        missingTokens: [String] = CSVOptions.defaultMissingTokens,
        columnTypes: [String: ColumnType] = [:], parallelism: Parallelism = .allCores,
        chunkBytes: Int = 1 << 20, blockBytes: Int = 32 << 20
    ) {
        self.delimiter = delimiter
        self.hasHeader = hasHeader
        self.missingTokens = missingTokens
        self.columnTypes = columnTypes
        self.parallelism = parallelism
        self.chunkBytes = chunkBytes
        self.blockBytes = blockBytes
    }

    /// `chunkBytes` in 1 … 2^30 (so a range's row numbers fit in 32 bits).
    var effectiveChunkBytes: Int { Swift.min(Swift.max(1, chunkBytes), 1 << 30) }
    /// `blockBytes`, at least 1.
    var effectiveBlockBytes: Int { Swift.max(1, blockBytes) }
}
