/// How reading the load source goes: the one definition the loop, the state file and `status` share.
///
/// ```
///   healthy ──failure──▶ failing ──failure_threshold failures in a row──▶ down
///      ▲                    │                                              │
///      └──────success───────┴──────────────────success─────────────────────┘
/// ```
/// While down, further failures are not worth a warning each: the loop logs them at debug level.
public enum SourceHealth: String, Sendable, Equatable {
    case healthy, failing, down

    /// Failures in a row after which the daemon counts the source as down.
    public static let defaultFailureThreshold = 3

    /// The health after `consecutiveFailures` failed reads in a row (a threshold below 1 counts as 1).
    public init(consecutiveFailures: Int, failureThreshold: Int) {
        if consecutiveFailures <= 0 {
            self = .healthy
        } else {
            self = consecutiveFailures >= max(1, failureThreshold) ? .down : .failing
        }
    }
}
