import AutoscaledBase
import Glibc

/// `CLOCK_MONOTONIC`: time since boot, never set back.
public struct SystemMonotonicClock: MonotonicClock {
    public init() {}

    public func now() -> MonotonicInstant {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return MonotonicInstant(sinceOrigin: .seconds(spec.tv_sec) + .nanoseconds(spec.tv_nsec))
    }
}

/// Wall-clock time: for timestamps people read and for file ages, never for policy timing.
public enum WallClock {
    /// Seconds since the Unix epoch.
    public static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// `2026-11-29T06:10:00.123Z` for `seconds` since the epoch.
    public static func iso8601(_ seconds: Double) -> String {
        let totalMillis = Int64((seconds * 1000).rounded())
        var whole = time_t(totalMillis.quotientAndRemainder(dividingBy: 1000).quotient)
        let millis = Int(totalMillis - Int64(whole) * 1000)
        var parts = tm()
        gmtime_r(&whole, &parts)
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))"
            + "T\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2))"
            + ".\(pad(millis, 3))Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
