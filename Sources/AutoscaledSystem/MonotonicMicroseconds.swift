/// Reads `CLOCK_MONOTONIC` in microseconds, the clock systemd expects in `MONOTONIC_USEC=`.
///
/// Swift's own clocks are not a substitute here: on Linux `ContinuousClock` counts time
/// suspended (`CLOCK_BOOTTIME`), which systemd would not compare correctly with its own reading.
/// It is ``SystemMonotonicClock``'s reading, in microseconds.
public func monotonicMicroseconds() -> UInt64 {
    let (seconds, attoseconds) = SystemMonotonicClock().now().sinceOrigin.components
    return UInt64(seconds) * 1_000_000 + UInt64(attoseconds / 1_000_000_000_000)
}
