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

    /// The `EXIT STATUS:` section: every status the command can end with, and what causes it.
    /// - Parameters:
    ///   - failure: what makes it exit 1; `nil` when nothing does.
    ///   - usage: what makes it exit 64.
    ///   - config: whether it reads a config, and so exits 78 when that is invalid or unreadable.
    ///   - standardOutput: whether it writes standard output, and so exits 1 when that cannot be written.
    static func exitStatus(
        _ success: String = "success", failure: String? = nil, usage: String = "usage error", config: Bool = true,
        standardOutput: Bool = true
    ) -> String {
        var lines = ["EXIT STATUS:", "  0   \(success)"]
        let failure = standardOutput ? failure.map { $0 + ",\n      or standard output cannot be written" } ?? standardOutputFailure : failure
        if let failure { lines.append("  1   \(failure)") }
        lines.append("  64  \(usage)")
        if config { lines.append("  78  \(invalidConfig)") }
        return lines.joined(separator: "\n")
    }

    static let invalidConfig = "invalid config, or it cannot be read"

    /// What makes a command that otherwise cannot fail exit 1 (every command exits 1 for it).
    static let standardOutputFailure = "standard output cannot be written (a full disk, a closed pipe)"

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
                  SIGTERM, SIGINT Finish the evaluation in progress, stop an actuation under way
                                  (SIGTERM to its process group, SIGKILL 2 s later), save
                                  state, exit 0.
                  SIGUSR1, SIGUSR2
                                  Not used: logged (event=signal-ignored), and the daemon goes on.
                  SIGPIPE         Ignored: a log reader going away costs the logs only.

                \(exitStatus("stopped by SIGTERM or SIGINT", failure: "another daemon holds the state file's lock, its lock file cannot be\n      created, the state file cannot be read, a damaged state file or one of unknown\n      version cannot be set aside, or too few file descriptors are free", standardOutput: false))
                """),
        CommandSpec(
            name: "once",
            overview: "Read the source once and print 'Servers to scale: X' and the decision it would take.",
            options: [configOption],
            discussion: """
                Nothing is written: the state file is read (if present) but not changed.
                A state file that is there but cannot be used (the decision is then made from
                initial_replicas) and a pause file that cannot be read are each a 'warning:'
                line on standard error. While a pause holds, a third line, 'Paused: …', says
                what the daemon does instead of the decision: hold, or move to the pause's
                replicas. None of these changes the exit status.

                \(exitStatus(failure: "source unreadable or rejected, or too few file descriptors are free"))
                """),
        CommandSpec(
            name: "check-config",
            overview: "Validate a config file: print 'ok' or every error found.",
            options: [configOption],
            discussion: """
                After 'ok', a 'warning:' line on standard error for what the host makes of a valid
                config: a config file every user may write, or an actuator's program that cannot be
                run now, as the user running check-config, with its PATH.

                \(exitStatus("the config is valid ('ok')"))
                """),
        CommandSpec(
            name: "status",
            overview: "Show whether a daemon runs, and what it last saved: replicas, last decision, source health.",
            options: [configOption, OptionSpec("json", help: "Print one JSON object instead of text.")],
            discussion: """
                Reads the state file named by the config; exits 1 when there is none (the daemon
                has not run with this config yet, or one runs that could not write it yet), or it
                is corrupt, cannot be read or is of a version this autoscaled does not know. A
                pause file that cannot be read is shown as such, with the rest.

                \(exitStatus(failure: "no state file, or one that is corrupt, unreadable or of unknown version"))
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

                \(exitStatus(config: false))
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
