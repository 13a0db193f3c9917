/// One option a subcommand accepts.
public struct OptionSpec: Sendable {
    /// The long name without dashes, e.g. `config`.
    public var name: String
    /// The value's placeholder, e.g. `path`; `nil` for a flag that takes no value.
    public var valueName: String?
    public var help: String
    public var defaultValue: String?
    /// A required option is shown without brackets in the usage line; leaving it out is a usage error.
    public var isRequired: Bool

    public init(
        _ name: String, value: String? = nil, help: String, default defaultValue: String? = nil, required: Bool = false
    ) {
        self.name = name
        self.valueName = value
        self.help = help
        self.defaultValue = defaultValue
        self.isRequired = required
    }
}

/// A subcommand: its name, what it does, its options, and extra help text.
public struct CommandSpec: Sendable {
    public var name: String
    public var overview: String
    public var options: [OptionSpec]
    /// Free text shown after the options (signals, exit codes).
    public var discussion: String?

    public init(name: String, overview: String, options: [OptionSpec], discussion: String? = nil) {
        self.name = name
        self.overview = overview
        self.options = options
        self.discussion = discussion
    }
}

/// What a subcommand was given: option values and flags, by long name.
public struct ParsedOptions: Sendable, Equatable {
    public var values: [String: String] = [:]
    public var flags: Set<String> = []

    public init() {}
}
