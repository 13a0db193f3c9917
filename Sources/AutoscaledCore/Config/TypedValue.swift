/// One typed value read from a config file (or a default), before it is placed in a ``Config``.
enum TypedValue: Sendable, Equatable {
    /// A string, a choice's name, or an absolute, normalised path.
    case string(String)
    /// A finite number.
    case number(Double)
    case integer(Int)
    case duration(Duration)
    case boolean(Bool)
    /// A size in bytes.
    case byteSize(Int)
    /// A command line, split into words.
    case command(CommandTemplate)

    /// The value as canonical config text: `5s` for durations, `50` rather than `50.0`,
    /// `true`/`false` for booleans.
    var text: String {
        switch self {
        case let .string(string): string
        case let .number(number): Self.text(of: number)
        case let .integer(integer): String(integer)
        case let .duration(duration): DurationText.format(duration)
        case let .boolean(boolean): boolean ? "true" : "false"
        case let .byteSize(bytes): ByteSizeText.format(bytes)
        case let .command(command): command.description
        }
    }

    /// `number` without a trailing `.0` when it is integral: `50`, `2.5`, `-3`.
    static func text(of number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 { return String(Int(number)) }
        return String(number)
    }
}
