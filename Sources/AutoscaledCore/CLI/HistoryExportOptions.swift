import AutoscaledBase

/// What `autoscaled history export` was asked to do.
public struct HistoryExportOptions: Sendable, Equatable {
    public var configPath: String
    /// Only what was recorded within this long before now.
    public var since: Duration?
    /// Only what was recorded up to this long before now.
    public var until: Duration?
    public var format: HistoryTrace.Format

    public init(
        configPath: String = Command.defaultConfigPath, since: Duration? = nil, until: Duration? = nil,
        format: HistoryTrace.Format = .perServer
    ) {
        self.configPath = configPath
        self.since = since
        self.until = until
        self.format = format
    }

    static let spec = CommandSpec(
        name: "history export",
        overview: "Write the loads the daemon recorded as a trace that 'simulate' replays.",
        options: [
            Command.configOption,
            OptionSpec("since", value: "time", help: "Only what was recorded within this long before now (up to 365d), e.g. 2d."),
            OptionSpec("until", value: "time", help: "Only what was recorded up to this long before now (up to 365d), e.g. 1h."),
            OptionSpec("format", value: "format",
                       help: "per-server: each server's load; offered: total load per second.", default: "per-server"),
        ],
        discussion: """
            Reads the [history] directory of the config (the daemon may be running) and writes CSV
            to stdout. per-server: 't_seconds,NAME1,NAME2,…' in bins of the poll_interval, each
            one reading as the daemon took it (the highest within the bin, else the one still in
            force), a server empty where it was absent. offered: 't_seconds,requests',
            the mean total load of each second, so 'simulate --capacity 100' models a replica at load
            100; seconds without data are written as 0 (a note on stderr counts them).
            t_seconds is Unix time. A record holds until the next one, at most 2 x poll_interval.
            The trace runs from the first record in the range to the end of the last.

            \(Command.exitStatus(failure: "no history yet (or none in the range, or the range spans more than a\n      replay covers), its directory cannot be read, or some of it holds only totals\n      or a server name that cannot head a column where per-server loads are asked for"))
            """)

    init(_ options: ParsedOptions) throws(UsageError) {
        self.init(configPath: options.values["config"] ?? Command.defaultConfigPath)
        let values = OptionValues(options: options, subcommand: Self.spec.name)
        since = try values.duration("since", wholeSecondsOnly: false, positive: true,
                                    expected: "a duration > 0 and up to 365d, e.g. 2d or 90min")
        until = try values.duration("until", wholeSecondsOnly: false, expected: "a duration up to 365d, e.g. 1h or 0s")
        if let text = options.values["format"] {
            guard let format = HistoryTrace.Format(rawValue: text) else {
                throw values.invalid("format", text, HistoryTrace.Format.allCases.map(\.rawValue).joined(separator: " or "))
            }
            self.format = format
        }
        if let since, let until, until >= since {
            throw UsageError("option '--until' (\(DurationText.format(until)) ago) must be later than '--since' "
                + "(\(DurationText.format(since)) ago)", subcommand: Self.spec.name)
        }
    }
}
