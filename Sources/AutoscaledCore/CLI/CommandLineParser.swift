/// Turns the arguments (without the program name) into a ``Command``. Pure: no I/O, no exit.
///
/// `autoscaled <subcommand> [options]`; options as `--name value` or `--name=value`; `--` ends
/// options; `-h`/`--help` at any level; `--version` at the top. A subcommand may have two words
/// (`history export`).
public enum CommandLineParser {
    public static func parse(_ arguments: [String]) throws(UsageError) -> Command {
        let arguments = try joiningGroup(arguments)
        guard let first = arguments.first else { throw UsageError("missing subcommand") }
        if first == "-h" || first == "--help" || first == "help" {
            if first == "help", arguments.count > 1 {
                guard let spec = Command.specs.first(where: { $0.name == arguments[1] }) else {
                    throw UsageError("unknown subcommand '\(arguments[1])'")
                }
                return .help(HelpText.subcommand(spec))
            }
            return .help(HelpText.root())
        }
        if first == "--version" { return .version }
        if first.hasPrefix("-") { throw UsageError("unknown option '\(first)'") }
        guard let spec = Command.specs.first(where: { $0.name == first }) else {
            let names = Command.specs.map(\.name)
            let hint = closest(to: first, in: names).map { " (did you mean '\($0)'?)" } ?? ""
            throw UsageError("unknown subcommand '\(first)'\(hint)")
        }
        if arguments.dropFirst().contains(where: { $0 == "-h" || $0 == "--help" }) {
            return .help(HelpText.subcommand(spec))
        }
        let options = try parseOptions(Array(arguments.dropFirst()), spec: spec)
        if let argument = spec.argument, options.argument == nil {
            throw UsageError("missing argument <\(argument.name)>", subcommand: spec.name)
        }
        if let missing = spec.options.first(where: { $0.isRequired && options.values[$0.name] == nil }) {
            throw UsageError("missing option '--\(missing.name)'", subcommand: spec.name)
        }
        return try Command.make(spec, options)
    }

    /// `arguments` with a group and its subcommand (`history`, `export`) made one word, wherever the
    /// subcommand is expected (first, or after `help`); `history --help` is the root help, which lists
    /// the group's subcommands.
    private static func joiningGroup(_ arguments: [String]) throws(UsageError) -> [String] {
        let at = arguments.first == "help" ? 1 : 0
        guard at < arguments.count else { return arguments }
        let group = arguments[at]
        let members = Command.specs.map(\.name).filter { $0.hasPrefix(group + " ") }
        guard !members.isEmpty else { return arguments }
        if at + 1 < arguments.count, arguments[at + 1] == "-h" || arguments[at + 1] == "--help" { return ["--help"] }
        let choices = members.map { "'\($0.dropFirst(group.count + 1))'" }.joined(separator: ", ")
        guard at + 1 < arguments.count, members.contains("\(group) \(arguments[at + 1])") else {
            let given = at + 1 < arguments.count ? "unknown subcommand '\(group) \(arguments[at + 1])'" : "'\(group)' needs a subcommand"
            throw UsageError("\(given) (expected \(choices))")
        }
        return Array(arguments[..<at]) + ["\(group) \(arguments[at + 1])"] + arguments[(at + 2)...]
    }

    static func parseOptions(_ arguments: [String], spec: CommandSpec) throws(UsageError) -> ParsedOptions {
        var parsed = ParsedOptions()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                if index < arguments.count {
                    throw UsageError("unexpected argument '\(arguments[index])'", subcommand: spec.name)
                }
                break
            }
            guard argument.hasPrefix("--") else {
                guard let expected = spec.argument, parsed.argument == nil else {
                    throw UsageError("unexpected argument '\(argument)'", subcommand: spec.name)
                }
                guard expected.values.contains(argument) else {
                    let known = expected.values.joined(separator: ", ")
                    throw UsageError("<\(expected.name)> '\(argument)' is not one of \(known)", subcommand: spec.name)
                }
                parsed.argument = argument
                continue
            }
            let body = argument.dropFirst(2)
            let name = String(body.prefix { $0 != "=" })
            let inline = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
            guard let option = spec.options.first(where: { $0.name == name }) else {
                let hint = closest(to: name, in: spec.options.map(\.name)).map { " (did you mean '--\($0)'?)" } ?? ""
                throw UsageError("unknown option '--\(name)'\(hint)", subcommand: spec.name)
            }
            guard parsed.values[name] == nil, !parsed.flags.contains(name) else {
                throw UsageError("option '--\(name)' given more than once", subcommand: spec.name)
            }
            guard let valueName = option.valueName else {
                if inline != nil { throw UsageError("option '--\(name)' takes no value", subcommand: spec.name) }
                parsed.flags.insert(name)
                continue
            }
            if let inline {
                guard !inline.isEmpty else {
                    throw UsageError("option '--\(name)' needs a value <\(valueName)>", subcommand: spec.name)
                }
                parsed.values[name] = inline
            } else {
                guard index < arguments.count, !arguments[index].hasPrefix("--") else {
                    throw UsageError("option '--\(name)' needs a value <\(valueName)>", subcommand: spec.name)
                }
                parsed.values[name] = arguments[index]
                index += 1
            }
        }
        return parsed
    }

    /// The candidate nearest to `text`, when it is close enough to be a typo.
    static func closest(to text: String, in candidates: [String]) -> String? {
        candidates
            .map { ($0, EditDistance.between(text, $0)) }
            .filter { $0.1 <= max(2, $0.0.count / 3) }
            .min { $0.1 < $1.1 }?.0
    }
}
