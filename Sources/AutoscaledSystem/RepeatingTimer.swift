import Dispatch

/// A repeating Dispatch timer that calls a `@Sendable` handler; its interval can change.
public final class RepeatingTimer: Sendable {
    // Safety: the timer is created in init; `schedule`, `resume` and `cancel` are thread-safe on a
    // DispatchSource, and the handler only touches Sendable values.
    private nonisolated(unsafe) let timer: any DispatchSourceTimer

    public init(queue: DispatchQueue, interval: Duration, handler: @escaping @Sendable () -> Void) {
        timer = DispatchSource.makeTimerSource(queue: queue)
        timer.setEventHandler(handler: handler)
        schedule(interval: interval)
        timer.resume()
    }

    /// Restarts the timer at `interval`, first firing one interval from now.
    public func schedule(interval: Duration) {
        let nanos = max(1, Int(interval.components.seconds) * 1_000_000_000
            + Int(interval.components.attoseconds / 1_000_000_000))
        timer.schedule(deadline: .now() + .nanoseconds(nanos), repeating: .nanoseconds(nanos), leeway: .milliseconds(1))
    }

    public func cancel() {
        timer.cancel()
    }
}
