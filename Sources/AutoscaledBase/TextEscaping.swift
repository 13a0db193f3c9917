/// The one escaping for text from files, peers and the state file wherever it is shown — messages,
/// log lines (logfmt and JSON), `status`: whatever the input holds, it prints as part of one line,
/// cannot fake a line or a field, and sends a terminal no control character, escape sequence, bidi
/// control or invisible character raw.
package enum TextEscaping {
    /// How a scalar that does not show as itself is written.
    package enum Notation {
        /// `\u{202e}`: for messages and `status`, read by people.
        case braces
        /// `\u202e`, and a UTF-16 surrogate pair above U+FFFF (`\ud83f\udfff`): valid in a JSON
        /// string, so a JSON reader gets the original text back; logfmt lines use it too.
        case json
    }

    /// `text` escaped: a backslash and `quote` (when given) get a backslash, `\n` `\r` `\t` their
    /// usual escapes, and anything that does not show as itself is written in `notation`.
    package static func escaped(_ text: String, quote: Unicode.Scalar? = nil, notation: Notation = .braces) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars { append(scalar, quote: quote, notation: notation, to: &out) }
        return out
    }

    /// Appends `scalar`, escaped as ``escaped(_:quote:notation:)`` describes.
    /// Whether `scalar` is a mark, which combines with the character before it.
    package static func isCombiningMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }

    /// Appends `scalar` as the first of a quoted text: as ``append(_:quote:notation:to:)`` does,
    /// but a mark is escaped, as it would be drawn on the opening quote.
    package static func appendFirst(_ scalar: Unicode.Scalar, quote: Unicode.Scalar, to out: inout String) {
        if isCombiningMark(scalar) {
            out += "\\u{\(String(scalar.value, radix: 16))}"
        } else {
            append(scalar, quote: quote, to: &out)
        }
    }

    package static func append(_ scalar: Unicode.Scalar, quote: Unicode.Scalar?, notation: Notation = .braces, to out: inout String) {
        switch scalar {
        case "\\":
            out += "\\\\"
        case quote:
            out += "\\"
            out.unicodeScalars.append(scalar)
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if isVisible(scalar) {
                out.unicodeScalars.append(scalar)
                return
            }
            switch notation {
            case .braces:
                out += "\\u{\(String(scalar.value, radix: 16))}"
            case .json:
                for unit in String(scalar).utf16 {
                    let hex = String(unit, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
            }
        }
    }

    /// `text` with every scalar that does not show as itself, but for `\n` and `\t`, written in
    /// `notation` (`\u{…}`), and all else (backslashes too) as it is: the last guard of text bound
    /// for a terminal (a command's stderr) or a reader (`status --json`), whose parts from files and
    /// peers were escaped where they were put in. Without `keepingLineBreaks`, text meant as one
    /// line, a `\n` is written `\n` too, so that whatever was put in, the line stays one.
    package static func defanged(_ text: String, notation: Notation = .braces, keepingLineBreaks: Bool = true) -> String {
        let kept = { (scalar: Unicode.Scalar) in isVisible(scalar) || (scalar == "\n" && keepingLineBreaks) || scalar == "\t" }
        guard !text.unicodeScalars.allSatisfy(kept) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if kept(scalar) {
                out.unicodeScalars.append(scalar)
            } else {
                append(scalar, quote: nil, notation: notation, to: &out)
            }
        }
        return out
    }

    /// Whether `scalar` shows as itself: not a control, format (bidi controls, zero-width
    /// characters), separator other than the ASCII space, private-use or unassigned code point,
    /// nor one Unicode says to draw as nothing (Default_Ignorable_Code_Point: the Hangul fillers,
    /// variation selectors, the combining grapheme joiner) or that draws as a blank (U+2800, the
    /// Braille pattern blank).
    package static func isVisible(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar.value >= 0x20 && scalar.value < 0x7F }
        if scalar.properties.isDefaultIgnorableCodePoint || scalar == "\u{2800}" { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator,
             .surrogate, .privateUse, .unassigned:
            return false
        default:
            return true
        }
    }

    /// `text` as XML character data or an attribute value: `&`, `<`, `>`, `"` and `'` become
    /// entities, and what does not show as itself is escaped as in ``append(_:quote:to:)``
    /// (so a control character never reaches the document, where XML forbids it).
    package static func xml(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: append(scalar, quote: "\\", to: &out)
            }
        }
        return out
    }
}
