import Dispatch
import Glibc
import Synchronization
import Testing

@Suite("files being written: never a decision from half a file, never silent for long")
struct WritesInProgressTests {
    /// Rewrites `fd` from the start with `text`, leaving it open.
    static func rewrite(_ fd: Int32, _ text: String) {
        _ = lseek(fd, 0, SEEK_SET)
        _ = ftruncate(fd, 0)
        _ = Glibc.write(fd, text, text.utf8.count)
    }

    @Test("a writer that keeps the load file open and writes every 0.3-0.7 s: a warning within the bound, failures counted")
    func neverPausingWriter() async {
        let dir = Workspace()
        defer { dir.remove() }
        // Bound: three poll intervals, at least 2 s.
        dir.writeConfig(pollInterval: "200ms")
        dir.writeLoads(#"{"a": 30}"#)
        let daemon = await startDaemon(dir)
        let before = daemon.stderrLines.count
        let fd = open(dir.loadPath, O_WRONLY | O_CLOEXEC)
        let start = ContinuousClock.now
        let writesBegan = wallClockNow()
        // The writer runs on a thread of its own: a test task, woken late on a busy machine, would
        // pause the writes past the 1 s a file must rest to be read whole, and start the bound over.
        let writing = Atomic<Bool>(true)
        let writer = DispatchQueue(label: "writer")
        writer.async {
            while writing.load(ordering: .relaxed) {
                Self.rewrite(fd, #"{"a": 30}"#)
                usleep(UInt32.random(in: 300_000...700_000))
            }
        }
        var warning: String?
        var down: String?
        while down == nil, ContinuousClock.now - start < .seconds(20) {
            try? await Task.sleep(for: .milliseconds(100))
            let lines = daemon.stderrLines.dropFirst(before)
            if warning == nil, let line = lines.first(where: { $0.contains("event=source-error") }) {
                warning = line
                // The bound is 2 s; the upper limit only proves the warning comes while the writes go on
                // (loose for sanitized runs on a busy machine, where the writer may oversleep). Timed by
                // the daemon's own log line, not by when this task, perhaps woken late, read it.
                let warnedAfter = (loggedAt(line) ?? .infinity) - writesBegan
                #expect(warnedAfter < 12, "warned only after \(warnedAfter) s: \(line)")
            }
            down = lines.first { $0.contains("event=source-down") }
        }
        #expect(warning?.contains("level=warning event=source-error") == true)
        #expect(warning?.contains("cause=\"still being written after ") == true, "\(warning ?? "no warning")")
        #expect(warning?.contains("failures=1") == true)
        #expect(down?.contains("failures=3") == true, "failures not counted: \(daemon.standardError.suffix(2000))")
        // Any decision came from the whole document (a writer that oversleeps past the 1 s settle
        // time on a slow machine lets an idle JSON file be read, rightly).
        for line in daemon.stderrLines.dropFirst(before) where line.contains(" from=") {
            #expect(line.contains("event=hold") && (line.contains("max_load=30 ") || !line.contains("max_load=")), "\(line)")
        }
        writing.store(false, ordering: .relaxed)
        writer.sync {}
        close(fd)
        #expect(await daemon.waitForLine("event=source-up", after: before) != nil)
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }

    @Test("a line file written in place with a pause at a line boundary: no decision from the partial file")
    func pauseAtLineBoundary() async throws {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig(source: "format = lines", pollInterval: "100ms")
        // The first line alone would be a scale-down (max 5); the whole file holds (max 30).
        let first = "a 5\n"
        let rest = "b 30\n"
        dir.writeAtomically(dir.loadPath, first + rest)
        let daemon = await startDaemon(dir)
        let before = daemon.stderrLines.count
        let fd = open(dir.loadPath, O_WRONLY | O_TRUNC | O_CLOEXEC)
        _ = Glibc.write(fd, first, first.utf8.count)
        // The writer pauses until the daemon has put its reads off for longer than a write takes to
        // settle (1 s), by the daemon's own clock: an idle JSON file would be read by then, a line
        // file must not be. Past the bound (2 s) a put-off read counts as failed instead. A busy
        // machine only makes the pause longer; the deadline matters only when something is wrong.
        let isPutOff = { (line: String) in line.contains("event=skip") || line.contains("event=source-error") }
        let firstSkip = await daemon.waitForLine("event=skip", after: before, timeout: patience)
        let putOffSince = try #require(firstSkip.flatMap(loggedAt), "\(daemon.standardError.suffix(2000))")
        // A decision ends the wait at once: that is the failure this test is for. Only lines from the
        // first skip on: decisions on the whole file logged before the writer truncated it (the
        // daemon polls every 100 ms however late this test runs) are not what the pause is about;
        // a decision from the partial file is caught below in any case.
        let settled = await daemon.waitForLine(after: before, timeout: patience) { line in
            guard let at = loggedAt(line), at >= putOffSince else { return false }
            return line.contains(" from=") || (isPutOff(line) && at >= putOffSince + 1.2)
        }
        #expect(settled.map(isPutOff) == true, "\(daemon.standardError.suffix(2000))")
        let skipped = daemon.stderrLines.dropFirst(before).filter { $0.contains("event=skip") }.count
        #expect(skipped >= 2, "\(daemon.standardError.suffix(2000))")
        _ = Glibc.write(fd, rest, rest.utf8.count)
        close(fd)
        let completed = wallClockNow()
        // The whole file is read once the writer closes it (a hold on it from before the pause would
        // not say so).
        let whole = await daemon.waitForLine(after: before) { line in
            line.contains("event=hold") && line.contains("max_load=30") && (loggedAt(line) ?? 0) >= completed - 0.001
        }
        #expect(whole != nil, "\(daemon.standardError.suffix(2000))")
        for line in daemon.stderrLines.dropFirst(before) where line.contains(" from=") {
            #expect(!line.contains("max_load=5 ") && !line.contains("event=scale-down"), "decision from a partial file: \(line)")
        }
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }

    /// A daemon on a config with `max_replicas = 10` and a 100 ms poll, the count of its log lines so
    /// far, and the same config's text at `max_replicas = 12`.
    static func startAtMaxReplicas10(_ dir: Workspace) async -> (daemon: ChildProcess, before: Int, changed: String) {
        dir.writeConfig(policy: "max_replicas = 10", pollInterval: "100ms")
        dir.writeLoads(#"{"a": 30}"#)
        let daemon = await startDaemon(dir)
        return (daemon, daemon.stderrLines.count, readText(dir.configPath).replacingOccurrences("max_replicas = 10", "max_replicas = 12"))
    }

    @Test("a valid config rewritten in place over and over (cp): never a reload-failed from a read between truncation and write")
    func configRewrittenInPlace() async {
        let dir = Workspace()
        defer { dir.remove() }
        let (daemon, before, changed) = await Self.startAtMaxReplicas10(dir)
        dir.write(dir.file("next.conf"), changed)
        // Each cp opens the config with O_TRUNC, then writes it whole: a read can fall in between.
        // A child process, waited for without blocking a thread of the test pool.
        let writer = ChildProcess("/bin/sh", ["-c", "for i in $(seq 300); do cp '\(dir.file("next.conf"))' '\(dir.configPath)'; done"],
                                  captureIn: dir.path)
        #expect(await writer.wait() == 0)
        #expect(await daemon.waitForLine("event=reload ", "max_replicas=10->12", after: before) != nil)
        // A last change renamed into place: once it is applied, every cp's reload has ended.
        dir.writeAtomically(dir.configPath, changed.replacingOccurrences("max_replicas = 12", "max_replicas = 13"))
        #expect(await daemon.waitForLine("event=reload ", "max_replicas=12->13", after: before) != nil,
                "\(daemon.standardError.suffix(2000))")
        // A read that is read again says so at debug level (reload-deferred); none is told as a failure.
        let failed = daemon.stderrLines.dropFirst(before).filter { $0.contains("event=reload-failed") }
        #expect(failed.isEmpty, "\(failed.prefix(3))")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }

    @Test("a half-written config and SIGHUP: not applied; reported once the write outlasts the bound; applied once closed")
    func halfWrittenConfig() async {
        let dir = Workspace()
        defer { dir.remove() }
        let (daemon, before, whole) = await Self.startAtMaxReplicas10(dir)
        let parts = whole.split(separator: "max_replicas = 1", maxSplits: 1, omittingEmptySubsequences: false)
        let (head, tail) = (String(parts[0]) + "max_replicas = 1", String(parts[1]))
        let fd = open(dir.configPath, O_WRONLY | O_TRUNC | O_CLOEXEC)
        _ = Glibc.write(fd, head, head.utf8.count)
        daemon.signal(SIGHUP)
        #expect(await daemon.waitForLine("level=info event=reload-deferred", after: before) != nil)
        let failed = await daemon.waitForLine("event=reload-failed", after: before)
        #expect(failed?.contains("level=warning") == true && failed?.contains("still being written after ") == true,
                "\(failed ?? daemon.standardError.suffix(2000).description)")
        _ = Glibc.write(fd, tail, tail.utf8.count)
        close(fd)
        #expect(await daemon.waitForLine("event=reload ", "max_replicas=10->12", after: before) != nil)
        let reloads = daemon.stderrLines.dropFirst(before).filter { $0.contains("event=reload ") }
        #expect(reloads.count == 1, "\(reloads)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }

    @Test("a load file whose modification time is in the future is stale, not the freshest ever")
    func futureModificationTime() async {
        let dir = Workspace()
        defer { dir.remove() }
        // An hour: a test held up by a busy run does not see the file go stale before it moves its time.
        dir.writeConfig(source: "stale_after = 1h", pollInterval: "100ms")
        dir.writeLoads(#"{"a": 30}"#)
        let daemon = await startDaemon(dir)
        var times = [timespec(tv_sec: time(nil) + 3600, tv_nsec: 0), timespec(tv_sec: time(nil) + 3600, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, dir.loadPath, &times, 0) == 0)
        let line = await daemon.waitForLine("event=source-error")
        #expect(line?.contains("level=warning") == true && line?.contains(" in the future, so its age is unknown") == true,
                "\(line ?? daemon.standardError.suffix(2000).description)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }
}
