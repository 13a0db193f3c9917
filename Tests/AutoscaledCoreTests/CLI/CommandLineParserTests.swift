@testable import AutoscaledCore
import Testing

struct CommandLineParserTests {
    struct Accepted: CustomTestStringConvertible, Sendable {
        var name: String
        var arguments: [String]
        var command: Command
        var testDescription: String { name }
    }

    static let accepted: [Accepted] = [
        Accepted(name: "run with the default config", arguments: ["run"], command: .run(configPath: "/etc/autoscaled/autoscaled.conf")),
        Accepted(name: "--config PATH", arguments: ["once", "--config", "a.conf"], command: .once(configPath: "a.conf")),
        Accepted(name: "--config=PATH", arguments: ["check-config", "--config=b.conf"], command: .checkConfig(configPath: "b.conf")),
        Accepted(name: "-- ends the options", arguments: ["run", "--config", "c.conf", "--"], command: .run(configPath: "c.conf")),
        Accepted(name: "--version", arguments: ["--version"], command: .version),
        Accepted(name: "--version then -h is help", arguments: ["--version", "-h"], command: .help(HelpText.root())),
        Accepted(name: "history export with its defaults", arguments: ["history", "export"],
                 command: .historyExport(HistoryExportOptions())),
        Accepted(name: "history export with a range and a format",
                 arguments: ["history", "export", "--config=a.conf", "--since", "2d", "--until", "90min", "--format", "offered"],
                 command: .historyExport(HistoryExportOptions(
                     configPath: "a.conf", since: .seconds(172_800), until: .seconds(5_400), format: .offered))),
        Accepted(name: "pause with everything", arguments: ["pause", "--replicas", "2", "--for=30min", "--reason", "incident 42"],
                 command: .pause(PauseOptions(replicas: 2, duration: .seconds(1800), reason: "incident 42"))),
        Accepted(name: "pause with nothing holds the count until resume", arguments: ["pause"], command: .pause(PauseOptions())),
        Accepted(name: "a reason of 1024 bytes", arguments: ["pause", "--reason", String(repeating: "é", count: 512)],
                 command: .pause(PauseOptions(reason: String(repeating: "é", count: 512)))),
        Accepted(name: "resume", arguments: ["resume", "--config", "a.conf"], command: .resume(configPath: "a.conf")),
        Accepted(name: "completion with its shell", arguments: ["completion", "zsh"], command: .completion(.zsh)),
        Accepted(name: "the argument after --", arguments: ["completion", "--", "bash"], command: .completion(.bash)),
        Accepted(name: "-h as the value of an option is that value", arguments: ["pause", "--config", "c.conf", "--reason", "-h"],
                 command: .pause(PauseOptions(configPath: "c.conf", reason: "-h"))),
        Accepted(name: "--help as an inline value is that value", arguments: ["pause", "--reason=--help"],
                 command: .pause(PauseOptions(reason: "--help"))),
        Accepted(name: "a value that starts with one dash", arguments: ["check-config", "--config", "-x.conf"],
                 command: .checkConfig(configPath: "-x.conf")),
    ]

    @Test("accepted command lines", arguments: accepted)
    func accepts(_ test: Accepted) throws {
        #expect(try CommandLineParser.parse(test.arguments) == test.command)
    }

    struct Rejected: CustomTestStringConvertible, Sendable {
        var name: String
        var arguments: [String]
        var error: UsageError
        var testDescription: String { name }
    }

    static let rejected: [Rejected] = [
        Rejected(name: "nothing at all", arguments: [], error: UsageError("missing subcommand")),
        Rejected(name: "a misspelt subcommand", arguments: ["chek-config"],
                 error: UsageError("unknown subcommand 'chek-config' (did you mean 'check-config'?)")),
        Rejected(name: "a subcommand far from any", arguments: ["frobnicate"], error: UsageError("unknown subcommand 'frobnicate'")),
        Rejected(name: "an unknown top-level option", arguments: ["--verbose"], error: UsageError("unknown option '--verbose'")),
        Rejected(name: "a misspelt option", arguments: ["run", "--confg=x"],
                 error: UsageError("unknown option '--confg' (did you mean '--config'?)", subcommand: "run")),
        Rejected(name: "an option without its value", arguments: ["run", "--config"],
                 error: UsageError("option '--config' needs a value <path>", subcommand: "run")),
        Rejected(name: "an empty inline value", arguments: ["run", "--config="],
                 error: UsageError("option '--config' needs a value <path>, not an empty one", subcommand: "run")),
        Rejected(name: "an empty value", arguments: ["check-config", "--config", ""],
                 error: UsageError("option '--config' needs a value <path>, not an empty one", subcommand: "check-config")),
        Rejected(name: "an empty reason, inline or not", arguments: ["pause", "--reason", ""],
                 error: UsageError("option '--reason' needs a value <text>, not an empty one", subcommand: "pause")),
        Rejected(name: "an option as the value", arguments: ["run", "--config", "--config"],
                 error: UsageError("option '--config' needs a value <path>", subcommand: "run")),
        Rejected(name: "an option given twice", arguments: ["run", "--config", "a", "--config", "b"],
                 error: UsageError("option '--config' given more than once", subcommand: "run")),
        Rejected(name: "a single-dash word is an unknown option", arguments: ["check-config", "-c", "x"],
                 error: UsageError("unknown option '-c'", subcommand: "check-config")),
        Rejected(name: "a single-dash flag", arguments: ["simulate", "--trace", "t.csv", "-q"],
                 error: UsageError("unknown option '-q'", subcommand: "simulate")),
        Rejected(name: "a long option with one dash", arguments: ["status", "-json"],
                 error: UsageError("unknown option '-json' (did you mean '--json'?)", subcommand: "status")),
        Rejected(name: "a stray argument", arguments: ["once", "extra"],
                 error: UsageError("unexpected argument 'extra'", subcommand: "once")),
        Rejected(name: "a group without its subcommand", arguments: ["history"],
                 error: UsageError("'history' needs a subcommand (expected 'export')")),
        Rejected(name: "a group with an unknown subcommand", arguments: ["history", "import"],
                 error: UsageError("unknown subcommand 'history import' (expected 'export')")),
        Rejected(name: "an unknown export format", arguments: ["history", "export", "--format", "json"],
                 error: UsageError("option '--format': 'json' is not valid (expected per-server or offered)",
                                   subcommand: "history export")),
        Rejected(name: "an export range that ends before it starts", arguments: ["history", "export", "--since", "1h", "--until", "2h"],
                 error: UsageError("option '--until' (2h ago) must be later than '--since' (1h ago)", subcommand: "history export")),
        Rejected(name: "an argument after --", arguments: ["once", "--", "extra"],
                 error: UsageError("unexpected argument 'extra'", subcommand: "once")),
        Rejected(name: "--help after -- is an argument", arguments: ["check-config", "--", "--help"],
                 error: UsageError("unexpected argument '--help'", subcommand: "check-config")),
        Rejected(name: "a second shell after --", arguments: ["completion", "--", "bash", "zsh"],
                 error: UsageError("unexpected argument 'zsh'", subcommand: "completion")),
        Rejected(name: "a word after help and its subcommand", arguments: ["help", "simulate", "extra"],
                 error: UsageError("unexpected argument 'extra' after 'help simulate'")),
        Rejected(name: "a word after help and a two-word subcommand", arguments: ["help", "history", "export", "x"],
                 error: UsageError("unexpected argument 'x' after 'help history export'")),
        Rejected(name: "--version belongs to the top level only", arguments: ["run", "--version"],
                 error: UsageError("unknown option '--version'", subcommand: "run")),
        Rejected(name: "a reason longer than 1024 bytes", arguments: ["pause", "--reason", String(repeating: "é", count: 512) + "x"],
                 error: UsageError("option '--reason': 1025 bytes is longer than the 1024 bytes a reason may have", subcommand: "pause")),
        Rejected(name: "pause at a negative count", arguments: ["pause", "--replicas", "-1"],
                 error: UsageError("option '--replicas': '-1' is not valid (expected an integer from 0 to 1000000)", subcommand: "pause")),
        Rejected(name: "pause at a count that is not a number", arguments: ["pause", "--replicas=two"],
                 error: UsageError("option '--replicas': 'two' is not valid (expected an integer from 0 to 1000000)", subcommand: "pause")),
        Rejected(name: "pause for no time at all", arguments: ["pause", "--for", "0"],
                 error: UsageError("option '--for': '0' is not valid (expected a duration > 0 and up to 365d, e.g. 30min or 2h)", subcommand: "pause")),
        Rejected(name: "pause for a duration with a typo", arguments: ["pause", "--for", "30 mins"],
                 error: UsageError("option '--for': '30 mins' is not valid (expected a duration > 0 and up to 365d, e.g. 30min or 2h)",
                                   subcommand: "pause")),
        Rejected(name: "pause for longer than any duration", arguments: ["pause", "--for", "366d"],
                 error: UsageError("option '--for': '366d' is not valid (expected a duration > 0 and up to 365d, e.g. 30min or 2h)",
                                   subcommand: "pause")),
        Rejected(name: "pause at a count beyond any config", arguments: ["pause", "--replicas", "1000001"],
                 error: UsageError("option '--replicas': '1000001' is not valid (expected an integer from 0 to 1000000)", subcommand: "pause")),
        Rejected(name: "history export since longer than any duration", arguments: ["history", "export", "--since", "400d"],
                 error: UsageError("option '--since': '400d' is not valid (expected a duration > 0 and up to 365d, e.g. 2d or 90min)",
                                   subcommand: "history export")),
        Rejected(name: "history export since no time at all", arguments: ["history", "export", "--since", "0s"],
                 error: UsageError("option '--since': '0s' is not valid (expected a duration > 0 and up to 365d, e.g. 2d or 90min)",
                                   subcommand: "history export")),
        Rejected(name: "resume takes no --replicas", arguments: ["resume", "--replicas", "2"],
                 error: UsageError("unknown option '--replicas'", subcommand: "resume")),
        Rejected(name: "completion without a shell", arguments: ["completion"],
                 error: UsageError("missing argument <shell>", subcommand: "completion")),
        Rejected(name: "completion for an unknown shell", arguments: ["completion", "tcsh"],
                 error: UsageError("<shell> 'tcsh' is not one of bash, zsh, fish", subcommand: "completion")),
        Rejected(name: "completion for two shells", arguments: ["completion", "bash", "zsh"],
                 error: UsageError("unexpected argument 'zsh'", subcommand: "completion")),
        Rejected(name: "a word after --version", arguments: ["--version", "extra"],
                 error: UsageError("unexpected argument 'extra' after '--version'")),
        Rejected(name: "--version given a value", arguments: ["--version=foo"],
                 error: UsageError("option '--version' takes no value")),
        Rejected(name: "--help given a value at the top", arguments: ["--help=foo"],
                 error: UsageError("option '--help' takes no value")),
        Rejected(name: "--help given a value after help", arguments: ["help", "--help=foo"],
                 error: UsageError("option '--help' takes no value")),
        Rejected(name: "--help given a value after help and a subcommand", arguments: ["help", "run", "--help=foo"],
                 error: UsageError("option '--help' takes no value", subcommand: "run")),
        Rejected(name: "--help given a value after a group", arguments: ["history", "--help=foo"],
                 error: UsageError("option '--help' takes no value")),
        Rejected(name: "--help given a value to once", arguments: ["once", "--help=foo"],
                 error: UsageError("option '--help' takes no value", subcommand: "once")),
        Rejected(name: "--help given an empty value to history export", arguments: ["history", "export", "--help="],
                 error: UsageError("option '--help' takes no value", subcommand: "history export")),
        Rejected(name: "--help given a value to completion", arguments: ["completion", "bash", "--help=x"],
                 error: UsageError("option '--help' takes no value", subcommand: "completion")),
    ]

    @Test("--help given a value is refused by every subcommand as a flag given one")
    func helpTakesNoValue() {
        for spec in Command.specs {
            let arguments = spec.name.split(separator: " ").map(String.init) + ["--help=foo"]
            #expect(throws: UsageError("option '--help' takes no value", subcommand: spec.name)) {
                try CommandLineParser.parse(arguments)
            }
        }
    }

    @Test("rejected command lines name the fault", arguments: rejected)
    func rejects(_ test: Rejected) {
        #expect(throws: test.error) { try CommandLineParser.parse(test.arguments) }
    }

    @Test("-h and --help work at every level")
    func helpEverywhere() throws {
        let root = HelpText.root()
        #expect(try CommandLineParser.parse(["--help"]) == .help(root))
        #expect(try CommandLineParser.parse(["-h"]) == .help(root))
        #expect(try CommandLineParser.parse(["help"]) == .help(root))
        #expect(try CommandLineParser.parse(["help", "-h"]) == .help(root))
        #expect(try CommandLineParser.parse(["help", "help"]) == .help(root))
        #expect(try CommandLineParser.parse(["help", "--help"]) == .help(root))
        for spec in Command.specs {
            let text = HelpText.subcommand(spec)
            let words = spec.name.split(separator: " ").map(String.init)
            #expect(try CommandLineParser.parse(words + ["--help"]) == .help(text))
            #expect(try CommandLineParser.parse(words + ["--config", "x", "-h"]) == .help(text))
            #expect(try CommandLineParser.parse(["help"] + words) == .help(text))
            #expect(try CommandLineParser.parse(["help"] + words + ["-h"]) == .help(text))
        }
        // A group of one subcommand helps with it.
        let export = HelpText.subcommand(Command.specs.first { $0.name == "history export" }!)
        #expect(try CommandLineParser.parse(["history", "--help"]) == .help(export))
        #expect(try CommandLineParser.parse(["help", "history"]) == .help(export))
    }

    @Test("help is asked for where an option name stands, however the rest is wrong")
    func helpWinsOverOtherFaults() throws {
        let pause = HelpText.subcommand(Command.specs.first { $0.name == "pause" }!)
        #expect(try CommandLineParser.parse(["pause", "--replicas", "x", "--bogus", "-h"]) == .help(pause))
        #expect(try CommandLineParser.parse(["pause", "--reason=x", "--help"]) == .help(pause))
        #expect(try CommandLineParser.parse(["pause", "--json", "--help"]) == .help(pause))
    }

    @Test("the help of history export, whole")
    func historyExportHelp() {
        let spec = Command.specs.first { $0.name == "history export" }!
        #expect(HelpText.subcommand(spec) == """
            OVERVIEW: Write the loads the daemon recorded as a trace that 'simulate' replays.

            USAGE: autoscaled history export [--config <path>] [--since <time>] [--until <time>] [--format <format>]

            OPTIONS:
              --config <path>         The config file. (default: /etc/autoscaled/autoscaled.conf)
              --since <time>          Only what was recorded within this long before now (up to 365d), e.g. 2d.
              --until <time>          Only what was recorded up to this long before now (up to 365d), e.g. 1h.
              --format <format>       per-server: each server's load; offered: total load per second. (default: per-server)
              -h, --help              Show help information.

            Reads the [history] directory of the config (the daemon may be running) and writes CSV
            to stdout. per-server: 't_seconds,NAME1,NAME2,…' in bins of the poll_interval, each
            one reading as the daemon took it (the highest within the bin, else the one still in
            force), a server empty where it was absent. offered: 't_seconds,requests',
            the mean total load of each second, so 'simulate --capacity 100' models a replica at load
            100; seconds without data are written as 0 (a note on stderr counts them).
            t_seconds is Unix time. A record holds until the next one, at most 2 x poll_interval.
            The trace runs from the first record in the range to the end of the last.

            EXIT STATUS:
              0   success
              1   no history yet (or none in the range, or the range spans more than a
                  replay covers), its directory cannot be read, or some of it holds only totals
                  or a server name that cannot head a column where per-server loads are asked for,
                  or standard output cannot be written
              64  usage error
              78  invalid config, or it cannot be read

            """)
    }

    @Test("the help of check-config, whole")
    func checkConfigHelp() {
        let spec = Command.specs.first { $0.name == "check-config" }!
        #expect(HelpText.subcommand(spec) == """
            OVERVIEW: Validate a config file: print 'ok' or every error found.

            USAGE: autoscaled check-config [--config <path>]

            OPTIONS:
              --config <path>         The config file. (default: /etc/autoscaled/autoscaled.conf)
              -h, --help              Show help information.

            After 'ok', a 'warning:' line on standard error for what the host makes of a valid
            config: a config file every user may write, or an actuator's program that cannot be
            run now, as the user running check-config, with its PATH.

            EXIT STATUS:
              0   the config is valid ('ok')
              1   standard output cannot be written (a full disk, a closed pipe)
              64  usage error
              78  invalid config, or it cannot be read

            """)
    }

    @Test("the help of completion, whole: the argument has its own section")
    func completionHelp() {
        let spec = Command.specs.first { $0.name == "completion" }!
        #expect(HelpText.subcommand(spec) == """
            OVERVIEW: Print a shell completion script for autoscaled.

            USAGE: autoscaled completion <shell>

            ARGUMENTS:
              <shell>                 The shell: bash, zsh, fish.

            OPTIONS:
              -h, --help              Show help information.

            bash: autoscaled completion bash > /usr/share/bash-completion/completions/autoscaled
            zsh:  autoscaled completion zsh > /usr/local/share/zsh/site-functions/_autoscaled
            fish: autoscaled completion fish > ~/.config/fish/completions/autoscaled.fish

            EXIT STATUS:
              0   success
              1   standard output cannot be written (a full disk, a closed pipe)
              64  usage error

            """)
    }

    /// The statuses each command can end with: those its code returns (see ExitStatusTests for the
    /// real binary).
    static let statuses: [(String, [Int32])] = [
        ("run", [0, 1, 64, 78]), ("once", [0, 1, 64, 78]), ("check-config", [0, 1, 64, 78]), ("status", [0, 1, 64, 78]),
        ("simulate", [0, 1, 64, 78]), ("history export", [0, 1, 64, 78]), ("tune", [0, 1, 64, 78]),
        ("pause", [0, 1, 64, 78]), ("resume", [0, 1, 64, 78]), ("completion", [0, 1, 64]),
    ]

    @Test("every command's help lists exactly the statuses it can end with")
    func exitStatuses() throws {
        #expect(Self.statuses.map(\.0) == Command.specs.map(\.name))
        for (name, statuses) in Self.statuses {
            let spec = try #require(Command.specs.first { $0.name == name })
            let section = try #require(spec.discussion?.split(separator: "EXIT STATUS:\n").last, "\(name) has no EXIT STATUS")
            let listed = section.split(separator: "\n").compactMap { Int32($0.split(separator: " ").first ?? "") }
            #expect(listed == statuses, "\(name)")
        }
    }

    @Test("the exit statuses of pause, whole: --replicas outside the config's bounds is a usage error")
    func pauseExitStatus() throws {
        let spec = try #require(Command.specs.first { $0.name == "pause" })
        #expect(HelpText.subcommand(spec).hasSuffix("""
            EXIT STATUS:
              0   paused (or the pause updated)
              1   no daemon state for this config (no state file, or one that is corrupt or
                  of unknown version), or the pause file cannot be written,
                  or standard output cannot be written
              64  usage error, --replicas outside [min_replicas, max_replicas] of the config,
                  or a --reason over 1024 bytes
              78  invalid config, or it cannot be read

            """))
    }

    @Test("the root help lists every subcommand")
    func rootHelp() {
        let text = HelpText.root()
        #expect(text.hasPrefix("OVERVIEW: "))
        #expect(text.contains("USAGE: autoscaled <subcommand> [options]"))
        for spec in Command.specs {
            #expect(text.contains("\n  \(spec.name) "), "\(spec.name) missing from the root help")
        }
    }

    @Test("a usage error prints Error, Usage and where to look")
    func usageErrorText() {
        #expect(HelpText.usageError(UsageError("option '--config' needs a value <path>", subcommand: "run")) == """
            Error: option '--config' needs a value <path>
            Usage: autoscaled run [--config <path>]
              See 'autoscaled run --help'.

            """)
    }
}
