import Glibc
import Testing

@Suite("the daemon against real files and signals")
struct DaemonTests {
    @Test("a load-file write is acted on at once, long before the next poll")
    func reactsToWrite() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        dir.writeLoads(#"{"server1": 30, "server2": 40}"#)
        let daemon = await startDaemon(dir)
        dir.writeLoads(#"{"server1": 30, "server2": 55, "server3": 20}"#)
        let written = wallClockNow()
        let line = await daemon.waitForLine("event=scale-up")
        // Timed by the daemon's line: the poll would come only after 10 s.
        let reaction = secondsLogged(line, after: written)
        #expect(reaction.map { $0 < 8 } == true, "reacted after \(reaction.map { "\($0) s" } ?? "never")")
        #expect(line?.contains("level=notice event=scale-up from=3 to=4 servers_to_scale=1 threshold=50 max_load=55 max_server=server2 reason=") == true)
        // Not under journald: the timestamp is the first logfmt field.
        #expect(line?.hasPrefix("ts=20") == true && line?.split(separator: " ").first?.hasSuffix("Z") == true, "\(line ?? "none")")
        #expect(await dir.waitForSavedReplicas(4) == 4)
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }

    @Test("SIGTERM saves the count and exits 0; a restart resumes from it")
    func stopAndResume() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        // Total 250 at target_load 50 needs 5.
        dir.writeLoads(#"{"a": 90, "b": 95, "c": 65}"#)
        let first = await startDaemon(dir)
        #expect(await first.waitForLine("event=scale-up from=3 to=5") != nil)
        first.signal(SIGTERM)
        #expect(await first.wait() == 0)
        #expect(await first.waitForLine("level=info event=stop signal=SIGTERM replicas=5") != nil)
        #expect(dir.savedReplicas() == 5)

        dir.writeLoads(#"{"a": 30}"#)
        let second = await startDaemon(dir)
        #expect(await second.waitForLine("event=start", "replicas=5 state=resumed") != nil)
        second.signal(SIGINT)
        #expect(await second.wait() == 0)
        #expect(dir.savedReplicas() == 5)
    }

    @Test("SIGUSR1 and SIGUSR2 are logged and change nothing; SIGTERM still stops")
    func unusedSignals() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        dir.writeLoads(#"{"a": 90, "b": 95, "c": 65}"#)
        let daemon = await startDaemon(dir)
        #expect(await daemon.waitForLine("event=scale-up from=3 to=5") != nil)
        daemon.signal(SIGUSR1)
        #expect(await daemon.waitForLine("level=warning event=signal-ignored signal=SIGUSR1") != nil)
        daemon.signal(SIGUSR2)
        #expect(await daemon.waitForLine("level=warning event=signal-ignored signal=SIGUSR2") != nil)
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
        #expect(await daemon.waitForLine("level=info event=stop signal=SIGTERM replicas=5") != nil)
    }

    @Test("a signal sent while the config is still being read is handled once the daemon is up, not fatal",
          arguments: [SIGHUP, SIGTERM, SIGUSR1])
    func signalDuringStartUp(_ number: Int32) async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        // Comments up to near the 1 MiB limit: reading the config takes a while, in which the
        // signal arrives before any line is logged (the first, state-initial, comes before the
        // watcher starts).
        let padding = String(repeating: "# a comment that only takes time to read\n", count: 24_000)
        dir.write(dir.configPath, readText(dir.configPath) + padding)
        dir.writeLoads(#"{"a": 90, "b": 95, "c": 65}"#)
        var sentBeforeAnyLine = false
        var attempts = 0
        var daemon: ChildProcess?
        // The signal must land after main installs its handler and before the first line; a busy
        // machine can stretch the time to main past the config's read, so try up to 20 times (a
        // failed attempt costs one start; 5 were once not enough beside two replays on 2 cores).
        while !sentBeforeAnyLine && attempts < 20 {
            attempts += 1
            if let earlier = daemon {
                earlier.signal(SIGKILL)
                await earlier.wait()
                unlink(dir.statePath)
            }
            let child = ChildProcess(autoscaledBinary(), ["run", "--config", dir.configPath], captureIn: dir.path)
            daemon = child
            // SigCgt gains the signal's bit when main installs the handler that records it.
            while await child.wait(timeout: .milliseconds(1)) == nil, !caughtSignals(of: child.pid).contains(number) {
                try? await Task.sleep(for: .microseconds(200))
            }
            guard child.standardError.isEmpty, await child.wait(timeout: .milliseconds(1)) == nil else { continue }
            child.signal(number)
            sentBeforeAnyLine = child.standardError.isEmpty
        }
        #expect(sentBeforeAnyLine, "in \(attempts) attempts the daemon never reached its handler before its first line")
        guard let daemon else { return }
        switch number {
        case SIGHUP:
            #expect(await daemon.waitForLine("level=info event=reload") != nil, "\(daemon.standardError)")
            #expect(await daemon.wait(timeout: .milliseconds(1)) == nil, "a SIGHUP at start-up ended the daemon")
            daemon.signal(SIGTERM)
        case SIGUSR1:
            #expect(await daemon.waitForLine("level=warning event=signal-ignored signal=SIGUSR1") != nil, "\(daemon.standardError)")
            daemon.signal(SIGTERM)
        default:
            break
        }
        #expect(await daemon.wait() == 0)
        #expect(await daemon.waitForLine("level=info event=stop signal=SIGTERM") != nil, "\(daemon.standardError)")
    }

    @Test("a config put in place while the daemon reads it at start is reloaded at the first poll")
    func configReplacedDuringStartUp() async {
        let dir = Workspace()
        defer { dir.remove() }
        // Padded to near 1 MiB, as above: the daemon is a while reading it.
        let padding = String(repeating: "# a comment that only takes time to read\n", count: 24_000)
        dir.writeLoads(#"{"a": 55}"#)
        var readTheOld = false
        var attempts = 0
        // The new file must land after the daemon opened the old one: an inotify watch on the old
        // file tells when it is opened, and the new one is put in place then. It lands before the
        // daemon starts its watch (the version read at start tells it) or after (the watch does).
        while !readTheOld && attempts < 5 {
            attempts += 1
            dir.writeConfig(policy: "scale_up_threshold = 50", pollInterval: "200ms")
            let old = readText(dir.configPath)
            dir.writeAtomically(dir.configPath, old + padding)
            unlink(dir.statePath)
            let opens = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            guard opens >= 0, inotify_add_watch(opens, dir.configPath, UInt32(IN_OPEN)) >= 0 else {
                // No open event would ever come: waiting for one would last until the run's time limit.
                Issue.record("cannot watch \(dir.configPath) for opens: errno \(errno)")
                if opens >= 0 { close(opens) }
                return
            }
            let daemon = ChildProcess(autoscaledBinary(), ["run", "--config", dir.configPath], captureIn: dir.path)
            var event = [UInt8](repeating: 0, count: 4096)
            while await daemon.wait(timeout: .milliseconds(1)) == nil, read(opens, &event, event.count) <= 0 {
                try? await Task.sleep(for: .microseconds(200))
            }
            close(opens)
            dir.writeAtomically(dir.configPath, old.replacingOccurrences("scale_up_threshold = 50", "scale_up_threshold = 60"))
            let first = await daemon.waitForLine("servers_to_scale=")
            readTheOld = first?.contains("scale_up_threshold 50") == true
            if readTheOld {
                #expect(await daemon.waitForLine("event=reload", "scale_up_threshold=50->60") != nil, "\(daemon.standardError)")
            }
            daemon.signal(SIGTERM)
            #expect(await daemon.wait() == 0)
        }
        #expect(readTheOld, "in \(attempts) attempts the new file never landed while the daemon read the old one")
    }

    @Test("a load file rewritten in place as fast as a shell can (echo > file) is never read as failed: no source-down, no fallback")
    func rewrittenInPlace() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig(policy: "fallback_replicas = 7", pollInterval: "100ms")
        dir.writeLoads(#"{"a": 30}"#)
        let daemon = await startDaemon(dir)
        // A truncation shows a moment before its event comes: reads meet empty files with no sign of a write.
        // For 3 s, and at least 1000 writes (the loop's own count) on a slow machine.
        dir.write(dir.file("writer.sh"), "end=$(($(date +%s) + 3)); n=0\nwhile [ $(date +%s) -lt $end ] || [ $n -lt 1000 ]; do\n"
            + "  for i in 1 2 3 4 5 6 7 8 9 10; do echo '{\"a\": 30}' > '\(dir.loadPath)'; done; n=$((n + 10))\ndone\n")
        #expect(shell("sh '\(dir.file("writer.sh"))'") == 0)
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
        #expect(!daemon.standardError.contains("event=source-down"), "\(daemon.standardError.suffix(2000))")
        #expect(!daemon.standardError.contains("event=scale-"))
        // Only a read at start, before any event was seen, can fail.
        #expect(daemon.stderrLines.count { $0.contains("event=source-error") } <= 1)
    }

    @Test("bad load files never move the count")
    func badDataHolds() async {
        let dir = Workspace()
        defer { dir.remove() }
        // The source goes down after failure_threshold (3) poll intervals of failed reads: seconds at a
        // 1 s poll, not half a minute at 10 s.
        dir.writeConfig(pollInterval: "1s")
        dir.writeLoads(#"{"a": 30}"#)
        let daemon = await startDaemon(dir)
        let bad = [
            "", "{", #"{"a": 90"#, #"{"a": NaN}"#, #"{"a": -5}"#, #"{"a": 90, "a": 95}"#, "garbage", #"{"": 90}"#,
            #"{"a": "90"}"#, "[90]",
        ]
        for (index, text) in bad.enumerated() {
            let before = daemon.stderrLines.count
            dir.writeLoads(text)
            #expect(await daemon.waitForLine("event=source-", after: before) != nil, "no source-error for bad file \(index)")
        }
        dir.write(dir.loadPath, "")
        unlink(dir.loadPath)
        mkdir(dir.loadPath, 0o755)
        daemon.signal(SIGHUP)
        // The path is named once, in source=.
        #expect(await daemon.waitForLine("event=source-error", "source=\(dir.loadPath) cause=\"is a directory, not a regular file\"") != nil)
        #expect(!daemon.standardError.contains("event=scale-"))
        #expect(await daemon.waitForLine("event=source-down", "level=error") != nil)
        rmdir(dir.loadPath)
        dir.writeLoads(#"{"a": 90}"#)
        #expect(await daemon.waitForLine("event=source-up") != nil)
        #expect(await daemon.waitForLine("event=scale-up from=3 to=4") != nil)
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }

    @Test("after the source was down, its first good reads do not lower the count: scale_down_stabilization waits, and the line says why")
    func recoveryWaitsOutTheWindow() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig(policy: "scale_down_stabilization = 5s\nmax_scale_down_per_minute = 100", source: "failure_threshold = 1",
                        pollInterval: "1s")
        mkdir(dir.file("state"), 0o755)
        dir.writeAtomically(dir.statePath, #"{"desired_replicas":8,"updated_at":"x","version":1}"#)
        // Down from the first read, while a start holds the count anyway (its window reaches back
        // before the start) ...
        dir.writeLoads("garbage")
        let daemon = await startDaemon(dir)
        #expect(await daemon.waitForLine("level=error event=source-down") != nil)
        // ... and for 7 polls (each one a hold without data), past that window: the polls the daemon
        // made, however late this test looks.
        let outage = await eventually { daemon.stderrLines.count { $0.contains("event=hold from=8 to=8 reason=\"no usable load data: ") } >= 7 ? true : nil }
        #expect(outage == true, "\(daemon.standardError)")
        let down = daemon.stderrLines.count
        dir.writeLoads(#"{"a": 5}"#)
        // The first decision with data after the outage (a hold without data has no servers_to_scale).
        let held = await daemon.waitForLine("event=hold from=8 to=8 servers_to_scale=", after: down)
        #expect(held?.hasSuffix(" but scale_down_stabilization 5s holds at 8 (the source was down within it)\"") == true,
                "\(held ?? daemon.standardError)")
        // Then the window lets go of the outage, and the count goes down.
        #expect(await daemon.waitForLine("event=scale-down from=8 to=1 ", after: down) != nil, "\(daemon.standardError)")
        #expect(daemon.stderrLines.filter { $0.contains("event=scale-down") }.count == 1, "\(daemon.standardError)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }

    @Test("SIGHUP with a bad config keeps the old thresholds; a good one changes behaviour")
    func reload() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        dir.writeLoads(#"{"a": 55}"#)
        let daemon = await startDaemon(dir)
        #expect(await daemon.waitForLine("event=scale-up from=3 to=4") != nil)

        // A broken config: the daemon logs every error and stays on the old config.
        dir.writeConfig(policy: "scale_up_cooldown = 0\nmax_replicas = lots\nmin_replicas = -1")
        daemon.signal(SIGHUP)
        let failed = await daemon.waitForLine("level=error event=reload-failed")
        #expect(failed?.contains("max_replicas") == true && failed?.contains("min_replicas") == true)
        #expect(failed?.hasSuffix(#" kept="the running config""#) == true, "the line does not say what stays in force")
        kill(daemon.pid, 0)
        #expect(await daemon.wait(timeout: .milliseconds(100)) == nil, "daemon died on a bad config")

        // A good config raising the threshold above 55: the load no longer counts as hot.
        let before = daemon.stderrLines.count
        dir.writeConfig(policy: "scale_up_threshold = 60\nscale_up_cooldown = 0", log: "level = debug")
        let reload = await daemon.waitForLine("event=reload", "changes=", after: before)
        #expect(reload?.contains("scale_up_threshold=50->60") == true)
        #expect(reload?.contains("scale_up_cooldown=10min->0") == true)
        // The first decision after the reload (a poll of the old config may have logged a hold before it).
        let reloadIndex = reload.flatMap { line in daemon.stderrLines.firstIndex(of: line) } ?? before
        let next = await daemon.waitForLine("event=hold", after: reloadIndex + 1)
        #expect(next?.contains("servers_to_scale=0") == true, "\(next ?? "none")")

        // And a lower one makes it hot again, without a cooldown now (from 4, or from 5 where the
        // first config's cooldown ended before its reload on a busy machine).
        let lower = daemon.stderrLines.count
        dir.writeConfig(policy: "scale_up_threshold = 40\nscale_up_cooldown = 0")
        #expect(await daemon.waitForLine("event=scale-up", "servers_to_scale=1 threshold=40 ", after: lower) != nil, "\(daemon.standardError)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }
}

/// The signals process `pid` has a handler for (`SigCgt` in `/proc/PID/status`).
private func caughtSignals(of pid: pid_t) -> Set<Int32> {
    let status = readText("/proc/\(pid)/status")
    guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
          let mask = UInt64(line.dropFirst("SigCgt:".count).filter { $0 != " " && $0 != "\t" }, radix: 16)
    else { return [] }
    return Set((1...64).filter { mask & (UInt64(1) << UInt64($0 - 1)) != 0 }.map(Int32.init))
}
