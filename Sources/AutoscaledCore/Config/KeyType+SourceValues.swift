extension KeyType {
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
