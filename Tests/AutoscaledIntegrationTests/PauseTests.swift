import Glibc
import Testing

@Suite("pause and resume against the real binary")
struct PauseTests {
    @Test("without daemon state both exit 1 and say why; pause twice updates; resume when not paused says so")
    func commands() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        for command in ["pause", "resume"] {
            let result = await ChildProcess.run([command, "--config", dir.configPath], in: dir.path)
            #expect(result.status == 1)
            #expect(result.stdout == "")
            #expect(result.stderr == "no state file at \(dir.statePath): no daemon has run with \(dir.configPath) (start it first)\n")
        }

        dir.writeLoads(#"{"a": 40}"#)
        let daemon = await startDaemon(dir)
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)

        let first = await ChildProcess.run(["pause", "--config", dir.configPath, "--reason", "incident 42"], in: dir.path)
        #expect(first.status == 0)
        #expect(first.stdout == "Paused: the daemon holds the count (3 when it last saved) until 'autoscaled resume' ('incident 42').\n"
            + "No daemon runs with this config now: the pause holds from its start.\n")
        let second = await ChildProcess.run(["pause", "--config", dir.configPath, "--replicas", "2"], in: dir.path)
        #expect(second.status == 0)
        #expect(second.stdout == "Pause updated: the daemon moves to 2 replicas and holds there until 'autoscaled resume'.\nNo daemon runs with this config now: the pause holds from its start.\n")
        #expect(dir.read(dir.statePath + ".pause").contains(#""replicas":2"#))
        let outside = await ChildProcess.run(["pause", "--config", dir.configPath, "--replicas", "11"], in: dir.path)
        #expect(outside.status == 64)
        #expect(outside.stderr.hasPrefix(
            "Error: option '--replicas': 11 is outside [min_replicas 1, max_replicas 10] of \(dir.configPath)\n"))

        let resumed = await ChildProcess.run(["resume", "--config", dir.configPath], in: dir.path)
        #expect(resumed.status == 0)
        #expect(resumed.stdout == "Resumed: the daemon follows the policy again from its next evaluation.\nNo daemon runs with this config now: the next one started follows the policy.\n")
        let again = await ChildProcess.run(["resume", "--config", dir.configPath], in: dir.path)
        #expect(again.status == 0)
        #expect(again.stdout == "Not paused: nothing to resume.\n")
    }

    @Test("what stands at a file the daemon writes is for check-config and the daemon to refuse: status, pause, resume and once still work",
          arguments: ["a symbolic link", "a directory"])
    func plantedOutput(_ planted: String) async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig(log: "level = debug\n\n[actuator]\ntype = file\npath = out/count\n\n[metrics]\ntextfile = out/metrics.prom")
        dir.writeLoads(#"{"a": 40}"#)
        #expect(mkdir(dir.file("state"), 0o755) == 0 && mkdir(dir.file("out"), 0o755) == 0)
        dir.writeAtomically(dir.statePath, #"{"desired_replicas":3,"updated_at":"x","version":1}"#)
        for name in ["out/count", "out/metrics.prom"] {
            #expect(planted == "a directory" ? mkdir(dir.file(name), 0o755) == 0 : symlink(dir.file("elsewhere"), dir.file(name)) == 0)
        }
        let check = await ChildProcess.run(["check-config", "--config", dir.configPath], in: dir.path)
        #expect(check.status == 78)
        #expect(check.stderr.contains("[actuator] path '\(dir.file("out/count"))' cannot be written: it is \(planted)"), "\(check.stderr)")
        for command in [["status"], ["pause", "--replicas", "2"], ["status", "--json"], ["resume"], ["once"]] {
            let result = await ChildProcess.run(command + ["--config", dir.configPath], in: dir.path)
            #expect(result.status == 0, "\(command): \(result.stderr)")
        }
        #expect(dir.read(dir.statePath + ".pause").contains(#""paused":false"#))
    }

    @Test("a pause file whose end is out of range is warned about by the daemon and named by status, which shows the state all the same")
    func outOfRangeEnd() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig(pollInterval: "1h")
        dir.writeLoads(#"{"a": 40}"#)
        let daemon = await startDaemon(dir)
        dir.writeAtomically(dir.statePath + ".pause", #"{"at":"2026-11-30T13:00:00.000Z","at_unix":1796043600,"paused":true,"#
            + #""until":"2999-01-01T00:00:00.000Z","until_unix":1e16,"version":1}"#)
        let problem = "\(dir.statePath).pause: until_unix 1e+16 is not a time from 0 to 1000000000000 (1970 to the year 33658)"
        #expect(await daemon.waitForLine("level=warning event=pause-file-invalid", problem, "paused=false") != nil,
                "\(daemon.standardError)")
        let status = await ChildProcess.run(["status", "--config", dir.configPath], in: dir.path)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("\ndesired replicas:  3\n"), "\(status.stdout)")
        #expect(status.stdout.contains("\npause file:        cannot be read: \(problem) (the daemon keeps the pause it last read)\n"),
                "\(status.stdout)")
        let json = await ChildProcess.run(["status", "--config", dir.configPath, "--json"], in: dir.path)
        #expect(json.status == 0)
        #expect(json.stdout.contains(#""pause_file_error":"\#(problem)""#), "\(json.stdout)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }

    @Test("a reason too long is a usage error; a pause file that cannot be read is replaced by resume or pause, with a warning")
    func unreadablePauseFile() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        #expect(mkdir(dir.path + "/state", 0o755) == 0)
        dir.writeAtomically(dir.statePath, #"{"version":1,"desired_replicas":3,"updated_at":"x"}"#)
        let long = await ChildProcess.run(["pause", "--config", dir.configPath, "--reason", String(repeating: "x", count: 70_000)],
                                          in: dir.path)
        #expect(long.status == 64)
        #expect(long.stderr.hasPrefix("Error: option '--reason': 70000 bytes is longer than the 1024 bytes a reason may have\n"))
        #expect(access(dir.statePath + ".pause", F_OK) != 0)

        let pausePath = dir.statePath + ".pause"
        let tooLarge = "\(pausePath): larger than the 65536-byte limit"
        dir.writeAtomically(pausePath, String(repeating: " ", count: 70_000))
        let resumed = await ChildProcess.run(["resume", "--config", dir.configPath], in: dir.path)
        #expect(resumed.status == 0)
        #expect(resumed.stdout == "Resumed: the daemon follows the policy again from its next evaluation.\nNo daemon runs with this config now: the next one started follows the policy.\n")
        #expect(resumed.stderr == "warning: \(tooLarge); this resume replaces it\n")
        #expect(dir.read(pausePath).contains(#""paused":false"#))

        dir.writeAtomically(pausePath, String(repeating: " ", count: 70_000))
        let paused = await ChildProcess.run(["pause", "--config", dir.configPath], in: dir.path)
        #expect(paused.status == 0)
        #expect(paused.stdout == "Paused: the daemon holds the count (3 when it last saved) until 'autoscaled resume'.\nNo daemon runs with this config now: the pause holds from its start.\n")
        #expect(paused.stderr == "warning: \(tooLarge); this pause replaces it\n")
        #expect(dir.read(pausePath).contains(#""paused":true"#))

        // A link at the pause file's place (the daemon reads through it): resume replaces the link,
        // never writes through it; its target is untouched.
        dir.write(dir.file("elsewhere.json"), dir.read(pausePath))
        unlink(pausePath)
        #expect(symlink(dir.file("elsewhere.json"), pausePath) == 0)
        let unlinked = await ChildProcess.run(["resume", "--config", dir.configPath], in: dir.path)
        #expect(unlinked.status == 0, "\(unlinked.stderr)")
        #expect(unlinked.stdout == "Resumed: the daemon follows the policy again from its next evaluation.\nNo daemon runs with this config now: the next one started follows the policy.\n")
        var info = stat()
        #expect(lstat(pausePath, &info) == 0 && info.st_mode & S_IFMT == S_IFREG, "the link is replaced by a file")
        #expect(dir.read(pausePath).contains(#""paused":false"#))
        #expect(dir.read(dir.file("elsewhere.json")).contains(#""paused":true"#))
        // A directory there is neither read nor replaced: named, exit 1; and no config error.
        unlink(pausePath)
        #expect(mkdir(pausePath, 0o755) == 0)
        let onDirectory = await ChildProcess.run(["pause", "--config", dir.configPath], in: dir.path)
        #expect(onDirectory.status == 1)
        #expect(onDirectory.stderr.contains("\(pausePath): is a directory, not a regular file; refusing to replace it"), "\(onDirectory.stderr)")
        let check = await ChildProcess.run(["check-config", "--config", dir.configPath], in: dir.path)
        #expect(check.status == 0 && check.stdout == "ok\n", "the pause file is no key's: \(check.stderr)")
    }

    /// Runs `autoscaled ARGS --config CONFIG` and expects exit 0.
    @discardableResult
    static func command(_ arguments: [String], _ dir: Workspace) async -> String {
        let result = await ChildProcess.run(arguments + ["--config", dir.configPath], in: dir.path)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return result.stdout
    }

    @Test("pause, then hot loads: the count holds, the log says what it would do, status says paused; resume: the decision follows")
    func pauseHoldsThenResumeFollows() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig(pollInterval: "1h")
        dir.writeLoads(#"{"a": 40}"#)
        let daemon = await startDaemon(dir)
        #expect(await Self.command(["pause", "--reason", "maintenance"], dir)
            == "Paused: the daemon holds the count (3 when it last saved) until 'autoscaled resume' ('maintenance').\n",
            "a daemon runs: nothing said of one that does not")
        #expect(await daemon.waitForLine("level=notice event=pause reason=maintenance") != nil)

        dir.writeLoads(#"{"a": 90}"#)
        let wouldBe = await daemon.waitForLine("event=scale-up from=3 to=4", "paused=true")
        #expect(wouldBe?.contains("level=info ") == true, "\(wouldBe ?? daemon.standardError)")
        #expect(await daemon.waitForLine("level=info event=limited want=4 held_by=pause replicas=3") != nil)
        // The state is saved just after the line is logged: `status` reads the state.
        let held = await dir.waitForState(#""held_by":"pause""#, #""wanted":4"#)
        #expect(held != nil, "\(dir.read(dir.statePath))")
        #expect(dir.savedReplicas() == 3)
        let status = await Self.command(["status"], dir)
        #expect(status.contains("wanted replicas:   4, held by pause for "), "\(status)")
        #expect(status.contains("paused:            since "), "\(status)")
        #expect(status.contains("until resumed, holding the count: maintenance\n"), "\(status)")
        let json = await Self.command(["status", "--json"], dir)
        #expect(json.contains(#""pause":{"reason":"maintenance","#), "\(json)")

        await Self.command(["resume"], dir)
        #expect(await daemon.waitForLine("level=notice event=resume cause=operator") != nil)
        #expect(await daemon.waitForLine("level=notice event=scale-up from=3 to=4") != nil, "\(daemon.standardError)")
        #expect(await dir.waitForSavedReplicas(4) == 4)
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
        // What it would do while paused is never logged as a change (notice).
        #expect(!daemon.stderrLines.contains { $0.contains("level=notice") && $0.contains("paused=true") })
    }

    @Test("a pause file removed while paused is written back and the pause holds: only resume ends it")
    func removedPauseFileIsRestored() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig(pollInterval: "1h")
        dir.writeLoads(#"{"a": 40}"#)
        let daemon = await startDaemon(dir)
        await Self.command(["pause", "--reason", "incident 7"], dir)
        #expect(await daemon.waitForLine("level=notice event=pause", "incident 7") != nil)
        let pausePath = dir.statePath + ".pause"
        #expect(unlink(pausePath) == 0)
        let restored = await daemon.waitForLine("level=warning event=pause-file-restored path=\(pausePath)")
        #expect(restored?.contains("removed while paused: written back") == true, "\(daemon.standardError)")
        #expect(dir.read(pausePath).contains(#""reason":"incident 7""#))
        // Hot loads: the count holds.
        dir.writeLoads(#"{"a": 90}"#)
        #expect(await daemon.waitForLine("level=info event=limited want=4 held_by=pause replicas=3") != nil, "\(daemon.standardError)")
        #expect(!daemon.stderrLines.contains { $0.contains("event=resume") })
        await Self.command(["resume"], dir)
        #expect(await daemon.waitForLine("level=notice event=resume cause=operator") != nil)
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }

    @Test("a pause --for 2s ends by itself on time, with no poll to wake the daemon")
    func pauseExpires() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig(pollInterval: "1h")
        dir.writeLoads(#"{"a": 40}"#)
        let daemon = await startDaemon(dir)
        // Held first by a pause without an end, so the hot loads are seen while paused however slow
        // the machine; then a pause of 2 s replaces it.
        await Self.command(["pause"], dir)
        #expect(await daemon.waitForLine("level=notice event=pause") != nil)
        dir.writeLoads(#"{"a": 90}"#)
        #expect(await daemon.waitForLine("event=scale-up from=3 to=4", "paused=true") != nil)
        let before = daemon.stderrLines.count
        // The pause's 2 s count from the command (its file's `at`), not from when the daemon saw it.
        var clock = timespec()
        clock_gettime(CLOCK_REALTIME, &clock)
        let commandAt = Double(clock.tv_sec) + Double(clock.tv_nsec) / 1e9
        await Self.command(["pause", "--for", "2s"], dir)
        let paused = await daemon.waitForLine("event=pause until=", after: before)
        #expect(paused != nil, "\(daemon.standardError)")
        let resumeLine = await daemon.waitForLine("level=notice event=resume cause=expired until=")
        #expect(resumeLine != nil, "\(daemon.standardError)")
        // Timed by the daemon's own lines: 2 s after the pause, not at the next poll an hour later.
        let sinceCommand = secondsLogged(resumeLine, after: commandAt)
        #expect(sinceCommand.map { $0 >= 1.99 } == true, "resumed \(sinceCommand.map { "\($0) s" } ?? "?") after the command")
        let pausedFor = secondsLogged(resumeLine, after: paused.flatMap(loggedAt))
        #expect(pausedFor.map { $0 < 8 } == true, "paused for \(pausedFor.map { "\($0) s" } ?? "?")")
        #expect(await daemon.waitForLine("level=notice event=scale-up from=3 to=4") != nil)
        let resumed = await ChildProcess.run(["resume", "--config", dir.configPath], in: dir.path)
        #expect(resumed.stdout.hasPrefix("Not paused: nothing to resume (the pause ended at "))
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }

    @Test("a pause survives a restart: --replicas moves once, and the restarted daemon keeps holding")
    func pauseSurvivesRestart() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig(pollInterval: "1h")
        dir.writeLoads(#"{"a": 90}"#)
        let first = await startDaemon(dir)
        #expect(await dir.waitForSavedReplicas(4) == 4)
        await Self.command(["pause", "--replicas", "2", "--reason", "incident"], dir)
        #expect(await first.waitForLine("level=notice event=scale-down from=4 to=2", "paused (incident): moving to the pause's 2 replicas") != nil,
                "\(first.standardError)")
        #expect(await dir.waitForSavedReplicas(2) == 2)
        first.signal(SIGTERM)
        #expect(await first.wait() == 0)

        let second = await startDaemon(dir)
        #expect(await second.waitForLine("level=notice event=pause replicas=2 reason=incident") != nil, "\(second.standardError)")
        #expect(await second.waitForLine("event=scale-up from=2 to=", "paused=true") != nil, "\(second.standardError)")
        #expect(dir.savedReplicas() == 2)
        second.signal(SIGTERM)
        #expect(await second.wait() == 0)
        #expect(!second.standardError.contains("level=notice event=scale-up"))
    }

    @Test("a reload that moves the state file takes the pause with it: still paused, resume works on the new place, going back revives nothing")
    func pauseMovesWithTheStateFile() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig(pollInterval: "1h")
        dir.writeLoads(#"{"a": 90}"#)
        let daemon = await startDaemon(dir)
        #expect(await dir.waitForSavedReplicas(4) == 4)
        await Self.command(["pause", "--replicas", "2", "--reason", "maint"], dir)
        #expect(await daemon.waitForLine("event=scale-down from=4 to=2", "paused (maint)") != nil, "\(daemon.standardError)")
        let original = dir.read(dir.configPath)
        let moved = dir.file("state2/state.json")
        var before = daemon.stderrLines.count
        dir.writeAtomically(dir.configPath, original.replacing("path = state/state.json", with: "path = \(moved)"))
        #expect(await daemon.waitForLine("level=notice event=pause moved_from=\(dir.statePath).pause moved_to=\(moved).pause "
            + "cause=\"[state] path changed; the pause goes with the state file\"", after: before) != nil, "\(daemon.standardError)")
        #expect(await daemon.waitForLine("level=notice event=pause replicas=2 reason=maint", after: before) != nil)
        // Still held at 2 with the hot load.
        dir.writeLoads(#"{"a": 95}"#)
        #expect(await daemon.waitForLine("paused=true", "max_load=95", after: before) != nil, "\(daemon.standardError)")
        #expect(!daemon.stderrLines.dropFirst(before).contains { $0.contains("event=scale-up") || $0.contains("event=resume") })
        // resume finds the pause where the config now puts it.
        before = daemon.stderrLines.count
        await Self.command(["resume"], dir)
        #expect(await daemon.waitForLine("level=notice event=resume cause=operator", after: before) != nil, "\(daemon.standardError)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
        // The old place was marked resumed: back there, nothing is paused.
        #expect(dir.read(dir.statePath + ".pause").contains(#""paused":false"#))
    }
}
