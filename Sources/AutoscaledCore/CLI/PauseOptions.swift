import AutoscaledBase

/// What `autoscaled pause` was asked to do.
public struct PauseOptions: Sendable, Equatable {
    public var configPath: String
    /// Move to this count once and hold it; `nil`: hold the count as it is.
    public var replicas: Int?
    /// End the pause by itself after this long; `nil`: until `autoscaled resume`.
    public var duration: Duration?
    public var reason: String?

    /// The longest `--reason`, in bytes of UTF-8: however the pause file escapes it, the file stays far
    /// below what its reader takes (``PauseFile/sizeLimit``), and the reason stays one line of a log.
    public static let maxReasonBytes = 1024

    public init(configPath: String = Command.defaultConfigPath, replicas: Int? = nil, duration: Duration? = nil,
                reason: String? = nil) {
        self.configPath = configPath
        self.replicas = replicas
        self.duration = duration
        self.reason = reason
    }

    /// What makes `pause` and `resume` exit 1.
    static let failure = "no daemon state for this config (no state file, or one that is corrupt or\n      of unknown version), or the pause file cannot be written"

    static let spec = CommandSpec(
        name: "pause",
        overview: "Pause autoscaling: the daemon keeps reading and logging what it would do, but holds the count.",
        options: [
            Command.configOption,
            OptionSpec("replicas", value: "n", help: "Move to this count once, then hold it (default: hold the count as it is)."),
            OptionSpec("for", value: "duration", help: "End the pause by itself after this long (up to 365d), e.g. 30min (default: until resume)."),
            OptionSpec("reason", value: "text", help: "Why, for the log and status (up to 1024 bytes)."),
        ],
        discussion: """
            Writes the pause next to the daemon's state file (STATE.pause); the running daemon takes
            it up at once and a restarted one keeps it. Pausing again replaces the pause. While paused,
            'autoscaled status', the STATUS= line and the metrics say so; 'autoscaled resume' ends it.

            \(Command.exitStatus("paused (or the pause updated)", failure: failure,
                                 usage: "usage error, --replicas outside [min_replicas, max_replicas] of the config,\n      or a --reason over 1024 bytes"))
            """)

    static let resumeSpec = CommandSpec(
        name: "resume",
        overview: "End a pause: the daemon follows the policy again from its next evaluation.",
        options: [Command.configOption],
        discussion: """
            Says so and exits 0 when autoscaling is not paused. A pause file that cannot be read is
            replaced by the resume, with a warning naming what is wrong with it.

            \(Command.exitStatus("resumed, or not paused", failure: failure))
            """)

    init(_ options: ParsedOptions) throws(UsageError) {
        self.init(configPath: options.values["config"] ?? Command.defaultConfigPath, reason: options.values["reason"])
        let values = OptionValues(options: options, subcommand: "pause")
        if let reason, reason.utf8.count > Self.maxReasonBytes {
            throw UsageError("option '--reason': \(reason.utf8.count) bytes is longer than the \(Self.maxReasonBytes) bytes "
                + "a reason may have", subcommand: "pause")
        }
        replicas = try values.count("replicas", minimum: 0)
        let expected = "a duration > 0 and up to 365d, e.g. 30min or 2h"
        duration = try values.duration("for", wholeSecondsOnly: false, positive: true, expected: expected)
    }
}
