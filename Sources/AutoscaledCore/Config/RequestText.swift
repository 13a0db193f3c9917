import AutoscaledBase

/// The escapes of a `request =` text: `\n`, `\r`, `\t` and `\\`.
enum RequestText {
    struct Problem: Error {
        var problem: String
    }

    /// `show stat\n` → `show stat` and a newline.
    static func decode(_ text: String) throws(Problem) -> String {
        var out = ""
        var scalars = Substring(text).unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            guard scalar == "\\" else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalars.popFirst() {
            case "n": out += "\n"
            case "r": out += "\r"
            case "t": out += "\t"
            case "\\": out += "\\"
            case let other?: throw Problem(problem: "has an unknown escape: a backslash before \(EscapedText.quoted(String(other)))")
            case nil: throw Problem(problem: "ends with a lone '\\'")
            }
        }
        return out
    }

    /// The inverse of ``decode(_:)``: a newline → `\n`, and so on.
    static func encode(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\\": out += "\\\\"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
