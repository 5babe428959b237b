import Foundation

/// JSON text that is the same for the same value on every run and machine: sorted keys,
/// pretty-printed, and NaN/±inf written as `null` (JSON has no non-finite numbers). Every
/// result PolicyLab prints or writes goes through it, so results can be compared byte for byte.
public enum StableJSON {
    /// The JSON text of `value`.
    /// - Throws: the encoder's error for a value that cannot be encoded.
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "\u{1}Inf", negativeInfinity: "\u{1}-Inf", nan: "\u{1}NaN")
        return String(decoding: try encoder.encode(value), as: UTF8.self)
            .replacingOccurrences(of: "\"\\u0001NaN\"", with: "null")
            .replacingOccurrences(of: "\"\\u0001Inf\"", with: "null")
            .replacingOccurrences(of: "\"\\u0001-Inf\"", with: "null")
    }
}
