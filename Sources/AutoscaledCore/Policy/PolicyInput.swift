/// What the policy is given to decide from: a whole snapshot, or why there is none.
public enum PolicyInput: Sendable, Equatable {
    case loads(LoadSnapshot)
    /// No usable data (read failed, rejected, stale); the cause is for the log.
    case unavailable(String)
}
