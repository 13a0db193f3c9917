/// What the command line asks for.
public enum Command: Sendable, Equatable {
    case run(configPath: String)
    case once(configPath: String)
    case checkConfig(configPath: String)
    case status(configPath: String, json: Bool)
    case simulate(SimulateOptions)
    case historyExport(HistoryExportOptions)
    case tune(TuneOptions)
    case pause(PauseOptions)
    case resume(configPath: String)
    /// Print the completion script for a shell.
    case completion(CompletionShell)
    /// Print this help text to stdout and exit 0.
    case help(String)
    case version

    public static let defaultConfigPath = "/etc/autoscaled/autoscaled.conf"

    static let configOption = OptionSpec(
        "config", value: "path", help: "The config file.", default: defaultConfigPath, files: true)

    /// The `EXIT STATUS:` section, with what status 1 means for the command.
    static func exitCodes(_ runtimeFailure: String = "runtime failure (source unreadable or rejected)") -> String {
        """
        EXIT STATUS:
          0   success
          1   \(runtimeFailure)
          64  usage error
          78  invalid config
        """
    }

    /// Every subcommand, in the order help lists them.
    public static let specs: [CommandSpec] = [
        CommandSpec(
            name: "run",
            overview: "Run the daemon: poll the load source, decide, persist and log every decision.",
            options: [configOption],
            discussion: """
                SIGNALS:
                  SIGHUP          Reload the config (also done when the config file changes),
                                  once a write to it in progress is done.
                  SIGTERM, SIGINT Finish the evaluation in progress, save state, exit 0.
                  SIGPIPE         Ignored: a log reader going away costs the logs only.

                \(exitCodes("another daemon holds the state file's lock, its lock file cannot be\n      created, a state file of unknown version cannot be set aside, or too few file\n      descriptors are free"))
                """),
        CommandSpec(
            name: "once",
            overview: "Read the source once and print 'Servers to scale: X' and the decision it would take.",
            options: [configOption],
            discussion: """
                Nothing is written: the state file is read (if present) but not changed.

                \(exitCodes("source unreadable or rejected, or too few file descriptors are free"))
                """),
        CommandSpec(
            name: "check-config",
            overview: "Validate a config file: print 'ok' or every error found.",
            options: [configOption],
            discussion: exitCodes()),
        CommandSpec(
            name: "status",
            overview: "Show what the daemon last saved: replicas, last decision, source health.",
            options: [configOption, OptionSpec("json", help: "Print one JSON object instead of text.")],
            discussion: """
                Reads the state file named by the config; exits 1 when there is none (the daemon
                has not run with this config yet), or it is corrupt or of a version this
                autoscaled does not know.

                \(exitCodes("no state file, or one that is corrupt or of unknown version"))
                """),
        SimulateOptions.spec,
        HistoryExportOptions.spec,
        TuneOptions.spec,
        PauseOptions.spec,
        PauseOptions.resumeSpec,
        CommandSpec(
            name: "completion",
            overview: "Print a shell completion script for autoscaled.",
            argument: ArgumentSpec(
                "shell", help: "The shell: \(CompletionShell.allCases.map(\.rawValue).joined(separator: ", ")).",
                values: CompletionShell.allCases.map(\.rawValue)),
            options: [],
            discussion: """
                bash: autoscaled completion bash > /usr/share/bash-completion/completions/autoscaled
                zsh:  autoscaled completion zsh > /usr/local/share/zsh/site-functions/_autoscaled
                fish: autoscaled completion fish > ~/.config/fish/completions/autoscaled.fish
                """),
    ]

    /// Builds the command for `spec` from what was parsed.
    static func make(_ spec: CommandSpec, _ options: ParsedOptions) throws(UsageError) -> Command {
        let config = options.values["config"] ?? defaultConfigPath
        switch spec.name {
        case "run": return .run(configPath: config)
        case "once": return .once(configPath: config)
        case "check-config": return .checkConfig(configPath: config)
        case "status": return .status(configPath: config, json: options.flags.contains("json"))
        case "simulate": return .simulate(try SimulateOptions(options))
        case "history export": return .historyExport(try HistoryExportOptions(options))
        case "tune": return .tune(try TuneOptions(options))
        case "pause": return .pause(try PauseOptions(options))
        case "resume": return .resume(configPath: config)
        case "completion":
            guard let shell = options.argument.flatMap(CompletionShell.init(rawValue:)) else {
                preconditionFailure("the parser checks <shell> against the spec")
            }
            return .completion(shell)
        default: preconditionFailure("no command for \(spec.name)")
        }
    }
}
