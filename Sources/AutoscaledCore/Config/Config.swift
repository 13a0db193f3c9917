/// The whole, validated configuration of the daemon.
///
/// A `Config` only exists once every key passed validation (see ``ConfigParser``);
/// the loop never re-reads or re-parses text.
public struct Config: Sendable, Equatable {
    public var source: SourceConfig
    public var policy: PolicyConfig
    public var state: StateConfig
    public var history: HistoryConfig
    public var log: LogConfig
    public var metrics: MetricsConfig
    public var actuator: ActuatorConfig

    public init(
        source: SourceConfig, policy: PolicyConfig, state: StateConfig, history: HistoryConfig, log: LogConfig,
        metrics: MetricsConfig, actuator: ActuatorConfig
    ) {
        self.source = source
        self.policy = policy
        self.state = state
        self.history = history
        self.log = log
        self.metrics = metrics
        self.actuator = actuator
    }
}
