import AutoscaledBase
import AutoscaledSystem

/// Reads the source once and turns the result into the policy's input, applying `stale_after` and,
/// for a watched load file, putting reads off while the file is being written (within a bound).
public struct LoadReader: Sendable {
    /// How far a modification time may be ahead of the wall clock (coarse file times, small clock
    /// steps) before the data counts as coming from the future.
    public static let futureTolerance = 1.0

    public var source: any LoadSource
    public var staleAfter: Duration?
    private let gate: Locked<WriteGate>
    /// Whether a failed read is read again, as it may have met a write in place, or told.
    private let rewriteRace = Locked(RewriteRace())

    /// - Parameter gate: the rules for a load file being written; used by ``read(wallNow:now:writes:)``.
    public init(source: any LoadSource, staleAfter: Duration?, gate: WriteGate = WriteGate(bound: .seconds(2), waitsForClose: false)) {
        self.source = source
        self.staleAfter = staleAfter
        self.gate = Locked(gate)
    }

    /// The outcome of a read that may be put off.
    public enum Attempt: Sendable, Equatable {
        /// Not read (or its data dropped) because the file is being written; the reason, for a
        /// debug line, and when to read again if no change of the file is to wake the next read.
        case skipped(String, readAgainAfter: Duration? = nil)
        case done(Result<LoadReading, LoadError>)
    }

    /// One read of a file whose writes are watched: `writes(true)` tells what is known just before
    /// the read, `writes(false)` just after. A write in progress puts the read off; past the gate's
    /// bound that is a failed read (`stillBeingWritten`). A read during which the file was modified
    /// is dropped in the same way: it may hold a prefix that looks whole.
    ///
    /// A read that fails on data a write may have left half-done is read again
    /// ``RewriteRace/readAgainDelay`` later instead of counting, whenever the file last changed:
    /// the kernel makes a truncation (`echo … > loads.json` opening the file) visible before it
    /// queues its event, and a busy host can hold the daemon up for any time between the read and
    /// a look at the file, so a file rewritten in place can be read empty with no sign of a write
    /// yet. Data that is still bad the same way at that second read fails then; an empty file, or
    /// one that changed while it was read, only once the reads have failed for the gate's bound (a
    /// write held up after its truncation leaves one, and so does each of a writer's truncations
    /// one after another, and each write a read meets halfway); a writer that keeps
    /// rewriting different bad data fails once the reads have failed for the gate's bound, and from
    /// then on at every read until one succeeds (``RewriteRace``).
    public func read(wallNow: Double, now: MonotonicInstant, writes: ((Bool) -> WriteActivity)?) async -> Attempt {
        guard let writes else {
            let result = await read(wallNow: wallNow)
            // The daemon is stopping: nothing was learned about the source.
            if case let .failure(.interrupted(message)) = result { return .skipped(message) }
            return .done(result)
        }
        let before = writes(true)
        switch gate.withLock({ $0.check(before, now: now) }) {
        case .read: break
        case .wait: return .skipped("load file is being written")
        case let .overdue(duration): return .done(.failure(.stillBeingWritten(after: duration)))
        }
        let result = await read(wallNow: wallNow)
        let after = writes(false)
        if after.modifications != before.modifications {
            switch gate.withLock({ $0.putOff(now: now) }) {
            case .read, .wait: return .skipped("load file changed while being read")
            case let .overdue(duration): return .done(.failure(.stillBeingWritten(after: duration)))
            }
        }
        guard case let .failure(error) = result else {
            rewriteRace.withLock { $0.succeeded() }
            return .done(result)
        }
        guard error.mayBeAWriteInPlace else { return .done(result) }
        let bound = gate.withLock { $0.bound }
        // An empty file is what a write held up after its truncation leaves, and a file that changed
        // while it was read met a write: read again until the bound. A parse error names the line and
        // the value at fault: the same one twice is the same data.
        let found: RewriteRace.Read = switch error {
        case .emptyFile: .whole([])
        case .changedWhileRead: .changing
        default: .refused(error.description)
        }
        let verdict = rewriteRace.withLock { $0.failed(read: found, now: now, bound: bound) }
        guard verdict == .readAgain else { return .done(result) }
        return .skipped("load file unreadable: read again, as a write in place may have begun",
                        readAgainAfter: RewriteRace.readAgainDelay)
    }

    /// One read: the snapshot, or why there is none. `wallNow` (seconds since the epoch) is only
    /// compared with the data's own modification time. With `stale_after`, a modification time more
    /// than ``futureTolerance`` ahead of `wallNow` counts as stale: the data's age is unknown.
    public func read(wallNow: Double) async -> Result<LoadReading, LoadError> {
        let reading: LoadReading
        do {
            reading = try await source.read()
        } catch {
            return .failure(error)
        }
        if let staleAfter, let modifiedAt = reading.modifiedAt {
            let age = wallNow - modifiedAt
            let limit = Self.seconds(staleAfter)
            if age > limit { return .failure(.stale(ageSeconds: Self.rounded(age), limitSeconds: limit)) }
            if -age > Self.futureTolerance { return .failure(.modifiedInFuture(aheadSeconds: Self.rounded(-age))) }
        }
        return .success(reading)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// To the millisecond, for messages.
    static func rounded(_ seconds: Double) -> Double {
        (seconds * 1000).rounded() / 1000
    }

}

extension LoadError {
    /// Whether a file read in the middle of a write in place (truncated, part written) can fail
    /// this way: the data's own faults can; its age, its size and a write still going on cannot.
    var mayBeAWriteInPlace: Bool {
        switch self {
        case .syntax, .noServers, .emptyFile, .invalidName, .invalidLoad, .duplicateServer, .unreadable, .changedWhileRead,
             .notFound: true
        case .tooLarge, .stale, .modifiedInFuture, .stillBeingWritten, .interrupted: false
        }
    }
}
