
/// How long to wait before retrying a failed actuation: doubling from `initial`, capped at `cap`.
///
/// The daemon uses ``standard``: 1s, 2s, 4s, 8s, 16s, 32s, then 1min for every further retry,
/// so a broken actuator is tried at most once a minute and a healed one is noticed within one.
public struct ActuationBackoff: Sendable, Equatable {
    public var initial: Duration
    public var cap: Duration

    public static let standard = ActuationBackoff(initial: .seconds(1), cap: .seconds(60))

    public init(initial: Duration, cap: Duration) {
        precondition(initial > .zero && cap >= initial, "backoff needs 0 < initial <= cap")
        self.initial = initial
        self.cap = cap
    }

    /// The wait after `failures` failures in a row (1 for the first).
    public func delay(afterFailures failures: Int) -> Duration {
        var delay = initial
        for _ in 1..<max(1, failures) {
            delay *= 2
            if delay >= cap { return cap }
        }
        return min(delay, cap)
    }
}
