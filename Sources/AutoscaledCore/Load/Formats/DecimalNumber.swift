/// Converts decimal number text to a `Double`, giving exactly the value `Double(String)` gives.
///
/// Short numbers take an exact fast path: a mantissa of at most 2^53 scaled by a power of ten
/// of at most 10^22 is one correctly rounded IEEE multiplication or division of two exact
/// operands. Anything longer is handed to `Double(String)`.
enum DecimalNumber {
    /// Which spellings of a number are accepted.
    enum Grammar {
        /// JSON: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`.
        case json
        /// Plain decimal: `[+-]?([0-9]+(.[0-9]*)?|.[0-9]+)([eE][+-]?[0-9]+)?`.
        case plain
    }

    /// What a piece of text turned out to be.
    enum Outcome: Equatable {
        case value(Double)
        /// The text is not a number in the grammar.
        case malformed
        /// The text is a number, but too large for a `Double`.
        case outOfRange
    }

    /// Parses the whole of `bytes[start..<end]` as one number.
    static func parse(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int, grammar: Grammar) -> Outcome {
        var index = start
        var negative = false
        if index < end, bytes[index] == UInt8(ascii: "-") || (grammar == .plain && bytes[index] == UInt8(ascii: "+")) {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }

        var mantissa: UInt64 = 0
        var exact = true
        var fractionDigits = 0

        let integerStart = index
        while index < end, let digit = digitValue(bytes[index]) {
            accumulate(digit, into: &mantissa, exact: &exact)
            index += 1
        }
        let integerDigits = index - integerStart
        if grammar == .json {
            guard integerDigits > 0 else { return .malformed }
            guard integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else { return .malformed }
        }

        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while index < end, let digit = digitValue(bytes[index]) {
                accumulate(digit, into: &mantissa, exact: &exact)
                index += 1
            }
            fractionDigits = index - fractionStart
            if grammar == .json, fractionDigits == 0 { return .malformed }
        }
        guard integerDigits + fractionDigits > 0 else { return .malformed }

        var exponent = 0
        if index < end, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < end, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            let exponentStart = index
            while index < end, let digit = digitValue(bytes[index]) {
                // Saturates far beyond any finite Double; the slow path sees the real text.
                if exponent < 1_000_000 { exponent = exponent * 10 + Int(digit) }
                index += 1
            }
            guard index > exponentStart else { return .malformed }
            if exponentNegative { exponent = -exponent }
        }
        guard index == end else { return .malformed }

        if mantissa == 0, exact { return .value(negative ? -0.0 : 0.0) }
        let scale = exponent - fractionDigits
        if exact, scale >= -22, scale <= 22 {
            let magnitude = scale >= 0
                ? Double(mantissa) * powersOfTen[scale]
                : Double(mantissa) / powersOfTen[-scale]
            return .value(negative ? -magnitude : magnitude)
        }
        return slowPath(bytes, from: start, to: end)
    }

    /// Adds one digit to `mantissa` while it stays at most 2^53, the largest exact integer run.
    @inline(__always)
    private static func accumulate(_ digit: UInt8, into mantissa: inout UInt64, exact: inout Bool) {
        guard exact else { return }
        let next = mantissa &* 10 &+ UInt64(digit)
        if next <= 1 << 53 { mantissa = next } else { exact = false }
    }

    @inline(__always)
    private static func digitValue(_ byte: UInt8) -> UInt8? {
        let digit = byte &- UInt8(ascii: "0")
        return digit < 10 ? digit : nil
    }

    private static func slowPath(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Outcome {
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { return .outOfRange }
        return .value(value)
    }

    /// 10^0 through 10^22, every one exactly representable in a `Double`.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}
