import AutoscaledCore
import AutoscaledTestSupport
import Synchronization
import Testing

/// A load source that blocks every read while its gate is closed: a wedged evaluation.
final class GatedLoadSource: LoadSource {
    private let gate = Mutex<(open: Bool, waiting: [CheckedContinuation<Void, Never>])>((true, []))

    func close() { gate.withLock { $0.open = false } }

    func open() {
        let waiting = gate.withLock { state in
            state.open = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    func read() async throws(LoadError) -> LoadReading {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let proceed = gate.withLock { state in
                if state.open { return true }
                state.waiting.append(continuation)
                return false
            }
            if proceed { continuation.resume() }
        }
        return LoadReading(snapshot: try LoadSnapshot(servers: [ServerLoad(name: "a", load: 30)]), modifiedAt: nil)
    }
}

struct WatchdogTests {
    @Test("a loop wedged in an evaluation stops petting the watchdog; it resumes when the loop does")
    func wedgedLoopStopsPings() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let listener = try NotifySocketListener.temporary()
        let source = GatedLoadSource()
        var config = Config(
            source: SourceConfig(kind: .file(path: dir.file("unused.json")), format: .json,
                                 pollInterval: .milliseconds(20), staleAfter: nil),
            policy: PolicyConfig(), state: StateConfig(path: dir.file("state.json")), log: LogConfig(level: .error))
        config.log.format = .logfmt
        let daemon = Daemon(
            configPath: dir.file("autoscaled.conf"), config: config,
            logger: Logger(level: .error, encoder: LogEncoder(format: .logfmt, style: .journal), sink: MemoryLogSink()),
            notifier: SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.notifySocket, "WATCHDOG_USEC": "100000"]),
            makeSource: { _ in source })
        let stop = daemon.stopHandle
        let running = Task { await daemon.run() }

        /// Counts pings without blocking a thread of the cooperative pool the daemon runs on.
        func pings(for window: Duration) async throws -> Int {
            var count = 0
            let deadline = ContinuousClock.now + window
            while ContinuousClock.now < deadline {
                while let message = listener.receive(timeout: .zero) {
                    if message == "WATCHDOG=1" { count += 1 }
                }
                try await Task.sleep(for: .milliseconds(5))
            }
            return count
        }

        #expect(try await pings(for: .milliseconds(500)) >= 3)
        source.close()
        _ = try await pings(for: .milliseconds(100))  // the ping already queued, if any
        #expect(try await pings(for: .milliseconds(500)) == 0)
        source.open()
        #expect(try await pings(for: .milliseconds(500)) >= 3)
        stop()
        #expect(await running.value == 0)
    }
}
