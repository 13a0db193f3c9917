import AutoscaledBase

/// Reads typed option values for one subcommand, with the usage error every subcommand gives:
/// `option '--capacity': 'x' is not valid (expected a number of requests per second from 1e-6, e.g. 2)`.
struct OptionValues {
    let options: ParsedOptions
    let subcommand: String

    /// A decimal number (`2`, `0.5`, `1e-3`; a sign, but no hex, `inf` or `nan`) that is `valid`, or
    /// `nil` when the option is absent.
    func number(_ name: String, expected: String, valid: (Double) -> Bool) throws(UsageError) -> Double? {
        guard let text = options.values[name] else { return nil }
        let unsigned = text.hasPrefix("+") || text.hasPrefix("-") ? text.dropFirst() : text[...]
        guard DecimalText.isUnsignedDecimal(unsigned), let value = Double(text), value.isFinite, valid(value) else {
            throw invalid(name, text, expected)
        }
        return value
    }

    /// A duration of at most 365d, as every duration key (of whole seconds unless
    /// `wholeSecondsOnly` is false), or `nil` when the option is absent.
    func duration(
        _ name: String, wholeSecondsOnly: Bool = true, positive: Bool = false,
        expected: String = "whole seconds up to 365d, e.g. 120s or 2min"
    ) throws(UsageError) -> Duration? {
        guard let text = options.values[name] else { return nil }
        guard let value = try? DurationText.parse(text), !wholeSecondsOnly || value.components.attoseconds == 0,
              value <= KeyType.maxDuration, !positive || value > .zero else {
            throw invalid(name, text, expected)
        }
        return value
    }

    /// An integer from `minimum` to ``PolicyConfig/maxReplicaCount``, or `nil` when the option is absent.
    func count(_ name: String, minimum: Int) throws(UsageError) -> Int? {
        guard let text = options.values[name] else { return nil }
        let maximum = PolicyConfig.maxReplicaCount
        guard let value = Int(text), value >= minimum, value <= maximum else {
            throw invalid(name, text, "an integer from \(minimum) to \(maximum)")
        }
        return value
    }

    /// `--capacity`: requests per second from ``SimulationSetup/minimumCapacity``, or `nil` when absent.
    func capacity() throws(UsageError) -> Double? {
        let minimum = SimulationSetup.minimumCapacity
        let text = SimulationSetup.minimumCapacityText
        return try number("capacity", expected: "a number of requests per second from \(text), e.g. 2") {
            $0 >= minimum
        }
    }

    /// `--policy` with `--target`: `nil` for the config's own policy.
    func referenceAutoscaler() throws(UsageError) -> ReferenceAutoscaler? {
        let minimum = ReferenceAutoscaler.minimumTarget
        let target = try number("target", expected: "a utilisation from \(DecimalText.format(minimum)) to 1, e.g. 0.7") {
            $0 >= minimum && $0 <= 1
        }
        switch options.values["policy"] {
        case nil, "config":
            guard target == nil else {
                throw UsageError("option '--target' applies to --policy hpa or kpa only", subcommand: subcommand)
            }
            return nil
        case "hpa": return .hpa(target: target ?? ReferenceAutoscaler.defaultTarget)
        case "kpa": return .kpa(target: target ?? ReferenceAutoscaler.defaultTarget)
        case let text?: throw invalid("policy", text, "config, hpa or kpa")
        }
    }

    func invalid(_ name: String, _ text: String, _ expected: String) -> UsageError {
        UsageError("option '--\(name)': \(EscapedText.quoted(text)) is not valid (expected \(expected))",
                   subcommand: subcommand)
    }
}
