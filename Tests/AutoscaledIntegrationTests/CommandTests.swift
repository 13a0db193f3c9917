import AutoscaledTestSupport
import Glibc
import Testing

@Suite("one-shot commands against the real binary")
struct CommandTests {
    @Test("`once` on the example config prints exactly 'Servers to scale: 1' first")
    func onceOnExample() async {
        let dir = Workspace()
        defer { dir.remove() }
        let example = await ChildProcess.run(["once", "--config", "\(repositoryRoot)/config/autoscaled.conf"], in: dir.path)
        #expect(example.status == 0)
        #expect(example.stdout.split(separator: "\n").first == "Servers to scale: 1")

        // The same config and loads in a fresh directory (no state file yet): the decision is exact.
        dir.writeAtomically(dir.configPath, readText("\(repositoryRoot)/config/autoscaled.conf"))
        dir.writeAtomically(dir.loadPath, readText("\(repositoryRoot)/config/loads.json"))
        let result = await ChildProcess.run(["once", "--config", dir.configPath], in: dir.path)
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "Servers to scale: 1")
        // headroom = learned, and one poll has seen no rise yet: 105 ÷ 70 = 1.5 needs 2, and still 2
        // with the shipped headroom_scale_down_margin_unmeasured 0.3 (one poll measures no spread;
        // 1.5 + 0.3 is below 2); the count holds while the rises are being learned.
        let decision = "Decision: hold from 3 to 3 (total load 105 and a rise of 0 (the highest within 1min 5s seen so far: "
            + "too few rises seen yet for the quantile) need 2 at headroom_target_load 70 but still learning the rises "
            + "(0 of 12 seen): no scale-down yet)"
        #expect(lines.dropFirst().first.map(String.init) == decision)
        #expect(result.stderr == "")
    }

    @Test("`once` sizes with the rises the daemon saved in its state file; without them when they are broken")
    func onceUsesSavedRises() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeAtomically(dir.configPath, readText("\(repositoryRoot)/config/autoscaled.conf"))
        dir.writeAtomically(dir.loadPath, readText("\(repositoryRoot)/config/loads.json"))
        #expect(mkdir(dir.file("var"), 0o755) == 0)
        // 20 rises, 0 to 19, one per 10 s over the last 7 minutes, measured as the shipped config
        // measures them (over replica_startup 1min and a poll of 5s, beyond the recurring rises of its
        // seasonal_periods): the 0.9 quantile is 18, and ⌈(105 + 18) ÷ 70⌉ = 2.
        let now = Int64(time(nil)) * 1000
        let times = (0..<20).map { String(now - 420_000 + Int64($0) * 10_000) }.joined(separator: ",")
        let rises = (0..<20).map(String.init).joined(separator: ",")
        let state = { (horizon: Int) in
            #"{"version":1,"desired_replicas":3,"updated_at":"2026-11-30T00:00:00Z","#
                + #""learned_rises":{"horizon_ms":\#(horizon),"at_unix_ms":[\#(times)],"rises":[\#(rises)],"#
                + #""seasonal_periods_ms":[300000,900000,1800000,3600000],"seasonal_confirmations":2}}"#
        }
        dir.writeAtomically(dir.file("var/state.json"), state(65_000))
        let result = await ChildProcess.run(["once", "--config", dir.configPath], in: dir.path)
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "Servers to scale: 1")
        // Learned: the quantile of the saved rises. Not lowered either: (105 + 18) ÷ 70 = 1.8 needs 2, and 3 with
        // the shipped headroom_scale_down_margin_unmeasured 0.3 (one poll measures no spread), the count.
        #expect(lines.dropFirst().first == "Decision: hold from 3 to 3 (total load 105 and a rise of 18 (the 0.9 quantile of the "
            + "rises beyond the recurring ones within 1min 5s over the last 1h) need 2 at headroom_target_load 70, "
            + "3 with headroom_scale_down_margin_unmeasured 0.3 (the spread not measured))")
        #expect(result.stderr == "")

        // Saved under a 10 s poll (a horizon of 1min 10s): measured over another horizon, so learned
        // again, without a warning (a changed config, not a broken file).
        dir.writeAtomically(dir.file("var/state.json"), state(70_000))
        let otherPoll = await ChildProcess.run(["once", "--config", dir.configPath], in: dir.path)
        #expect(otherPoll.status == 0)
        #expect(otherPoll.stderr == "")
        #expect(otherPoll.stdout.contains("(total load 105 and a rise of 0 (the highest within 1min 5s seen so far: too few "
            + "rises seen yet for the quantile)"))

        dir.writeAtomically(dir.file("var/state.json"), state(-1))
        let broken = await ChildProcess.run(["once", "--config", dir.configPath], in: dir.path)
        #expect(broken.status == 0)
        #expect(broken.stdout.contains("(total load 105 and a rise of 0 (the highest within 1min 5s seen so far: too few rises "
            + "seen yet for the quantile)"))
    }

    @Test("`once` on an unreadable source prints the cause on stderr and exits 1")
    func onceOnBadSource() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        dir.writeLoads(#"{"server1": 30, "server2": NaN}"#)
        let result = await ChildProcess.run(["once", "--config", dir.configPath], in: dir.path)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("\(dir.loadPath): line 1: "))
        // The path is said once, before the cause, whatever kept the file from being read.
        unlink(dir.loadPath)
        let missing = await ChildProcess.run(["once", "--config", dir.configPath], in: dir.path)
        #expect(missing.status == 1)
        #expect(missing.stderr == "\(dir.loadPath): open: no such file or directory (errno 2)\n")
        // A FIFO or a directory there is a config error: no read could ever succeed.
        mkfifo(dir.loadPath, 0o644)
        let fifo = await ChildProcess.run(["once", "--config", dir.configPath], in: dir.path)
        #expect(fifo.status == 78)
        #expect(fifo.stderr == "\(dir.configPath):2: path '\(dir.loadPath)' is a device, socket or FIFO, not a file of loads: "
            + "every read would fail\n")
        unlink(dir.loadPath)
        mkdir(dir.loadPath, 0o755)
        defer { rmdir(dir.loadPath) }
        let directory = await ChildProcess.run(["once", "--config", dir.configPath], in: dir.path)
        #expect(directory.status == 78)
        #expect(directory.stderr == "\(dir.configPath):2: path '\(dir.loadPath)' is a directory, not a file of loads: every read would fail\n")
    }

    @Test("`once` warns of a state file it cannot use and of a pause file it cannot read, and says what a pause does instead")
    func onceWarnsAndTellsOfAPause() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        dir.writeLoads(#"{"server1": 30, "server2": 55, "server3": 20}"#)
        let decision = "Servers to scale: 1\nDecision: scale-up from 3 to 4 (1 server above scale_up_threshold 50 "
            + "(max server2=55); total load 105 needs 3 at target_load 50: +1 (a scale-up adds at least 1))\n"
        let once = { await ChildProcess.run(["once", "--config", dir.configPath], in: dir.path) }
        mkdir(dir.file("state"), 0o755)
        dir.writeAtomically(dir.statePath, "garbage")
        let corrupt = await once()
        #expect(corrupt.status == 0)
        #expect(corrupt.stdout == decision)
        #expect(corrupt.stderr == "warning: \(dir.statePath): not a valid state file (not JSON); starting from initial_replicas 3\n")

        dir.writeAtomically(dir.statePath, #"{"version":1,"desired_replicas":3,"updated_at":"2026-11-30T00:00:00Z"}"#)
        #expect(await ChildProcess.run(["pause", "--config", dir.configPath, "--replicas", "2", "--reason", "x"],
                                       in: dir.path).status == 0)
        let moving = await once()
        #expect(moving.status == 0)
        #expect(moving.stdout == decision
            + "Paused: the daemon moves to the pause's 2 replicas and holds there instead until 'autoscaled resume' ('x').\n")
        #expect(moving.stderr == "")
        #expect(await ChildProcess.run(["pause", "--config", dir.configPath, "--reason", "incident 42"], in: dir.path).status == 0)
        let holding = await once()
        #expect(holding.stdout == decision + "Paused: the daemon holds at 3 instead until 'autoscaled resume' ('incident 42').\n")
        #expect(holding.stderr == "")

        #expect(await ChildProcess.run(["resume", "--config", dir.configPath], in: dir.path).status == 0)
        let resumed = await once()
        #expect(resumed.stdout == decision)
        #expect(resumed.stderr == "")

        dir.writeAtomically(dir.statePath + ".pause", "garbage")
        let unreadable = await once()
        #expect(unreadable.status == 0)
        #expect(unreadable.stdout == decision)
        #expect(unreadable.stderr == "warning: \(dir.statePath).pause: not a valid pause file (not JSON); the decision is shown as if not paused\n")

        // A pause beyond max_replicas (written by hand, or before a reload lowered it) moves to the bound.
        dir.writeAtomically(dir.statePath + ".pause", #"{"version":1,"paused":true,"at":"1970-01-01T00:00:01.000Z","at_unix":1,"replicas":5000}"#)
        let beyond = await once()
        #expect(beyond.stdout == decision + "Paused: the daemon moves to max_replicas 10 (the pause would hold 5000) "
            + "and holds there instead until 'autoscaled resume'.\n")
        #expect(beyond.stderr == "")
    }

    @Test("an argument that is not UTF-8 is a usage error naming its bytes, not another file's name; no /proc is said as such")
    func commandLineBytes() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        // The shell passes the byte 0xE9 as it is; Swift's strings would turn it into U+FFFD.
        let status = shell("cd '\(dir.path)' && '\(autoscaledBinary())' check-config --config \"$(printf 'caf\\351.conf')\" 2> err.txt")
        #expect(status >> 8 == 64)
        #expect(readText(dir.file("err.txt")).hasPrefix(
            "Error: argument 3 is not valid UTF-8: 'caf\\xE9.conf' (paths and values are taken as UTF-8 text)\n"))
        // Without /proc the runtime has no command line: said so, not "missing subcommand" (as root only;
        // a sanitizer's runtime warns of its own without /proc).
        guard getuid() == 0, !FileSafetyTests.underSanitizer, shell("unshare -m true 2> /dev/null") == 0 else { return }
        let proc = shell("cd '\(dir.path)' && unshare -m sh -c 'mount -t tmpfs none /proc && exec \(autoscaledBinary()) --version' > out.txt 2> err.txt")
        #expect(proc >> 8 == 1)
        #expect(readText(dir.file("err.txt")) == "cannot read the command line: /proc/self/cmdline cannot be read (is /proc mounted?)\n")
        #expect(readText(dir.file("out.txt")) == "")
    }

    @Test("`check-config` prints ok, or every error and exits 78")
    func checkConfig() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        let good = await ChildProcess.run(["check-config", "--config", dir.configPath], in: dir.path)
        #expect(good.status == 0)
        #expect(good.stdout == "ok\n")
        dir.writeConfig(policy: "min_replicas = 5\nmax_replicas = 2\nscale_up_treshold = 1")
        let bad = await ChildProcess.run(["check-config", "--config=\(dir.configPath)"], in: dir.path)
        #expect(bad.status == 78)
        let errors = bad.stderr.split(separator: "\n")
        #expect(errors.count >= 2)
        #expect(errors.allSatisfy { $0.hasPrefix("\(dir.configPath):") })
        #expect(bad.stderr.contains("did you mean 'scale_up_threshold'?"))
        // A line that is not UTF-8 is named; the lines after it are still checked.
        dir.write(dir.file("latin1.conf"), bytes: Array("[source]\npath = loads.json\n# caf".utf8) + [0xE9] + Array("\n[policy]\nmax_replicas = x\n".utf8))
        let latin1 = await ChildProcess.run(["check-config", "--config", dir.file("latin1.conf")], in: dir.path)
        #expect(latin1.status == 78)
        #expect(latin1.stderr == """
            \(dir.file("latin1.conf")):3: not valid UTF-8: byte 0xE9 at byte 6 of the line (the line is read as blank)
            \(dir.file("latin1.conf")):5: max_replicas: 'x' is not an integer (expected an integer from 1 to 1000000, e.g. 10)

            """)
    }

    /// A directory `a<newline>b` in `dir` holding a config whose load file and state file are beside it.
    static func lineBreakDirectory(in dir: Workspace) -> String {
        let broken = dir.file("a\nb")
        mkdir(broken, 0o755)
        dir.write("\(broken)/autoscaled.conf", "[source]\npath = loads.json\n\n[state]\npath = state.json\n")
        return broken
    }

    @Test("a path with a line break in it is written escaped: each command's error stays one line", arguments: [
        ["once"], ["status"], ["pause", "--for", "1h"], ["resume"], ["history", "export"],
        ["simulate", "--trace", "TRACE"], ["tune", "--trace", "TRACE", "--capacity", "10", "--startup-delay", "1min", "--max-over", "1"],
    ])
    func pathsWithLineBreaks(_ command: [String]) async {
        let dir = Workspace()
        defer { dir.remove() }
        let broken = Self.lineBreakDirectory(in: dir)
        let arguments = command.map { $0 == "TRACE" ? "\(broken)/none.csv" : $0 } + ["--config", "\(broken)/autoscaled.conf"]
        let result = await ChildProcess.run(arguments, in: dir.path)
        #expect(result.status == 1)
        #expect(result.stderr.contains(#"a\nb/"#) && result.stderr.filter { $0 == "\n" }.count == 1, "\(result.stderr)")
    }

    @Test("a broken state file in a directory with a line break in its name: each command's message stays one line",
          arguments: [["once"], ["status"], ["pause", "--for", "1h"], ["resume"]])
    func brokenStateWithLineBreaks(_ command: [String]) async {
        let dir = Workspace()
        defer { dir.remove() }
        let broken = Self.lineBreakDirectory(in: dir)
        dir.write("\(broken)/loads.json", #"{"server1": 30, "server2": 55, "server3": 20}"#)
        dir.write("\(broken)/state.json", "not json")
        let result = await ChildProcess.run(command + ["--config", "\(broken)/autoscaled.conf"], in: dir.path)
        #expect(result.stderr.contains(#"a\nb/state.json"#) && result.stderr.filter { $0 == "\n" }.count == 1, "\(result.stderr)")
    }

    @Test("a missing config file is a config error naming the file")
    func missingConfig() async {
        let dir = Workspace()
        defer { dir.remove() }
        let result = await ChildProcess.run(["run", "--config", dir.file("nope.conf")], in: dir.path)
        #expect(result.status == 78)
        #expect(result.stderr == "\(dir.file("nope.conf")): cannot read config: no such file or directory (errno 2)\n")
        // Named once, before the cause.
        mkdir(dir.file("d.conf"), 0o755)
        let directory = await ChildProcess.run(["check-config", "--config", dir.file("d.conf")], in: dir.path)
        #expect(directory.status == 78)
        #expect(directory.stderr == "\(dir.file("d.conf")): cannot read config: is a directory, not a regular file\n")
        // Larger than the documented 1 MiB.
        dir.write(dir.file("big.conf"), "[source]\npath = l\n" + String(repeating: "# comment\n", count: 110_000))
        let big = await ChildProcess.run(["check-config", "--config", dir.file("big.conf")], in: dir.path)
        #expect(big.status == 78)
        #expect(big.stderr == "\(dir.file("big.conf")): cannot read config: larger than the 1048576-byte limit\n")
    }

    @Test("usage errors print the message and usage on stderr and exit 64")
    func usageErrors() async {
        let dir = Workspace()
        defer { dir.remove() }
        let unknown = await ChildProcess.run(["rnu"], in: dir.path)
        #expect(unknown.status == 64)
        #expect(unknown.stderr == """
            Error: unknown subcommand 'rnu' (did you mean 'run'?)
            Usage: autoscaled <subcommand> [options]
              See 'autoscaled --help'.

            """)
        let option = await ChildProcess.run(["once", "--confg", "x"], in: dir.path)
        #expect(option.status == 64)
        #expect(option.stderr.hasPrefix("Error: unknown option '--confg' (did you mean '--config'?)\nUsage: autoscaled once [--config <path>]\n"))
        let none = await ChildProcess.run([], in: dir.path)
        #expect(none.status == 64)
        let extra = await ChildProcess.run(["--version", "extra"], in: dir.path)
        #expect(extra.status == 64)
        #expect(extra.stdout == "")
        #expect(extra.stderr == "Error: unexpected argument 'extra' after '--version'\nUsage: autoscaled <subcommand> [options]\n"
            + "  See 'autoscaled --help'.\n")
        let helpValue = await ChildProcess.run(["once", "--help=foo"], in: dir.path)
        #expect(helpValue.status == 64)
        #expect(helpValue.stderr.hasPrefix("Error: option '--help' takes no value\nUsage: autoscaled once [--config <path>]\n"))
    }

    @Test("--help and --version go to stdout and exit 0")
    func helpAndVersion() async {
        let dir = Workspace()
        defer { dir.remove() }
        let help = await ChildProcess.run(["--help"], in: dir.path)
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("OVERVIEW: "))
        let runHelp = await ChildProcess.run(["run", "-h"], in: dir.path)
        #expect(runHelp.status == 0)
        #expect(runHelp.stdout.contains("USAGE: autoscaled run [--config <path>]"))
        let version = await ChildProcess.run(["--version"], in: dir.path)
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("autoscaled "))
    }
}
