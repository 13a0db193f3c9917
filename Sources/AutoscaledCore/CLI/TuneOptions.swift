/// What `autoscaled tune` was asked to do.
public struct TuneOptions: Sendable, Equatable {
    public var configPath: String
    public var tracePath: String
    /// Requests per second one replica serves at load 100.
    public var capacity: Double
    /// `--capacity` as typed, for the messages that quote it.
    public var capacityText: String?
    /// Seconds from asking for a replica to its serving.
    public var startupDelay: Duration
    /// The highest share of requests over capacity a setting may have, in percent.
    public var maxOverPercent: Double
    public var seed: UInt64
    /// Settings to try, the config's own included.
    public var settings: Int
    /// Stop with the best so far after this long; `nil`: try every setting.
    public var timeLimit: Duration?
    /// Where to save the whole config with the winning setting.
    public var writePath: String?
    /// Where to draw the cost/service trade-off of the settings tried.
    public var svgPath: String?
    /// Overrides of the config's `initial_replicas`, `min_replicas`, `max_replicas`.
    public var initialReplicas: Int?
    public var minReplicas: Int?
    public var maxReplicas: Int?

    public static let defaultSettings = 1000

    public init(
        configPath: String = Command.defaultConfigPath, tracePath: String, capacity: Double, startupDelay: Duration,
        maxOverPercent: Double, seed: UInt64 = 1, settings: Int = defaultSettings, timeLimit: Duration? = nil,
        writePath: String? = nil, svgPath: String? = nil, initialReplicas: Int? = nil, minReplicas: Int? = nil,
        maxReplicas: Int? = nil
    ) {
        self.configPath = configPath
        self.tracePath = tracePath
        self.capacity = capacity
        self.startupDelay = startupDelay
        self.maxOverPercent = maxOverPercent
        self.seed = seed
        self.settings = settings
        self.timeLimit = timeLimit
        self.writePath = writePath
        self.svgPath = svgPath
        self.initialReplicas = initialReplicas
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
    }

    /// The same replay options for `simulate`'s setup.
    var simulateOptions: SimulateOptions {
        SimulateOptions(configPath: configPath, tracePath: tracePath, capacity: capacity, capacityText: capacityText,
                        startupDelay: startupDelay,
                        initialReplicas: initialReplicas, minReplicas: minReplicas, maxReplicas: maxReplicas, quiet: true)
    }

    static let spec = CommandSpec(
        name: "tune",
        overview: "Search the [policy] keys and poll_interval for the cheapest setting that meets a service goal on a trace.",
        options: [
            Command.configOption,
            OptionSpec("trace", value: "file", help: "An offered-load trace: CSV 't_seconds,requests'.", required: true,
                       files: true),
            OptionSpec("capacity", value: "rps", help: "Requests/s one replica serves at load 100, at least 1e-6.", required: true),
            OptionSpec("startup-delay", value: "time", help: "From asking for a replica to its serving, in whole seconds up to 365d.", required: true),
            OptionSpec("max-over", value: "percent", help: "The most requests over capacity allowed, in % of all requests.",
                       required: true),
            OptionSpec("seed", value: "n", help: "Seed of the search: the same seed tries the same settings.", default: "1"),
            OptionSpec("settings", value: "n", help: "Settings to try, the config's own included.", default: "\(defaultSettings)"),
            OptionSpec("time-limit", value: "time", help: "Stop with the best so far after this long."),
            OptionSpec("write", value: "file", help: "Save the whole config with the winning setting.", files: true),
            OptionSpec("svg", value: "file", help: "Draw the cost/service trade-off of the settings tried.", files: true),
            OptionSpec("initial", value: "n", help: "Replicas at the start instead of initial_replicas."),
            OptionSpec("min", value: "n", help: "Instead of min_replicas."),
            OptionSpec("max", value: "n", help: "Instead of max_replicas."),
        ],
        discussion: """
            The keys searched are those of the config's headroom: with 'learned' (the shipped
            config), headroom_target_load, headroom_quantile, headroom_window,
            scale_down_stabilization, replica_startup, headroom_scale_down_margin,
            headroom_scale_up_tolerance and, where the spread is measured,
            headroom_scale_down_margin_unmeasured (seasonal_periods, headroom_square_root_room
            and headroom_spread are kept as the config sets them); with
            'thresholds', the band rules' keys.
            Replays the trace as 'simulate' does, once per setting, on every processor. The last
            day of the trace (the last 20 % if it spans less than five days) is held out: the
            search sees only the rest, and the winner's figures on the held-out part are shown
            beside the config's own and those of the hpa and kpa models at target 0.7. When no
            setting meets the goal, tune says so and shows the one with the best service. A
            progress line is drawn on standard error when it is a terminal.

            \(Command.exitStatus("a setting was found (whether or not it meets the goal: see the output)",
                                 failure: "the trace cannot be read or is rejected, or the --write config or the\n      --svg picture cannot be written",
                                 usage: "usage error, a per-server trace, options that do not fit the trace or the config,\n      or --write or --svg naming the config, the trace or the other output"))
            """)

    init(_ options: ParsedOptions) throws(UsageError) {
        let values = OptionValues(options: options, subcommand: "tune")
        self.init(configPath: options.values["config"] ?? Command.defaultConfigPath,
                  tracePath: options.values["trace"] ?? "",
                  capacity: try values.capacity() ?? 1,
                  startupDelay: try values.duration("startup-delay") ?? .zero,
                  maxOverPercent: try values.number("max-over", expected: "a percentage from 0 to 100, e.g. 1") {
                      $0 >= 0 && $0 <= 100
                  } ?? 0)
        capacityText = options.values["capacity"]
        if let text = options.values["seed"] {
            guard let seed = UInt64(text) else { throw values.invalid("seed", text, "an integer from 0 to 2^64-1") }
            self.seed = seed
        }
        settings = try values.count("settings", minimum: 1) ?? Self.defaultSettings
        timeLimit = try values.duration("time-limit", wholeSecondsOnly: false, positive: true,
                                        expected: "a duration > 0 and up to 365d, e.g. 30s or 5min")
        writePath = options.values["write"]
        svgPath = options.values["svg"]
        initialReplicas = try values.count("initial", minimum: 0)
        minReplicas = try values.count("min", minimum: 0)
        maxReplicas = try values.count("max", minimum: 1)
        try OptionFiles(inputs: [.init("config", configPath), .init("trace", tracePath)], outputs: outputFiles)
            .check(subcommand: "tune")
    }

    /// The files the options ask to be written.
    var outputFiles: [OptionFiles.Named] {
        [writePath.map { .init("write", $0) }, svgPath.map { .init("svg", $0) }].compactMap { $0 }
    }
}
