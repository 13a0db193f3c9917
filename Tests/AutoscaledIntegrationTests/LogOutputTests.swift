import AutoscaledTestSupport
import Glibc
import Testing

@Suite("its own stderr can neither stop nor freeze the daemon")
struct LogOutputTests {
    static let metricsSection = "level = debug\n\n[metrics]\ntextfile = metrics.prom"

    /// `autoscaled_log_lines_dropped_total` in the metrics textfile, or nil before the first write.
    func droppedLines(_ dir: Workspace) -> Int? {
        let text = dir.read(dir.file("metrics.prom"))
        guard let tail = text.split(separator: "autoscaled_log_lines_dropped_total ").dropFirst().last else { return nil }
        return Int(tail.prefix { $0.isNumber })
    }

    /// Waits until the metrics textfile counts more than `count` dropped lines; returns the count.
    func waitForDroppedLines(above count: Int, _ dir: Workspace, timeout: Duration = patience) async -> Int? {
        await eventually(timeout: timeout) { droppedLines(dir).flatMap { $0 > count ? $0 : nil } }
    }

    /// A daemon on `dir` polling every 50 ms, with `pipe`'s write end as its stderr (the test's copy closed).
    func startDaemon(_ dir: Workspace, stderr pipe: TestPipe) -> ChildProcess {
        dir.writeConfig(pollInterval: "50ms", log: Self.metricsSection)
        dir.writeLoads(#"{"a": 30}"#)
        // ThreadSanitizer sleeps a second before any exit by default: not the daemon's time to stop.
        let daemon = ChildProcess(autoscaledBinary(), ["run", "--config", dir.configPath],
                                  environment: ["TSAN_OPTIONS": "atexit_sleep_ms=0"], captureIn: dir.path,
                                  standardError: pipe.writeEnd)
        close(pipe.writeEnd)
        return daemon
    }

    @Test("stderr a pipe whose reader closed: the daemon goes on deciding and stops cleanly on SIGTERM")
    func readerGone() async {
        let dir = Workspace()
        defer { dir.remove() }
        let pipe = TestPipe()
        close(pipe.readEnd)
        let daemon = startDaemon(dir, stderr: pipe)
        #expect(await waitForDroppedLines(above: 0, dir) != nil, "no line was ever refused")
        #expect(dir.savedReplicas() == 3)
        dir.writeLoads(#"{"a": 90}"#)
        #expect(await dir.waitForSavedReplicas(4) == 4)
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }

    @Test("stderr a full pipe nobody reads: decisions go on, the count comes once drained, SIGTERM ends it with the pipe still full")
    func fullPipe() async {
        let dir = Workspace()
        defer { dir.remove() }
        let pipe = TestPipe(capacity: 4096)
        defer { close(pipe.readEnd) }
        let daemon = startDaemon(dir, stderr: pipe)
        guard await waitForDroppedLines(above: 0, dir) != nil else {
            Issue.record("the pipe never filled up")
            return
        }
        dir.writeLoads(#"{"a": 90}"#)
        #expect(await dir.waitForSavedReplicas(4) == 4)

        // Drained: the next line the daemon logs is preceded by the count of those it dropped.
        var text = ""
        _ = await eventually(every: .milliseconds(5)) { () -> Bool? in
            text += pipe.drain()
            return text.contains("event=log-dropped") ? true : nil
        }
        let report = text.split(separator: "\n").first { $0.contains("event=log-dropped") }
        #expect(report?.contains("level=warning event=log-dropped lines=") == true, "\(text.suffix(2000))")
        // No line was cut: each is a whole log line.
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            #expect(line.hasPrefix("ts=20") && line.split(separator: " level=").count == 2, "cut line: \(line)")
        }
        #expect(text.hasSuffix("\n"))

        // Full again, then SIGTERM: out while the pipe stays full. A daemon whose writes blocked
        // would never exit, so the bound is only the suite's patience, not a time to race on a
        // loaded machine (unloaded, it is out in milliseconds).
        let dropped = droppedLines(dir) ?? 0
        #expect(await waitForDroppedLines(above: dropped, dir) != nil, "the pipe never filled up again")
        daemon.signal(SIGTERM)
        let status = await daemon.wait()
        #expect(status == 0, "not stopped on SIGTERM with its stderr full")
    }
}
