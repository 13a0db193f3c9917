extension ConfigValueType {
    /// Checks the text of a source setting and returns it in canonical form (the form
    /// ``Config/settings`` shows and the config is built from).
    func parseSourceText(_ text: String, expected: String) throws(Fault) -> String {
        guard !text.isEmpty else { throw Fault(problem: "is empty", expected: expected) }
        switch self {
        case .escapedText:
            do {
                return RequestText.encode(try RequestText.decode(text))
            } catch {
                throw Fault(problem: error.problem, expected: expected)
            }
        case .loopbackAddress:
            do {
                return try LoopbackAddress.parse(text).description
            } catch {
                throw Fault(problem: error.problem, expected: expected)
            }
        case .loopbackURL:
            do {
                return try LoopbackURL.parse(text).description
            } catch {
                throw Fault(problem: error.problem, expected: expected)
            }
        case .metricName:
            guard PrometheusName.isMetricName(text) else { throw Fault(problem: "is not a metric name", expected: expected) }
            return text
        case .identifier:
            guard PrometheusName.isLabelName(text) else { throw Fault(problem: "is not a name", expected: expected) }
            return text
        case .labelMatch:
            do {
                return try LabelMatcher.parseList(text).map(\.description).joined(separator: ",")
            } catch {
                throw Fault(problem: error.problem, expected: expected)
            }
        default:
            return text
        }
    }
}

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
            case let other?: throw Problem(problem: "has an unknown escape \(EscapedText.quoted("\\" + String(other)))")
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
