/// UTF-8 checks for the bytes that become text (categorical levels and header names).
enum UTF8Validation {
    /// The offset of the first byte in `p[start..<end]` that does not belong to a well-formed
    /// UTF-8 sequence (Unicode 15, table 3-7: no overlongs, surrogates or values past
    /// U+10FFFF), or nil when all of it is valid.
    /// - Complexity: O(end − start), eight ASCII bytes at a time.
    static func firstInvalidByte(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        var i = start
        while i < end {
            if i + 8 <= end,
               UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let b0 = p[i]
            if b0 < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return i
            }
            guard i + 1 < end, p[i + 1] >= low, p[i + 1] <= high else { return i }
            for k in 2..<length {
                guard i + k < end, p[i + k] & 0xC0 == 0x80 else { return i }
            }
            i += length
        }
        return nil
    }
}
