import Glibc
@testable import AutoscaledBase
import AutoscaledCore
@testable import AutoscaledSystem

/// A load source whose reads a test scripts: each read takes the next result (the last one repeats).
final class ScriptedLoadSource: LoadSource {
    private let script: Locked<(results: [Result<LoadSnapshot, LoadError>], reads: Int)>

    init(_ results: [Result<LoadSnapshot, LoadError>]) {
        script = Locked((results, 0))
    }

    /// Loads by server name, in the order given.
    static func loads(_ pairs: KeyValuePairs<String, Double>) -> Result<LoadSnapshot, LoadError> {
        Result { () throws(LoadError) in try LoadSnapshot(servers: pairs.map { ServerLoad(name: $0.key, load: $0.value) }) }
    }

    /// Replaces what the next reads return.
    func script(_ results: [Result<LoadSnapshot, LoadError>]) {
        script.withLock { $0.results = results }
    }

    var reads: Int { script.withLock { $0.reads } }

    func read() async throws(LoadError) -> LoadReading {
        let result = script.withLock { script in
            script.reads += 1
            return script.results.count > 1 ? script.results.removeFirst() : script.results[0]
        }
        return LoadReading(snapshot: try result.get(), modifiedAt: nil)
    }
}

/// Keeps every notification sent and whether it would wait for room; fails every send with
/// `failing`'s errno while it is set.
final class RecordingNotifier: NotifySink {
    private let state = Locked<(messages: [[String]], waits: [Bool], failing: Int32?)>(([], [], nil))
    /// What `WATCHDOG_USEC` would say.
    let watchdogInterval: Duration?

    init(watchdogInterval: Duration? = nil) {
        self.watchdogInterval = watchdogInterval
    }

    var messages: [[String]] { state.withLock { $0.messages } }
    /// For every send, failed or not, whether it was to wait for room in a full queue.
    var waits: [Bool] { state.withLock { $0.waits } }

    func fail(_ failing: Bool, errno: Int32 = ECONNREFUSED) { state.withLock { $0.failing = failing ? errno : nil } }

    func send(_ assignments: [String], waiting: Bool) throws(SystemError) {
        let failing = state.withLock { state in
            state.waits.append(waiting)
            if state.failing == nil { state.messages.append(assignments) }
            return state.failing
        }
        if let failing { throw SystemError(call: "sendto", subject: "/run/systemd/notify", errno: failing) }
    }
}

/// What the file watch would say: a write in progress (modified at `since`, not closed), or one
/// that happened during the read.
final class FakeLoadFileWrites: LoadFileWrites {
    private let state = Locked<(activity: WriteActivity, bumpOnRead: Bool)>((WriteActivity(), false))

    func set(beingWritten: Bool = false, since: MonotonicInstant = .origin, writtenDuringRead: Bool = false) {
        state.withLock { $0 = (WriteActivity(modifications: $0.activity.modifications, lastModified: beingWritten ? since : nil),
                               writtenDuringRead) }
    }

    func loadFileActivity(beforeRead: Bool) -> WriteActivity {
        state.withLock { state in
            if !beforeRead && state.bumpOnRead { state.activity.modifications += 1 }
            return state.activity
        }
    }
}
