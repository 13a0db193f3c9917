/// Turns the arguments (without the program name) into a ``Command``. No exit, and no I/O but
/// for `simulate` and `tune` reading the current directory and `stat`-ing the files their options
/// name (``OptionFiles``).
///
/// `autoscaled <subcommand> [options]`; options as `--name value` or `--name=value`, never with an
/// empty value; `--` ends the options, and a word after it is the subcommand's argument (if it takes
/// one). `-h`/`--help` asks for help wherever an option name may stand before `--` (not as the
/// value of an option); `--version` only at the top, alone. Neither takes a value (`--help=x`).
/// A subcommand may have two words (`history export`).
public enum CommandLineParser {
    public static func parse(_ arguments: [String]) throws(UsageError) -> Command {
        let arguments = try joiningGroup(arguments)
        guard let first = arguments.first else { throw UsageError("missing subcommand") }
        if isHelp(first) { return .help(HelpText.root()) }
        try refuseValue(first, names: ["help", "version"])
        if first == "help" {
            // `help`, `help -h`, `help help`: the root help; `help run -h`: run's, as `help run` is.
            guard arguments.count > 1, !isHelp(arguments[1]), arguments[1] != "help" || arguments.count > 2 else {
                return .help(HelpText.root())
            }
            try refuseValue(arguments[1], names: ["help"])
            guard let spec = Command.specs.first(where: { $0.name == arguments[1] }) else {
                throw UsageError("unknown subcommand '\(arguments[1])'")
            }
            if arguments.count > 2 { try refuseValue(arguments[2], names: ["help"], subcommand: spec.name) }
            if arguments.count > 2, !(arguments.count == 3 && isHelp(arguments[2])) {
                throw UsageError("unexpected argument '\(arguments[2])' after 'help \(spec.name)'")
            }
            return .help(HelpText.subcommand(spec))
        }
        if first == "--version" {
            // `--version -h` is help, as `-h` is wherever an option may stand.
            if arguments.dropFirst().contains(where: isHelp) { return .help(HelpText.root()) }
            if arguments.count > 1 { throw UsageError("unexpected argument '\(arguments[1])' after '--version'") }
            return .version
        }
        if isOptionLike(first) { throw UsageError("unknown option '\(first)'") }
        guard let spec = Command.specs.first(where: { $0.name == first }) else {
            let names = Command.specs.map(\.name)
            let hint = closest(to: first, in: names).map { " (did you mean '\($0)'?)" } ?? ""
            throw UsageError("unknown subcommand '\(first)'\(hint)")
        }
        let rest = Array(arguments.dropFirst())
        if asksForHelp(rest, spec: spec) { return .help(HelpText.subcommand(spec)) }
        let options = try parseOptions(rest, spec: spec)
        if let argument = spec.argument, options.argument == nil {
            throw UsageError("missing argument <\(argument.name)>", subcommand: spec.name)
        }
        if let missing = spec.options.first(where: { $0.isRequired && options.values[$0.name] == nil }) {
            throw UsageError("missing option '--\(missing.name)'", subcommand: spec.name)
        }
        return try Command.make(spec, options)
    }

    static func isHelp(_ word: String) -> Bool {
        word == "-h" || word == "--help"
    }

    /// Throws the usage error of a flag given a value (`--help=x`) when `word` is one of the flags `names`.
    static func refuseValue(_ word: String, names: [String], subcommand: String? = nil) throws(UsageError) {
        guard word.hasPrefix("--"), let equals = word.firstIndex(of: "=") else { return }
        let name = String(word[word.index(word.startIndex, offsetBy: 2)..<equals])
        guard names.contains(name) else { return }
        throw UsageError("option '--\(name)' takes no value", subcommand: subcommand)
    }

    /// A word that stands for an option: a dash and more (`-c`, `--config`); `-` alone is a word.
    static func isOptionLike(_ word: String) -> Bool {
        word.hasPrefix("-") && word != "-"
    }

    /// Whether `-h` or `--help` stands where an option name is expected, before `--`: the value of
    /// an option (`--reason -h`) and the words after `--` are not asked for help. Looked for before
    /// anything else is checked, so that help is shown however the rest is wrong.
    static func asksForHelp(_ arguments: [String], spec: CommandSpec) -> Bool {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" { return false }
            if isHelp(argument) { return true }
            guard argument.hasPrefix("--"), !argument.contains("=") else { continue }
            let option = spec.options.first { $0.name == argument.dropFirst(2) }
            if option?.valueName != nil, index < arguments.count, !arguments[index].hasPrefix("--") { index += 1 }
        }
        return false
    }

    /// `arguments` with a group and its subcommand (`history`, `export`) made one word, wherever the
    /// subcommand is expected (first, or after `help`); `history --help` and `help history` are the
    /// help of the group's subcommand when it has one only (`history export`), else the root help,
    /// which lists them.
    private static func joiningGroup(_ arguments: [String]) throws(UsageError) -> [String] {
        let at = arguments.first == "help" ? 1 : 0
        guard at < arguments.count else { return arguments }
        let group = arguments[at]
        let members = Command.specs.map(\.name).filter { $0.hasPrefix(group + " ") }
        guard !members.isEmpty else { return arguments }
        let groupHelp = members.count == 1 ? [members[0], "--help"] : ["--help"]
        if at + 1 < arguments.count, arguments[at + 1] == "-h" || arguments[at + 1] == "--help" { return groupHelp }
        // `help history` alike.
        if at == 1, arguments.count == 2 { return groupHelp }
        if at + 1 < arguments.count { try refuseValue(arguments[at + 1], names: ["help"]) }
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
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if !optionsEnded, argument == "--" {
                optionsEnded = true
                continue
            }
            if !optionsEnded, isOptionLike(argument), !argument.hasPrefix("--") {
                let hint = closest(to: String(argument.drop { $0 == "-" }), in: spec.options.map(\.name))
                    .map { " (did you mean '--\($0)'?)" } ?? ""
                throw UsageError("unknown option '\(argument)'\(hint)", subcommand: spec.name)
            }
            guard !optionsEnded, argument.hasPrefix("--") else {
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
                if inline != nil { try refuseValue(argument, names: ["help"], subcommand: spec.name) }
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
            // `--name=` and `--name ''` alike: an empty value is no value.
            let value: String?
            if let inline {
                value = inline
            } else if index < arguments.count, !arguments[index].hasPrefix("--") {
                value = arguments[index]
                index += 1
            } else {
                value = nil
            }
            guard let value, !value.isEmpty else {
                let given = value == nil ? "" : ", not an empty one"
                throw UsageError("option '--\(name)' needs a value <\(valueName)>\(given)", subcommand: spec.name)
            }
            parsed.values[name] = value
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
