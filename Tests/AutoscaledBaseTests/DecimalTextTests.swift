@testable import AutoscaledBase
import Testing

/// The one number formatter, in each style, on the values that trip formatters up.
struct DecimalTextTests {
    @Test("exact: the shortest text that reads back as the same value", arguments: [
        (55.0, "55"), (50.125, "50.125"), (0.1, "0.1"), (-3, "-3"), (37.5, "37.5"),
        (999_999_999_999_999, "999999999999999"), (1e15, "1000000000000000"), (1e16, "1e+16"), (1.7e308, "1.7e+308"),
        (1e-7, "1e-07"), (.leastNonzeroMagnitude, "5e-324"), (-0.0, "0"), (.nan, "nan"), (.infinity, "inf"), (-.infinity, "-inf"),
    ] as [(Double, String)])
    func exact(_ value: Double, _ expected: String) {
        #expect(DecimalText.format(value) == expected)
        if value.isFinite { #expect(Double(DecimalText.format(value)) == value) }
    }

    @Test("at most N decimals: rounded, trailing zeros dropped", arguments: [
        (56.666666, 2, "56.67"), (50.125, 2, "50.13"), (120, 2, "120"), (0.5, 3, "0.5"), (33.3333, 3, "33.333"),
        (1e15, 2, "1000000000000000"), (1e14, 2, "100000000000000"), (1e-7, 2, "0"), (-0.001, 2, "0"), (-0.0, 2, "0"),
        (-1.25, 1, "-1.3"), (.nan, 2, "nan"), (.infinity, 3, "inf"), (-.infinity, 3, "-inf"),
        // Too large to round: 15 significant digits, never the arithmetic's noise.
        (1.0000000000000001e+23, 2, "1e+23"), (2.512091038406828e+19, 2, "2.51209103840683e+19"),
        (-123456789012345.67, 2, "-1.23456789012346e+14"), (9.9999999999999999e20, 2, "1e+21"),
        (9.999999999e20, 2, "9.999999999e+20"), (1.7976931348623157e308, 2, "1.79769313486232e+308"),
    ] as [(Double, Int, String)])
    func atMost(_ value: Double, _ decimals: Int, _ expected: String) {
        #expect(DecimalText.format(value, .atMost(decimals)) == expected)
    }

    @Test("fixed N decimals: rounded, padded", arguments: [
        (9.834, 2, "9.83"), (0, 2, "0.00"), (1.965, 1, "2.0"), (30, 1, "30.0"), (-1.25, 1, "-1.3"), (-0.001, 2, "0.00"),
        (1795932723.037, 3, "1795932723.037"), (1e300, 2, "1e+300"), (.nan, 2, "nan"), (.infinity, 2, "inf"),
    ] as [(Double, Int, String)])
    func fixed(_ value: Double, _ decimals: Int, _ expected: String) {
        #expect(DecimalText.format(value, .fixed(decimals)) == expected)
    }

    @Test("appending bytes writes what format returns")
    func append() {
        for value in [0, 50.125, -2.5, 1e15, .nan] as [Double] {
            for style in [DecimalText.Style.exact, .atMost(3), .fixed(2)] {
                var bytes: [UInt8] = []
                DecimalText.append(value, style, to: &bytes)
                #expect(String(decoding: bytes, as: UTF8.self) == DecimalText.format(value, style))
            }
        }
    }
}
