/// Decimal text to double-double, without going through a rounded double.
///
/// The significant digits (at most 36; later digits change the value by < 1e-35 relative and
/// are dropped, leading and trailing zeros do not count) are accumulated as an integer in
/// double-double, exactly up to 2¹⁰⁶ ≈ 8e31, then divided or multiplied by 10^|e| in steps of
/// at most 10⁴⁴, each step an exactly representable double-double power of ten. A value that
/// needs one step (|decimal exponent| ≤ 44 after moving the point behind the last digit, as
/// for every data file in practice) is therefore rounded once, with relative error ≤ 10u²
/// (u = 2⁻⁵³, ≈ 1.2e-31); each further step adds at most 5u².
extension DoubleDouble {
    /// The decimal number in `text`: `[+|-] digits [. digits] [(e|E) [+|-] digits]`, with at
    /// least one digit before or after the point ("2.513400000000E+00", "-1.5e-3", ".5", "5."),
    /// or `inf`, `infinity`, `nan` in any case with an optional sign. Surrounding spaces and
    /// tabs are ignored. Values beyond the double range give ±∞; values below about 1e-292
    /// lose their trailing part (and below ~4.9e-324 become ±0).
    /// - Returns: nil when `text` is not such a number (empty, a letter, "1e", "1.2.3", "0x10").
    /// - Complexity: O(text length) plus at most ~16 double-double divisions or products.
    public init?(decimal text: some StringProtocol) {
        var bytes = Array(text.utf8)[...]
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes.removeFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            negative = first == UInt8(ascii: "-")
            bytes.removeFirst()
        }
        if let first = bytes.first, first | 0x20 == UInt8(ascii: "i") || first | 0x20 == UInt8(ascii: "n") {
            let word = String(decoding: bytes, as: UTF8.self).lowercased()
            if word == "inf" || word == "infinity" { self = DoubleDouble(negative ? -.infinity : .infinity); return }
            if word == "nan" { self = .nan; return }
            return nil
        }
        guard let parsed = Self.parseDigits(bytes) else { return nil }
        var value = Self.integer(parsed.digits)
        var exponent = parsed.exponent
        if value.hi != 0 {
            while exponent < 0 {
                let step = Swift.min(-exponent, 44)
                value = value / Self.powerOfTen(step)
                exponent += step
                if value.hi == 0 { break }
            }
            while exponent > 0 {
                let step = Swift.min(exponent, 44)
                value = value * Self.powerOfTen(step)
                exponent -= step
                if !value.hi.isFinite { break }
            }
        }
        self = negative ? -value : value
    }

    /// The significant digits (≤ 36, no leading or trailing zeros) and the power of ten that
    /// multiplies them, or nil when the bytes are not a decimal number.
    private static func parseDigits(_ bytes: ArraySlice<UInt8>) -> (digits: [UInt8], exponent: Int)? {
        var digits: [UInt8] = []
        var exponent = 0            // power of ten of the last kept digit
        var sawDigit = false, sawPoint = false
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let c = bytes[index]
            if c >= 0x30 && c <= 0x39 {
                sawDigit = true
                let d = c - 0x30
                if digits.isEmpty && d == 0 {
                    if sawPoint { exponent -= 1 }
                } else if digits.count < 36 {
                    digits.append(d)
                    if sawPoint { exponent -= 1 }
                } else if !sawPoint {
                    exponent += 1
                }
            } else if c == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
            } else {
                break
            }
            index += 1
        }
        guard sawDigit else { return nil }
        if index < bytes.endIndex {
            guard bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") else { return nil }
            index += 1
            var negative = false
            if index < bytes.endIndex, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                negative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            guard index < bytes.endIndex else { return nil }
            var e = 0
            while index < bytes.endIndex {
                let c = bytes[index]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                if e < 100_000 { e = e * 10 + Int(c - 0x30) }
                index += 1
            }
            exponent += negative ? -e : e
        }
        while let last = digits.last, last == 0 {
            digits.removeLast()
            exponent += 1
        }
        if digits.isEmpty { exponent = 0 }
        return (digits, exponent)
    }

    /// The integer with these decimal digits: exact below 2¹⁰⁶ (up to 31 digits), rounded
    /// once per 15-digit chunk beyond.
    private static func integer(_ digits: [UInt8]) -> DoubleDouble {
        var value = DoubleDouble.zero
        var start = 0
        while start < digits.count {
            let end = Swift.min(start + 15, digits.count)
            var chunk = 0.0
            for d in digits[start..<end] { chunk = chunk * 10 + Double(d) }
            value = value * powerOfTen(end - start) + DoubleDouble(chunk)
            start = end
        }
        return value
    }

    /// 10ⁿ for 0 ≤ n ≤ 44, exactly (10²² · 10ⁿ⁻²² by TwoProduct, as 5⁴⁴ < 2¹⁰⁶).
    static func powerOfTen(_ n: Int) -> DoubleDouble {
        precondition(n >= 0 && n <= 44, "DoubleDouble.powerOfTen: n out of 0...44")
        if n <= 22 { return DoubleDouble(exactPowersOfTen[n]) }
        // 10ⁿ = 10²² · 10ⁿ⁻²², both exact doubles; their product is exact in double-double
        // because 5ⁿ < 2¹⁰⁶.
        return DoubleDouble(product: exactPowersOfTen[22], exactPowersOfTen[n - 22])
    }

    /// 10⁰ … 10²², each exact in a double.
    private static let exactPowersOfTen: [Double] = (0...22).map { n in
        var p = 1.0
        for _ in 0..<n { p *= 10 }
        return p
    }
}
