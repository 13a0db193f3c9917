import AutoscaledSystem

/// A signal that stops the daemon.
public enum StopSignal: Sendable, Equatable {
    case terminate
    case interrupt

    /// The name the `stop` line gives it: the signal's own (``SignalWatcher/Signal/name``).
    public var name: String {
        switch self {
        case .terminate: SignalWatcher.Signal.terminate.name
        case .interrupt: SignalWatcher.Signal.interrupt.name
        }
    }
}

/// Why the daemon's loop should wake up. Several reasons coalesce into one wake-up.
public struct PendingWork: Sendable, Equatable {
    /// The poll timer fired.
    public var poll = false
    /// The load file was completely rewritten (closed after writing, or renamed into place).
    public var loadChanged = false
    /// SIGHUP, or the config file changed.
    public var reload = false
    /// `autoscaled pause` or `resume` wrote the pause file, or a pause's end came.
    public var pauseChanged = false
    /// Time to pet the systemd watchdog.
    public var watchdog = false
    /// SIGTERM or SIGINT: the signal that asked to stop (the first one, when both came).
    public var stop: StopSignal?
    /// Signals the daemon has no use for (SIGUSR1, SIGUSR2) that came: logged, nothing else.
    public var ignored: [SignalWatcher.Signal] = []

    public init() {}

    public var isEmpty: Bool { self == PendingWork() }
}

/// The meeting point of the Dispatch edge (timer, signals, inotify) and the async loop.
///
/// Producers set flags and signal; the loop takes all flags at once. A slow evaluation therefore
/// coalesces with whatever arrived meanwhile: work never piles up, and a stop is never lost.
public final class DaemonWakeups: Sendable {
    private let pending = Locked(PendingWork())
    private let continuation: AsyncStream<Void>.Continuation
    public let stream: AsyncStream<Void>

    public init() {
        (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Records work and wakes the loop.
    public func post(_ update: (inout PendingWork) -> Void) {
        pending.withLock { update(&$0) }
        continuation.yield()
    }

    /// Takes every pending flag, leaving none.
    public func take() -> PendingWork {
        pending.withLock { work in
            defer { work = PendingWork() }
            return work
        }
    }

    public func finish() {
        continuation.finish()
    }
}
