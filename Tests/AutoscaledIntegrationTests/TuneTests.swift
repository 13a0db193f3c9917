import AutoscaledCore
import AutoscaledTestSupport
import Glibc
import Testing

@Suite("`tune` and the pictures against the real binary", .serialized)
struct TuneTests {
    static let config = "\(repositoryRoot)/config/autoscaled.conf"
    static let conversation = "\(repositoryRoot)/config/traces/azure_llm_conv_2023_15min.csv"

    /// A search replays the trace hundreds of times: 15 s in a debug build for 400 settings, about a
    /// minute under the thread sanitizer and more on a busy machine. The bound is against a hang,
    /// not the speed (that is the bench's).
    static func tune(_ arguments: [String], in dir: Workspace, config: String = config) async
        -> (status: Int32?, stdout: String, stderr: String) {
        await ChildProcess.run(["tune", "--config", config] + arguments, in: dir.path, timeout: .seconds(600))
    }

    /// A 1000 s trace of 10 requests/s, every second.
    static func steadyTrace(in dir: Workspace) -> String {
        dir.write(dir.file("steady.csv"), "t_seconds,requests\n" + (0..<1000).map { "\($0),10\n" }.joined())
        return dir.file("steady.csv")
    }

    @Test("headroom = thresholds, a steady load where the best setting is known: reach 12 replicas as late as possible")
    func knownBestThresholds() async {
        // 10 requests/s for 1000 s, capacity 1, from 11 replicas (loads 90.9, above every
        // scale_up_threshold tried): every setting scales up by at least one at its first
        // evaluation, and no scale-down threshold tried (at most 0.85 × target_load ≤ 77) reaches
        // the loads of 83.3 at 12. The cheapest: stop at 12 (scale_up_threshold 90, the only one
        // tried between 83.3 and 90.9) as late as possible (poll_interval 30s, the longest):
        // 11 × 30 + 12 × 770 replica-seconds on the 800 s tuned on, 11 × 30 + 12 × 170 held out.
        let dir = Workspace()
        defer { dir.remove() }
        let shipped = dir.read(Self.config)
        #expect(shipped.contains("\nheadroom = learned\n"))
        dir.write(dir.file("thresholds.conf"), shipped.replacing("\nheadroom = learned\n", with: "\nheadroom = thresholds\n"))
        let result = await Self.tune(["--trace", Self.steadyTrace(in: dir), "--capacity", "1", "--startup-delay", "0",
                                      "--initial", "11", "--max", "100", "--max-over", "0", "--settings", "400"],
                                     in: dir, config: dir.file("thresholds.conf"))
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout.contains("goal:    requests over capacity at most 0 % on the tuning part (t=0 to 800); held out: t=800 to 1000\n"))
        // 800 s is longer than scale_down_stabilization 5min and trend_window 3min, not than the shipped seasonal periods.
        #expect(result.stdout.contains("\nnote:    the tuning part spans 13min 20s, less than the config's seasonal_periods 1h × "
            + "seasonal_confirmations 2 = 2h: "), "\(result.stdout)")
        #expect(result.stdout.contains("\nbest setting (poll_interval 30s)    9570         0.00       2370         0.00\n"))
        #expect(result.stdout.contains("\nscale_up_threshold = 90\n"))
        #expect(result.stdout.contains("\nheadroom = thresholds\n"))
        #expect(result.stdout.hasSuffix("# and in [source]: poll_interval = 30s\n"))
    }

    @Test("headroom = learned, a steady load where the best setting is known: learn quickest, then 10 replicas")
    func knownBestLearned() async {
        // 10 requests/s, capacity 1, from 11 replicas, at most 11 (--max): the load never rises, so
        // once 12 rises are known the need is ⌈1000 ÷ headroom_target_load⌉, and before that the
        // count is not lowered. Only headroom_target_load 100 (the highest tried) needs 10 without
        // going over capacity; 90 needs 12, held at 11. The cheapest learns quickest: the shortest
        // poll (1s) and rise horizon (replica_startup 0, so replica_startup + a poll = 1 s), then
        // goes down at once (scale_down_stabilization 0) and keeps no room beyond the need
        // (headroom_scale_down_margin 0, and so headroom_scale_down_margin_unmeasured: a total that
        // never changes measures no spread, and with the shipped 0.3 there, 10 needed exactly would keep 11): 15 s
        // at 11, then 10 for the rest, on each part. headroom_quantile and headroom_window change
        // nothing here (every rise is 0).
        let dir = Workspace()
        defer { dir.remove() }
        #expect(dir.read(Self.config).contains("\nheadroom_scale_down_margin = 0.6\n"))
        let result = await Self.tune(["--trace", Self.steadyTrace(in: dir), "--capacity", "1", "--startup-delay", "0",
                                      "--initial", "11", "--max", "11", "--max-over", "0", "--settings", "400"], in: dir)
        #expect(result.status == 0)
        #expect(result.stderr == "")
        // 11 × 15 + 10 × 785 tuned on, 11 × 15 + 10 × 185 held out; the shipped setting stays at 11.
        #expect(result.stdout.contains("\nbest setting (poll_interval 1s)     8015         0.00       2015         0.00\n"))
        #expect(result.stdout.contains("\nnote:    the tuning part spans 13min 20s, less than the config's seasonal_periods 1h × "
            + "seasonal_confirmations 2 = 2h: "
            + "each setting is judged before its memory has filled, and the winner may not hold on longer traffic\n\n"))
        #expect(result.stdout.contains("\nthis config (poll_interval 5s)      8800         0.00       2200         0.00\n"))
        for line in ["headroom = learned", "headroom_target_load = 100", "scale_down_stabilization = 0", "replica_startup = 0",
                     "headroom_scale_down_margin = 0", "headroom_scale_down_margin_unmeasured = 0",
                     // The band rules' keys are the config's own.
                     "scale_up_threshold = 50", "target_load = 50", "trend_window = 3min"] {
            #expect(result.stdout.contains("\n\(line)\n"), "\(line)")
        }
        #expect(result.stdout.hasSuffix("# and in [source]: poll_interval = 1s\n"))
    }

    @Test("the same seed gives the same output; the written config passes check-config and meets --max-over")
    func deterministicAndWritten() async {
        let dir = Workspace()
        defer { dir.remove() }
        let arguments = ["--trace", Self.conversation, "--capacity", "1", "--startup-delay", "2min", "--initial", "7",
                         "--max", "1000", "--max-over", "1", "--settings", "96", "--seed", "7"]
        let first = await Self.tune(arguments + ["--write", dir.file("tuned.conf"), "--svg", dir.file("tune.svg")], in: dir)
        let second = await Self.tune(arguments, in: dir)
        #expect(first.status == 0)
        #expect(second.status == 0)
        #expect(first.stdout == second.stdout + "\nwritten: \(dir.file("tuned.conf"))\ndrawn: \(dir.file("tune.svg"))\n")
        #expect(first.stdout.contains("The cheapest setting with at most 1 % of requests over capacity on the tuning part"))

        let check = await ChildProcess.run(["check-config", "--config", dir.file("tuned.conf")], in: dir.path)
        #expect(check.status == 0)
        #expect(check.stdout == "ok\n")
        // --initial 7 and --max 1000 were for the replays: the config's own bounds are printed and written.
        for line in ["min_replicas = 1", "max_replicas = 10", "initial_replicas = 3"] {
            #expect(dir.read(Self.config).contains("\n\(line)\n"))
            #expect(dir.read(dir.file("tuned.conf")).contains("\n\(line)\n"), "\(line)")
            #expect(first.stdout.contains("\n\(line)\n"), "\(line)")
        }

        // The written config replayed on the tuning part (the first 720 of 900 s) meets the goal.
        let rows = dir.read(Self.conversation).split(separator: "\n").filter { !$0.hasPrefix("#") }
        dir.write(dir.file("tuning.csv"), rows.prefix(1 + 720).joined(separator: "\n") + "\n")
        let replay = await ChildProcess.run([
            "simulate", "--config", dir.file("tuned.conf"), "--trace", dir.file("tuning.csv"), "--capacity", "1",
            "--startup-delay", "2min", "--initial", "7", "--max", "1000", "--quiet",
        ], in: dir.path)
        #expect(replay.status == 0)
        let over = replay.stdout.split(separator: "\n").first { $0.hasPrefix("requests over capacity") }
        let percent = over.flatMap { $0.split(separator: "(").last?.split(separator: " ").first }.flatMap { Double($0) }
        #expect(percent.map { $0 <= 1 } == true, "\(over ?? "no figure")")

        let svg = dir.read(dir.file("tune.svg"))
        let elements = try? XMLWellFormedness.elements(svg).get()
        #expect(elements != nil)
        // One dot per setting tried, four marked points and their legend.
        #expect(elements?.filter { $0.name == "circle" }.count == 96 + 4 + 4)
    }

    @Test("an output whose directory is missing fails before the search, and nothing is written")
    func outputCheckedFirst() async {
        let dir = Workspace()
        defer { dir.remove() }
        let arguments = ["--trace", Self.conversation, "--capacity", "1", "--startup-delay", "2min", "--max-over", "1",
                         "--settings", "1000000", "--time-limit", "20s", "--max", "1000"]
        let write = await Self.tune(arguments + ["--write", "/nonexistent/t.conf"], in: dir)
        #expect(write.status == 1)
        #expect(write.stdout == "")
        #expect(write.stderr == "--write /nonexistent/t.conf: open(/nonexistent): no such file or directory (errno 2)\n")
        let svg = await Self.tune(arguments + ["--svg", "/nonexistent/x.svg", "--write", dir.file("tw.conf")], in: dir)
        #expect(svg.status == 1)
        #expect(svg.stdout == "")
        #expect(svg.stderr == "--svg /nonexistent/x.svg: open(/nonexistent): no such file or directory (errno 2)\n")
        #expect(access(dir.file("tw.conf"), F_OK) == -1)
    }

    @Test("--time-limit stops the search with the best so far")
    func timeLimit() async {
        let dir = Workspace()
        defer { dir.remove() }
        let result = await Self.tune(["--trace", Self.conversation, "--capacity", "1", "--startup-delay", "2min",
                                      "--max-over", "1", "--settings", "1000000", "--time-limit", "1ms", "--max", "1000"], in: dir)
        #expect(result.status == 0)
        #expect(result.stdout.contains(" (stopped at --time-limit 1ms, 1000000 asked for)\n"))
        #expect(result.stdout.contains("\n[policy]\n"))
    }

    @Test("no setting meets an impossible goal: tune says so and shows the best service")
    func impossibleGoal() async {
        let dir = Workspace()
        defer { dir.remove() }
        // From one replica, with a 10-minute startup: the first minutes are over capacity whatever the policy.
        let result = await Self.tune(["--trace", Self.conversation, "--capacity", "1", "--startup-delay", "10min",
                                      "--initial", "1", "--max", "1000", "--max-over", "0", "--settings", "64"], in: dir)
        #expect(result.status == 0)
        #expect(result.stdout.contains("No setting tried met the goal of at most 0 % of requests over capacity on the tuning part. "
            + "The one with the best service"))
    }

    @Test("with min_replicas = 0 the HPA row is the model at a minimum of 1; a config that paid nothing is no ratio of 0")
    func scaleToZero() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.write(dir.file("zero.conf"), "[source]\npath = loads.json\n\n[policy]\nheadroom = thresholds\nmin_replicas = 0\n"
            + "max_replicas = 10\ninitial_replicas = 0\nscale_to_zero_after = 30s\n\n[state]\npath = var/state.json\n")
        // Idle for 86 s, then 5 requests/s: nothing to pay on the tuning part (t=0 to 80).
        dir.write(dir.file("late.csv"), "t_seconds,requests\n" + (0..<100).map { "\($0),\($0 > 85 ? 5 : 0)\n" }.joined())
        let result = await Self.tune(["--trace", dir.file("late.csv"), "--capacity", "10", "--startup-delay", "0",
                                      "--max-over", "50", "--settings", "10"], in: dir, config: dir.file("zero.conf"))
        #expect(result.status == 0, "\(result.stderr)")
        let hpa = result.stdout.split(separator: "\n").first { $0.hasPrefix("hpa model") }.map(String.init) ?? ""
        #expect(hpa.hasPrefix("hpa model at target 0.7, min 1 "), "\(result.stdout)")
        #expect(hpa.split(separator: " ", omittingEmptySubsequences: true).last == "0.00", "served at 1 replica or more: \(hpa)")
        #expect(result.stdout.contains("(0 replica-seconds there, where the config used none)"), "\(result.stdout)")
    }

    @Test("simulate and tune refuse a missing trace, a trace they cannot read and an output over a file the config names alike",
          arguments: ["simulate", "tune"])
    func refusedAlike(command: String) async throws {
        let dir = Workspace()
        defer { dir.remove() }
        dir.write(dir.file("one.csv"), "t_seconds,requests\n0,5\n")
        // A copy, whose [source] path is beside it in the workspace.
        let config = dir.file("autoscaled.conf")
        let text = try #require(readFileBytes(Self.config))
        dir.write(config, String(decoding: text, as: UTF8.self))
        let rest = command == "tune" ? ["--startup-delay", "0", "--max-over", "1"] : ["--quiet"]
        func run(_ trace: String, _ more: [String] = []) async -> (status: Int32?, stdout: String, stderr: String) {
            await ChildProcess.run([command, "--config", config, "--trace", trace, "--capacity", "1"] + rest + more,
                                   in: dir.path)
        }
        let missing = await run(dir.file("nope.csv"))
        #expect(missing.status == 1 && missing.stdout == "")
        #expect(missing.stderr == "\(dir.file("nope.csv")): open: no such file or directory (errno 2)\n")
        let oneRow = await run(dir.file("one.csv"))
        #expect(oneRow.status == 1 && oneRow.stdout == "")
        #expect(oneRow.stderr == "\(dir.file("one.csv")): only one data row (the bin width is read from the first two rows)\n")
        // The config's [source] path, loads.json beside it: a file the config names, not an option.
        let output = await run(Self.conversation, [command == "tune" ? "--write" : "--csv", dir.file("loads.json")])
        #expect(output.status == 64 && output.stdout == "")
        #expect(output.stderr.hasPrefix("Error: option '\(command == "tune" ? "--write" : "--csv")': '\(dir.file("loads.json"))' is "
            + "the file [source] path names; each output must be a file of its own\nUsage: autoscaled \(command) "), "\(output.stderr)")
        #expect(access(dir.file("loads.json"), F_OK) == -1)
    }

    @Test("a per-server trace is a usage error")
    func perServerTrace() async {
        let dir = Workspace()
        defer { dir.remove() }
        let result = await Self.tune(["--trace", "\(repositoryRoot)/config/traces/azure_llm_conv_2023_15min_3servers.csv",
                                      "--capacity", "1", "--startup-delay", "0", "--max-over", "1"], in: dir)
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("Error: tune needs an offered-load trace ('t_seconds,requests'); this one has per-server loads "
            + "(from the daemon's history: autoscaled history export --format offered)\n"))
    }

    @Test("simulate --svg draws one point per second of a short trace, well-formed")
    func simulatePicture() async {
        let dir = Workspace()
        defer { dir.remove() }
        let result = await ChildProcess.run([
            "simulate", "--config", Self.config, "--trace", Self.conversation, "--capacity", "1", "--startup-delay", "2min",
            "--initial", "7", "--max", "1000", "--quiet", "--svg", dir.file("replay.svg"),
        ], in: dir.path)
        #expect(result.status == 0)
        let svg = dir.read(dir.file("replay.svg"))
        let elements = (try? XMLWellFormedness.elements(svg).get()) ?? []
        let lines = elements.filter { $0.name == "polyline" }
        // desired, serving, load, requests over capacity: 900 points each.
        #expect(lines.count == 4)
        #expect(lines.allSatisfy { $0.attributes["points"]?.split(separator: " ").count == 900 })
    }

    @Test("simulate --svg of a week stays a few hundred KB")
    func weekPicture() async {
        let dir = Workspace()
        defer { dir.remove() }
        // A week in minutes: the replay still steps through every second.
        var random = SplitMix64(seed: 3)
        dir.write(dir.file("week.csv"), "t_seconds,requests\n"
            + (0..<(7 * 1440)).map { "\($0 * 60),\(300 + random.next(below: 600))\n" }.joined())
        // The size is checked here, not the speed (that is the bench's), and it does not depend on the
        // policy: the test policy's band rules replay the 604 800 seconds in 2 s of a debug build,
        // the shipped config's learned headroom and seasonal profile in 37 s, minutes under a sanitizer.
        dir.writeConfig()
        let result = await ChildProcess.run([
            "simulate", "--config", dir.configPath, "--trace", dir.file("week.csv"), "--capacity", "1", "--startup-delay", "1min",
            "--max", "1000", "--quiet", "--svg", dir.file("week.svg"),
        ], in: dir.path, timeout: .seconds(300))
        #expect(result.status == 0)
        let svg = dir.read(dir.file("week.svg"))
        #expect(svg.utf8.count < 400_000)
        let lines = ((try? XMLWellFormedness.elements(svg).get()) ?? []).filter { $0.name == "polyline" }
        // 604 800 s in buckets of 303 s: 1996 whole buckets and a partial one.
        #expect(lines.count == 4)
        #expect(lines.allSatisfy { $0.attributes["points"]?.split(separator: " ").count == 1997 })
    }
}
