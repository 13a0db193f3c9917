/// What the policy is given to decide from: a whole snapshot, or why there is none.
public enum PolicyInput: Sendable, Equatable {
    case loads(LoadSnapshot)
    /// No usable data (read failed, rejected, stale); the cause is for the log.
    case unavailable(String)
    /// No usable data for `failure_threshold` reads in a row: the source is down. With
    /// `fallback_replicas` set the count moves there; without it the count is held.
    case sourceDown(String)
}
