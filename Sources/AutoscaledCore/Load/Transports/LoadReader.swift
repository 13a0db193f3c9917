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
    /// Since when failed reads have been read again, none good between (bounded by the gate's
    /// bound: a writer that keeps rewriting bad data is told as failing, not read again for ever).
    private let readingAgainSince = Locked<MonotonicInstant?>(nil)

    /// - Parameter gate: the rules for a load file being written; used by ``read(wallNow:now:writes:)``.
    public init(source: any LoadSource, staleAfter: Duration?, gate: WriteGate = WriteGate(bound: .seconds(2), waitsForClose: false)) {
        self.source = source
        self.staleAfter = staleAfter
        self.gate = Locked(gate)
    }

    /// How soon after its last change a watched file that fails to read is read again instead of
    /// counted as failed: the kernel shows a truncation (`echo … > loads.json` opening the file)
    /// before it queues its event, up to some milliseconds later.
    public static let writeRaceWindow: Duration = .milliseconds(100)
    /// How long to wait before that second read.
    public static let readAgainDelay: Duration = .milliseconds(50)

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
    /// A read that fails within ``writeRaceWindow`` of the file's last change is read again
    /// ``readAgainDelay`` later instead: the kernel makes a truncation (`echo … > loads.json`
    /// opening the file) visible before it queues its event, so a file rewritten in place can be
    /// read empty with no sign of a write yet. Data that stays bad fails at that second read; a
    /// writer that keeps rewriting bad data fails once the reads have failed for the gate's bound.
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
        guard case .failure = result else {
            readingAgainSince.withLock { $0 = nil }
            return .done(result)
        }
        let bound = gate.withLock { $0.bound }
        let readAgain = readingAgainSince.withLock { since in
            guard let changed = after.lastChanged, now - changed < Self.writeRaceWindow else {
                since = nil
                return false
            }
            // Past the bound, every read that fails counts, until one succeeds: a writer that keeps
            // rewriting bad data many times a second is failing, not forever about to be whole.
            guard now - (since ?? now) < bound else { return false }
            since = since ?? now
            return true
        }
        guard readAgain else { return .done(result) }
        return .skipped("load file unreadable just after a write: read again, as a write in place may have begun",
                        readAgainAfter: Self.readAgainDelay)
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
