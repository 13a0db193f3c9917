import AutoscaledBase

/// How a trace is replayed: the policy, how often it looks, and the replica model of an
/// offered-load trace.
public struct SimulationSetup: Sendable, Equatable {
    /// The policy replayed, `initial_replicas` being the count at the trace's start.
    public var policy: PolicyConfig
    /// Seconds between evaluations (the daemon's `poll_interval`); at least 1.
    public var pollSeconds: Int
    /// Requests per second one replica serves at load 100 (offered-load traces).
    public var capacity: Double
    /// The least `--capacity`: one request in 11.6 days. Below it no replica is real, and a load,
    /// 100 × requests/s ÷ capacity, passes the cap of 1e15 (``LoadSnapshot/maxLoad``) already at
    /// 1e7 requests/s; `simulate` and `tune` also refuse a capacity that a trace's peak would take
    /// past that cap.
    public static let minimumCapacity = 1e-6
    /// ``minimumCapacity`` as messages and docs spell it.
    public static let minimumCapacityText = "1e-6"
    /// Seconds from asking for a replica to its serving (offered-load traces).
    public var startupDelaySeconds: Int
    /// What decides the count: the policy, or a reference autoscaler (which keeps only
    /// `min_replicas`, `max_replicas` and `initial_replicas` of the policy).
    public var scaler: SimulationScaler

    public init(
        policy: PolicyConfig, pollSeconds: Int, capacity: Double = 1, startupDelaySeconds: Int = 0,
        scaler: SimulationScaler = .policy
    ) {
        self.policy = policy
        self.pollSeconds = pollSeconds
        self.capacity = capacity
        self.startupDelaySeconds = startupDelaySeconds
        self.scaler = scaler
    }

    /// `poll_interval` as the replay's step: its whole seconds, or `nil` when it is not a whole
    /// number of seconds of at least 1 (the replay steps in seconds).
    public static func pollSeconds(of poll: Duration) -> Int? {
        poll.components.attoseconds == 0 && poll.components.seconds >= 1 ? Int(poll.components.seconds) : nil
    }

    /// Why a `poll_interval` has no ``pollSeconds(of:)``, after the config's name.
    public static func notWholeSeconds(_ poll: Duration) -> String {
        "poll_interval \(DurationText.format(poll)) is not a whole number of seconds (the replay steps in seconds)"
    }
}

/// Sees a replay as it runs: every simulated second and every decision.
public protocol SimulationObserver {
    /// One simulated second at trace time `time` (`t_seconds`): the busiest serving replica's
    /// load, the desired (paid) count, the serving count, and the requests above what the
    /// serving replicas serve (offered load; 0 for per-server loads).
    mutating func second(_ time: Int, load: Double, desired: Int, serving: Int, overCapacity: Double)
    /// One evaluation at trace time `time`, after the policy decided.
    mutating func decision(_ decision: ScalingDecision, at time: Int)
}

/// Watches nothing: for summaries only.
public struct SummaryOnly: SimulationObserver {
    /// Decisions seen. Also what gives each replay's observer an address of its own: values of
    /// no size all share one, and ThreadSanitizer reports `tune`'s parallel replays, each
    /// passing its own empty observer `inout`, as racing on it.
    public private(set) var decisions = 0

    public init() {}
    public mutating func second(_ time: Int, load: Double, desired: Int, serving: Int, overCapacity: Double) {}
    public mutating func decision(_ decision: ScalingDecision, at time: Int) { decisions += 1 }
}

/// The daemon's policy on a virtual monotonic clock: decide, then remember, as the daemon's
/// replica state does after every evaluation.
struct PolicyStep {
    let policy: ThresholdPolicy
    private(set) var memory: PolicyMemory

    /// The first evaluation is at `pollSeconds`: that is when the replay starts observing, as the
    /// daemon does at its first read, and the tick grid is one `pollSeconds` from there.
    init(_ config: PolicyConfig, pollSeconds: Int) {
        var config = config
        config.tick = .seconds(pollSeconds)
        policy = ThresholdPolicy(config: config)
        memory = PolicyMemory(replicas: config.initialReplicas, observingSince: .origin + .seconds(pollSeconds))
    }

    /// Evaluates `input` at `second` seconds after the trace's start.
    mutating func evaluate(_ input: PolicyInput, at second: Int) -> ScalingDecision {
        // `.seconds(second)` without the call into Duration: whole seconds are exact in attoseconds.
        let now = MonotonicInstant(attoseconds: Int128(second) * 1_000_000_000_000_000_000)
        let decision = policy.decide(input, memory: memory, now: now)
        memory.record(decision, at: now, policy: policy.config)
        return decision
    }
}
