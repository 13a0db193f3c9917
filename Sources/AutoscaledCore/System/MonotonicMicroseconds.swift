import Glibc

/// Reads `CLOCK_MONOTONIC` in microseconds, the clock systemd expects in `MONOTONIC_USEC=`.
///
/// Swift's own clocks are not a substitute here: on Linux `ContinuousClock` counts time
/// suspended (`CLOCK_BOOTTIME`), which systemd would not compare correctly with its own reading.
/// It reads the same clock as ``SystemMonotonicClock``.
public func monotonicMicroseconds() -> UInt64 {
    var now = timespec()
    do {
        _ = try syscall("clock_gettime", "CLOCK_MONOTONIC") { clock_gettime(CLOCK_MONOTONIC, &now) }
    } catch {
        // CLOCK_MONOTONIC always exists on Linux and `now` is a valid pointer:
        // a failure here means the C library itself is broken.
        preconditionFailure("\(error)")
    }
    return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
}
