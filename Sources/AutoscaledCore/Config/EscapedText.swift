/// Quotes text taken from a config file so that it can be echoed in one error line.
///
/// Control characters (C0, DEL, C1, U+2028, U+2029) are escaped as `\n`, `\t` or `\u{…}`,
/// backslashes are doubled, and text longer than ``maxScalars`` is cut with `…`: whatever a
/// file holds, the message stays a single, readable line.
enum EscapedText {
    /// Longest echoed text, in Unicode scalars, before it is cut.
    static let maxScalars = 64

    /// `text` in single quotes, escaped: `'abc'`, `'a\tb'`.
    static func quoted(_ text: String) -> String {
        var out = "'"
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            if offset == maxScalars {
                out += "…"
                break
            }
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if isControl(scalar) {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "'"
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
            || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}
