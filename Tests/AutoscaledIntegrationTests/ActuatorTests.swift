import AutoscaledTestSupport
import Glibc
import Testing

@Suite("actuators driven by the daemon")
struct ActuatorTests {
    /// A config with `[actuator]` lines and the test policy (one plain step per load); the loads are
    /// polled every `poll`.
    func writeConfig(_ dir: Workspace, actuator: String, policy: String = "", poll: String = "10s") {
        dir.writeConfig(policy: policy, pollInterval: poll, log: "level = debug\n\n[actuator]\n\(actuator)")
    }

    /// A state file as a previous run would have left it.
    func writeState(_ dir: Workspace, desired: Int, applied: Int?) {
        mkdir(dir.file("state"), 0o755)
        let appliedField = applied.map { #""applied_replicas":\#($0),"# } ?? ""
        dir.writeAtomically(dir.statePath, #"{\#(appliedField)"desired_replicas":\#(desired),"updated_at":"x","version":1}"#)
    }

    func savedApplied(_ dir: Workspace) -> Int? {
        let text = dir.read(dir.statePath)
        guard let tail = text.split(separator: #""applied_replicas":"#, maxSplits: 1).dropFirst().first else { return nil }
        return Int(tail.prefix { $0.isNumber })
    }

    func start(_ dir: Workspace, environment: [String: String] = [:]) async -> ChildProcess {
        let daemon = ChildProcess(autoscaledBinary(), ["run", "--config", dir.configPath], environment: environment,
                                  captureIn: dir.path)
        #expect(await daemon.waitForLine(" from=") != nil, "no first evaluation: \(daemon.standardError)")
        return daemon
    }

    func stop(_ daemon: ChildProcess) async {
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }

    @Test("exec: the count reaches the command; the state file confirms it; no zombie is left")
    func exec() async throws {
        let dir = Workspace()
        let fake = RecordingCommand()
        defer { dir.remove(); fake.remove() }
        writeConfig(dir, actuator: "type = exec\ncommand = \(fake.path) scale --replicas={replicas} '{previous} -> {direction}'")
        dir.writeLoads(#"{"a": 30}"#)
        let daemon = await start(dir)
        // No state file yet: the initial count is not confirmed, so it is applied at start.
        #expect(await daemon.waitForLine("event=actuate ", "replicas=3 previous=3 direction=same") != nil)
        dir.writeLoads(#"{"a": 55}"#)
        let line = await daemon.waitForLine("event=actuate ", "replicas=4")
        #expect(line?.contains("level=notice event=actuate actuator=exec replicas=4 previous=3 direction=up attempt=1 duration_ms=") == true)
        #expect(fake.arguments(ofCall: 2) == [fake.path, "scale", "--replicas=4", "3 -> up"])
        #expect(fake.environment(ofCall: 2)?["AUTOSCALED_REASON"]?.hasPrefix("1 server above scale_up_threshold 50 (max a=55)") == true)
        #expect(fake.environment(ofCall: 2)?["NOTIFY_SOCKET"] == nil)
        // The daemon ignores SIGHUP, SIGINT, SIGTERM, SIGUSR1 and SIGUSR2 (libdispatch handles them); its children must not.
        let daemonSignals = [SIGHUP, SIGINT, SIGTERM, SIGUSR1, SIGUSR2].reduce(UInt64(0)) { $0 | 1 << (UInt64($1) - 1) }
        #expect(fake.ignoredSignals(ofCall: 2).map { $0 & daemonSignals } == 0)
        #expect(savedApplied(dir) == 4 && dir.savedReplicas() == 4)
        #expect(ProcessTable.zombieChildren(of: daemon.pid).isEmpty)
        let status = await ChildProcess.run(["status", "--config", dir.configPath], in: dir.path)
        #expect(status.stdout.contains("desired replicas:  4\napplied replicas:  4\n"), "\(status.stdout)")
        await stop(daemon)
    }

    @Test("dry run: decisions say dry_run=true and the command never runs")
    func dryRun() async throws {
        let dir = Workspace()
        let fake = RecordingCommand()
        defer { dir.remove(); fake.remove() }
        writeConfig(dir, actuator: "type = exec\ncommand = \(fake.path) {replicas}\ndry_run = true", poll: "50ms")
        dir.writeLoads(#"{"a": 90, "b": 95}"#)
        let daemon = await start(dir)
        let line = await daemon.waitForLine("event=scale-up from=3 to=")
        #expect(line?.hasSuffix(" dry_run=true") == true)
        try await Task.sleep(for: .milliseconds(300))
        #expect(fake.calls == 0)
        #expect(!daemon.standardError.contains("event=actuate"))
        await stop(daemon)
        #expect((dir.savedReplicas() ?? 0) > 3 && savedApplied(dir) == nil)
    }

    @Test("a hung command is killed at the timeout, grandchild included; decisions go on; the retry applies the newest count")
    func hangThenNewest() async throws {
        let dir = Workspace()
        let fake = RecordingCommand(plan: ["hang"])
        defer { dir.remove(); fake.remove() }
        // Every poll scales up by one until max_replicas: 4, 5 and 6 are decided while the first hangs.
        // A timeout a slow host's two polls of 100 ms fit in many times over.
        writeConfig(dir, actuator: "type = exec\ncommand = \(fake.path) {replicas}\ntimeout = 10s",
                    policy: "scale_up_cooldown = 0\nmax_replicas = 6", poll: "100ms")
        writeState(dir, desired: 3, applied: 3)
        dir.writeLoads(#"{"a": 55}"#)
        let daemon = await start(dir)
        #expect(await daemon.waitForLine("event=scale-up from=3 to=4") != nil)
        #expect(await fake.waitForCalls(1))
        #expect(await daemon.waitForLine("event=scale-up from=5 to=6") != nil)
        let failed = await daemon.waitForLine("event=actuate-failed")
        // The log's order, not when this test got to read it: 4→5 and 5→6 were decided before the
        // hung command's timeout ended the first actuation.
        let lines = daemon.stderrLines
        let lastDecision = lines.firstIndex { $0.contains("event=scale-up from=5 to=6") }
        let firstActuation = lines.firstIndex { $0.contains("event=actuate") }
        #expect(lastDecision != nil && firstActuation != nil && lastDecision! < firstActuation!,
                "a decision waited for the actuator")
        #expect(failed?.contains("replicas=4 previous=3 direction=up attempt=1") == true)
        #expect(failed?.contains("cause=\"'\(fake.path)' timed out after 10s; its process group was killed\"") == true)
        #expect(failed?.hasSuffix("retry_in=1s") == true)
        let grandchild = try #require(fake.grandchild(ofCall: 1))
        #expect(await ProcessTable.waitUntilGone(grandchild), "the grandchild outlived the timeout")
        // The failure left no count confirmed: the retry hands over the newest decision, 5 → 6.
        #expect(await daemon.waitForLine("event=actuate ", "replicas=6 previous=5 direction=up attempt=2") != nil)
        #expect(fake.calls == 2)
        #expect(fake.arguments(ofCall: 1) == [fake.path, "4"] && fake.arguments(ofCall: 2) == [fake.path, "6"])
        #expect(savedApplied(dir) == 6)
        #expect(ProcessTable.zombieChildren(of: daemon.pid).isEmpty)
        await stop(daemon)
    }

    @Test("while the command hangs the watchdog is fed; SIGTERM kills it and exits at once, its count unconfirmed")
    func hangThenStop() async throws {
        let dir = Workspace()
        let fake = RecordingCommand(plan: ["hang"])
        defer { dir.remove(); fake.remove() }
        writeConfig(dir, actuator: "type = exec\ncommand = \(fake.path) {replicas}\ntimeout = 1h")
        writeState(dir, desired: 3, applied: 3)
        dir.writeLoads(#"{"a": 55}"#)
        let listener = try NotifySocketListener.temporary()
        let daemon = await start(dir, environment: ["NOTIFY_SOCKET": listener.notifySocket, "WATCHDOG_USEC": "200000"])
        #expect(await fake.waitForCalls(1))
        while listener.receive(timeout: .zero) != nil {}
        // Pings sent while the command hangs, timed by the kernel as they were sent, however late
        // this test reads them; the deadline only matters when pings stop.
        let pings = await listener.messages(6, reading: "WATCHDOG=1", timeout: patience)
        #expect(pings.count == 6, "\(pings.count) watchdog pings while the command hung")
        #expect(pings.medianGap.map { $0 <= 0.15 } == true, "one ping per 100 ms, not \(pings.sortedGaps)")

        let stopping = ContinuousClock.now
        await stop(daemon)
        // Far below the command's 1 h timeout (loose: the time includes waiting for a thread of the
        // test runner's pool, which CPU-bound tests beside it can hold for tens of seconds).
        #expect(ContinuousClock.now - stopping < .seconds(120))
        let cancelled = await daemon.waitForLine("level=notice event=actuate-cancelled actuator=exec replicas=4 previous=3")
        #expect(cancelled != nil)
        #expect(ProcessTable.state(of: try #require(fake.pid(ofCall: 1))) == nil, "the hung command was not reaped")
        #expect(await ProcessTable.waitUntilGone(try #require(fake.grandchild(ofCall: 1))))
        // Killed part-way: the world may be anywhere between 3 and 4, so no count is confirmed.
        #expect(dir.savedReplicas() == 4 && savedApplied(dir) == nil)
        // Neither confirmed nor failed: status says so, not nothing.
        let status = await ChildProcess.run(["status", "--config", dir.configPath], in: dir.path)
        #expect(status.stdout.contains("desired replicas:  4\napplied replicas:  none confirmed: the actuator had neither confirmed a count "
            + "nor failed when the daemon stopped (the next start applies the desired count)\n"), "\(status.stdout)")
    }

    @Test("a failing command is retried with growing delays until it succeeds")
    func failThenSucceed() async throws {
        let dir = Workspace()
        let fake = RecordingCommand(plan: ["fail", "fail", "ok"])
        defer { dir.remove(); fake.remove() }
        writeConfig(dir, actuator: "type = exec\ncommand = \(fake.path) {replicas}")
        writeState(dir, desired: 3, applied: 3)
        dir.writeLoads(#"{"a": 55}"#)
        let began = ContinuousClock.now
        let daemon = await start(dir)
        let first = await daemon.waitForLine("event=actuate-failed", "attempt=1")
        #expect(first?.hasSuffix("cause=\"'\(fake.path)' exited with status 3\" stderr=boom retry_in=1s") == true)
        #expect(await daemon.waitForLine("event=actuate-failed", "attempt=2", "retry_in=2s") != nil)
        #expect(await daemon.waitForLine("level=notice event=actuate ", "replicas=4", "attempt=3") != nil)
        #expect(ContinuousClock.now - began >= .seconds(3), "retries waited 1s, then 2s")
        #expect(fake.calls == 3 && savedApplied(dir) == 4)
        #expect(!dir.read(dir.statePath).contains("actuation_failing"))
        await stop(daemon)
    }

    @Test("a command that keeps failing shows in status and in the metrics: attempts in a row, since when, the last error")
    func failingShows() async throws {
        let dir = Workspace()
        let fake = RecordingCommand(plan: Array(repeating: "fail", count: 50))
        defer { dir.remove(); fake.remove() }
        writeConfig(dir, actuator: "type = exec\ncommand = \(fake.path) {replicas}")
        dir.writeAtomically(dir.configPath, dir.read(dir.configPath) + "\n[metrics]\ntextfile = \(dir.file("m.prom"))\n")
        writeState(dir, desired: 3, applied: 3)
        dir.writeLoads(#"{"a": 55}"#)
        let daemon = await start(dir)
        #expect(await daemon.waitForLine("event=actuate-failed", "attempt=2") != nil)
        // Saved before it is logged: every later attempt fails too.
        let status = await ChildProcess.run(["status", "--config", dir.configPath], in: dir.path)
        #expect(status.stdout.contains("applied replicas:  none confirmed: the actuator has failed "), "\(status.stdout)")
        #expect(status.stdout.contains(" times in a row since "), "\(status.stdout)")
        #expect(status.stdout.contains("last error: '\(fake.path)' exited with status 3\n"), "\(status.stdout)")
        #expect(!status.stdout.contains("applied replicas:  3"))
        // The metrics as of an evaluation after the failures (the file is rewritten at each).
        dir.writeLoads(#"{"a": 56}"#)
        let counted = await eventually { () -> Bool? in
            let lines = dir.read(dir.file("m.prom")).split(separator: "\n")
            return lines.contains { $0.hasPrefix("autoscaled_actuation_failures ") && Int($0.split(separator: " ")[1]) ?? 0 >= 2 } ? true : nil
        } ?? false
        #expect(counted, "\(dir.read(dir.file("m.prom")))")
        await stop(daemon)
    }

    @Test("a count not confirmed before a stop is applied again at the next start")
    func restartReapplies() async throws {
        let dir = Workspace()
        let broken = RecordingCommand(plan: Array(repeating: "fail", count: 10))
        let fixed = RecordingCommand()
        defer { dir.remove(); broken.remove(); fixed.remove() }
        writeConfig(dir, actuator: "type = exec\ncommand = \(broken.path) {replicas}")
        writeState(dir, desired: 3, applied: 3)
        dir.writeLoads(#"{"a": 55}"#)
        let first = await start(dir)
        #expect(await first.waitForLine("event=actuate-failed", "replicas=4") != nil)
        await stop(first)
        #expect(dir.savedReplicas() == 4 && savedApplied(dir) == nil)

        writeConfig(dir, actuator: "type = exec\ncommand = \(fixed.path) {replicas}")
        dir.writeLoads(#"{"a": 30}"#)
        let second = await start(dir)
        #expect(await second.waitForLine("event=actuate ", "replicas=4 previous=4 direction=same") != nil)
        #expect(fixed.arguments(ofCall: 1) == [fixed.path, "4"])
        #expect(fixed.environment(ofCall: 1)?["AUTOSCALED_REASON"] == "desired count 4 not confirmed applied (applied: none)")
        #expect(savedApplied(dir) == 4)
        await stop(second)
    }

    @Test("a reload to another actuator applies the count once with it; a dry-run toggle keeps the confirmed count")
    func reload() async throws {
        let dir = Workspace()
        let fake = RecordingCommand()
        defer { dir.remove(); fake.remove() }
        writeConfig(dir, actuator: "type = file\npath = replicas.txt")
        dir.writeLoads(#"{"a": 30}"#)
        let daemon = await start(dir)
        #expect(await daemon.waitForLine("event=actuate actuator=file replicas=3") != nil)
        #expect(dir.read(dir.file("replicas.txt")) == "3\n" && savedApplied(dir) == 3)

        writeConfig(dir, actuator: "type = exec\ncommand = \(fake.path) {replicas}")
        daemon.signal(SIGHUP)
        #expect(await daemon.waitForLine("event=actuate actuator=exec replicas=3 previous=3 direction=same") != nil)
        #expect(fake.environment(ofCall: 1)?["AUTOSCALED_REASON"] == "desired count 3 not confirmed applied (applied: none)")

        let before = daemon.stderrLines.count
        writeConfig(dir, actuator: "type = exec\ncommand = \(fake.path) {replicas}\ndry_run = true")
        daemon.signal(SIGHUP)
        #expect(await daemon.waitForLine("event=reload", "dry_run=false->true", after: before) != nil)
        #expect(await daemon.waitForLine("event=hold", "dry_run=true", after: before) != nil)
        #expect(fake.calls == 1 && savedApplied(dir) == 3)
        await stop(daemon)
    }

    @Test("systemd: instances follow the count through systemctl on PATH, and drift is corrected")
    func systemd() async throws {
        let dir = Workspace()
        let systemctl = FakeSystemctl()
        defer { dir.remove(); systemctl.remove() }
        writeConfig(dir, actuator: "type = systemd\nunit = llama@{i}.service\nreconcile_interval = 200ms",
                    policy: "max_replicas = 5", poll: "50ms")
        dir.writeLoads(#"{"a": 30}"#)
        let daemon = await start(dir, environment: ["PATH": "\(systemctl.binDirectory):/usr/bin:/bin"])
        #expect(await daemon.waitForLine("event=actuate ", "replicas=3", "started=\"llama@1.service llama@2.service llama@3.service\"") != nil)
        dir.writeLoads(#"{"a": 55}"#)
        #expect(await daemon.waitForLine("event=actuate ", "replicas=4 previous=3", "started=llama@4.service") != nil)
        #expect(systemctl.activeUnits == (1...4).map { "llama@\($0).service" })

        // Two kinds of drift; a reconcile can run between the two changes, so each fix may come on
        // its own line.
        let drifted = daemon.stderrLines.count
        systemctl.setState("failed", of: "llama@2.service")
        systemctl.setState("active", of: "llama@5.service")
        let restarted = await daemon.waitForLine("event=actuate ", "direction=same", "started=llama@2.service", after: drifted)
        let stopped = await daemon.waitForLine("event=actuate ", "direction=same", "stopped=llama@5.service", after: drifted)
        #expect(restarted?.contains("level=notice") == true)
        #expect(stopped?.contains("level=notice") == true)
        #expect(systemctl.activeUnits == (1...4).map { "llama@\($0).service" })
        #expect(systemctl.calls.allSatisfy { $0.hasPrefix("is-active ") || $0.hasPrefix("--no-ask-password --no-block ") })
        #expect(ProcessTable.zombieChildren(of: daemon.pid).isEmpty)
        await stop(daemon)
    }
}
