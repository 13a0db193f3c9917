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
    /// Whether shell completion offers file names for the value.
    public var completesFiles: Bool

    public init(
        _ name: String, value: String? = nil, help: String, default defaultValue: String? = nil, required: Bool = false,
        files: Bool = false
    ) {
        self.name = name
        self.valueName = value
        self.help = help
        self.defaultValue = defaultValue
        self.isRequired = required
        self.completesFiles = files
    }

    /// `--name <value>`, or `--name` for a flag.
    var label: String {
        valueName.map { "--\(name) <\($0)>" } ?? "--\(name)"
    }
}

/// The one positional argument a subcommand may take: a word from a fixed list.
public struct ArgumentSpec: Sendable {
    /// The placeholder, e.g. `shell`.
    public var name: String
    public var help: String
    /// The words accepted.
    public var values: [String]

    public init(_ name: String, help: String, values: [String]) {
        self.name = name
        self.help = help
        self.values = values
    }
}

/// A subcommand: its name, what it does, its options, and extra help text.
public struct CommandSpec: Sendable {
    public var name: String
    public var overview: String
    /// A required positional argument, given before or after the options.
    public var argument: ArgumentSpec?
    public var options: [OptionSpec]
    /// Free text shown after the options (signals, exit codes).
    public var discussion: String?

    public init(
        name: String, overview: String, argument: ArgumentSpec? = nil, options: [OptionSpec], discussion: String? = nil
    ) {
        self.name = name
        self.overview = overview
        self.argument = argument
        self.options = options
        self.discussion = discussion
    }
}

/// What a subcommand was given: option values and flags, by long name.
public struct ParsedOptions: Sendable, Equatable {
    public var values: [String: String] = [:]
    public var flags: Set<String> = []
    /// The positional argument, when the subcommand takes one.
    public var argument: String?

    public init() {}
}
