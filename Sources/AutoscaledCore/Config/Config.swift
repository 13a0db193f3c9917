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

/// `[source]`: where loads come from and how often they are read.
public struct SourceConfig: Sendable, Equatable {
    /// Where the loads are read from.
    public enum Kind: Sendable, Equatable {
        /// A file at an absolute path (relative paths are resolved against the config's directory).
        case file(path: String)
        /// A Unix socket: connect, send `request` (if any), read until the peer closes.
        case unix(path: String, request: String?, limits: SocketLimits)
        /// The same over TCP to a loopback address.
        case tcp(address: LoopbackAddress, request: String?, limits: SocketLimits)
        /// An HTTP/1.1 `GET` of a loopback URL.
        case http(url: LoopbackURL, limits: SocketLimits)
    }

    public var kind: Kind
    public var format: LoadFormat
    /// How often the source is read even without a change notification. Always > 0.
    public var pollInterval: Duration
    /// A snapshot older than this is not acted on; `nil` means never stale (`stale_after = 0`).
    public var staleAfter: Duration?
    /// Consecutive failed reads after which the source counts as down. Always >= 1.
    public var failureThreshold: Int

    public init(kind: Kind, format: LoadFormat, pollInterval: Duration, staleAfter: Duration?, failureThreshold: Int) {
        self.kind = kind
        self.format = format
        self.pollInterval = pollInterval
        self.staleAfter = staleAfter
        self.failureThreshold = failureThreshold
    }
}

/// `[policy]`: when to scale (a hysteresis band of thresholds), by how much (a target load), and
/// how fast (cooldown, stabilization, trend, burst).
public struct PolicyConfig: Sendable, Equatable {
    /// A server whose load is strictly greater than this counts towards `servers_to_scale`; any such
    /// server triggers a scale-up.
    public var scaleUpThreshold: Double
    /// When every server's load is strictly below this, a scale-down is considered.
    public var scaleDownThreshold: Double
    /// The load per replica a scaling decision sizes for: replicas = ⌈total load ÷ target_load⌉.
    /// Inside the band: above `scaleDownThreshold`, at most `scaleUpThreshold`.
    public var targetLoad: Double
    public var minReplicas: Int
    public var maxReplicas: Int
    /// The count used when there is no usable state file.
    public var initialReplicas: Int
    /// The most replicas one scale-up adds.
    public var maxScaleUpStep: Int
    /// The most replicas one scale-down removes.
    public var scaleDownStep: Int
    public var scaleUpCooldown: Duration
    public var scaleDownStabilization: Duration
    /// How long a new replica takes to serve: a rising load is projected this far ahead.
    public var replicaStartup: Duration
    /// The window the load trend is measured over (its slope is projected `replicaStartup` ahead).
    public var trendWindow: Duration
    /// Total load is averaged over this window before sizing (noise is not load); zero = no smoothing.
    public var smoothingWindow: Duration
    /// A total load at least this many times what the current count serves at `targetLoad` is a
    /// burst: sized for at once, past the cooldown and the step limit; zero = off.
    public var burstRatio: Double
    /// The count to move to, once, when the source goes down; `nil`: hold the count instead.
    public var fallbackReplicas: Int?

    public init(
        scaleUpThreshold: Double, scaleDownThreshold: Double, targetLoad: Double,
        minReplicas: Int, maxReplicas: Int, initialReplicas: Int,
        maxScaleUpStep: Int, scaleDownStep: Int,
        scaleUpCooldown: Duration, scaleDownStabilization: Duration,
        replicaStartup: Duration, trendWindow: Duration,
        smoothingWindow: Duration, burstRatio: Double, fallbackReplicas: Int?
    ) {
        self.fallbackReplicas = fallbackReplicas
        self.scaleUpThreshold = scaleUpThreshold
        self.scaleDownThreshold = scaleDownThreshold
        self.targetLoad = targetLoad
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
        self.initialReplicas = initialReplicas
        self.maxScaleUpStep = maxScaleUpStep
        self.scaleDownStep = scaleDownStep
        self.scaleUpCooldown = scaleUpCooldown
        self.scaleDownStabilization = scaleDownStabilization
        self.replicaStartup = replicaStartup
        self.trendWindow = trendWindow
        self.smoothingWindow = smoothingWindow
        self.burstRatio = burstRatio
    }

    /// How long load samples are kept: the longer of the trend and smoothing windows.
    public var sampleWindow: Duration { max(trendWindow, smoothingWindow) }
}

/// `[state]`: where the desired replica count is persisted.
public struct StateConfig: Sendable, Equatable {
    /// Absolute path of the state file.
    public var path: String

    public init(path: String) {
        self.path = path
    }
}

/// `[history]`: what the daemon saw at each evaluation, kept in segment files in a directory
/// (see ``HistoryLog``).
public struct HistoryConfig: Sendable, Equatable {
    /// The smallest `max_size`: room for a few segments.
    public static let minimumSize = 1 << 20

    /// `false`: nothing is recorded.
    public var enabled: Bool
    /// The directory of the segment files (absolute).
    public var path: String
    /// Segments whose newest record is older than this are removed.
    public var retention: Duration
    /// The most bytes all segments take together.
    public var maxSize: Int

    public init(enabled: Bool, path: String, retention: Duration, maxSize: Int) {
        self.enabled = enabled
        self.path = path
        self.retention = retention
        self.maxSize = maxSize
    }

    /// `history` beside the state file: `/var/lib/autoscaled/history` for `/var/lib/autoscaled/state.json`.
    public static func defaultPath(statePath: String) -> String {
        let directory = parentDirectory(of: statePath)
        return directory == "/" ? "/history" : directory + "/history"
    }
}

/// `[log]`: how much is logged and in which encoding.
public struct LogConfig: Sendable, Equatable {
    public var level: LogLevel
    public var format: LogFormat

    public init(level: LogLevel, format: LogFormat) {
        self.level = level
        self.format = format
    }
}

/// `[metrics]`: the Prometheus textfile written after every evaluation (node_exporter's textfile collector).
public struct MetricsConfig: Sendable, Equatable {
    /// Where the metrics go; `nil` (no `textfile` key) writes none.
    public var textfile: String?
    /// The most `autoscaled_server_load` series written: the busiest servers are kept.
    public var maxSeries: Int

    public init(textfile: String?, maxSeries: Int) {
        self.textfile = textfile
        self.maxSeries = maxSeries
    }
}
