import AutoscaledTestSupport
import Glibc
import Testing

@Suite("faults: crashes, full disks, signal storms, unsafe files")
struct FaultInjectionTests {
    /// Every count the daemon's log shows as current: `replicas=` of start lines and `to=` of decisions.
    func loggedCounts(_ lines: [String]) -> Set<Int> {
        var counts = Set<Int>()
        for line in lines {
            for field in line.split(separator: " ") where field.hasPrefix("to=") || (field.hasPrefix("replicas=") && line.contains("event=start")) {
                if let value = Int(field.split(separator: "=").last ?? "") { counts.insert(value) }
            }
        }
        return counts
    }

    @Test("SIGKILL at random moments during rapid decisions never leaves a state file the log does not back")
    func crashSafety() async {
        let dir = Workspace()
        defer { dir.remove() }
        // A 10 ms poll_interval is a 10 ms tick: the policy may decide again every 10 ms.
        dir.writeConfig(policy: "scale_up_cooldown = 0\nscale_down_stabilization = 0\nmax_replicas = 50\n"
                            + "max_scale_up_per_minute = 100000\nmax_scale_down_per_minute = 100000",
                        pollInterval: "10ms", log: "level = info")
        dir.writeLoads(#"{"a": 90}"#)
        var generator = SystemRandomNumberGenerator()
        var decisions = 0
        var kills = 0
        var expectedStart: Int?
        // At least 200 decisions and 3 kills, however many decisions one life makes on a busy machine.
        while decisions < 200 || kills < 3 {
            let daemon = ChildProcess(autoscaledBinary(), ["run", "--config", dir.configPath], captureIn: dir.path)
            guard let start = await daemon.waitForLine("event=start") else {
                Issue.record("no start: \(daemon.standardError)")
                return
            }
            if let expectedStart { #expect(start.contains(" replicas=\(expectedStart) state=resumed"), "\(start)") }
            let writes = Int.random(in: 5...40, using: &generator)
            for index in 0..<writes {
                dir.writeLoads(index % 3 == 2 ? #"{"a": 5}"# : #"{"a": 90}"#)
                try? await Task.sleep(for: .microseconds(Int.random(in: 200...3000, using: &generator)))
            }
            daemon.signal(SIGKILL)
            #expect(await daemon.wait() == 128 + SIGKILL)
            kills += 1
            let lines = daemon.stderrLines
            decisions += lines.filter { $0.contains("event=scale-") }.count
            guard let saved = dir.savedReplicas() else {
                Issue.record("state file unreadable after kill \(kills): \(dir.read(dir.statePath))")
                return
            }
            #expect(loggedCounts(lines).contains(saved), "saved \(saved), logged \(loggedCounts(lines).sorted())")
            #expect(!readText(dir.statePath).isEmpty)
            expectedStart = saved
        }
    }

    @Test("a full disk: state-write-failed, the daemon keeps deciding, retries, and the old file stays whole")
    func fullDisk() async throws {
        let dir = Workspace()
        defer { dir.remove() }
        let stateDirectory = dir.file("state")
        mkdir(stateDirectory, 0o755)
        // A tiny tmpfs, when this user may mount one (root); else a read-only directory.
        let mounted = shell("mount -t tmpfs -o size=64k tmpfs '\(stateDirectory)' 2>/dev/null") == 0
        defer { if mounted { _ = shell("umount '\(stateDirectory)'") } }
        dir.writeConfig(policy: "scale_up_cooldown = 0\nmax_scale_up_per_minute = 100000\nmax_replicas = 1000", pollInterval: "100ms")
        dir.writeLoads(#"{"a": 30}"#)
        let daemon = ChildProcess(autoscaledBinary(), ["run", "--config", dir.configPath], captureIn: dir.path)
        #expect(await daemon.waitForLine("event=hold") != nil)
        #expect(dir.savedReplicas() == 3)
        let filler = dir.file("state/filler")
        if mounted {
            _ = shell("dd if=/dev/zero of='\(filler)' bs=4k count=64 2>/dev/null")
        } else {
            chmod(stateDirectory, 0o555)
        }

        // With no cooldown, every tick (100 ms) with a hot file adds one replica, and a write can be
        // evaluated more than once: the test follows the counts the log shows, not exact steps.
        dir.writeLoads(#"{"a": 90}"#)
        let failed = await daemon.waitForLine("level=error event=state-write-failed")
        #expect(failed?.contains(mounted ? "no space left on device" : "permission denied") == true, "\(failed ?? "none")")
        #expect(await daemon.waitForLine("event=scale-up from=3 to=4") != nil)
        #expect(dir.savedReplicas() == 3, "the old state file must stay whole")
        // Still deciding while the disk is full.
        let before = daemon.stderrLines.count
        dir.writeLoads(#"{"a": 91}"#)
        #expect(await daemon.waitForLine("event=scale-up", "max_load=91", after: before) != nil)
        #expect(dir.savedReplicas() == 3, "the old state file must stay whole")
        #expect(listing(stateDirectory).allSatisfy { !$0.contains(".tmp-") }, "temporary file left: \(listing(stateDirectory))")

        // Space again: the next evaluation saves the current count, the last one logged.
        if mounted { unlink(filler) } else { chmod(stateDirectory, 0o755) }
        let freed = daemon.stderrLines.count
        dir.writeLoads(#"{"a": 92}"#)
        #expect(await daemon.waitForLine("event=scale-up", "max_load=92", after: freed) != nil)
        // A save begun before the space came back may still fail; every one from this decision on saves.
        let saving = daemon.stderrLines.firstIndex { $0.contains("event=scale-up") && $0.contains("max_load=92") } ?? freed
        try await Task.sleep(for: .milliseconds(300))
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
        let lastLogged = daemon.stderrLines.last { $0.contains("event=stop") }
            .flatMap { $0.split(separator: " ").first { $0.hasPrefix("replicas=") } }
            .flatMap { Int($0.dropFirst("replicas=".count)) }
        #expect(lastLogged != nil && lastLogged! >= 6)
        #expect(dir.savedReplicas() == lastLogged)
        #expect(!daemon.stderrLines.dropFirst(saving).contains { $0.contains("event=state-write-failed") })
    }

    @Test("1 000 SIGHUPs in a burst: the daemon stays up and ends on the latest config")
    func signalStorm() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig(policy: "scale_up_threshold = 50")
        dir.writeLoads(#"{"a": 55}"#)
        let daemon = ChildProcess(autoscaledBinary(), ["run", "--config", dir.configPath], captureIn: dir.path)
        #expect(await daemon.waitForLine("event=scale-up from=3 to=4") != nil)
        for index in 0..<1000 {
            if index == 990 { dir.writeConfig(policy: "scale_up_threshold = 60") }
            daemon.signal(SIGHUP)
        }
        #expect(await daemon.waitForLine("event=reload", "scale_up_threshold=50->60") != nil)
        try? await Task.sleep(for: .milliseconds(300))
        let before = daemon.stderrLines.count
        daemon.signal(SIGHUP)
        #expect(await daemon.waitForLine("event=reload", "changes=none", after: before) != nil)
        #expect(await daemon.waitForLine("event=hold", "servers_to_scale=0", after: before) != nil)
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
        #expect(!daemon.standardError.contains("reload-failed"))
    }

    @Test("a config file writable by every user, or an actuator's program that cannot be run, is warned about at start, at each reload and by check-config")
    func hostWarnings() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        dir.writeLoads(#"{"a": 30}"#)
        chmod(dir.configPath, 0o666)
        let daemon = ChildProcess(autoscaledBinary(), ["run", "--config", dir.configPath], captureIn: dir.path)
        #expect(await daemon.waitForLine("level=warning event=config-insecure", "mode=666") != nil)
        // A reload onto an exec actuator whose program is missing: applied, and warned about, as the mode is again.
        let missing = dir.file("bin/scale")
        // Renamed into place already writable by all: the reload the rename wakes sees both.
        dir.write(dir.file("next.conf"), dir.read(dir.configPath) + "\n[actuator]\ntype = exec\ncommand = \(missing) {replicas}\n")
        chmod(dir.file("next.conf"), 0o666)
        #expect(rename(dir.file("next.conf"), dir.configPath) == 0)
        let cause = "program '\(missing)' does not exist: every actuation fails until it can be run"
        #expect(await daemon.waitForLine("level=warning event=actuator-cannot-run", "actuator=exec", cause) != nil,
                "\(daemon.standardError)")
        // The reload's config-insecure line comes before its actuator-cannot-run line.
        #expect(daemon.standardError.components(separatedBy: "event=config-insecure").count >= 3, "\(daemon.standardError)")
        let check = await ChildProcess.run(["check-config", "--config", dir.configPath], in: dir.path)
        #expect(check.status == 0)
        #expect(check.stdout == "ok\n")
        #expect(check.stderr == "warning: \(dir.configPath): mode 666: the config file is writable by every user, who can then "
            + "change what the daemon does\nwarning: [actuator] \(cause)\n", "\(check.stderr)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
        var info = stat()
        stat(dir.statePath, &info)
        #expect(info.st_mode & 0o777 == 0o644, "state file mode \(String(info.st_mode & 0o777, radix: 8))")
    }
}
