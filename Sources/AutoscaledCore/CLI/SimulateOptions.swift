/// What `autoscaled simulate` was asked to do.
public struct SimulateOptions: Sendable, Equatable {
    public var configPath: String
    public var tracePath: String
    /// Requests per second one replica serves at load 100 (offered-load traces).
    public var capacity: Double?
    /// `--capacity` as typed, for the messages that quote it.
    public var capacityText: String?
    /// Seconds from asking for a replica to its serving (offered-load traces); whole seconds.
    public var startupDelay: Duration?
    /// Overrides of the config's `initial_replicas`, `min_replicas`, `max_replicas`.
    public var initialReplicas: Int?
    public var minReplicas: Int?
    public var maxReplicas: Int?
    /// No decision log lines, only the summary.
    public var quiet: Bool
    /// Where to write `t,load,desired,serving` per simulated second.
    public var csvPath: String?
    /// Where to draw load, desired and serving replicas over time as an SVG picture.
    public var svgPath: String?
    /// A reference autoscaler to replay instead of the config's policy.
    public var reference: ReferenceAutoscaler?

    public init(
        configPath: String = Command.defaultConfigPath, tracePath: String, capacity: Double? = nil,
        capacityText: String? = nil, startupDelay: Duration? = nil, initialReplicas: Int? = nil, minReplicas: Int? = nil,
        maxReplicas: Int? = nil, quiet: Bool = false, csvPath: String? = nil, svgPath: String? = nil,
        reference: ReferenceAutoscaler? = nil
    ) {
        self.configPath = configPath
        self.tracePath = tracePath
        self.capacity = capacity
        self.capacityText = capacityText
        self.startupDelay = startupDelay
        self.initialReplicas = initialReplicas
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
        self.quiet = quiet
        self.csvPath = csvPath
        self.svgPath = svgPath
        self.reference = reference
    }

    static let spec = CommandSpec(
        name: "simulate",
        overview: "Replay a load trace through the policy of a config, on a virtual clock.",
        options: [
            Command.configOption,
            OptionSpec("trace", value: "file", help: "The trace: CSV 't_seconds,requests' or 't_seconds,NAME1,NAME2,…'.",
                       required: true, files: true),
            OptionSpec("capacity", value: "rps", help: "Requests/s one replica serves at load 100 (offered load), at least 1e-6."),
            OptionSpec("startup-delay", value: "time", help: "From asking for a replica to its serving, in whole seconds up to 365d.", default: "0"),
            OptionSpec("initial", value: "n", help: "Replicas at the start instead of initial_replicas."),
            OptionSpec("min", value: "n", help: "Instead of min_replicas."),
            OptionSpec("max", value: "n", help: "Instead of max_replicas."),
            OptionSpec("quiet", help: "Print only the summary, no decision lines."),
            OptionSpec("csv", value: "file", help: "Write t,load,desired,serving for every simulated second.", files: true),
            OptionSpec("svg", value: "file", help: "Draw load, desired and serving replicas over time as an SVG picture.",
                       files: true),
            OptionSpec("policy", value: "name", help: "config, or a model of another autoscaler: hpa (Kubernetes) or kpa (Knative).",
                       default: "config"),
            OptionSpec("target", value: "utilisation", help: "The target utilisation of hpa or kpa, from 0.01 to 1.", default: "0.7"),
        ],
        discussion: """
            Every poll_interval the policy sees each serving replica's mean load over the interval
            just past. Offered load: 1-second steps; a replica asked for at t serves from
            t + startup delay and is paid from t; a scale-down removes starting replicas first;
            load = 100 x requests/s / (serving replicas x capacity); while no replica serves,
            a server named activator reports 100 x requests/s / capacity. A capacity that would
            put the trace's peak above a load of 1e15 (the most a source may report) is refused.

            --policy hpa|kpa replays an offered-load trace through a model of Kubernetes'
            HorizontalPodAutoscaler or Knative's KPA instead (the config keeps min_replicas,
            max_replicas and initial_replicas); see docs/history-and-tuning.md.

            \(Command.exitStatus(failure: "the trace cannot be read or is rejected, or the CSV or SVG file cannot be written",
                                 usage: "usage error, options that do not fit the trace or the config, or --csv or\n      --svg naming the config, the trace or the other output"))
            """)

    init(_ options: ParsedOptions) throws(UsageError) {
        self.init(configPath: options.values["config"] ?? Command.defaultConfigPath,
                  tracePath: options.values["trace"] ?? "")
        let values = OptionValues(options: options, subcommand: "simulate")
        capacity = try values.capacity()
        capacityText = options.values["capacity"]
        startupDelay = try values.duration("startup-delay")
        initialReplicas = try values.count("initial", minimum: 0)
        minReplicas = try values.count("min", minimum: 0)
        maxReplicas = try values.count("max", minimum: 1)
        quiet = options.flags.contains("quiet")
        csvPath = options.values["csv"]
        svgPath = options.values["svg"]
        reference = try values.referenceAutoscaler()
        try OptionFiles(inputs: [.init("config", configPath), .init("trace", tracePath)], outputs: outputFiles)
            .check(subcommand: "simulate")
    }

    /// The files the options ask to be written.
    var outputFiles: [OptionFiles.Named] {
        [csvPath.map { .init("csv", $0) }, svgPath.map { .init("svg", $0) }].compactMap { $0 }
    }
}
