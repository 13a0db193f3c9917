extension KeyType {
    /// Reads the text of a source setting (a request, an address, a URL, a name, label matchers)
    /// into its typed value.
    func parseSourceValue(_ text: String, expected: String) throws(Fault) -> TypedValue {
        guard !text.isEmpty else { throw Fault(problem: "is empty", expected: expected) }
        switch self {
        case .escapedText:
            do {
                return .request(try RequestText.decode(text))
            } catch {
                throw Fault(problem: error.problem, expected: expected)
            }
        case .loopbackAddress:
            do {
                return .loopbackAddress(try LoopbackAddress.parse(text))
            } catch {
                throw Fault(problem: error.problem, expected: expected)
            }
        case .loopbackURL:
            do {
                return .loopbackURL(try LoopbackURL.parse(text))
            } catch {
                throw Fault(problem: error.problem, expected: expected)
            }
        case .metricName:
            guard PrometheusName.isMetricName(text) else { throw Fault(problem: "is not a metric name", expected: expected) }
            return .string(text)
        case .identifier:
            guard PrometheusName.isLabelName(text) else { throw Fault(problem: "is not a name", expected: expected) }
            return .string(text)
        case .labelMatch:
            do {
                return .labelMatch(try LabelMatcher.parseList(text))
            } catch {
                throw Fault(problem: error.problem, expected: expected)
            }
        default:
            return .string(text)
        }
    }
}
