/// The one way a number is written, for a person or a program: logs, reasons, reports, config
/// text, metrics and error messages all come here, so one value reads the same everywhere.
///
/// Three styles:
/// - ``Style/exact``: the shortest text that reads back as the same `Double` (`55`, `50.125`,
///   `50.00000000000001`, `1e+16`, `1e-07`); integral values below 10^16 as whole numbers
///   (`1000000000000000`). For values a user or a source gave (thresholds, loads as read, config
///   text) and for machine formats (log fields, metrics).
/// - ``Style/atMost(_:)``: rounded to that many decimals, trailing zeros dropped (`56.67`, `120`).
///   For figures a program computed (a smoothed total, a projection, a percentage).
/// - ``Style/fixed(_:)``: rounded to exactly that many decimals (`9.83`, `0.00`). For columns.
///
/// Total on every `Double`: negative zero is `0`; NaN and the infinities are `nan`, `inf`, `-inf`;
/// a value too large to round at the asked precision is written whole if it is a whole number below
/// 10^16, else with 15 significant digits and an exponent (`2.51209103840683e+19`).
public enum DecimalText {
    /// Whether `text` is `digits[.digits][e[±]digits]` (or `.digits…`), with no sign: the numbers a
    /// person writes in a config or an option (no hex, no `inf`, no `nan`, no `_`).
    public static func isUnsignedDecimal(_ text: some StringProtocol) -> Bool {
        var scalars = Substring(text).unicodeScalars[...]
        func digits() -> Int {
            let count = scalars.prefix(while: { ("0"..."9").contains($0) }).count
            scalars.removeFirst(count)
            return count
        }
        var mantissa = digits()
        if scalars.first == "." {
            scalars.removeFirst()
            mantissa += digits()
        }
        guard mantissa > 0 else { return false }
        if scalars.first == "e" || scalars.first == "E" {
            scalars.removeFirst()
            if scalars.first == "+" || scalars.first == "-" { scalars.removeFirst() }
            guard digits() > 0 else { return false }
        }
        return scalars.isEmpty
    }

    public enum Style: Sendable, Equatable {
        case exact
        case atMost(Int)
        case fixed(Int)
    }

    /// `value` as text in `style` (``Style/exact`` unless told).
    public static func format(_ value: Double, _ style: Style = .exact) -> String {
        switch style {
        case .exact:
            if value.isFinite, value == value.rounded(), abs(value) < 1e16 { return String(Int64(value)) }
            return String(value)
        case .atMost, .fixed:
            var bytes: [UInt8] = []
            append(value, style, to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Appends ``format(_:_:)``'s text as UTF-8 bytes: for writers that build large texts.
    package static func append(_ value: Double, _ style: Style, to bytes: inout [UInt8]) {
        let decimals: Int
        let trimmed: Bool
        switch style {
        case .exact:
            bytes.append(contentsOf: format(value).utf8)
            return
        case let .atMost(places): (decimals, trimmed) = (places, true)
        case let .fixed(places): (decimals, trimmed) = (places, false)
        }
        let places = min(max(decimals, 0), 6)
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (value * scale).rounded()
        guard scaled.isFinite, abs(scaled) < 9e15 else {
            appendSignificant(value, to: &bytes)
            return
        }
        var units = Int(scaled)
        if units < 0 {
            bytes.append(UInt8(ascii: "-"))
            units = -units
        }
        var divisor = 1
        for _ in 0..<places { divisor *= 10 }
        appendInteger(units / divisor, to: &bytes)
        var fraction = units % divisor
        guard places > 0, !(trimmed && fraction == 0) else { return }
        bytes.append(UInt8(ascii: "."))
        var digits = places
        if trimmed {
            while fraction % 10 == 0 {
                fraction /= 10
                digits -= 1
            }
        }
        var power = 1
        for _ in 1..<max(digits, 1) { power *= 10 }
        while power > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(fraction / power % 10))
            power /= 10
        }
    }

    /// Significant digits kept of a computed figure too large to round at its decimals: as many as
    /// every `Double` holds, so a figure written to a machine format loses nothing it had.
    static let significantDigits = 15

    /// Appends a computed figure too large to round at its decimals (9e15 ÷ 10^decimals or more:
    /// 9e13 at two) as ``significantDigits`` significant digits and an exponent
    /// (`2.51209103840683e+19`, `1e+23`): the digits past those are the arithmetic's, not the
    /// value's (`1.0000000000000001e+23`). A whole number below 10^16 is exact, and written whole.
    static func appendSignificant(_ value: Double, to bytes: inout [UInt8]) {
        // Whole numbers below 10^16 are exact, and written whole.
        guard value.isFinite, value != value.rounded() || abs(value) >= 1e16 else {
            bytes.append(contentsOf: format(value).utf8)
            return
        }
        // Rounded in decimal, from the shortest text that reads back as the value: exact, where
        // arithmetic on the value would add its own error.
        let text = String(abs(value))
        let parts = text.split(separator: "e", maxSplits: 1)
        var exponent = parts.count == 2 ? Int(parts[1]) ?? 0 : 0
        let mantissa = parts[0]
        let pointAt = mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count
        var digits = mantissa.utf8.filter { $0 != UInt8(ascii: ".") }.map { Int($0) - 48 }
        // The value is `0.d1d2… × 10^(exponent + pointAt)`: leading zeros dropped.
        exponent += pointAt
        while digits.first == 0, digits.count > 1 {
            digits.removeFirst()
            exponent -= 1
        }
        if digits.count > significantDigits {
            let roundUp = digits[significantDigits] >= 5
            digits.removeLast(digits.count - significantDigits)
            if roundUp {
                var index = digits.count - 1
                while index >= 0 {
                    if digits[index] < 9 {
                        digits[index] += 1
                        break
                    }
                    digits[index] = 0
                    index -= 1
                }
                if index < 0 {
                    digits.insert(1, at: 0)
                    digits.removeLast()
                    exponent += 1
                }
            }
        }
        while digits.count > 1, digits.last == 0 { digits.removeLast() }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        bytes.append(UInt8(ascii: "0") + UInt8(digits[0]))
        if digits.count > 1 {
            bytes.append(UInt8(ascii: "."))
            for digit in digits.dropFirst() { bytes.append(UInt8(ascii: "0") + UInt8(digit)) }
        }
        let scientific = exponent - 1
        bytes.append(contentsOf: (scientific < 0 ? "e-" : "e+").utf8)
        appendInteger(abs(scientific), to: &bytes)
    }

    /// Appends the decimal digits of `value`.
    package static func appendInteger(_ value: Int, to bytes: inout [UInt8]) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            appendInteger(value == Int.min ? Int.max : -value, to: &bytes)
            return
        }
        if value >= 10 { appendInteger(value / 10, to: &bytes) }
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}
