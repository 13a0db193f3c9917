/// The help texts, in swift-argument-parser's layout (OVERVIEW / USAGE / OPTIONS / SUBCOMMANDS).
public enum HelpText {
    public static func root() -> String {
        var text = """
            OVERVIEW: An autoscaler daemon for inference endpoints: it polls per-server loads,
            sizes the replica count to them (learned headroom, or thresholds) and keeps it.

            USAGE: autoscaled <subcommand> [options]

            OPTIONS:
              -h, --help              Show help information.
              --version               Show the version.

            SUBCOMMANDS:

            """
        for spec in Command.specs {
            text += "  " + padded(spec.name, 22) + "  " + spec.overview + "\n"
        }
        text += "\n  See 'autoscaled help <subcommand>' for detailed help.\n"
        return text
    }

    public static func subcommand(_ spec: CommandSpec) -> String {
        var text = "OVERVIEW: \(spec.overview)\n\n"
        text += "USAGE: \(usageLine(spec))\n\n"
        if let argument = spec.argument {
            text += "ARGUMENTS:\n"
            text += "  " + padded("<\(argument.name)>", 22) + "  " + argument.help + "\n\n"
        }
        text += "OPTIONS:\n"
        for option in spec.options {
            let label = option.label
            let suffix = option.defaultValue.map { " (default: \($0))" } ?? ""
            text += "  " + padded(label, 22) + "  " + option.help + suffix + "\n"
        }
        text += "  " + padded("-h, --help", 22) + "  Show help information.\n"
        if let discussion = spec.discussion { text += "\n" + discussion + "\n" }
        return text
    }

    /// The text printed with a usage error.
    public static func usageError(_ error: UsageError) -> String {
        let usage: String
        let see: String
        if let name = error.subcommand, let spec = Command.specs.first(where: { $0.name == name }) {
            usage = usageLine(spec)
            see = "See 'autoscaled \(name) --help'."
        } else {
            usage = "autoscaled <subcommand> [options]"
            see = "See 'autoscaled --help'."
        }
        return "Error: \(error.message)\nUsage: \(usage)\n  \(see)\n"
    }

    /// `autoscaled run [--config <path>]`
    static func usageLine(_ spec: CommandSpec) -> String {
        let options = spec.options.map { option in option.isRequired ? option.label : "[\(option.label)]" }
        let argument = spec.argument.map { ["<\($0.name)>"] } ?? []
        return "autoscaled " + ([spec.name] + argument + options).joined(separator: " ")
    }

    private static func padded(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
