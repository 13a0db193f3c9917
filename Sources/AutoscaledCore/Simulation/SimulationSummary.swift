import AutoscaledBase

/// The figures of one replay.
public struct SimulationSummary: Sendable, Equatable {
    /// Simulated seconds: the trace's span.
    public var seconds: Int
    /// Σ over seconds of the desired (paid) replica count.
    public var replicaSeconds = 0
    /// Seconds in which the load was over capacity: requests above what serving replicas serve
    /// (offered load), or some server's load above 100 (per-server loads).
    public var overloadedSeconds = 0
    /// All requests of an offered-load trace; `nil` for per-server loads.
    public var requests: Double?
    /// Requests above the serving capacity, summed over seconds (offered load only).
    public var requestsOverCapacity = 0.0
    public var evaluations = 0
    public var scaleUps = 0
    public var scaleDowns = 0
    /// The desired count at the end of the trace.
    public var finalReplicas = 0

    public init(seconds: Int, requests: Double?) {
        self.seconds = seconds
        self.requests = requests
    }

    /// Replica-seconds over simulated seconds.
    public var meanReplicas: Double {
        seconds > 0 ? Double(replicaSeconds) / Double(seconds) : 0
    }

    /// Requests over capacity as a percentage of all requests (0 without requests); `nil` for
    /// per-server loads.
    public var overCapacityPercent: Double? {
        guard let requests else { return nil }
        return requests > 0 ? 100 * requestsOverCapacity / requests : 0
    }

    public var scaleEvents: Int { scaleUps + scaleDowns }

    mutating func count(_ decision: ScalingDecision) {
        evaluations += 1
        guard decision.changesReplicas else { return }
        if decision.to > decision.from { scaleUps += 1 } else { scaleDowns += 1 }
    }
}
