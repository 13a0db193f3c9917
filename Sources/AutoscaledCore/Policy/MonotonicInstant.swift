/// A point on a monotonic timeline: time since an arbitrary origin that never jumps.
///
/// Cooldowns and stabilization windows are measured on this timeline only; wall-clock time
/// (which can jump backwards or forwards) never enters the policy.
public struct MonotonicInstant: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var sinceOrigin: Duration

    public init(sinceOrigin: Duration) {
        self.sinceOrigin = sinceOrigin
    }

    public static let origin = MonotonicInstant(sinceOrigin: .zero)

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.sinceOrigin < rhs.sinceOrigin }
    public static func + (lhs: Self, rhs: Duration) -> Self { Self(sinceOrigin: lhs.sinceOrigin + rhs) }
    public static func - (lhs: Self, rhs: Duration) -> Self { Self(sinceOrigin: lhs.sinceOrigin - rhs) }
    public static func - (lhs: Self, rhs: Self) -> Duration { lhs.sinceOrigin - rhs.sinceOrigin }

    public var description: String { "\(sinceOrigin)" }
}

/// Tells the time on a monotonic timeline. The daemon uses the system's `CLOCK_MONOTONIC`;
/// tests and the simulator drive a clock of their own.
public protocol MonotonicClock: Sendable {
    func now() -> MonotonicInstant
}
