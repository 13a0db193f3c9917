import Dispatch
import Glibc

/// Delivers SIGHUP, SIGTERM and SIGINT to a handler, through libdispatch.
///
/// The default action of each signal is set to ignore first; libdispatch then sees them. Signal
/// sources register asynchronously: ``start()`` returns only once every source is registered,
/// so no signal sent after it can be lost.
public final class SignalWatcher: Sendable {
    public enum Signal: Sendable, Equatable {
        case hangup, terminate, interrupt

        package var number: Int32 {
            switch self {
            case .hangup: SIGHUP
            case .terminate: SIGTERM
            case .interrupt: SIGINT
            }
        }
    }

    // Safety: the sources are created in init and only resumed/cancelled afterwards; DispatchSource is
    // thread-safe for those calls.
    private nonisolated(unsafe) let sources: [any DispatchSourceSignal]

    public init(queue: DispatchQueue, handler: @escaping @Sendable (Signal) -> Void) {
        sources = [Signal.hangup, .terminate, .interrupt].map { signal in
            Glibc.signal(signal.number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal.number, queue: queue)
            source.setEventHandler { handler(signal) }
            return source
        }
    }

    /// Resumes every source and waits until each is registered with the kernel.
    public func start() async {
        for source in sources {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                source.setRegistrationHandler { continuation.resume() }
                source.resume()
            }
        }
    }

    /// Ignores SIGPIPE for the whole process, so a write to a pipe or socket whose reader is gone
    /// fails with `EPIPE` instead of killing it (the log's reader going away must not stop the
    /// daemon). Child processes start with every signal at its default again.
    public static func ignoreBrokenPipe() {
        Glibc.signal(SIGPIPE, SIG_IGN)
    }

    public func stop() {
        for source in sources { source.cancel() }
    }
}
