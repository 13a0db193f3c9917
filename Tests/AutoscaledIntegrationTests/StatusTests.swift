import Glibc
import Testing

@Suite("`status` against the real binary and a real daemon")
struct StatusTests {
    @Test("with no state file, status says so and exits 1")
    func noStateFile() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        let result = await ChildProcess.run(["status", "--config", dir.configPath], in: dir.path)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr == "no state file at \(dir.statePath): the daemon has not run with this config yet\n")
    }

    @Test("with no state file but its lock held (a daemon that could not write it yet), status and pause say a daemon runs")
    func noStateFileLockHeld() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        mkdir(dir.file("state"), 0o755)
        // This process plays the daemon that holds the lock and has written nothing.
        let lock = open(dir.statePath + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        #expect(lock >= 0 && flock(lock, LOCK_EX | LOCK_NB) == 0)
        defer { close(lock) }
        let held = "no state file at \(dir.statePath): a daemon (pid \(getpid())) holds its lock but has not written it yet "
            + "(its log says why: event=state-write-failed)\n"
        let status = await ChildProcess.run(["status", "--config", dir.configPath], in: dir.path)
        #expect(status.status == 1)
        #expect(status.stderr == held)
        let pause = await ChildProcess.run(["pause", "--config", dir.configPath], in: dir.path)
        #expect(pause.status == 1)
        #expect(pause.stderr == held, "\(pause.stderr)")
    }

    @Test("status shows the daemon's last decision and a source that went bad")
    func afterRun() async {
        let dir = Workspace()
        defer { dir.remove() }
        // Reads come on the file's changes; an hour's poll keeps the failure at one poll interval
        // however long a busy test run holds this test up before it asks.
        dir.writeConfig(pollInterval: "1h")
        dir.writeLoads(#"{"server1": 30, "server2": 55, "server3": 20}"#)
        let daemon = ChildProcess(autoscaledBinary(), ["run", "--config", dir.configPath], captureIn: dir.path)
        #expect(await daemon.waitForLine("event=scale-up from=3 to=4") != nil)
        dir.writeLoads("{not json")
        #expect(await daemon.waitForLine("event=source-error") != nil)
        // The state file is written after the decision that follows the failed read.
        #expect(await dir.waitForState(#""consecutive_failures":1"#) != nil)
        let text = await ChildProcess.run(["status", "--config", dir.configPath], in: dir.path)
        #expect(text.status == 0)
        var lines = text.stdout.split(separator: "\n").map(String.init)
        // The daemon holds the state file's lock: status says so, with its pid.
        #expect(lines.first == "daemon:            running (pid \(daemon.pid))")
        lines.removeFirst()
        #expect(lines.first == "desired replicas:  4")
        #expect(lines.dropFirst().first?.hasPrefix("last decision:     scale-up from 3 to 4, ") == true)
        #expect(lines.dropFirst(2).first
            == "                   1 server above scale_up_threshold 50 (max server2=55); total load 105 needs 3 at target_load 50: +1 (a scale-up adds at least 1)")
        // No usable data holds the count: said next to the last change.
        #expect(lines.dropFirst(3).first?.hasPrefix("wanted replicas:   unknown (no usable data), held by no_usable_data for ") == true)
        #expect(lines.dropFirst(4).first?.hasPrefix("                   as last saved: no usable load data: \(dir.loadPath): line 1: ") == true)
        #expect(lines.dropFirst(5).first?.hasPrefix("source:            failing, 1 failed poll interval in a row, last good read ") == true)
        // The last error names the source it came from.
        #expect(lines.dropFirst(6).first?.hasPrefix("                   last error: \(dir.loadPath): line 1: ") == true, "\(text.stdout)")
        let json = await ChildProcess.run(["status", "--config", dir.configPath, "--json"], in: dir.path)
        #expect(json.status == 0)
        #expect(json.stdout.hasPrefix(#"{"actuator_acts":false,"daemon":{"pid":"# + "\(daemon.pid)" + #","running":true},"desired_replicas":4,"#
            + #""last_decision":{"action":"scale-up","age_seconds":"#), "\(json.stdout)")
        #expect(json.stdout.contains(#""source":{"consecutive_failures":1,"health":"failing","last_error":""# + dir.loadPath + ": line 1: "),
                "\(json.stdout)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
        let stopped = await ChildProcess.run(["status", "--config", dir.configPath], in: dir.path)
        #expect(stopped.stdout.hasPrefix("daemon:            not running: what follows is what it last saved\ndesired replicas:  4\n"),
                "\(stopped.stdout)")
    }
}
