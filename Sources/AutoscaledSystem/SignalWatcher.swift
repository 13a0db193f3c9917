import Dispatch
import Glibc
import Synchronization

/// The signals that came while ``SignalWatcher/recordUntilWatched()`` stood in for the watcher, one
/// bit per signal number. A global, so the handler, a C function, can reach it without a capture.
private let signalsBeforeWatch = Atomic<UInt64>(0)
/// Whether ``SignalWatcher/recordUntilWatched()`` installed its handler.
private let recordingBeforeWatch = Atomic<Bool>(false)

/// Delivers SIGHUP, SIGTERM, SIGINT, SIGUSR1 and SIGUSR2 to a handler, through libdispatch.
///
/// A daemon calls ``recordUntilWatched()`` first in `main`: a signal sent while the config is
/// read and the state file claimed is then recorded, and told to the handler once the watcher has
/// started (a SIGHUP during start-up is a reload, a SIGTERM a clean stop, not death by the default
/// action). Blocking them would not do: libdispatch's main thread waits in `sigsuspend` with an
/// empty mask. Without that record (a process that only embeds the watcher), the default action of
/// each signal is set to ignore first; libdispatch then sees them (the default of SIGUSR1 and
/// SIGUSR2 is to end the process: a stray one, such as a log rotation hook meant for another
/// program, is told to the handler instead). Signal sources register asynchronously: ``start()``
/// returns only once every source is registered, so no signal sent after it can be lost.
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
    private let queue: DispatchQueue
    private let handler: @Sendable (Signal) -> Void

    /// Installs a handler for SIGHUP, SIGTERM, SIGINT, SIGUSR1 and SIGUSR2 that records each signal
    /// until a watcher starts (libdispatch's own handler then replaces it, one signal at a time, as
    /// each source registers), and has ``start()`` tell the watcher's handler what it recorded.
    public static func recordUntilWatched() {
        // Both globals are initialised here, not first in the handler.
        _ = signalsBeforeWatch.load(ordering: .sequentiallyConsistent)
        recordingBeforeWatch.store(true, ordering: .sequentiallyConsistent)
        for signal in Signal.allCases {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                signalsBeforeWatch.bitwiseOr(UInt64(1) << UInt64(number), ordering: .sequentiallyConsistent)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            // Fails only for an invalid signal number.
            sigaction(signal.number, &action, nil)
        }
    }

    public init(queue: DispatchQueue, handler: @escaping @Sendable (Signal) -> Void) {
        self.queue = queue
        self.handler = handler
        // Ignoring a signal would lose one recorded meanwhile: with the record, its handler stays
        // until libdispatch's replaces it.
        let recording = recordingBeforeWatch.load(ordering: .sequentiallyConsistent)
        sources = Signal.allCases.map { signal in
            if !recording { Glibc.signal(signal.number, SIG_IGN) }
            let source = DispatchSource.makeSignalSource(signal: signal.number, queue: queue)
            source.setEventHandler { handler(signal) }
            return source
        }
    }

    /// Resumes every source and waits until each is registered with the kernel; then tells the
    /// handler, on the queue, each signal recorded before (``recordUntilWatched()``), once, in the
    /// order of ``Signal``.
    public func start() async {
        for source in sources {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                source.setRegistrationHandler { continuation.resume() }
                source.resume()
            }
        }
        let recorded = signalsBeforeWatch.exchange(0, ordering: .sequentiallyConsistent)
        let handler = self.handler
        for signal in Signal.allCases where recorded & (UInt64(1) << UInt64(signal.number)) != 0 {
            queue.async { handler(signal) }
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
