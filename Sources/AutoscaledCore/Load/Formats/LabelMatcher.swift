import AutoscaledBase

/// One `label="value"` a Prometheus sample must carry to count (`label_match = model=llama`).
public struct LabelMatcher: Sendable, Equatable, CustomStringConvertible {
    public var label: String
    public var value: String

    public init(label: String, value: String) {
        self.label = label
        self.value = value
    }

    /// `label=value`, the value in double quotes (with `\"` and `\\`) when it holds a comma,
    /// a quote, a backslash or spaces at either end, or is empty.
    public var description: String {
        let plain = !value.isEmpty && !value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\\" })
            && value.first != " " && value.last != " "
        if plain { return "\(label)=\(value)" }
        let escaped = value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
        return "\(label)=\"\(escaped)\""
    }

    /// Why a `label_match` text is not a list of matchers.
    public struct Problem: Error, Equatable {
        public var problem: String
    }

    /// Reads `key=value,key2="a, b"`: pairs separated by commas, blanks around each part
    /// ignored, a value in double quotes when it holds a comma (`\"` and `\\` inside).
    public static func parseList(_ text: String) throws(Problem) -> [LabelMatcher] {
        var matchers: [LabelMatcher] = []
        var scalars = Substring(text).unicodeScalars[...]
        func skipBlanks() { while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() } }
        while true {
            skipBlanks()
            let name = String(String.UnicodeScalarView(scalars.prefix { $0 != "=" && $0 != "," }))
                .trimmingBlanks()
            scalars.removeFirst(scalars.prefix { $0 != "=" && $0 != "," }.count)
            guard scalars.first == "=" else { throw Problem(problem: "has \(EscapedText.quoted(name)) without '=value'") }
            guard PrometheusName.isLabelName(name) else {
                throw Problem(problem: "has an invalid label name \(EscapedText.quoted(name)) (expected letters, digits and '_')")
            }
            scalars.removeFirst()
            skipBlanks()
            var value = ""
            if scalars.first == "\"" {
                scalars.removeFirst()
                var closed = false
                while let scalar = scalars.popFirst() {
                    if scalar == "\"" { closed = true; break }
                    if scalar == "\\", let next = scalars.popFirst() {
                        value.unicodeScalars.append(next)
                    } else {
                        value.unicodeScalars.append(scalar)
                    }
                }
                guard closed else { throw Problem(problem: "has an unclosed '\"' in the value of '\(name)'") }
                skipBlanks()
            } else {
                value = String(String.UnicodeScalarView(scalars.prefix { $0 != "," })).trimmingBlanks()
                scalars.removeFirst(scalars.prefix { $0 != "," }.count)
            }
            guard !matchers.contains(where: { $0.label == name }) else {
                throw Problem(problem: "names the label '\(name)' twice")
            }
            matchers.append(LabelMatcher(label: name, value: value))
            if scalars.isEmpty { return matchers }
            guard scalars.first == "," else { throw Problem(problem: "has text after the quoted value of '\(name)'") }
            scalars.removeFirst()
        }
    }
}
