@testable import AutoscaledCore
import AutoscaledTestSupport
import Glibc
import Testing

struct DaemonHistoryTests {
    static let decision = ScalingDecision(
        action: .hold, from: 3, to: 3, serversToScale: 1, busiest: ServerLoad(name: "b", load: 55), threshold: nil,
        reason: DecisionReason(.noUsableData(cause: "r")), recommendation: 3)

    @Test("a failed history write warns once, then logs at debug level, and never throws")
    func failure() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("file", "")
        let history = DaemonHistory(config: modified(HistoryConfig.defaults) { $0.path = dir.file("file/history") })
        let input = PolicyInput.loads(try LoadSnapshot(servers: [ServerLoad(name: "b", load: 55)]))
        let first = history.record(input, Self.decision, applied: nil, pollInterval: .seconds(10), at: .origin, wallTime: 1)
        #expect(first == [LogRecord(.warning, .historyWriteFailed, [
            LogField("path", .string(dir.file("file/history"))),
            LogField("cause", .string("mkdir: not a directory: \(dir.file("file")), on its path, is a regular file (errno 20)")),
        ])])
        let second = history.record(input, Self.decision, applied: nil, pollInterval: .seconds(10), at: .origin, wallTime: 2)
        #expect(second.map(\.level) == [.debug])
    }

    @Test("enabled = false records nothing; a reload that enables it records from then on")
    func disabledThenEnabled() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var config = modified(HistoryConfig.defaults) { ($0.enabled, $0.path) = (false, dir.file("history")) }
        let history = DaemonHistory(config: config)
        let input = PolicyInput.unavailable("x")
        #expect(history.record(input, Self.decision, applied: 3, pollInterval: .seconds(10), at: .origin, wallTime: 1).isEmpty)
        #expect(try HistoryReader.read(dir.file("history")).records.isEmpty)
        config.enabled = true
        #expect(history.configure(config) == nil)
        #expect(history.record(input, Self.decision, applied: 3, pollInterval: .seconds(10), at: .origin, wallTime: 2).isEmpty)
        #expect(history.stop() == nil)
        #expect(try HistoryReader.read(dir.file("history")).records
            == [HistoryRecord(wallTime: 2, monotonic: .origin, pollInterval: .seconds(10), desired: 3, applied: 3, loads: .none)])
    }

    @Test("a history directory removed while the daemon runs is told once, with its cause, and re-created")
    func directoryRemoved() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let history = DaemonHistory(config: modified(HistoryConfig.defaults) { $0.path = dir.file("history") })
        let input = PolicyInput.unavailable("x")
        #expect(history.record(input, Self.decision, applied: 3, pollInterval: .seconds(10), at: .origin, wallTime: 1).isEmpty)
        unlink(dir.file("history/00000001.log"))
        rmdir(dir.file("history"))
        #expect(history.record(input, Self.decision, applied: 3, pollInterval: .seconds(10), at: .origin, wallTime: 2) == [
            LogRecord(.warning, .historySegmentLost, [
                LogField("path", .string(dir.file("history"))), LogField("segment", .string("00000001.log")),
                LogField("cause", .string("removed while being appended to (alone or with its directory); "
                    + "the records go on in a new segment")),
            ]),
        ])
        #expect(history.record(input, Self.decision, applied: 3, pollInterval: .seconds(10), at: .origin, wallTime: 3).isEmpty)
        #expect(try HistoryReader.read(dir.file("history")).records.map(\.wallTime) == [2, 3])
    }

    @Test("a second daemon on the same [history] path records nothing there and says so, until the first stops")
    func secondDaemonRefused() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let config = modified(HistoryConfig.defaults) { $0.path = dir.file("history") }
        let first = DaemonHistory(config: config), second = DaemonHistory(config: config)
        #expect(Self.record(first, 1).isEmpty)
        #expect(Self.record(second, 2) == [LogRecord(.warning, .historyWriteFailed, [
            LogField("path", .string(dir.file("history"))),
            LogField("cause", .string("another autoscaled (pid \(getpid())) records its history in this directory (it holds "
                + "\(dir.file("history.lock"))): none is recorded here while it does")),
        ])])
        #expect(Self.record(second, 3).map(\.level) == [.debug])
        #expect(Self.record(first, 4).isEmpty)
        #expect(first.stop() == nil)
        // Recorded again, once the first stopped: said once.
        #expect(Self.record(second, 5) == [.writeRecovered("history", path: dir.file("history"))])
        #expect(Self.record(second, 6).isEmpty)
        #expect(second.stop() == nil)
        #expect(try HistoryReader.read(dir.file("history")).records.map(\.wallTime) == [1, 4, 5, 6])
        #expect(DaemonHistory.lockPath("/var/lib/autoscaled/history/") == "/var/lib/autoscaled/history.lock")
    }

    @Test("a stop while no record could be written tells no recovery: closing writes no record")
    func stopWhileFailing() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let config = modified(HistoryConfig.defaults) { $0.path = dir.file("history") }
        let first = DaemonHistory(config: config), second = DaemonHistory(config: config)
        #expect(Self.record(first, 1).isEmpty)
        #expect(Self.record(second, 2).map(\.event) == [.historyWriteFailed])
        #expect(second.stop() == nil)
        #expect(first.stop() == nil)
    }

    @Test("a lock file removed while recording is locked again at its path, and a second daemon that took it first stops the first recording")
    func lockFileRemoved() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let config = modified(HistoryConfig.defaults) { $0.path = dir.file("history") }
        let first = DaemonHistory(config: config), second = DaemonHistory(config: config)
        let lock = dir.file("history.lock")
        #expect(Self.record(first, 1).isEmpty)
        #expect(unlink(lock) == 0)
        #expect(Self.record(first, 2) == [LogRecord(.warning, .historyLockRestored, [
            LogField("path", .string(dir.file("history"))), LogField("lock", .string(lock)),
            LogField("cause", .string("its lock file was removed while the daemon recorded; the lock is taken again")),
        ])])
        #expect(Self.record(second, 3).map(\.event) == [.historyWriteFailed])

        // Removed again, and the second daemon locks the new file first: the first stops recording.
        #expect(unlink(lock) == 0)
        #expect(Self.record(second, 4) == [.writeRecovered("history", path: dir.file("history"))])
        #expect(Self.record(first, 5) == [LogRecord(.warning, .historyWriteFailed, [
            LogField("path", .string(dir.file("history"))),
            LogField("cause", .string("its lock file was removed while the daemon recorded, and another autoscaled (pid \(getpid())) "
                + "records its history in this directory (it holds \(lock)): none is recorded here while it does")),
        ])])
        #expect(Self.record(first, 6).map(\.level) == [.debug])
        #expect(second.stop() == nil)
        #expect(Self.record(first, 7) == [.writeRecovered("history", path: dir.file("history"))])
        #expect(first.stop() == nil)
        #expect(try HistoryReader.read(dir.file("history")).records.map(\.wallTime) == [1, 2, 4, 7])
    }

    /// One evaluation with no data, at wall time `wall`, recorded by `history`.
    private static func record(_ history: DaemonHistory, _ wall: Double) -> [LogRecord] {
        history.record(.unavailable("x"), decision, applied: 3, pollInterval: .seconds(10), at: .origin, wallTime: wall)
    }
}
