/// What one evaluation leaves for the metrics textfile: the latest values and the counters so far.
public struct MetricsSample: Sendable, Equatable {
    public var desiredReplicas: Int
    /// The count last confirmed applied; `nil` when nothing reports it (no series is written).
    public var appliedReplicas: Int?
    /// The actuator's failed attempts in a row (0 once one confirms a count); `nil` without an
    /// actuator (no series is written).
    public var actuationFailures: Int?
    /// `nil` when the evaluation had no usable data (no series is written).
    public var serversToScale: Int?
    /// The snapshot's servers; empty when the evaluation had no usable data.
    public var servers: [ServerLoad]
    public var scaleUps: Int
    public var scaleDowns: Int
    public var sourceErrors: Int
    /// Log lines dropped because stderr could not take them without blocking.
    public var logLinesDropped: Int
    /// Seconds since the epoch.
    public var evaluatedAt: Double
    /// The count the policy wants: ``desiredReplicas`` unless a rule holds the count elsewhere;
    /// `nil` when it wants none (no usable data), and the gauge is left out.
    public var wantedReplicas: Int?
    /// The rule that holds the count, when one does (`scale_up_cooldown`, `pause`, …).
    public var heldBy: String?
    /// Whether an operator paused the autoscaling.
    public var paused: Bool
    /// Whether the last reload asked for was applied (`true` until one fails).
    public var lastReloadSuccessful: Bool

    public init(
        desiredReplicas: Int, appliedReplicas: Int? = nil, serversToScale: Int?, servers: [ServerLoad],
        scaleUps: Int, scaleDowns: Int, sourceErrors: Int, logLinesDropped: Int = 0, evaluatedAt: Double,
        wantedReplicas: Int? = nil, heldBy: String? = nil, paused: Bool = false, lastReloadSuccessful: Bool = true,
        actuationFailures: Int? = nil
    ) {
        self.desiredReplicas = desiredReplicas
        self.appliedReplicas = appliedReplicas
        self.actuationFailures = actuationFailures
        self.serversToScale = serversToScale
        self.servers = servers
        self.scaleUps = scaleUps
        self.scaleDowns = scaleDowns
        self.sourceErrors = sourceErrors
        self.logLinesDropped = logLinesDropped
        self.evaluatedAt = evaluatedAt
        self.wantedReplicas = wantedReplicas
        self.heldBy = heldBy
        self.paused = paused
        self.lastReloadSuccessful = lastReloadSuccessful
    }
}
