/// The Prometheus rules for metric and label names (text format 0.0.4).
enum PrometheusName {
    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    static func isMetricName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, isMetricStart(first) else { return false }
        return bytes.dropFirst().allSatisfy(isMetricByte)
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`.
    static func isLabelName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, isLabelStart(first) else { return false }
        return bytes.dropFirst().allSatisfy(isLabelByte)
    }

    @inline(__always)
    static func isLabelStart(_ byte: UInt8) -> Bool {
        (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
    }

    @inline(__always)
    static func isLabelByte(_ byte: UInt8) -> Bool {
        isLabelStart(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    @inline(__always)
    static func isMetricStart(_ byte: UInt8) -> Bool {
        isLabelStart(byte) || byte == UInt8(ascii: ":")
    }

    @inline(__always)
    static func isMetricByte(_ byte: UInt8) -> Bool {
        isLabelByte(byte) || byte == UInt8(ascii: ":")
    }
}
