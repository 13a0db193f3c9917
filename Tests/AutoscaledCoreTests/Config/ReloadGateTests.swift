@testable import AutoscaledBase
import AutoscaledCore
@testable import AutoscaledSystem
import Testing

struct ReloadGateTests {
    static let t0 = MonotonicInstant.origin + .seconds(50)
    static let writing = WriteActivity(modifications: 3, lastModified: t0)

    func admit(_ gate: inout ReloadGate, _ activity: WriteActivity, at milliseconds: Int) -> (reload: Bool, record: LogRecord?) {
        gate.admit(activity, now: Self.t0 + .milliseconds(milliseconds), pollInterval: .milliseconds(100), path: "/etc/a.conf")
    }

    @Test("no write in progress: reload at once, nothing logged")
    func idle() {
        var gate = ReloadGate()
        let admitted = admit(&gate, WriteActivity(modifications: 2), at: 0)
        #expect(admitted.reload && admitted.record == nil && !gate.isPending)
    }

    @Test("during a write: put off (said once), however long the file is idle; applied after the close")
    func deferred() {
        var gate = ReloadGate()
        let first = admit(&gate, Self.writing, at: 10)
        #expect(!first.reload && gate.isPending)
        #expect(first.record == LogRecord(.info, .reloadDeferred, [
            LogField("config", "/etc/a.conf"),
            LogField("reason", "the config file is being written; applied once it is closed or renamed into place"),
        ]))
        let later = admit(&gate, Self.writing, at: 1_500)
        #expect(!later.reload && later.record == nil && gate.isPending)
        let closed = admit(&gate, WriteActivity(modifications: 4), at: 1_600)
        #expect(closed.reload && closed.record == nil && !gate.isPending)
    }

    @Test("a write that outlasts the bound: reported, dropped, never applied")
    func overdue() {
        var gate = ReloadGate()
        _ = admit(&gate, Self.writing, at: 0)
        let dropped = admit(&gate, Self.writing, at: 2_250)
        #expect(!dropped.reload && !gate.isPending)
        #expect(dropped.record == LogRecord(.warning, .reloadFailed, [
            LogField("config", "/etc/a.conf"),
            LogField("cause", "still being written after 2.25s (modified, not yet closed or renamed into place); not applied"),
            LogField("kept", "the running config"),
        ]))
        // Asked again during the same write (a poll saw the file changed): dropped without a second report.
        let again = admit(&gate, Self.writing, at: 4_250)
        #expect(!again.reload && again.record == nil && !gate.isPending)
        // The close reloads; a later write is reported afresh.
        #expect(admit(&gate, WriteActivity(modifications: 4), at: 4_300).reload)
        let next = WriteActivity(modifications: 5, lastModified: Self.t0 + .seconds(5))
        _ = admit(&gate, next, at: 5_000)
        #expect(admit(&gate, next, at: 7_500).record?.event == .reloadFailed)
    }
}
