/// Formats numbers with a fixed number of decimals, without Foundation: `9.83`, `1.97`, `0.00`.
enum FixedDecimal {
    /// `value` rounded to `decimals` places (0…6); trailing zeros (and the point) are dropped when
    /// `trimmed`. Non-finite or huge values fall back to Swift's own spelling (`inf`).
    static func text(_ value: Double, decimals: Int, trimmed: Bool = false) -> String {
        var bytes: [UInt8] = []
        append(value, decimals: decimals, trimmed: trimmed, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the text of ``text(_:decimals:trimmed:)`` as UTF-8 bytes.
    static func append(_ value: Double, decimals: Int, trimmed: Bool, to bytes: inout [UInt8]) {
        let places = min(max(decimals, 0), 6)
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (value * scale).rounded()
        guard scaled.isFinite, abs(scaled) < 9e15 else {
            bytes.append(contentsOf: (value.isInfinite ? (value < 0 ? "-inf" : "inf") : "\(value)").utf8)
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

    /// Appends the decimal digits of `value`.
    static func appendInteger(_ value: Int, to bytes: inout [UInt8]) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            appendInteger(value == Int.min ? Int.max : -value, to: &bytes)
            return
        }
        if value >= 10 { appendInteger(value / 10, to: &bytes) }
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}
