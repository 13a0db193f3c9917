import AutoscaledTestSupport
import Glibc
import Testing

/// Files the daemon writes are never followed into someone else's file; one daemon per state file;
/// a state file it does not understand is kept, not overwritten.
@Suite("what the daemon refuses to do to files")
struct FileSafetyTests {
    /// A file the test owns, standing in for another user's file or a device: content and mode are checked after.
    struct Victim {
        let path: String
        let content = "someone else's data\n"

        init(_ dir: Workspace, _ name: String) {
            path = dir.file(name)
            dir.write(path, content)
            chmod(path, 0o600)
        }

        var untouched: Bool {
            var info = stat()
            return readText(path) == content && stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600
        }
    }

    func mkdirs(_ dir: Workspace, _ names: String...) {
        for name in names { mkdir(dir.file(name), 0o755) }
    }

    /// Starts the binary with `arguments`, as uid and gid 61234 when `asOther` (root may read,
    /// write and search anything; not nobody: the process-limit test counts nobody's processes
    /// meanwhile). `setpriv` execs the binary: the child's pid is the binary's.
    func spawn(_ arguments: [String], in dir: Workspace, asOther: Bool) -> ChildProcess {
        asOther
            ? ChildProcess("/usr/bin/setpriv", ["--reuid=61234", "--regid=61234", "--clear-groups", autoscaledBinary()] + arguments,
                           captureIn: dir.path)
            : ChildProcess(autoscaledBinary(), arguments, captureIn: dir.path)
    }

    /// A workspace whose config puts the state file at `state` (relative to it), with the directory
    /// `restricting` on that path set to `mode`. The config and the loads stay readable by the user the
    /// binary runs as: uid 61234 when the tests run as root (``spawn(_:in:asOther:)``), else this one.
    struct RestrictedStateDirectory {
        let dir = Workspace()
        let restricting: String
        let asOther = geteuid() == 0
        var uid: uid_t { asOther ? 61234 : geteuid() }

        init(state: String, restricting: String, to mode: mode_t) {
            self.restricting = restricting
            var path = ""
            for step in state.split(separator: "/").dropLast() {
                path += path.isEmpty ? String(step) : "/\(step)"
                mkdir(dir.file(path), 0o755)
            }
            dir.writeConfig()
            dir.writeAtomically(dir.configPath, dir.read(dir.configPath).replacing("path = state/state.json", with: "path = \(state)"))
            dir.writeLoads(#"{"a": 30}"#)
            chmod(dir.path, 0o755)
            for path in [dir.configPath, dir.loadPath] { chmod(path, 0o644) }
            chmod(dir.file(restricting), mode)
        }

        /// Gives the restricted directory its mode back and removes the workspace.
        func remove() {
            chmod(dir.file(restricting), 0o755)
            dir.remove()
        }
    }

    /// Runs the binary with `arguments` to its end (killed if it has not ended within the tests'
    /// patience), as uid 61234 when `asOther` (``spawn(_:in:asOther:)``).
    func runToEnd(_ arguments: [String], in dir: Workspace, asOther: Bool) async -> (status: Int32?, standardError: String) {
        let child = spawn(arguments, in: dir, asOther: asOther)
        let status = await child.wait()
        if status == nil {
            child.signal(SIGKILL)
            _ = await child.wait()
        }
        return (status, child.standardError)
    }

    @Test("a symlink at the state, metrics or file-actuator path is a config error at start, and refused, logged naming the link, when put there while the daemon runs; its target is untouched")
    func symlinksRefused() async {
        let dir = Workspace()
        defer { dir.remove() }
        mkdirs(dir, "state", "metrics", "out")
        let victims = [Victim(dir, "victim-state"), Victim(dir, "victim-metrics"), Victim(dir, "victim-count")]
        let links = [dir.statePath, dir.file("metrics/m.prom"), dir.file("out/count")]
        func putLinks() {
            for (victim, link) in zip(victims, links) {
                unlink(link)
                symlink(victim.path, link)
            }
        }
        dir.writeConfig(log: "level = debug\n\n[metrics]\ntextfile = metrics/m.prom\n\n[actuator]\ntype = file\npath = out/count")
        dir.writeLoads(#"{"a": 30}"#)
        // There at start: the config is refused, each link named.
        putLinks()
        let refused = await ChildProcess.run(["run", "--config", dir.configPath], in: dir.path)
        #expect(refused.status == 78)
        for link in links {
            #expect(refused.stderr.contains("'\(link)' cannot be written: it is a symbolic link, not a regular file"), "\(refused.stderr)")
        }
        // Put there while the daemon runs: each write is refused, naming the link.
        for link in links { unlink(link) }
        let daemon = await startDaemon(dir)
        #expect(await daemon.waitForLine("event=actuate actuator=file replicas=3") != nil, "\(daemon.standardError)")
        putLinks()
        dir.writeLoads(#"{"a": 30, "b": 55, "c": 20}"#)
        let refusal = "is a symbolic link (to "
        // A line with path= names the file there once; the actuator's line names it in its cause.
        #expect(await daemon.waitForLine("level=error event=state-write-failed path=\(dir.statePath)",
                                         "cause=\"\(refusal)\(victims[0].path)); refusing to write through it") != nil)
        #expect(await daemon.waitForLine("event=metrics-write-failed path=\(dir.file("metrics/m.prom"))",
                                         "cause=\"\(refusal)\(victims[1].path))") != nil)
        #expect(await daemon.waitForLine("level=error event=actuate-failed actuator=file replicas=4",
                                         "\(dir.file("out/count")): \(refusal)\(victims[2].path))") != nil)
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
        for victim in victims { #expect(victim.untouched, "\(victim.path) changed") }
        var info = stat()
        for link in links {
            #expect(lstat(link, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK, "\(link) is no longer the link")
        }
    }

    @Test("temporary files a killed writer left are removed at start; other files stay")
    func leftoversRemoved() async {
        let dir = Workspace()
        defer { dir.remove() }
        mkdirs(dir, "state")
        // A pid that names no process: a short-lived child, already reaped.
        let gone = ChildProcess("/bin/true", [], captureIn: dir.path)
        _ = await gone.wait()
        let stale = dir.file("state/.state.json.autoscaled-tmp.\(gone.pid)")
        let unrelated = dir.file("state/.notes.autoscaled-tmp.\(gone.pid)")
        dir.write(stale, "half a state")
        dir.write(unrelated, "not ours")
        dir.writeConfig()
        dir.writeLoads(#"{"a": 30}"#)
        let daemon = await startDaemon(dir)
        #expect(daemon.standardError.contains("level=notice event=temp-removed path=\(stale)"), "\(daemon.standardError)")
        #expect(access(stale, F_OK) == -1)
        #expect(readText(unrelated) == "not ours")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }

    @Test("a second daemon on the same state file exits 1 naming the first's pid; once and status still work")
    func secondDaemonRefused() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        dir.writeLoads(#"{"server1": 30, "server2": 55, "server3": 20}"#)
        let first = await startDaemon(dir)
        #expect(await dir.waitForSavedReplicas(4) == 4)
        let second = await ChildProcess.run(["run", "--config", dir.configPath], in: dir.path)
        #expect(second.status == 1)
        #expect(second.stderr.contains("level=error event=state-locked path=\(dir.statePath) lock=\(dir.statePath).lock "
            + "pid=\(first.pid) cause=\"another autoscaled (pid \(first.pid)) is using this state file\""), "\(second.stderr)")
        #expect(!second.stderr.contains("event=start"))
        let last = second.stderr.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.contains("level=error event=stop status=1 cause=\"not started: \(dir.statePathLine)[state] path \(dir.statePath): another "
            + "autoscaled (pid \(first.pid)) is using this state file\""), "\(second.stderr)")
        let once = await ChildProcess.run(["once", "--config", dir.configPath], in: dir.path)
        #expect(once.status == 0 && once.stdout.hasPrefix("Servers to scale: 1\n"))
        let status = await ChildProcess.run(["status", "--config", dir.configPath], in: dir.path)
        // The count may have gone on past 4 (the cooldown ends while a busy machine runs this test).
        let shown = status.stdout.split(separator: "\n").dropFirst().first.flatMap { Int($0.dropFirst("desired replicas:  ".count)) }
        #expect(status.status == 0 && status.stdout.hasPrefix("daemon:            running (pid \(first.pid))\n")
                && (shown ?? 0) >= 4, "\(status.stdout)")
        first.signal(SIGTERM)
        #expect(await first.wait() == 0)
        // The lock goes with the process: the next daemon starts.
        let third = await startDaemon(dir)
        third.signal(SIGTERM)
        #expect(await third.wait() == 0)
    }

    @Test("a full disk at start: the lock is taken though its pid cannot be written, and the daemon runs and says so (as root: a small tmpfs)")
    func fullDiskAtStart() async {
        guard getuid() == 0, shell("unshare -m true 2> /dev/null") == 0 else { return }
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        dir.writeLoads(#"{"a": 30}"#)
        let state = dir.file("state")
        mkdir(state, 0o755)
        let script = "mount -t tmpfs -o size=8k tmpfs '\(state)' && (dd if=/dev/zero of='\(state)/fill' bs=1k count=64 2> /dev/null; true) "
            + "&& exec timeout --preserve-status -s TERM 2 '\(autoscaledBinary())' run --config '\(dir.configPath)'"
        // Waited for without holding a thread of the test runner's pool for the daemon's 2 s.
        let child = ChildProcess("/usr/bin/unshare", ["-m", "sh", "-c", script], captureIn: dir.path)
        #expect(await child.wait(timeout: .seconds(60)) == 0, "the daemon ran until SIGTERM and stopped with 0")
        let log = child.standardError
        #expect(log.contains("level=warning event=state-write-failed path=\(dir.statePath) lock=\(dir.statePath).lock "
            + "cause=\"write: no space left on device (errno 28): the lock is held"), "\(log)")
        #expect(log.contains("level=info event=start "))
        #expect(log.contains("event=stop signal=SIGTERM"))
    }

    @Test("a lock file removed while the daemon runs is locked again at its next wake-up, so a second daemon is still refused")
    func removedLockRetaken() async {
        let dir = Workspace()
        defer { dir.remove() }
        // No poll within the test: the daemon wakes when the load file is written.
        dir.writeConfig(pollInterval: "1h")
        dir.writeLoads(#"{"a": 30}"#)
        let daemon = await startDaemon(dir)
        unlink(dir.statePath + ".lock")
        let before = daemon.stderrLines.count
        dir.writeLoads(#"{"a": 31}"#)
        #expect(await daemon.waitForLine("level=warning event=state-lock-restored path=\(dir.statePath) lock=\(dir.statePath).lock "
            + "cause=\"its lock file was removed while the daemon ran; the lock is taken again\"", after: before) != nil,
                "\(daemon.standardError)")
        let second = await ChildProcess.run(["run", "--config", dir.configPath], in: dir.path)
        #expect(second.status == 1)
        #expect(second.stderr.contains("event=state-locked path=\(dir.statePath) lock=\(dir.statePath).lock pid=\(daemon.pid) "),
                "\(second.stderr)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }

    @Test("a state file removed while the daemon runs, alone or with its directory, is written again at the next wake-up",
          arguments: [false, true])
    func removedStateFileWrittenAgain(_ withDirectory: Bool) async {
        let dir = Workspace()
        defer { dir.remove() }
        // No poll within the test.
        dir.writeConfig(pollInterval: "1h")
        dir.writeLoads(#"{"a": 30}"#)
        let daemon = await startDaemon(dir)
        // The first evaluation's write (after its line), the last one due: it names the source's good read.
        #expect(await dir.waitForState("\"last_good_read\"") != nil)
        if withDirectory {
            let stateDirectory = String(dir.statePath[..<dir.statePath.lastIndex(of: "/")!])
            _ = system("rm -rf '\(stateDirectory)'")
        } else {
            unlink(dir.statePath)
        }
        // A wake-up that evaluates nothing (an ignored signal): only the check writes it again.
        daemon.signal(SIGUSR1)
        let deadline = ContinuousClock.now + patience
        while access(dir.statePath, F_OK) != 0, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        #expect(dir.savedReplicas() == 3, "\(daemon.standardError)")
        let status = await ChildProcess.run(["status", "--config", dir.configPath], in: dir.path)
        #expect(status.status == 0 && status.stdout.contains("desired replicas:  3"), "\(status.stdout)\(status.stderr)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }

    @Test("a daemon whose removed lock file another daemon locked stops with status 1, naming it, and leaves the state file to it")
    func removedLockTakenByAnother() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig(pollInterval: "1h")
        dir.writeLoads(#"{"a": 30}"#)
        let first = await startDaemon(dir)
        unlink(dir.statePath + ".lock")
        let second = await startDaemon(dir)
        dir.writeLoads(#"{"a": 31}"#)
        #expect(await first.wait() == 1)
        let cause = "its lock file was removed while the daemon ran, and another autoscaled (pid \(second.pid)) is using this state file now"
        #expect(first.standardError.contains("level=error event=state-locked path=\(dir.statePath) lock=\(dir.statePath).lock "
            + "pid=\(second.pid) cause=\"\(cause)\""), "\(first.standardError)")
        let last = first.stderrLines.last ?? ""
        #expect(last.contains("level=error event=stop status=1 cause=\"[state] path \(dir.statePath): \(cause); "
            + "stopped without writing it\" replicas="), "\(first.standardError)")
        // The second goes on alone, and its stop saves the state file.
        #expect(await second.waitForLine("max_load=31") != nil, "\(second.standardError)")
        second.signal(SIGTERM)
        #expect(await second.wait() == 0)
    }

    @Test("a reload onto a state file below a file is refused, naming the file in the way; the old one stays in use")
    func reloadOntoUnusableLockRefused() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        dir.writeLoads(#"{"a": 30}"#)
        dir.write(dir.file("blocker"), "")
        let daemon = await startDaemon(dir)
        let state = dir.file("blocker/state.json")
        let before = daemon.stderrLines.count
        dir.writeAtomically(dir.configPath, dir.read(dir.configPath).replacing("path = state/state.json", with: "path = \(state)"))
        daemon.signal(SIGHUP)
        #expect(await daemon.waitForLine("level=error event=reload-failed config=\(dir.configPath) errors=1 ",
                                         "[state] path '\(state)' cannot be written: '\(dir.file("blocker"))' is a regular file, "
                                            + "not a directory", after: before) != nil, "\(daemon.standardError)")
        // Still the old state file: a stop saves there, and the daemon stops as it should.
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
        #expect(dir.savedReplicas() == 3)
    }

    @Test("a reload onto a path holding a state file (another run's, or a damaged one) sets that file aside and says so, never overwrites it")
    func reloadOntoExistingStateKeepsIt() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        dir.writeLoads(#"{"a": 30}"#)
        mkdir(dir.file("other"), 0o755)
        let otherRun = #"{"version":1,"desired_replicas":9,"updated_at":"2026-11-01T10:00:00.000Z"}"# + "\n"
        dir.write(dir.file("other/state.json"), otherRun)
        dir.write(dir.file("other/damaged.json"), "{\"version\":1,")
        let daemon = await startDaemon(dir)
        for (name, cause) in [
            ("state.json", "a state file was there (desired_replicas 9, written 2026-11-01T10:00:00.000Z); the running state is "
                + "written in its place, not resumed from it"),
            ("damaged.json", "a state file that cannot be used was there ("),
        ] {
            let state = dir.file("other/\(name)")
            // The write is seen and reloaded, SIGHUP or not: count the lines before it.
            let before = daemon.stderrLines.count
            dir.writeAtomically(dir.configPath, dir.read(dir.configPath).replacing(#/path = \S*state\S*\.json/#, with: "path = \(state)"))
            daemon.signal(SIGHUP)
            #expect(await daemon.waitForLine("level=warning event=state-kept-aside path=\(state) kept=\(state).before-reload "
                + "cause=\"\(cause)", after: before) != nil, "\(daemon.standardError)")
            #expect(await daemon.waitForLine("level=info event=reload ", after: before) != nil)
        }
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
        #expect(dir.read(dir.file("other/state.json.before-reload")) == otherRun)
        #expect(dir.read(dir.file("other/damaged.json.before-reload")) == "{\"version\":1,")
        #expect(dir.read(dir.file("other/damaged.json")).contains(#""desired_replicas":3,"#))
    }

    @Test("a reload onto a state file that cannot be set aside is refused, naming why; that file is never written over, and a later reload takes it")
    func reloadOntoStateNotSetAsideRefused() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        dir.writeLoads(#"{"a": 30}"#)
        mkdirs(dir, "other")
        let state = dir.file("other/state.json")
        let otherRun = #"{"version":1,"desired_replicas":9,"updated_at":"2026-11-01T10:00:00.000Z"}"# + "\n"
        dir.write(state, otherRun)
        // The lock file is there already: claiming the state file in a directory its user may not
        // write gets as far as renaming the file there aside.
        dir.write(state + ".lock", "")
        let asOther = geteuid() == 0
        if asOther {
            for path in [dir.path, dir.configPath, dir.loadPath, dir.file("other"), state, state + ".lock"] { chown(path, 61234, 61234) }
        }
        chmod(dir.file("other"), 0o555)
        defer { chmod(dir.file("other"), 0o755) }
        let daemon = spawn(["run", "--config", dir.configPath], in: dir, asOther: asOther)
        #expect(await daemon.waitForLine(" from=") != nil, "no first evaluation: \(daemon.standardError)")
        var before = daemon.stderrLines.count
        dir.writeAtomically(dir.configPath, dir.read(dir.configPath).replacing("path = state/state.json", with: "path = \(state)"))
        daemon.signal(SIGHUP)
        let uid = asOther ? 61234 : geteuid()
        let cause = "renameat(\(state).before-reload): permission denied: uid \(uid) may not write \(dir.file("other")), "
            + "the directory it would be made in (errno 13)"
        #expect(await daemon.waitForLine("level=error event=state-write-failed path=\(state) cause=\"\(cause)\"", after: before) != nil,
                "\(daemon.standardError)")
        #expect(await daemon.waitForLine("level=error event=reload-failed config=\(dir.configPath) errors=1 cause=\"\(dir.statePathLine)"
            + "[state] path \(state): cannot set aside the state file there: \(cause)\" kept=\"the running config\"", after: before) != nil,
                "\(daemon.standardError)")
        #expect(dir.read(state) == otherRun)
        // Once it can be set aside, a reload takes the path: the failed one let go of its lock.
        chmod(dir.file("other"), 0o755)
        before = daemon.stderrLines.count
        daemon.signal(SIGHUP)
        #expect(await daemon.waitForLine("level=warning event=state-kept-aside path=\(state) kept=\(state).before-reload ",
                                         after: before) != nil, "\(daemon.standardError)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
        #expect(dir.read(state + ".before-reload") == otherRun)
        #expect(dir.read(state).contains(#""desired_replicas":3,"#))
    }

    @Test("a reload onto another daemon's state file is refused, naming its pid; the old state file stays in use")
    func reloadOntoLockedStateRefused() async {
        let first = Workspace(), second = Workspace()
        defer { first.remove(); second.remove() }
        for dir in [first, second] {
            dir.writeConfig()
            dir.writeLoads(#"{"a": 30}"#)
        }
        let owner = await startDaemon(first)
        let daemon = await startDaemon(second)
        let config = second.read(second.configPath).replacing("path = state/state.json", with: "path = \(first.statePath)")
        let before = daemon.stderrLines.count
        second.writeAtomically(second.configPath, config)
        daemon.signal(SIGHUP)
        let cause = "another autoscaled (pid \(owner.pid)) is using this state file"
        #expect(await daemon.waitForLine("level=error event=state-locked path=\(first.statePath)", "pid=\(owner.pid)", after: before) != nil)
        #expect(await daemon.waitForLine("level=error event=reload-failed config=\(second.configPath) errors=1 "
            + "cause=\"\(second.statePathLine)[state] path \(first.statePath): \(cause)\"", after: before) != nil, "\(daemon.standardError)")
        // Still the old one's: a stop saves there.
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
        #expect(second.savedReplicas() == 3)
        owner.signal(SIGTERM)
        #expect(await owner.wait() == 0)
    }

    @Test("a state file that is there but cannot be read stops the start: the count it may hold is neither replaced nor written over")
    func unreadableStateRefused() async {
        let dir = Workspace()
        defer { dir.remove() }
        mkdirs(dir, "state")
        let saved = #"{"version":1,"desired_replicas":7,"updated_at":"2026-01-01T00:00:00Z"}"# + "\n"
        dir.write(dir.statePath, saved)
        chmod(dir.statePath, 0o600)
        dir.writeConfig()
        dir.writeLoads(#"{"a": 30}"#)
        // Root reads any file: run the daemon as a user of its own, who may write beside the file but
        // not read it (not nobody: the process-limit test counts nobody's processes meanwhile).
        let asOther = geteuid() == 0
        if asOther {
            for path in [dir.path, dir.file("state")] { chmod(path, 0o777) }
            for path in [dir.configPath, dir.file("loads.json")] { chmod(path, 0o644) }
        } else {
            chmod(dir.statePath, 0o000)
        }
        let (status, standardError) = await runToEnd(["run", "--config", dir.configPath], in: dir, asOther: asOther)
        #expect(status == 1, "\(standardError)")
        #expect(standardError.contains("level=error event=state-read-failed path=\(dir.statePath) cause=\"the state file is there "
            + "but cannot be read (open(\(dir.statePath)): permission denied (errno 13))"), "\(standardError)")
        #expect(standardError.contains("event=stop status=1"), "\(standardError)")
        #expect(!standardError.contains("event=start "))
        chmod(dir.statePath, 0o600)
        #expect(readText(dir.statePath) == saved)
    }

    @Test("a directory on the state file's path that this user may not search is named, at start and by status: not told as a denied open alone")
    func unsearchableStateDirectoryNamed() async {
        // Root searches every directory: run as a user of its own, who may not search `locked`.
        let restricted = RestrictedStateDirectory(state: "locked/state/state.json", restricting: "locked", to: 0o600)
        defer { restricted.remove() }
        let (dir, asOther, uid) = (restricted.dir, restricted.asOther, restricted.uid)
        let statePath = dir.file("locked/state/state.json")
        let denied = "permission denied: uid \(uid) may not search \(dir.file("locked")), a directory on its path (errno 13)"
        for command in [["run", "--config", dir.configPath], ["status", "--config", dir.configPath]] {
            let (status, standardError) = await runToEnd(command, in: dir, asOther: asOther)
            #expect(status == 1, "\(command[0]): \(standardError)")
            if command[0] == "run" {
                #expect(standardError.contains("level=error event=stop status=1 cause=\"not started: \(dir.statePathLine)[state] path "
                    + "\(statePath): cannot use its lock file \(statePath).lock: mkdir(\(dir.file("locked/state"))): \(denied)\"\n"),
                        "\(standardError)")
            } else {
                #expect(standardError == "open(\(statePath)): \(denied)\n")
            }
        }
    }

    @Test("a Unix socket source under a directory its user may not search names that directory, not the socket")
    func unsearchableSocketDirectoryNamed() async {
        let dir = Workspace()
        defer { dir.remove() }
        mkdirs(dir, "locked")
        let server = TestStreamServer.unix(at: dir.file("locked/feed.sock"))
        defer { server.stop() }
        dir.writeConfig(sourceSection: "type = unix\npath = locked/feed.sock\nformat = lines\npoll_interval = 10s")
        let asOther = geteuid() == 0
        chmod(dir.path, 0o755)
        chmod(dir.configPath, 0o644)
        chmod(dir.file("locked"), 0o600)
        defer { chmod(dir.file("locked"), 0o700) }
        let uid = asOther ? 61234 : geteuid()
        let (status, standardError) = await runToEnd(["once", "--config", dir.configPath], in: dir, asOther: asOther)
        #expect(status == 1)
        #expect(standardError == "\(dir.file("locked/feed.sock")): connect: permission denied: uid \(uid) may not search "
            + "\(dir.file("locked")), a directory on its path (errno 13)\n", "\(standardError)")
    }

    @Test("a state directory its user may search but not write is named, with the user, when the lock file cannot be made there")
    func unwritableStateDirectoryNamed() async {
        // Root writes in every directory: run as a user of its own, who may not write in `readonly`.
        let restricted = RestrictedStateDirectory(state: "readonly/state.json", restricting: "readonly", to: 0o555)
        defer { restricted.remove() }
        let (dir, asOther, uid) = (restricted.dir, restricted.asOther, restricted.uid)
        let lock = dir.file("readonly/state.json.lock")
        let (status, standardError) = await runToEnd(["run", "--config", dir.configPath], in: dir, asOther: asOther)
        #expect(status == 1)
        #expect(standardError.contains("level=error event=stop status=1 cause=\"not started: \(dir.statePathLine)[state] path "
            + "\(dir.file("readonly/state.json")): cannot use its lock file \(lock): openat: permission denied: uid \(uid) may not "
            + "write \(dir.file("readonly")), the directory it would be made in (errno 13)\"\n"), "\(standardError)")
    }

    @Test("a load file's path through a regular file names that file, in once and in the daemon's source-error")
    func loadPathThroughFileNamed() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.write(dir.file("feeds"), "not a directory")
        dir.writeConfig(source: "", pollInterval: "10s")
        dir.writeAtomically(dir.configPath, dir.read(dir.configPath).replacing("path = loads.json", with: "path = feeds/loads.json"))
        let cause = "open: not a directory: \(dir.file("feeds")), on its path, is a regular file (errno 20)"
        let once = await ChildProcess.run(["once", "--config", dir.configPath], in: dir.path)
        #expect(once.status == 1)
        #expect(once.stderr == "\(dir.file("feeds/loads.json")): \(cause)\n", "\(once.stderr)")
        let daemon = await startDaemon(dir)
        #expect(await daemon.waitForLine("level=warning event=source-error source=\(dir.file("feeds/loads.json")) cause=\"\(cause)\" failures=1")
            != nil, "\(daemon.standardError)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }

    @Test("start-up cleanup removes every leftover of a dead writer it can, and names each one it cannot")
    func leftoversCleanedUp() async {
        let dir = Workspace()
        defer { dir.remove() }
        mkdirs(dir, "state")
        // Pids no process can have (above any pid_max).
        let names = (1...4).map { ".state.json.autoscaled-tmp.\(Int32.max - Int32($0))" }
        for name in names.dropLast() { dir.write(dir.file("state/\(name)"), "x") }
        mkdirs(dir, "state/\(names[3])")
        dir.writeConfig()
        dir.writeLoads(#"{"a": 30}"#)
        let daemon = await startDaemon(dir)
        let removed = daemon.stderrLines.filter { $0.contains("event=temp-removed") }
        #expect(Set(removed.compactMap { $0.split(separator: " ").first { $0.hasPrefix("path=") }.map { String($0.dropFirst(5)) } })
            == Set(names.dropLast().map { dir.file("state/\($0)") }), "\(daemon.standardError)")
        #expect(daemon.standardError.contains("level=warning event=temp-cleanup-failed path=\(dir.file("state/\(names[3])")) "
            + "cause=\"unlinkat: is a directory (errno 21)\""), "\(daemon.standardError)")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }

    @Test("a damaged state file is kept aside at start, not written over: whoever looks into the damage finds it")
    func damagedKeptAside() async {
        let dir = Workspace()
        defer { dir.remove() }
        mkdirs(dir, "state")
        let damaged = #"{"version":1,"desired_replicas":7,"updated_at":"#
        dir.write(dir.statePath, damaged)
        dir.write(dir.statePath + ".corrupt", "an earlier one")
        dir.writeConfig()
        dir.writeLoads(#"{"a": 30}"#)
        let daemon = await startDaemon(dir)
        #expect(daemon.standardError.contains("level=warning event=state-initial cause=\"\(dir.statePath): not a valid state file "
            + "(not JSON); starting from initial_replicas 3; the file is kept as \(dir.statePath).corrupt.2\""), "\(daemon.standardError)")
        #expect(readText(dir.statePath + ".corrupt.2") == damaged)
        #expect(readText(dir.statePath + ".corrupt") == "an earlier one")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
        #expect(dir.savedReplicas() == 3)
    }

    @Test("a state file of unknown version is kept aside, not resumed; status refuses to read it")
    func unknownVersionKeptAside() async {
        let dir = Workspace()
        defer { dir.remove() }
        mkdirs(dir, "state")
        let future = #"{"version":2,"desired_replicas":9,"updated_at":"x","shards":[1,2]}"# + "\n"
        dir.write(dir.statePath, future)
        dir.writeConfig()
        let status = await ChildProcess.run(["status", "--config", dir.configPath], in: dir.path)
        #expect(status.status == 1)
        #expect(status.stderr == "\(dir.statePath): version 2 is unknown to this autoscaled (it reads version 1)\n")
        dir.writeLoads(#"{"a": 30}"#)
        let daemon = await startDaemon(dir)
        #expect(daemon.standardError.contains("event=start config=\(dir.configPath)"))
        #expect(daemon.standardError.contains(" replicas=3 state=initial "))
        #expect(daemon.standardError.contains("level=warning event=state-initial cause=\"\(dir.statePath): version 2 is unknown "
            + "to this autoscaled (it reads version 1); not resumed, starting from initial_replicas 3; "
            + "the file is kept as \(dir.statePath).unknown-version-2\""), "\(daemon.standardError)")
        #expect(readText(dir.statePath + ".unknown-version-2") == future)
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
        #expect(dir.savedReplicas() == 3)
    }

    @Test("a state file of unknown version that cannot be set aside (the new name is too long) stops the start, the file untouched")
    func unknownVersionNotSetAsideRefused() async {
        let dir = Workspace()
        defer { dir.remove() }
        mkdirs(dir, "state")
        // 225 bytes: its files and their temporary files' names are allowed (the pause file's, the
        // longest, 255), the name it would be set aside under for a version of 16 digits (258) is not.
        let name = String(repeating: "s", count: 220) + ".json"
        let state = dir.file("state/\(name)")
        let future = #"{"version":1000000000000000,"desired_replicas":9,"updated_at":"x"}"# + "\n"
        dir.write(state, future)
        dir.writeConfig()
        dir.writeAtomically(dir.configPath, dir.read(dir.configPath).replacing("path = state/state.json", with: "path = \(state)"))
        dir.writeLoads(#"{"a": 30}"#)
        let refused = await ChildProcess.run(["run", "--config", dir.configPath], in: dir.path)
        #expect(refused.status == 1)
        let cause = "fstatat(\(state).unknown-version-1000000000000000): file name too long (errno 36)"
        #expect(refused.stderr.contains("level=error event=state-write-failed path=\(state) cause=\"\(cause)\""), "\(refused.stderr)")
        let last = refused.stderr.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.contains("level=error event=stop status=1 cause=\"not started: \(dir.statePathLine)[state] path \(state): cannot set aside "
            + "the state file of unknown version 1000000000000000: \(cause)\""), "\(refused.stderr)")
        #expect(!refused.stderr.contains("event=start"))
        #expect(readText(state) == future)
    }

    @Test("a state file below a file is a config error at start (exit 78), naming the file in the way, before any lock")
    func stateBelowAFile() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.write(dir.file("state"), "")
        dir.writeConfig()
        dir.writeLoads(#"{"a": 30}"#)
        let refused = await ChildProcess.run(["run", "--config", dir.configPath], in: dir.path)
        #expect(refused.status == 78)
        #expect(refused.stderr.contains(": [state] path '\(dir.statePath)' cannot be written: '\(dir.file("state"))' is a "
            + "regular file, not a directory"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("event=start"))
        let check = await ChildProcess.run(["check-config", "--config", dir.configPath], in: dir.path)
        #expect(check.status == 78)
    }

    @Test("status prints hostile text from the state file escaped")
    func statusEscapes() async {
        let dir = Workspace()
        defer { dir.remove() }
        mkdirs(dir, "state")
        let hostile = #"{"version":1,"desired_replicas":4,"updated_at":"t","last_decision":{"action":"scale-up","from":3,"to":4,"#
            + #""reason":"max \u001b]0;owned\u0007 \u202eevil\u202c\u200b\nfake: line","at":"t","at_unix":1}}"#
        dir.write(dir.statePath, hostile)
        dir.writeConfig()
        let status = await ChildProcess.run(["status", "--config", dir.configPath], in: dir.path)
        #expect(status.status == 0)
        #expect(status.stdout.contains(#"max \u{1b}]0;owned\u{7} \u{202e}evil\u{202c}\u{200b}\nfake: line"#), "\(status.stdout)")
        #expect(!status.stdout.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || (0x202A...0x202E).contains($0.value) || $0.value == 0x200B })
    }

    @Test("started with too few free file descriptors it exits 1 with a clear message")
    func tooFewDescriptors() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        dir.writeLoads(#"{"a": 30}"#)
        for command in ["run", "once"] {
            let child = ChildProcess("/bin/sh", ["-c", "ulimit -n 10; exec \"$0\" \(command) --config \"$1\"",
                                                 autoscaledBinary(), dir.configPath], captureIn: dir.path)
            #expect(await child.wait() == 1)
            #expect(child.standardError.hasPrefix("too few free file descriptors: "), "\(child.standardError)")
            #expect(child.standardError.hasSuffix(", autoscaled needs 32 (the open-file limit (ulimit -n) is 10; "
                + "raise it with ulimit -n or LimitNOFILE=)\n"), "\(child.standardError)")
        }
        #expect(access(dir.statePath, F_OK) == -1)
    }

    /// The sanitizers' runtimes map terabytes of shadow memory: no address-space limit fits them.
    static let underSanitizer = getenv("AUTOSCALED_SANITIZER") != nil

    @Test("under a limit on processes too tight for its threads every command exits 1 saying so, never hangs (as root: run as nobody)",
          .disabled(if: underSanitizer, "a sanitizer's runtime starts threads of its own"))
    func tooFewThreads() async {
        let asNobody = "prlimit --nproc=4:4 setpriv --reuid=65534 --regid=65534 --clear-groups"
        // The limit counts the user's processes: root is not held to it; nobody must be able to run the binary.
        guard getuid() == 0, shell("\(asNobody) test -x '\(autoscaledBinary())' 2> /dev/null") == 0 else { return }
        let dir = Workspace()
        defer { dir.remove() }
        for command in ["--version", "run --config /nonexistent/a.conf"] {
            let child = ChildProcess("/bin/sh", ["-c", "exec \(asNobody) \"$0\" \(command)", autoscaledBinary()], captureIn: dir.path)
            let status = await child.wait()
            #expect(status == 1, "\(command)")
            #expect(child.standardError.hasPrefix("too few threads: the limit on processes (ulimit -u, or LimitNPROC=) is 4, and leaves room for "),
                    "\(child.standardError)")
            #expect(child.standardError.hasSuffix(" of the 16 threads autoscaled needs (raise it, or stop other processes of this user)\n"))
            if status == nil {
                child.signal(SIGKILL)
                await child.wait()
            }
        }
    }

    @Test("under an address-space limit too tight for its threads every command exits 1 saying so, never hangs",
          .disabled(if: underSanitizer, "a sanitizer's runtime cannot start under an address-space limit"))
    func tooLittleAddressSpace() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        dir.writeLoads(#"{"a": 30}"#)
        for command in ["run --config \"$1\"", "check-config --config \"$1\"", "--version"] {
            let child = ChildProcess("/bin/sh", ["-c", "ulimit -v 60000; exec \"$0\" \(command)", autoscaledBinary(), dir.configPath],
                                     captureIn: dir.path)
            let status = await child.wait()
            #expect(status == 1, "\(command)")
            #expect(child.standardError == "too little address space: the limit (ulimit -v, or LimitAS=) is 60000 KiB, and leaves "
                + "less than the 64 MiB autoscaled needs for its threads (raise it, or remove it)\n", "\(child.standardError)")
            if status == nil {
                child.signal(SIGKILL)
                await child.wait()
            }
        }
        #expect(access(dir.statePath, F_OK) == -1)
        // A limit the threads fit in, but not a malloc arena per thread (128 MiB each): one arena, and the work is done.
        let trace = "\(repositoryRoot)/config/traces/azure_llm_conv_2023.csv"
        dir.write(dir.file("shipped.conf"), "[source]\npath = loads.json\npoll_interval = 1s\n[state]\npath = state/state.json\n")
        let simulate = ChildProcess("/bin/sh", ["-c", "ulimit -v 120000; exec \"$0\" simulate --config \"$1\" --trace \"$2\" "
            + "--capacity 2 --startup-delay 30s --quiet", autoscaledBinary(), dir.file("shipped.conf"), trace], captureIn: dir.path)
        let status = await simulate.wait(timeout: .seconds(60))
        #expect(status == 0, "\(simulate.standardError)")
        if status == nil {
            simulate.signal(SIGKILL)
            await simulate.wait()
        }
    }

    @Test("a load file that is another user's symlink is not followed: a source error names it")
    func foreignLoadLinkRefused() async {
        guard geteuid() == 0 else { return }  // only root can hand a link to another user
        let dir = Workspace()
        defer { dir.remove() }
        dir.write(dir.file("real.json"), #"{"a": 30}"#)
        symlink(dir.file("real.json"), dir.loadPath)
        lchown(dir.loadPath, 65534, 65534)
        dir.writeConfig()
        let once = await ChildProcess.run(["once", "--config", dir.configPath], in: dir.path)
        #expect(once.status == 1)
        #expect(once.stderr.contains("\(dir.loadPath): is a symbolic link owned by uid 65534, neither root nor this process's user; not followed"),
                "\(once.stderr)")
        lchown(dir.loadPath, 0, 0)
        let trusted = await ChildProcess.run(["once", "--config", dir.configPath], in: dir.path)
        #expect(trusted.status == 0 && trusted.stdout.hasPrefix("Servers to scale: 0\n"))
    }
}
