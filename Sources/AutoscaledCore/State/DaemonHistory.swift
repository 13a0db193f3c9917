import AutoscaledBase
import AutoscaledSystem

/// The daemon's side of its history: one ``HistoryRecord`` per evaluation appended to a
/// ``HistoryLog`` while `[history]` is enabled. Used from the loop only.
///
/// A failed write is reported once at warning level, then at debug level until a write succeeds;
/// it never stops the loop. A segment found removed, moved or replaced while being appended to is
/// reported at warning level each time (`history-segment-lost`).
///
/// The directory is the daemon's alone while it records: it holds the `flock` of `<path>.lock`
/// beside it, so a second daemon configured with the same `[history] path` records nothing there
/// (it says so, once at warning level, and tries again at each record) instead of mixing its
/// loads into the first's and pruning its segments. A lock file removed, moved or replaced is
/// found at the next record (an `fstat` and a `stat`) and locked again at its path
/// (`history-lock-restored`); if another daemon locked it first, this one stops recording there.
final class DaemonHistory {
    /// The lock file of the history at `path`: beside the directory, so it outlives a directory
    /// removed and made again.
    static func lockPath(_ path: String) -> String {
        (path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path) + ".lock"
    }

    private var config: HistoryConfig
    private var log: HistoryLog?
    private var lock: LockFile?
    private var failing = false

    init(config: HistoryConfig) {
        self.config = config
        log = config.enabled ? HistoryLog(config: config) : nil
    }

    /// Appends what one evaluation saw and decided.
    /// - Returns: what to log: a segment lost since the last record, and the failure, if the write failed.
    func record(
        _ input: PolicyInput, _ decision: ScalingDecision, applied: Int?, pollInterval: Duration,
        at now: MonotonicInstant, wallTime: Double
    ) -> [LogRecord] {
        guard let log else { return [] }
        var lines: [LogRecord] = []
        switch holdLock() {
        case let .held(restored):
            if let restored { lines.append(restored) }
        case let .refused(refusal):
            return [refusal]
        }
        let record = HistoryRecord(
            wallTime: wallTime, monotonic: now, pollInterval: pollInterval, desired: decision.to, applied: applied,
            loads: HistoryRecord.Loads(input))
        let failure = outcome { () throws(SystemError) in try log.append(record, now: now) }
        if let lost = log.lost {
            lines.append(LogRecord(.warning, .historySegmentLost, [
                LogField("path", .string(config.path)), LogField("segment", .string(lost.segment)),
                LogField("cause", .string(lost.description)),
            ]))
        }
        if let failure { lines.append(failure) }
        return lines
    }

    /// Uses `new` from now on (a reload): when it changed, the current segment is closed and the
    /// next record starts one under the new settings.
    func configure(_ new: HistoryConfig) -> LogRecord? {
        guard new != config else { return nil }
        let failure = stop()
        failing = false
        config = new
        log = new.enabled ? HistoryLog(config: new) : nil
        return failure
    }

    /// `fsync`s and closes the current segment (at stop), and gives up the directory's lock.
    func stop() -> LogRecord? {
        defer {
            lock?.release()
            lock = nil
        }
        guard let log else { return nil }
        // A close writes no record: it tells a failure, never a recovery.
        return outcome(recovering: false) { () throws(SystemError) in try log.close() }
    }

    private enum LockOutcome {
        /// Held: record. With the line to log when it was just taken again at its path.
        case held(restored: LogRecord?)
        /// Another daemon holds it: record nothing.
        case refused(LogRecord)
    }

    /// Takes the directory's lock when it is not held yet, and again when its file no longer
    /// stands at its path.
    private func holdLock() -> LockOutcome {
        let path = Self.lockPath(config.path)
        var change: String?
        if let lock {
            guard let what = (try? lock.placement())?.lockFileChange else { return .held(restored: nil) }
            change = what
        }
        do throws(LockFile.Failure) {
            let taken = try LockFile.acquire(path)
            lock?.release()
            lock = taken
            return .held(restored: change.map { change in
                LogRecord(.warning, .historyLockRestored, [
                    LogField("path", .string(config.path)), LogField("lock", .string(path)),
                    LogField("cause", .string("\(change) while the daemon recorded; the lock is taken again")),
                ])
            })
        } catch {
            // A lock file that cannot be made (its directory cannot be) is no other daemon's: the
            // lock held stays held (the next record looks again), and the write that follows fails,
            // or not, and tells its own cause.
            guard case let .held(_, pid) = error else { return .held(restored: nil) }
            var cause = "another autoscaled (pid \(pid.map(String.init) ?? "unknown")) records its history in this directory "
                + "(it holds \(path)): none is recorded here while it does"
            if let change {
                // It took over once our lock file was gone: what this daemon recorded so far stays.
                cause = "\(change) while the daemon recorded, and " + cause
                lock?.release()
                lock = nil
                _ = try? log?.close()
                failing = false
            }
            defer { failing = true }
            return .refused(LogRecord(failing ? .debug : .warning, .historyWriteFailed, [
                LogField("path", .string(config.path)), LogField("cause", .string(cause)),
            ]))
        }
    }

    private func outcome(recovering: Bool = true, _ body: () throws(SystemError) -> Void) -> LogRecord? {
        do {
            try body()
            guard recovering else { return nil }
            defer { failing = false }
            return failing ? .writeRecovered("history", path: config.path) : nil
        } catch {
            defer { failing = true }
            return LogRecord(failing ? .debug : .warning, .historyWriteFailed, [
                LogField("path", .string(config.path)), LogField("cause", .string(errorText(error, after: config.path))),
            ])
        }
    }
}
