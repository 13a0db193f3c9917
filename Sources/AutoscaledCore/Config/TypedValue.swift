import AutoscaledBase

/// One typed value of a config key, read from a config file (or a default) exactly once by the
/// key's ``KeyType``, before it is placed in a ``Config``.
enum TypedValue: Sendable, Equatable {
    /// A string, a choice's name, or an absolute, normalised path.
    case string(String)
    /// A finite number.
    case number(Double)
    case integer(Int)
    case duration(Duration)
    /// A list of durations, in the order given; empty for `none`.
    case durations([Duration])
    case boolean(Bool)
    /// A size in bytes.
    case byteSize(Int)
    /// A command line, split into words.
    case command(CommandTemplate)
    /// A systemd unit name with `{i}` for the instance number.
    case unitName(UnitNameTemplate)
    /// Text to send, with its escapes (`\n`, …) already decoded.
    case request(String)
    case loopbackAddress(LoopbackAddress)
    case loopbackURL(LoopbackURL)
    /// `label=value` pairs, in the order given.
    case labelMatch([LabelMatcher])

    /// The value as canonical config text: `5s` for durations (a list shortest first), `50` rather than `50.0`,
    /// `true`/`false` for booleans, a request with its escapes.
    var text: String {
        switch self {
        case let .string(string): string
        case let .number(number): DecimalText.format(number)
        case let .integer(integer): String(integer)
        case let .duration(duration): DurationText.format(duration)
        // Shortest first: the order periods are listed in changes nothing, so it is no change to report.
        case let .durations(durations): durations.isEmpty ? "none" : durations.sorted().map(DurationText.format).joined(separator: ", ")
        case let .boolean(boolean): boolean ? "true" : "false"
        case let .byteSize(bytes): ByteSizeText.format(bytes)
        case let .command(command): command.description
        case let .unitName(unit): unit.text
        case let .request(request): RequestText.encode(request)
        case let .loopbackAddress(address): address.description
        case let .loopbackURL(url): url.description
        case let .labelMatch(matchers): matchers.map(\.description).joined(separator: ",")
        }
    }
}
