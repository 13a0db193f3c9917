import AutoscaledBase
import AutoscaledSystem

/// The daemon's side of its history: one ``HistoryRecord`` per evaluation appended to a
/// ``HistoryLog`` while `[history]` is enabled. Used from the loop only.
///
/// A failed write is reported once at warning level, then at debug level until a write succeeds;
/// it never stops the loop. A segment found removed, moved or replaced while being appended to is
/// reported at warning level each time (`history-segment-lost`).
final class DaemonHistory {
    private var config: HistoryConfig
    private var log: HistoryLog?
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
        let record = HistoryRecord(
            wallTime: wallTime, monotonic: now, pollInterval: pollInterval, desired: decision.to, applied: applied,
            loads: HistoryRecord.Loads(input))
        let failure = outcome { () throws(SystemError) in try log.append(record, now: now) }
        var lines: [LogRecord] = []
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
        config = new
        log = new.enabled ? HistoryLog(config: new) : nil
        return failure
    }

    /// `fsync`s and closes the current segment (at stop).
    func stop() -> LogRecord? {
        guard let log else { return nil }
        return outcome { () throws(SystemError) in try log.close() }
    }

    private func outcome(_ body: () throws(SystemError) -> Void) -> LogRecord? {
        do {
            try body()
            failing = false
            return nil
        } catch {
            defer { failing = true }
            return LogRecord(failing ? .debug : .warning, .historyWriteFailed, [
                LogField("path", .string(config.path)), LogField("cause", .string(errorText(error, after: config.path))),
            ])
        }
    }
}
