/// How reading the load source goes: the one definition the loop, the state file and `status` share.
///
/// ```
///   healthy ──failure──▶ failing ──failures in failure_threshold ticks in a row──▶ down
///      ▲                    │                                              │
///      └──────success───────┴──────────────────success─────────────────────┘
/// ```
/// Failures are counted per tick of the policy (one `poll_interval`), not per read: reads that fail
/// again within a tick (a reload, a load file rewritten) count once (``ReplicaState``).
/// While down, further failures are not worth a warning each: the loop logs them at debug level,
/// as it does a failed read that repeats the one before it within the same tick.
public enum SourceHealth: String, Sendable, Equatable {
    case healthy, failing, down

    /// Failed ticks in a row after which the daemon counts the source as down.
    public static let defaultFailureThreshold = 3

    /// The health after `consecutiveFailures` failed ticks in a row (a threshold below 1 counts as 1).
    public init(consecutiveFailures: Int, failureThreshold: Int) {
        if consecutiveFailures <= 0 {
            self = .healthy
        } else {
            self = consecutiveFailures >= max(1, failureThreshold) ? .down : .failing
        }
    }
}
