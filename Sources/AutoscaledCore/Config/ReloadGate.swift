import AutoscaledBase
import AutoscaledSystem

/// Puts a reload off while the config file is being written, so a half-written config is never
/// applied.
///
/// ```
///  reload asked (SIGHUP, a change) ─▶ write in progress? ─no──▶ reload
///                                        │ yes
///                                        ▼
///              pending: `reload-deferred` (once), asked again at each poll and at the close
///                                        │ still written after the bound
///                                        ▼
///              dropped: `reload-failed` warning (the close that ends the write reloads)
/// ```
/// The config is read line by line, and any prefix ending on a line boundary may be valid (a
/// `max_replicas = 1` cut from `= 10`): only a close or a rename says it is whole.
public struct ReloadGate: Sendable {
    private var gate = WriteGate(bound: .seconds(2), waitsForClose: true)
    /// A reload is waiting for the write to end.
    public private(set) var isPending = false
    /// The write in progress was reported overdue: later asks during it are dropped without a
    /// word (its close reloads), not reported once each.
    private var overdueReported = false

    public init() {}

    /// Whether to reload now, given what is known of writes to the config at `path`, and what to log.
    public mutating func admit(
        _ activity: WriteActivity, now: MonotonicInstant, pollInterval: Duration, path: String
    ) -> (reload: Bool, record: LogRecord?) {
        gate.bound = WriteGate.bound(pollInterval: pollInterval)
        switch gate.check(activity, now: now) {
        case .read:
            isPending = false
            overdueReported = false
            return (true, nil)
        case .overdue where overdueReported:
            isPending = false
            return (false, nil)
        case .wait:
            defer { isPending = true }
            return (false, isPending ? nil : LogRecord(.info, .reloadDeferred, [
                LogField("config", .string(path)),
                LogField("reason", "the config file is being written; applied once it is closed or renamed into place"),
            ]))
        case let .overdue(duration):
            isPending = false
            overdueReported = true
            return (false, LogRecord(.warning, .reloadFailed, [
                LogField("config", .string(path)),
                LogField("cause", .string(LoadError.stillBeingWritten(after: duration).description + "; not applied")),
                LogRecord.keptField,
            ]))
        }
    }
}
