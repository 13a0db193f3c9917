/// The one escaping used for text from files and peers inside messages: whatever the input holds,
/// it prints as part of one line and cannot fake a line or a field.
enum TextEscaping {
    /// Appends `scalar`, escaped: a backslash or `quote` gets a backslash, `\n` `\r` `\t` their
    /// usual escapes, and anything that does not show as itself becomes `\u{…}`.
    static func append(_ scalar: Unicode.Scalar, quote: Unicode.Scalar, to out: inout String) {
        switch scalar {
        case quote, "\\":
            out += "\\"
            out.unicodeScalars.append(scalar)
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if isVisible(scalar) {
                out.unicodeScalars.append(scalar)
            } else {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            }
        }
    }

    /// Whether `scalar` shows as itself: not a control, format, separator or unassigned code point.
    static func isVisible(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar.value >= 0x20 && scalar.value < 0x7F }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator,
             .surrogate, .privateUse, .unassigned:
            return false
        default:
            return true
        }
    }
}
