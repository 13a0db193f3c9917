/// A point on a monotonic timeline: time since an arbitrary origin that never jumps.
///
/// Cooldowns and stabilization windows are measured on this timeline only; wall-clock time
/// (which can jump backwards or forwards) never enters the policy.
///
/// The instant is held as the exact attoseconds of its `Duration` since the origin: comparing and
/// moving instants is then integer arithmetic done in place, where `Duration`'s own operators are
/// calls into the standard library (the policy compares instants many times per evaluation).
public struct MonotonicInstant: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Attoseconds since the origin.
    public var attoseconds: Int128

    public var sinceOrigin: Duration {
        get { Duration(attoseconds: attoseconds) }
        set { attoseconds = newValue.attoseconds }
    }

    public init(sinceOrigin: Duration) {
        attoseconds = sinceOrigin.attoseconds
    }

    public init(attoseconds: Int128) {
        self.attoseconds = attoseconds
    }

    public static let origin = MonotonicInstant(attoseconds: 0)

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.attoseconds < rhs.attoseconds }
    public static func + (lhs: Self, rhs: Duration) -> Self { Self(attoseconds: lhs.attoseconds + rhs.attoseconds) }
    public static func - (lhs: Self, rhs: Duration) -> Self { Self(attoseconds: lhs.attoseconds - rhs.attoseconds) }
    public static func - (lhs: Self, rhs: Self) -> Duration { Duration(attoseconds: lhs.attoseconds - rhs.attoseconds) }

    public var description: String { "\(sinceOrigin)" }
}

/// Tells the time on a monotonic timeline. The daemon uses the system's `CLOCK_MONOTONIC`;
/// tests and the simulator drive a clock of their own.
public protocol MonotonicClock: Sendable {
    func now() -> MonotonicInstant
}
