import AutoscaledCore
import Testing

/// Numbers that once crashed the daemon or `simulate`, through the real binary: each config is
/// refused by `check-config` with the exact message, or `check-config` says ok and `simulate`
/// and `once` run it without crashing.
@Suite("numbers at and beyond the bounds, against the real binary")
struct NumberBoundsTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// `key = value` lines of `[policy]`, or extra sections after it.
        var policy: String
        /// The `check-config` error line after the config's path; `nil` when the config is accepted.
        var refusal: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "target_load 0 with a negative scale_down_threshold is refused",
             policy: "scale_down_threshold = -5\ntarget_load = 0",
             refusal: "target_load (0) must be above 0 (replicas are sized as total load / target_load)"),
        Case(name: "max_scale_up_per_minute near Int.max is refused",
             policy: "max_scale_up_per_minute = 9223372036854775806",
             refusal: "max_scale_up_per_minute: '9223372036854775806' must be at most 1000000"),
        Case(name: "max_replicas near Int.max is refused",
             policy: "max_replicas = 9223372036854775807", refusal: "max_replicas: '9223372036854775807' must be at most 1000000"),
        Case(name: "type = systemd with a huge max_replicas is refused",
             policy: "max_replicas = 20000\n\n[actuator]\ntype = systemd\nunit = llama@{i}.service",
             refusal: "max_replicas (20000) must be at most 10000 with type = systemd (one instance of the unit per replica)"),
        Case(name: "a threshold above 1e15 is refused",
             policy: "scale_up_threshold = 1e300", refusal: "scale_up_threshold: '1e300' must be at most 1e15"),
        Case(name: "a duration above a year is refused",
             policy: "scale_up_cooldown = 400d", refusal: "scale_up_cooldown: '400d' must be at most 365d"),
        Case(name: "a negative scale_down_threshold with zero replica_startup runs",
             policy: "scale_down_threshold = -5\nreplica_startup = 0\nsmoothing_window = 0"),
        Case(name: "the largest counts and steps run",
             policy: "max_replicas = 1000000\nmax_scale_up_per_minute = 1000000\nmax_scale_down_per_minute = 1000000\nburst_ratio = 2"),
        Case(name: "the largest thresholds and durations run",
             policy: "scale_up_threshold = 1e15\nscale_down_threshold = -1e15\nreplica_startup = 365d\ntrend_window = 365d"),
    ]

    @Test("each config is refused with its message, or runs", arguments: cases)
    func config(_ test: Case) async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig(policy: test.policy)
        let check = await ChildProcess.run(["check-config", "--config", dir.configPath], in: dir.path)
        guard let refusal = test.refusal else {
            #expect(check.status == 0)
            #expect(check.stdout == "ok\n")
            // Loads at the bound, rising within a second: once and a replay decide without a crash.
            dir.writeLoads(#"{"a": 1e15, "b": 1e15, "c": 0}"#)
            let once = await ChildProcess.run(["once", "--config", dir.configPath], in: dir.path)
            #expect(once.status == 0, "\(once.stderr)")
            #expect(once.stdout.hasPrefix("Servers to scale: "))
            dir.write(dir.file("t.csv"), "t_seconds,a,b\n0,0,0\n1,1e15,1e15\n2,1e15,\n3,0,1e15\n")
            let replay = await ChildProcess.run(["simulate", "--config", dir.configPath, "--trace", dir.file("t.csv"),
                                                 "--initial", "1"], in: dir.path)
            #expect(replay.status == 0, "\(replay.stderr)")
            #expect(replay.stdout.contains("final replicas"))
            return
        }
        #expect(check.status == 78)
        let line = check.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(line.hasPrefix(dir.configPath + ":"))
        #expect(line.hasSuffix(": " + refusal), "\(check.stderr)")
    }

    @Test("a load above 1e15 is refused by once and by a trace, naming the value")
    func loadAboveBound() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        dir.writeLoads(#"{"a": 1.7e308, "b": 1.7e308}"#)
        let once = await ChildProcess.run(["once", "--config", dir.configPath], in: dir.path)
        #expect(once.status == 1)
        #expect(once.stderr == "\(dir.loadPath): line 1: server \"a\": load 1.7e308 is above 1e15\n")
        dir.write(dir.file("t.csv"), "t_seconds,a\n0,1\n10,1.7e308\n")
        let replay = await ChildProcess.run(["simulate", "--config", dir.configPath, "--trace", dir.file("t.csv")], in: dir.path)
        #expect(replay.status == 1)
        #expect(replay.stderr == "\(dir.file("t.csv")): line 3: server 'a': load '1.7e308' is above 1e15\n")
    }

    @Test("a poll_interval and a startup delay of a year replay an offered-load trace")
    func longestPoll() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig(pollInterval: "365d")
        // 1e15 requests in a minute at a capacity of 100: a load of 1.7e13 on one replica, within 1e15.
        dir.write(dir.file("t.csv"), "t_seconds,requests\n0,1e15\n60,0\n")
        let replay = await ChildProcess.run(["simulate", "--config", dir.configPath, "--trace", dir.file("t.csv"),
                                             "--capacity", "100", "--startup-delay", "365d", "--quiet"], in: dir.path)
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout.contains("scale events            0 (0 up, 0 down) in 0 evaluations"), "\(replay.stdout)")
    }

    @Test("simulate and tune refuse a capacity below 1e-6 or one that takes the trace's peak past 1e15, and a target below 1 %",
          arguments: ["simulate", "tune"])
    func capacityAndTarget(_ command: String) async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        dir.write(dir.file("t.csv"), "t_seconds,requests\n0,5\n1,20000000\n2,5\n")
        let base = [command, "--config", dir.configPath, "--trace", dir.file("t.csv")]
            + (command == "tune" ? ["--startup-delay", "0", "--max-over", "1", "--settings", "2"] : ["--quiet"])
        for capacity in ["5e-324", "1e-300", "0"] {
            let result = await ChildProcess.run(base + ["--capacity", capacity], in: dir.path)
            #expect(result.status == 64)
            #expect(result.stderr.hasPrefix("Error: option '--capacity': '\(capacity)' is not valid (expected a number of "
                + "requests per second from 1e-6, e.g. 2)\nUsage: autoscaled \(command) "), "\(result.stderr)")
        }
        let peak = await ChildProcess.run(base + ["--capacity", "1e-6"], in: dir.path)
        #expect(peak.status == 64)
        #expect(peak.stderr == HelpText.usageError(UsageError("option '--capacity': '1e-6' is too small for this trace: "
            + "its peak of 20000000 requests/s would put a load of 2000000000000000 on one replica, above 1e15",
            subcommand: command)))
        #expect(await ChildProcess.run(base + ["--capacity", "2"], in: dir.path).status == 0)
        guard command == "simulate" else { return }
        // A target of 5e-324 made the HPA model's replica count infinite: the process trapped.
        for policy in ["hpa", "kpa"] {
            let tiny = await ChildProcess.run(base + ["--capacity", "2", "--policy", policy, "--target", "5e-324"], in: dir.path)
            #expect(tiny.status == 64)
            #expect(tiny.stderr.hasPrefix("Error: option '--target': '5e-324' is not valid (expected a utilisation from 0.01 "
                + "to 1, e.g. 0.7)\n"), "\(tiny.stderr)")
            let least = await ChildProcess.run(base + ["--capacity", "2", "--policy", policy, "--target", "0.01"], in: dir.path)
            #expect(least.status == 0, "\(least.stderr)")
        }
    }

    @Test("simulate refuses --max above the bound of replica counts")
    func simulateMax() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        dir.write(dir.file("t.csv"), "t_seconds,a\n0,1\n10,2\n")
        let replay = await ChildProcess.run(["simulate", "--config", dir.configPath, "--trace", dir.file("t.csv"),
                                             "--max", "9223372036854775807"], in: dir.path)
        #expect(replay.status == 64)
        #expect(replay.stderr.hasPrefix("Error: option '--max': '9223372036854775807' is not valid "
            + "(expected an integer from 1 to 1000000)"), "\(replay.stderr)")
    }
}
