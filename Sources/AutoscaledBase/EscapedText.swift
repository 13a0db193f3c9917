/// Quotes text taken from a config file so that it can be echoed in one error line.
///
/// Characters that do not show as themselves are escaped as `\n`, `\t` or `\u{…}` (see
/// ``TextEscaping``) and text longer than ``maxScalars`` is cut with `…`: whatever a file
/// holds, the message stays a single, readable line.
package enum EscapedText {
    /// Longest echoed text, in Unicode scalars, before it is cut.
    static let maxScalars = 64

    /// `text` in single quotes, escaped: `'abc'`, `'a\tb'`.
    package static func quoted(_ text: String) -> String {
        "'" + escaped(text, quote: "'") + "'"
    }

    /// `text` escaped without quotes, for text whose end is plain in the message (an HTTP reason
    /// phrase, a list of names): `Service Unavailable`, `a\u{1b}[31m`.
    package static func plain(_ text: String) -> String {
        escaped(text, quote: nil)
    }

    private static func escaped(_ text: String, quote: Unicode.Scalar?) -> String {
        var out = ""
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            if offset == maxScalars {
                out += "…"
                break
            }
            if offset == 0, let quote {
                TextEscaping.appendFirst(scalar, quote: quote, to: &out)
            } else {
                TextEscaping.append(scalar, quote: quote, to: &out)
            }
        }
        return out
    }
}
