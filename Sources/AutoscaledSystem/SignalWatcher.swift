import Dispatch
import Glibc

/// Delivers SIGHUP, SIGTERM, SIGINT, SIGUSR1 and SIGUSR2 to a handler, through libdispatch.
///
/// The default action of each signal is set to ignore first; libdispatch then sees them (the
/// default of SIGUSR1 and SIGUSR2 is to end the process: a stray one, such as a log rotation hook
/// meant for another program, is told to the handler instead). Signal
/// sources register asynchronously: ``start()`` returns only once every source is registered,
/// so no signal sent after it can be lost.
public final class SignalWatcher: Sendable {
    public enum Signal: Sendable, Equatable, CaseIterable {
        case hangup, terminate, interrupt, user1, user2

        package var number: Int32 {
            switch self {
            case .hangup: SIGHUP
            case .terminate: SIGTERM
            case .interrupt: SIGINT
            case .user1: SIGUSR1
            case .user2: SIGUSR2
            }
        }

        /// The signal's name, e.g. `SIGUSR1`.
        public var name: String {
            switch self {
            case .hangup: "SIGHUP"
            case .terminate: "SIGTERM"
            case .interrupt: "SIGINT"
            case .user1: "SIGUSR1"
            case .user2: "SIGUSR2"
            }
        }
    }

    // Safety: the sources are created in init and only resumed/cancelled afterwards; DispatchSource is
    // thread-safe for those calls.
    private nonisolated(unsafe) let sources: [any DispatchSourceSignal]

    public init(queue: DispatchQueue, handler: @escaping @Sendable (Signal) -> Void) {
        sources = Signal.allCases.map { signal in
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

    /// Ignores SIGXFSZ for the whole process, so a write past the file-size limit (`ulimit -f`,
    /// `LimitFSIZE=`) fails with `EFBIG`, which is reported, instead of killing it.
    public static func ignoreFileSizeLimit() {
        Glibc.signal(SIGXFSZ, SIG_IGN)
    }

    public func stop() {
        for source in sources { source.cancel() }
    }
}
