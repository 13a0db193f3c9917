/// What `autoscaled simulate` was asked to do.
public struct SimulateOptions: Sendable, Equatable {
    public var configPath: String
    public var tracePath: String
    /// Requests per second one replica serves at load 100 (offered-load traces).
    public var capacity: Double?
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

    public init(
        configPath: String = Command.defaultConfigPath, tracePath: String, capacity: Double? = nil,
        startupDelay: Duration? = nil, initialReplicas: Int? = nil, minReplicas: Int? = nil,
        maxReplicas: Int? = nil, quiet: Bool = false, csvPath: String? = nil
    ) {
        self.configPath = configPath
        self.tracePath = tracePath
        self.capacity = capacity
        self.startupDelay = startupDelay
        self.initialReplicas = initialReplicas
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
        self.quiet = quiet
        self.csvPath = csvPath
    }

    static let spec = CommandSpec(
        name: "simulate",
        overview: "Replay a load trace through the policy of a config, on a virtual clock.",
        options: [
            Command.configOption,
            OptionSpec("trace", value: "file", help: "The trace: CSV 't_seconds,requests' or 't_seconds,NAME1,NAME2,…'.",
                       required: true),
            OptionSpec("capacity", value: "rps", help: "Requests/s one replica serves at load 100 (offered load)."),
            OptionSpec("startup-delay", value: "time", help: "From asking for a replica to its serving.", default: "0"),
            OptionSpec("initial", value: "n", help: "Replicas at the start instead of initial_replicas."),
            OptionSpec("min", value: "n", help: "Instead of min_replicas."),
            OptionSpec("max", value: "n", help: "Instead of max_replicas."),
            OptionSpec("quiet", help: "Print only the summary, no decision lines."),
            OptionSpec("csv", value: "file", help: "Write t,load,desired,serving for every simulated second."),
        ],
        discussion: """
            Every poll_interval the policy sees each serving replica's mean load over the interval
            just past. Offered load: 1-second steps; a replica asked for at t serves from
            t + startup delay and is paid from t; a scale-down removes starting replicas first;
            load = 100 x requests/s / (serving replicas x capacity).

            EXIT STATUS:
              0   success
              1   the trace cannot be read, or the CSV file written
              64  usage error
              78  invalid config
            """)

    init(_ options: ParsedOptions) throws(UsageError) {
        self.init(configPath: options.values["config"] ?? Command.defaultConfigPath,
                  tracePath: options.values["trace"] ?? "")
        capacity = try options.values["capacity"].map { text throws(UsageError) in
            guard let value = Double(text), value.isFinite, value > 0 else {
                throw Self.invalid("capacity", text, "a number of requests per second > 0, e.g. 2")
            }
            return value
        }
        startupDelay = try options.values["startup-delay"].map { text throws(UsageError) in
            guard let value = try? DurationText.parse(text), value.components.attoseconds == 0 else {
                throw Self.invalid("startup-delay", text, "whole seconds, e.g. 120s or 2min")
            }
            return value
        }
        initialReplicas = try Self.count("initial", options, minimum: 0)
        minReplicas = try Self.count("min", options, minimum: 0)
        maxReplicas = try Self.count("max", options, minimum: 1)
        quiet = options.flags.contains("quiet")
        csvPath = options.values["csv"]
    }

    private static func count(_ name: String, _ options: ParsedOptions, minimum: Int) throws(UsageError) -> Int? {
        guard let text = options.values[name] else { return nil }
        guard let value = Int(text), value >= minimum else {
            throw invalid(name, text, "an integer >= \(minimum)")
        }
        return value
    }

    private static func invalid(_ name: String, _ text: String, _ expected: String) -> UsageError {
        UsageError("option '--\(name)': \(EscapedText.quoted(text)) is not valid (expected \(expected))",
                   subcommand: "simulate")
    }
}
