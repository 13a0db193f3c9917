import AutoscaledTestSupport
import Glibc
import Testing

@Suite("`simulate` against the real binary")
struct SimulateTests {
    @Test("a replay writes its CSV, one row per simulated second")
    func csv() async {
        let dir = Workspace()
        defer { dir.remove() }
        // The rows do not depend on the policy: the test policy's band rules replay the day in a
        // fraction of the shipped config's time (seconds under a sanitizer, not half a minute).
        dir.writeConfig()
        let result = await ChildProcess.run([
            "simulate", "--config", dir.configPath,
            "--trace", "\(repositoryRoot)/config/traces/azure_functions_2019_invitro1350.csv",
            "--capacity", "2", "--startup-delay", "60s", "--initial", "19", "--max", "1000", "--quiet",
            "--csv", dir.file("out.csv"),
        ], in: dir.path)
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout.hasPrefix("trace:   azure_functions_2019_invitro1350.csv: offered load, 1440 bins of 1min"))
        let rows = dir.read(dir.file("out.csv")).split(separator: "\n")
        #expect(rows.count == 1 + 86_400)
        #expect(rows.first == "t,load,desired,serving")
        // 2336 invocations in the first minute: 38.933 per second over 19 replicas of capacity 2.
        #expect(rows.dropFirst().first == "0,102.456,19,19")
        #expect(rows.last?.hasPrefix("86399,") == true)
    }

    @Test("--csv leaves load empty while requests come and no replica serves: a number, never inf")
    func csvWithNoReplicaServing() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.write(dir.file("t.csv"), "t_seconds,requests\n" + (0..<40).map { "\($0),5\n" }.joined())
        let result = await ChildProcess.run([
            "simulate", "--config", "\(repositoryRoot)/config/autoscaled.conf", "--trace", dir.file("t.csv"),
            "--capacity", "1", "--min", "0", "--initial", "0", "--startup-delay", "15s", "--quiet", "--csv", dir.file("out.csv"),
        ], in: dir.path)
        #expect(result.status == 0, "\(result.stderr)")
        let rows = dir.read(dir.file("out.csv")).split(separator: "\n", omittingEmptySubsequences: false).dropFirst().dropLast()
        #expect(rows.count == 40)
        #expect(rows.first == "0,,0,0")
        #expect(!rows.contains { $0.contains("inf") || $0.contains("nan") })
        // Once replicas serve, the load is a number again.
        #expect(rows.last?.split(separator: ",", omittingEmptySubsequences: false)[1].isEmpty == false, "\(rows.suffix(3))")
    }

    @Test("the decision lines come with the daemon's event=limited line, once when a rule starts holding the count")
    func limitedLines() async {
        let dir = Workspace()
        defer { dir.remove() }
        let rows = (0..<10).map { "\($0),30,55,20\n" } + (10..<60).map { "\($0),150,140,130\n" }
        dir.write(dir.file("t.csv"), "t_seconds,server1,server2,server3\n" + rows.joined())
        let result = await ChildProcess.run([
            "simulate", "--config", "\(repositoryRoot)/config/autoscaled.conf", "--trace", dir.file("t.csv"),
        ], in: dir.path)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").filter { $0.hasPrefix("ts=") }
        let up = lines.firstIndex { $0.contains("event=scale-up from=3 to=10") }
        #expect(up != nil, "\(lines)")
        if let up {
            #expect(lines.dropFirst(up + 1).first?.hasPrefix(
                "ts=1970-01-01T00:00:15.000Z level=info event=limited want=11 held_by=max_replicas replicas=10 reason=") == true, "\(lines)")
        }
        // Before it, at the first poll, the rises still being learned hold the count 3 above the need 2:
        // two rules, each said once, when it starts holding.
        #expect(lines.first?.hasPrefix("ts=1970-01-01T00:00:05.000Z level=info event=limited want=2 held_by=headroom_window "
            + "replicas=3 reason=") == true, "\(lines)")
        #expect(lines.filter { $0.contains("event=limited") }.count == 2, "\(lines)")
    }

    @Test("a trace file's name reaches the report escaped, as in errors: no control or bidi character raw", arguments: ["simulate", "tune"])
    func hostileTraceName(_ command: String) async {
        let dir = Workspace()
        defer { dir.remove() }
        let name = "x\u{1B}[31m\u{202E}.csv"
        dir.write(dir.file(name), "t_seconds,requests\n0,1\n1,2\n")
        var arguments = [command, "--config", "\(repositoryRoot)/config/autoscaled.conf", "--trace", dir.file(name), "--capacity", "1"]
        arguments += command == "tune" ? ["--startup-delay", "0", "--max-over", "1", "--settings", "2"] : ["--quiet"]
        let result = await ChildProcess.run(arguments, in: dir.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix(#"trace:   x\u{1b}[31m\u{202e}.csv: offered load"#), "\(result.stdout)")
        #expect(!result.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" })
    }

    @Test("--svg and tune's outputs go straight into a pipe, a FIFO or a device, as --csv does; a regular file is replaced")
    func outputsIntoStreams() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.write(dir.file("t.csv"), "t_seconds,requests\n0,5\n60,5\n")
        let config = "\(repositoryRoot)/config/autoscaled.conf"
        let simulate = "'\(autoscaledBinary())' simulate --config '\(config)' --trace '\(dir.file("t.csv"))' --capacity 2 --quiet"
        let tune = "'\(autoscaledBinary())' tune --config '\(config)' --trace '\(dir.file("t.csv"))' --capacity 2 "
            + "--startup-delay 0 --max-over 1 --settings 2"
        #expect(mkfifo(dir.file("fifo"), 0o600) == 0)
        // A reader on the FIFO, the command writing into it; a pipe through /dev/stdout; a device.
        #expect(shell("cat '\(dir.file("fifo"))' > '\(dir.file("fifo.svg"))' & \(simulate) --svg '\(dir.file("fifo"))' > /dev/null; "
            + "s=$?; wait; exit $s") == 0)
        #expect(dir.read(dir.file("fifo.svg")).hasPrefix("<?xml"))
        #expect(shell("\(simulate) --svg /dev/stdout | head -c 4 > '\(dir.file("piped"))'") == 0)
        #expect(dir.read(dir.file("piped")) == "<?xm")
        #expect(shell("\(tune) --write /dev/null > /dev/null") == 0)
        // One of the process's descriptors open on a file, as a shell's redirection leaves it.
        #expect(shell("\(simulate) --svg /dev/fd/3 3> '\(dir.file("redirected.svg"))' > /dev/null") == 0)
        #expect(dir.read(dir.file("redirected.svg")).hasPrefix("<?xml"))
        #expect(shell("\(tune) --write /dev/fd/3 3> '\(dir.file("redirected.conf"))' > /dev/null") == 0)
        #expect(dir.read(dir.file("redirected.conf")).hasPrefix("# autoscaled"), "\(dir.read(dir.file("redirected.conf")).prefix(200))")
        #expect(shell("cat '\(dir.file("fifo"))' > '\(dir.file("fifo.conf"))' & \(tune) --write '\(dir.file("fifo"))' > /dev/null; "
            + "s=$?; wait; exit $s") == 0)
        #expect(dir.read(dir.file("fifo.conf")).contains("[policy]"))
        #expect(shell("\(simulate) --svg '\(dir.file("out.svg"))' > /dev/null") == 0)
        #expect(dir.read(dir.file("out.svg")).hasPrefix("<?xml"))
    }

    @Test("a broken trace names the file and line and exits 1")
    func brokenTrace() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.write(dir.file("t.csv"), "t_seconds,requests\n0,1\n1,x\n")
        let result = await ChildProcess.run([
            "simulate", "--config", "\(repositoryRoot)/config/autoscaled.conf", "--trace", dir.file("t.csv"), "--capacity", "1",
        ], in: dir.path)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr == "\(dir.file("t.csv")): line 3: requests 'x' is not a number\n")
        let missing = await ChildProcess.run([
            "simulate", "--config", "\(repositoryRoot)/config/autoscaled.conf", "--trace", dir.file("none.csv"),
        ], in: dir.path)
        #expect(missing.status == 1)
        #expect(missing.stderr == "\(dir.file("none.csv")): open: no such file or directory (errno 2)\n")
        mkdir(dir.file("d.csv"), 0o755)
        let directory = await ChildProcess.run([
            "simulate", "--config", "\(repositoryRoot)/config/autoscaled.conf", "--trace", dir.file("d.csv"), "--capacity", "1",
        ], in: dir.path)
        #expect(directory.status == 1)
        #expect(directory.stderr == "\(dir.file("d.csv")): is a directory, not a regular file\n")
    }

    @Test("an output that cannot be written names its option")
    func outputNamesOption() async {
        let dir = Workspace()
        defer { dir.remove() }
        let replay = ["simulate", "--config", "\(repositoryRoot)/config/autoscaled.conf", "--trace",
                      "\(repositoryRoot)/config/traces/azure_llm_conv_2023_15min.csv", "--capacity", "1", "--quiet"]
        let csv = await ChildProcess.run(replay + ["--csv", dir.file("none/o.csv")], in: dir.path)
        #expect(csv.status == 1)
        #expect(csv.stderr == "--csv \(dir.file("none/o.csv")): open: no such file or directory (errno 2)\n")
        let svg = await ChildProcess.run(replay + ["--svg", dir.file("none/o.svg")], in: dir.path)
        #expect(svg.status == 1)
        #expect(svg.stderr == "--svg \(dir.file("none/o.svg")): open(\(dir.file("none"))): no such file or directory (errno 2)\n")
    }

    @Test("scale_to_zero_after: to 0 after the wait, back on the activator's requests; refused above min_replicas 0")
    func scaleToZero() async {
        let dir = Workspace()
        defer { dir.remove() }
        let config = dir.read("\(repositoryRoot)/config/autoscaled.conf")
            .replacing("\nmin_replicas = 1\n", with: "\nmin_replicas = 0\n")
            .replacing("\n#scale_to_zero_after = 5min\n", with: "\nscale_to_zero_after = 1min\n")
        dir.write(dir.file("zero.conf"), config)
        // 2 min of 10 requests/s, 3 min of none, 2 min of 10 again.
        let seconds = (0..<420).map { "\($0),\($0 < 120 || $0 >= 300 ? 10 : 0)" }
        dir.write(dir.file("t.csv"), "t_seconds,requests\n" + seconds.joined(separator: "\n") + "\n")
        let arguments = ["simulate", "--config", dir.file("zero.conf"), "--trace", dir.file("t.csv"), "--capacity", "1",
                         "--startup-delay", "30s", "--initial", "2", "--max", "100"]
        let result = await ChildProcess.run(arguments, in: dir.path)
        #expect(result.status == 0)
        #expect(result.stderr == "")
        let changes = result.stdout.split(separator: "\n").filter { $0.contains("event=scale-") }
        // The first poll with no load is at 125 (the interval 120 … 125); 12 polls of none, a minute: to 0 at 180.
        let down = changes.first { $0.contains(" to=0 ") }
        #expect(down?.hasPrefix("ts=1970-01-01T00:03:00.000Z level=notice event=scale-down ") == true, "\(changes)")
        #expect(down?.contains("reason=\"no load in any poll within scale_to_zero_after 1min: -") == true)
        // Back at 305 on the activator's 10 requests/s (load 1000).
        let back = changes.first { $0.contains(" from=0 ") }
        #expect(back?.hasPrefix("ts=1970-01-01T00:05:05.000Z level=notice event=scale-up from=0 ") == true, "\(changes)")
        #expect(back?.contains("max_load=1000 max_server=activator") == true)
        #expect(result.stdout.contains("scale_to_zero_after 1min (while no replica serves, an activator reports the requests)"))

        let refused = await ChildProcess.run(arguments + ["--min", "1"], in: dir.path)
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("scale_to_zero_after 1min needs min_replicas 0, not 1 (--min)"))
        // The HPA model does not scale from 0, as the HPA does not: refused at min 0, whatever the config's rules.
        let hpaAtZero = await ChildProcess.run(arguments + ["--policy", "hpa"], in: dir.path)
        #expect(hpaAtZero.status == 64)
        #expect(hpaAtZero.stderr.contains("Error: --policy hpa keeps at least 1 replica, as Kubernetes' HPA does (at 0 it "
            + "stops scaling): set --min 1 or more (min_replicas is 0)"), "\(hpaAtZero.stderr)")
        let hpa = await ChildProcess.run(arguments + ["--policy", "hpa", "--min", "1"], in: dir.path)
        #expect(hpa.status == 0, "\(hpa.stderr)")
        let kpa = await ChildProcess.run(arguments + ["--policy", "kpa"], in: dir.path)
        #expect(kpa.status == 0, "\(kpa.stderr)")
        #expect(kpa.stdout.contains(" to=0 "))
        dir.write(dir.file("one.conf"), config.replacing("\nmin_replicas = 0\n", with: "\nmin_replicas = 1\n"))
        let check = await ChildProcess.run(["check-config", "--config", dir.file("one.conf")], in: dir.path)
        #expect(check.status == 78)
        // Named at the key's line.
        let line = 1 + (config.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.hasPrefix("scale_to_zero_after = ") } ?? -2)
        #expect(check.stderr.contains("one.conf:\(line): scale_to_zero_after (1min) needs min_replicas = 0 (it is 1)"),
                "\(check.stderr)")
    }
}

@Suite("`simulate` and `tune` never write over their own files")
struct OwnFilesTests {
    static let usage = "Usage: autoscaled simulate [--config <path>] --trace <file> [--capacity <rps>] [--startup-delay <time>] "
        + "[--initial <n>] [--min <n>] [--max <n>] [--quiet] [--csv <file>] [--svg <file>] [--policy <name>] [--target <utilisation>]\n"
        + "  See 'autoscaled simulate --help'.\n"

    /// Runs the binary from `dir` as its current directory, for relative paths.
    static func run(_ arguments: [String], from dir: Workspace) async -> (status: Int32?, stdout: String, stderr: String) {
        let child = ChildProcess("/bin/sh", ["-c", "cd \"$0\" && exec \"$@\"", dir.path, autoscaledBinary()] + arguments,
                                 captureIn: dir.path)
        let status = await child.wait()
        return (status, child.standardOutput, child.standardError)
    }

    @Test("an output naming an input or another output, relative or by another name, is a usage error; nothing is written")
    func outputsOfTheirOwn() async {
        let dir = Workspace()
        defer { dir.remove() }
        let config = dir.read("\(repositoryRoot)/config/autoscaled.conf")
        dir.write(dir.file("c.conf"), config)
        let trace = "t_seconds,requests\n0,1\n1,2\n"
        dir.write(dir.file("tr.csv"), trace)
        link(dir.file("tr.csv"), dir.file("hard.csv"))
        mkdir(dir.file("sub"), 0o755)
        symlink(dir.file("c.conf"), dir.file("sub/soft.conf"))
        symlink(dir.file("sub"), dir.file("linkdir"))
        let simulate = ["simulate", "--config", "c.conf", "--trace", "tr.csv", "--capacity", "2", "--quiet"]
        let cases: [([String], String)] = [
            (simulate + ["--csv", "tr.csv"], "option '--csv': '\(dir.file("tr.csv"))' is the file '--trace' names"),
            (simulate + ["--csv", "c.conf", "--svg", "c.conf"], "option '--csv': '\(dir.file("c.conf"))' is the file '--config' names"),
            (simulate + ["--csv", "hard.csv"], "option '--csv': '\(dir.file("hard.csv"))' is the file '--trace' names"),
            (simulate + ["--svg", "sub/../sub/soft.conf"], "option '--svg': '\(dir.file("sub/soft.conf"))' is the file '--config' names"),
            (simulate + ["--csv", "o.csv", "--svg", "\(dir.path)/o.csv"], "option '--svg': '\(dir.file("o.csv"))' is the file '--csv' names"),
            // Not made yet, through a symlinked directory: the same directory, the same name.
            (simulate + ["--csv", "linkdir/out.x", "--svg", "sub/out.x"], "option '--svg': '\(dir.file("sub/out.x"))' is the file '--csv' names"),
        ]
        for (arguments, message) in cases {
            let result = await Self.run(arguments, from: dir)
            #expect(result.status == 64, "\(arguments)")
            #expect(result.stdout == "")
            #expect(result.stderr == "Error: \(message); each output must be a file of its own\n" + Self.usage)
        }
        let tune = ["tune", "--config", "c.conf", "--trace", "tr.csv", "--capacity", "2", "--startup-delay", "0", "--max-over", "1"]
        let write = await Self.run(tune + ["--write", "./tr.csv"], from: dir)
        #expect(write.status == 64)
        #expect(write.stderr.hasPrefix(
            "Error: option '--write': '\(dir.file("tr.csv"))' is the file '--trace' names; each output must be a file of its own\n"))
        let svg = await Self.run(tune + ["--write", "w.conf", "--svg", "w.conf"], from: dir)
        #expect(svg.status == 64)
        #expect(svg.stderr.hasPrefix(
            "Error: option '--svg': '\(dir.file("w.conf"))' is the file '--write' names; each output must be a file of its own\n"))
        #expect(dir.read(dir.file("tr.csv")) == trace)
        #expect(dir.read(dir.file("c.conf")) == config)
        #expect(access(dir.file("w.conf"), F_OK) == -1)
        #expect(access(dir.file("o.csv"), F_OK) == -1)
        #expect(access(dir.file("sub/out.x"), F_OK) == -1)
    }

    @Test("an output naming a file the config has the daemon read or write is a usage error; the file is untouched")
    func daemonFilesProtected() async {
        let dir = Workspace()
        defer { dir.remove() }
        let config = dir.read("\(repositoryRoot)/config/autoscaled.conf") + "\n[metrics]\ntextfile = m.prom\n"
        dir.write(dir.file("c.conf"), config)
        dir.write(dir.file("tr.csv"), "t_seconds,requests\n0,1\n1,2\n")
        mkdir(dir.file("var"), 0o755)
        dir.write(dir.file("var/state.json"), "{}")
        dir.write(dir.file("loads.json"), "{}")
        mkdir(dir.file("var/history"), 0o755)
        dir.write(dir.file("var/history/00000001.log"), "ASHIST1\n")
        #expect(symlink("var/history", dir.file("histlink")) == 0)
        // Other names of a segment: a hard link, a symbolic link, and a link to a segment not made yet.
        #expect(link(dir.file("var/history/00000001.log"), dir.file("hard.csv")) == 0)
        #expect(symlink("var/history/00000001.log", dir.file("soft.csv")) == 0)
        #expect(symlink("var/history/00000009.log", dir.file("later.csv")) == 0)
        let simulate = ["simulate", "--config", "c.conf", "--trace", "tr.csv", "--capacity", "2", "--quiet"]
        let tune = ["tune", "--config", "c.conf", "--trace", "tr.csv", "--capacity", "2", "--startup-delay", "0", "--max-over", "1"]
        let cases: [([String], String)] = [
            (tune + ["--write", "var/state.json"], "option '--write': '\(dir.file("var/state.json"))' is the file [state] path names"),
            (simulate + ["--csv", "var/state.json.pause"],
             "option '--csv': '\(dir.file("var/state.json.pause"))' is the pause file beside [state] path"),
            (simulate + ["--svg", "var/state.json.lock"],
             "option '--svg': '\(dir.file("var/state.json.lock"))' is the lock file beside [state] path"),
            (tune + ["--svg", "loads.json"], "option '--svg': '\(dir.file("loads.json"))' is the file [source] path names"),
            (simulate + ["--csv", "m.prom"], "option '--csv': '\(dir.file("m.prom"))' is the file [metrics] textfile names"),
            (simulate + ["--csv", "var/history/00000001.log"],
             "option '--csv': '\(dir.file("var/history/00000001.log"))' is inside the directory [history] path names"),
            (tune + ["--write", "var/./history/new.conf"],
             "option '--write': '\(dir.file("var/history/new.conf"))' is inside the directory [history] path names"),
            (tune + ["--svg", "histlink/x.svg"],
             "option '--svg': '\(dir.file("histlink/x.svg"))' is inside the directory [history] path names"),
            (simulate + ["--svg", "var/history"], "option '--svg': '\(dir.file("var/history"))' is the directory [history] path names"),
            (simulate + ["--csv", "hard.csv"],
             "option '--csv': '\(dir.file("hard.csv"))' is another name of a file inside the directory [history] path names"),
            (simulate + ["--csv", "soft.csv"], "option '--csv': '\(dir.file("soft.csv"))' leads inside the directory [history] path names"),
            (tune + ["--write", "later.csv"], "option '--write': '\(dir.file("later.csv"))' leads inside the directory [history] path names"),
        ]
        for (arguments, message) in cases {
            let result = await Self.run(arguments, from: dir)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.hasPrefix("Error: \(message); each output must be a file of its own\n"), "\(result.stderr)")
        }
        #expect(dir.read(dir.file("var/state.json")) == "{}")
        #expect(dir.read(dir.file("loads.json")) == "{}")
        #expect(access(dir.file("var/state.json.pause"), F_OK) == -1)
        #expect(access(dir.file("m.prom"), F_OK) == -1)
        #expect(dir.read(dir.file("var/history/00000001.log")) == "ASHIST1\n")
        #expect(listing(dir.file("var/history")) == ["00000001.log"])
        #expect(dir.read(dir.file("hard.csv")) == "ASHIST1\n")
    }
}
