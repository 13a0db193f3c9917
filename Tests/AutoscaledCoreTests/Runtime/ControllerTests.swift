@testable import AutoscaledCore
@testable import AutoscaledSystem
import AutoscaledTestSupport
import Glibc
import Testing

/// A controller over fakes: a scripted source, a scripted actuator, a recording log, notifier and
/// metrics writer, a manual clock and a state file in a temp dir.
private final class Harness {
    static let wall = 1_795_932_600.0
    static let exercise = ScriptedLoadSource.loads(["server1": 30, "server2": 55, "server3": 20])
    static let cool = ScriptedLoadSource.loads(["server1": 30, "server2": 40, "server3": 20])
    static let refused = LoadError.unreadable("connection refused")

    let dir = TemporaryDirectory()
    let source: ScriptedLoadSource
    let actuator: ScriptedActuator
    let sink = MemoryLogSink()
    let notifier: RecordingNotifier
    let clock = ManualClock()
    let metrics = Locked<[String]>([])
    let writes = FakeLoadFileWrites()

    init(_ reads: [Result<LoadSnapshot, LoadError>], actuator steps: [ScriptedActuator.Step] = [.succeed],
         watchdogInterval: Duration? = nil) {
        source = ScriptedLoadSource(reads)
        actuator = ScriptedActuator(steps)
        notifier = RecordingNotifier(watchdogInterval: watchdogInterval)
    }

    func config(
        policy: PolicyConfig = .defaults, actuator: ActuatorConfig = .defaults, statePath: String? = nil
    ) -> Config {
        modified(Config.defaults(sourcePath: dir.file("loads.json"))) {
            ($0.source.pollInterval, $0.source.failureThreshold) = (.seconds(10), 2)
            ($0.policy, $0.actuator) = (policy, actuator)
            $0.state.path = statePath ?? dir.file("state.json")
            $0.history.path = HistoryConfig.defaultPath(statePath: $0.state.path)
            ($0.log.level, $0.metrics.textfile) = (.debug, dir.file("autoscaled.prom"))
        }
    }

    /// - Parameter watched: whether the load file's writes are watched, as the daemon's are; the
    ///   writes are then ``writes``, and a failed read may be read again (``LoadReader``).
    func start(_ config: Config, watched: Bool = false) async -> Controller {
        let source = self.source, actuator = self.actuator, metrics = self.metrics
        var dependencies = Controller.Dependencies(
            clock: clock, wallTime: { Self.wall }, notifier: notifier, makeSource: { _ in source },
            makeActuator: { _ in actuator }, writeMetrics: { path, _ in metrics.withLock { $0.append(path) } })
        if watched { dependencies.loadFileWrites = writes }
        let logger = Logger(level: .debug, encoder: LogEncoder(format: .logfmt, style: .journal), sink: sink,
                            wallTime: { Self.wall })
        return await Controller.start(configPath: dir.file("autoscaled.conf"), config: config, logger: logger,
                                      dependencies: dependencies)
    }

    /// The `event=` of every line logged so far.
    var events: [String] {
        sink.lines.map { line in
            line.split(separator: " ").first { $0.hasPrefix("event=") }.map { String($0.dropFirst(6)) } ?? line
        }
    }

    func lines(_ event: String) -> [String] { sink.lines.filter { $0.contains(" event=\(event) ") || $0.hasSuffix(" event=\(event)") } }

    static let acting = modified(ActuatorConfig.defaults) { $0.kind = .file(path: "/nonexistent/replicas") }
}

struct ControllerTests {
    @Test("a socket source whose timeouts outlast half the watchdog interval is a warning, at start and at a reload to it")
    func watchdogAtRisk() async throws {
        let h = Harness([Harness.exercise], watchdogInterval: .seconds(4))
        defer { h.dir.remove() }
        let tcp = SourceConfig.Kind.tcp(address: LoopbackAddress(host: .ipv4(127, 0, 0, 1), port: 9100), request: nil, limits: .defaults)
        // connect_timeout 1s + read_timeout 2s by default: within half of 8s, not of 4s.
        let slow = modified(h.config()) { $0.source.kind = tcp }
        let controller = await h.start(slow)
        let warning = try #require(h.lines("watchdog-at-risk").first)
        #expect(warning.hasPrefix("<4>level=warning event=watchdog-at-risk source=127.0.0.1:9100 longest_read=3s watchdog=4s "))
        #expect(warning.contains("keep the two timeouts within 2s, or raise WatchdogSec="))

        await controller.reload(h.config())
        #expect(h.lines("watchdog-at-risk").count == 1)
        await controller.reload(slow)
        #expect(h.lines("watchdog-at-risk").count == 2)
        let fast = modified(slow) { $0.source.kind = SourceConfig.Kind.tcp(address: LoopbackAddress(host: .ipv4(127, 0, 0, 1), port: 9100), request: nil,
                                                          limits: SocketLimits(connectTimeout: .seconds(1), readTimeout: .seconds(1),
                                                                               maxResponseBytes: 1024)) }
        await controller.reload(fast)
        #expect(h.lines("watchdog-at-risk").count == 2)

        let roomy = Harness([Harness.exercise], watchdogInterval: .seconds(8))
        defer { roomy.dir.remove() }
        _ = await roomy.start(modified(roomy.config()) { $0.source.kind = tcp })
        #expect(roomy.lines("watchdog-at-risk").isEmpty)
    }

    @Test("a reload that raises the log level above info is still told, by the level before; the next one is not")
    func reloadToQuieterLevel() async throws {
        let h = Harness([Harness.exercise])
        defer { h.dir.remove() }
        let controller = await h.start(h.config())
        let quiet = modified(h.config()) { $0.log.level = .warning }
        await controller.reload(quiet)
        let told = try #require(h.lines("reload").first)
        #expect(told.hasSuffix(#"event=reload config=\#(h.dir.file("autoscaled.conf")) changes="log.level=debug->warning""#), "\(told)")
        await controller.reload(modified(quiet) { $0.policy.maxReplicas = 9 })
        #expect(h.lines("reload").count == 1, "at warning, a reload's info line is not logged")
    }

    @Test("the original exercise: one read, one decision logged, saved and counted per evaluation")
    func decisionPerEvaluation() async throws {
        let h = Harness([Harness.exercise])
        defer { h.dir.remove() }
        let controller = await h.start(h.config())
        #expect(h.events == ["start", "state-initial"])

        let first = try #require(await controller.evaluate())
        #expect(h.source.reads == 1)
        #expect(first.decision.serversToScale == 1 && first.decision.action == .scaleUp)
        #expect(h.lines("scale-up").count == 1)
        #expect(h.lines("scale-up").first?.hasPrefix("<5>level=notice event=scale-up from=3 to=4 servers_to_scale=1 ") == true)
        #expect(first.summary == ReplicaSummary(desired: 4, applied: nil, health: .healthy, serversToScale: 1,
                                                lastChange: .init(action: .scaleUp, at: .origin)))
        #expect(StateStore(path: h.dir.file("state.json")).load() == .found(StateFile(
            desiredReplicas: 4, wallTime: Harness.wall, lastDecision: StateFile.Decision(
                action: "scale-up", from: 3, to: 4, reason: first.decision.reason.text, at: WallClock.iso8601(Harness.wall),
                atUnix: Harness.wall),
            source: StateFile.SourceStatus(consecutiveFailures: 0, lastGoodReadUnix: Harness.wall, lastError: nil))))
        #expect(h.metrics.withLock { $0 } == [h.dir.file("autoscaled.prom")])

        h.clock.advance(by: .seconds(10))
        let second = try #require(await controller.evaluate(reportStatus: true))
        #expect(h.source.reads == 2)
        #expect(second.decision.action == .hold && second.decision.to == 4)
        // server2 is still above the threshold: the policy wants 5, and the cooldown holds it (said once).
        #expect(h.events == ["start", "state-initial", "scale-up", "hold", "limited"])
        #expect(h.notifier.messages == [["STATUS=replicas=4 servers_to_scale=1 last=scale-up 10s ago want=5 held_by=scale_up_cooldown"]])
        #expect(h.metrics.withLock { $0.count } == 2)
    }

    @Test("health: a warning per failure, down once at failure_threshold (to fallback_replicas), up once")
    func healthTransitions() async throws {
        let h = Harness([.failure(Harness.refused), .failure(Harness.refused), .failure(Harness.refused), Harness.cool])
        defer { h.dir.remove() }
        let controller = await h.start(h.config(policy: modified(.defaults) { $0.fallbackReplicas = 5 }))
        let cause = #"cause="connection refused""#

        let failing = try #require(await controller.evaluate())
        // The decision's cause names the source; the source-error line names it in source=, the cause alone after.
        #expect(failing.input == .unavailable("\(h.dir.file("loads.json")): connection refused") && failing.summary.health == .failing)
        #expect(failing.decision.reason.text == "no usable load data: \(h.dir.file("loads.json")): connection refused")
        #expect(h.lines("source-error") == ["<4>level=warning event=source-error source=\(h.dir.file("loads.json")) \(cause) failures=1"])

        h.clock.advance(by: .seconds(10))
        let down = try #require(await controller.evaluate(reportStatus: true))
        #expect(down.wentDown && down.decision.to == 5)
        #expect(h.lines("source-down") == ["<3>level=error event=source-down source=\(h.dir.file("loads.json")) failures=2 \(cause)"])
        #expect(h.lines("scale-up").count == 1)
        #expect(h.notifier.messages.last == ["STATUS=replicas=5 servers_to_scale=unknown last=scale-up 0s ago source=down held_by=no_usable_data"])

        h.clock.advance(by: .seconds(10))
        let stillDown = try #require(await controller.evaluate())
        #expect(!stillDown.wentDown && stillDown.decision.action == .hold)
        #expect(h.lines("source-error").last?.hasPrefix("<7>level=debug event=source-error ") == true)
        #expect(h.lines("source-down").count == 1)

        h.clock.advance(by: .seconds(10))
        let up = try #require(await controller.evaluate())
        #expect(up.cameUp && up.summary.health == .healthy)
        #expect(h.lines("source-up") == ["<5>level=notice event=source-up source=\(h.dir.file("loads.json")) failures=3"])
        #expect(h.events.filter { $0.hasPrefix("source-") } == [
            "source-error", "source-error", "source-down", "source-error", "source-up",
        ])
        guard case let .found(file) = StateStore(path: h.dir.file("state.json")).load() else {
            Issue.record("no state file")
            return
        }
        #expect(file.source?.consecutiveFailures == 0 && file.desiredReplicas == 5)
    }

    @Test("while the same rule holds the count, a new wish reaches the state file, so status shows what the policy wants now")
    func heldWishWritten() async throws {
        let h = Harness([ScriptedLoadSource.loads(["a": 200, "b": 200, "c": 200]),
                         ScriptedLoadSource.loads(["a": 2000, "b": 2000, "c": 2000])])
        defer { h.dir.remove() }
        let controller = await h.start(h.config(policy: modified(.defaults) { $0.maxReplicas = 3 }))
        func savedLimit() throws -> StateFile.Limit? {
            guard case let .found(file) = StateStore(path: h.dir.file("state.json")).load() else { throw StoreMissing() }
            return file.limit
        }
        let first = try #require(await controller.evaluate())
        #expect(first.decision.heldBy?.name == "max_replicas")
        let held = try #require(try savedLimit())
        h.clock.advance(by: .seconds(10))
        let second = try #require(await controller.evaluate())
        #expect(second.decision.heldBy?.name == "max_replicas")
        let now = try #require(try savedLimit())
        #expect(now.heldBy == "max_replicas" && now.sinceUnix == held.sinceUnix)
        #expect(now.wanted == second.decision.wanted && now.wanted != held.wanted,
                "held wish \(String(describing: held.wanted)), then \(String(describing: now.wanted))")
    }

    struct StoreMissing: Error {}

    @Test("failures short of failure_threshold end with an info source-up: every run of source-error warnings has its end")
    func recoveredBeforeDown() async throws {
        let h = Harness([.failure(Harness.refused), Harness.cool])
        defer { h.dir.remove() }
        let controller = await h.start(h.config())
        #expect(try #require(await controller.evaluate()).summary.health == .failing)
        h.clock.advance(by: .seconds(10))
        let good = try #require(await controller.evaluate())
        #expect(good.recovered && !good.cameUp && good.summary.health == .healthy)
        #expect(h.lines("source-up") == ["<6>level=info event=source-up source=\(h.dir.file("loads.json")) failures=1"])
        #expect(h.events.filter { $0.hasPrefix("source-") } == ["source-error", "source-up"])
    }

    @Test("failure_threshold counts failed poll intervals: reads that fail again within one (reloads, rewrites) count once")
    func failuresCountedPerTick() async throws {
        let h = Harness([.failure(Harness.refused)])
        defer { h.dir.remove() }
        // poll_interval 10 s, failure_threshold 2, fallback_replicas 8.
        let config = h.config(policy: modified(.defaults) { $0.fallbackReplicas = 8 })
        let controller = await h.start(config)
        let first = try #require(await controller.evaluate())
        #expect(first.failures == 1 && first.summary.health == .failing)
        // Two reloads a second later and a load file rewritten twice more, all within the first tick.
        for _ in 0..<2 {
            h.clock.advance(by: .seconds(1))
            await controller.reload(config)
            let again = try #require(await controller.evaluate())
            #expect(again.failures == 1 && again.summary.health == .failing && again.decision.to == 3)
        }
        // 8.9 s after the first failed read: still within its poll interval (less the tenth of one
        // a poll timer's read may come early by).
        h.clock.advance(by: .milliseconds(6_900))
        #expect(try #require(await controller.evaluate()).failures == 1)
        #expect(h.source.reads == 4)
        #expect(h.lines("source-error").count == 4)
        #expect(h.lines("source-error").allSatisfy { $0.hasSuffix(" failures=1") })
        // One failure, told once as a warning; its repeats within the interval at debug.
        #expect(h.lines("source-error").map { $0.hasPrefix("<4>level=warning event=source-error ") } == [true, false, false, false])
        #expect(h.lines("source-error").dropFirst().allSatisfy { $0.hasPrefix("<7>level=debug event=source-error ") })
        #expect(h.lines("source-down").isEmpty && h.lines("scale-up").isEmpty)

        // The next tick (10 s after the first read) is the second failed poll interval: down, to fallback_replicas.
        h.clock.advance(by: .milliseconds(1_100))
        let down = try #require(await controller.evaluate())
        #expect(down.failures == 2 && down.wentDown && down.decision.to == 8)
        #expect(h.lines("source-down").count == 1 && h.lines("source-down").first?.contains(" failures=2 ") == true)
        guard case let .found(file) = StateStore(path: h.dir.file("state.json")).load() else {
            Issue.record("no state file")
            return
        }
        #expect(file.source?.consecutiveFailures == 2)
    }

    @Test("after a restart STATUS= tells the state file's last change, aged by its wall-clock time; ahead of the clock, as ahead",
          arguments: [(-322, "5min 22s ago", 10, "5min 32s ago"), (3_598, "59min 58s ahead", 3_600, "2s ago")])
    func lastChangeRestored(offset: Double, first: String, later: Int, then: String) async throws {
        let h = Harness([Harness.cool])
        defer { h.dir.remove() }
        let decided = Harness.wall + offset
        try StateStore(path: h.dir.file("state.json")).save(StateFile(
            desiredReplicas: 4, wallTime: decided, lastDecision: StateFile.Decision(
                action: "scale-up", from: 3, to: 4, reason: "r", at: WallClock.iso8601(decided), atUnix: decided),
            source: nil))
        let controller = await h.start(h.config())
        await controller.notifyStatus([])
        #expect(h.notifier.messages.last == ["STATUS=replicas=4 servers_to_scale=unknown last=scale-up \(first)"])
        h.clock.advance(by: .seconds(later))
        await controller.notifyStatus([])
        #expect(h.notifier.messages.last == ["STATUS=replicas=4 servers_to_scale=unknown last=scale-up \(then)"])
    }

    @Test("a restart after max_replicas was lowered: the first evaluation scales into the bound, logged and counted as a decision")
    func restartIntoLoweredBound() async throws {
        let h = Harness([Harness.cool])
        defer { h.dir.remove() }
        try StateStore(path: h.dir.file("state.json")).save(StateFile(desiredReplicas: 10, updatedAt: "t", lastDecision: nil))
        let controller = await h.start(h.config(policy: modified(.defaults) { $0.maxReplicas = 5 }))
        #expect(h.lines("start").first?.contains(" replicas=10 state=resumed ") == true, "\(h.sink.lines)")
        let outcome = try #require(await controller.evaluate())
        #expect(outcome.decision.action == .scaleDown && outcome.decision.from == 10 && outcome.decision.to == 5)
        let line = try #require(h.lines("scale-down").first)
        #expect(line.contains(" from=10 to=5 ") && line.contains(#"reason="10 replicas above max_replicas 5""#), "\(line)")
        guard case let .found(saved) = StateStore(path: h.dir.file("state.json")).load() else { Issue.record("no state"); return }
        #expect(saved.desiredReplicas == 5)
    }

    @Test("a restart with type = none drops the applied count an earlier actuator confirmed; dry_run keeps it")
    func appliedWithoutActuator() async throws {
        for (dryRun, applied) in [(false, nil), (true, 6)] as [(Bool, Int?)] {
            let h = Harness([Harness.cool])
            defer { h.dir.remove() }
            try StateStore(path: h.dir.file("state.json")).save(modified(StateFile(desiredReplicas: 6, updatedAt: "t", lastDecision: nil)) {
                $0.appliedReplicas = 6
            })
            let actuator = dryRun ? modified(Harness.acting) { $0.dryRun = true } : ActuatorConfig.defaults
            let controller = await h.start(h.config(actuator: actuator))
            #expect(await controller.state.summary.applied == applied, "dry_run \(dryRun)")
        }
    }

    @Test("no servers in the data at 0 replicas: the cause says the source must report the requests waiting")
    func noServersAtZero() async throws {
        let h = Harness([.failure(.noServers), Harness.exercise, .failure(.noServers)])
        defer { h.dir.remove() }
        let controller = await h.start(h.config(policy: modified(.defaults) { ($0.minReplicas, $0.initialReplicas) = (0, 0) }))
        let atZero = try #require(await controller.evaluate())
        let hint = "no servers in the data at 0 replicas (the source must report the requests waiting, as an activator's or a gateway's queue)"
        #expect(atZero.input == .unavailable("\(h.dir.file("loads.json")): \(hint)") && atZero.decision.to == 0)
        #expect(h.lines("source-error").first?.contains(#"cause="\#(hint)""#) == true)
        h.clock.advance(by: .seconds(10))
        #expect(try #require(await controller.evaluate()).decision.to == 3, "back on a load: 105 at target_load 50")
        h.clock.advance(by: .seconds(10))
        #expect(try #require(await controller.evaluate()).input == .unavailable("\(h.dir.file("loads.json")): no servers in the data"),
                "not at 0: the plain cause")
    }

    @Test("a failed state write is logged by the state after the decision it could not save: at error level once, then the same failure at debug")
    func stateWriteFailureLoggedOnce() async throws {
        let h = Harness([Harness.exercise])
        defer { h.dir.remove() }
        h.dir.write("not-a-directory", "")
        let controller = await h.start(h.config(actuator: Harness.acting, statePath: h.dir.file("not-a-directory/state.json")))
        #expect(h.events == ["start", "state-initial", "state-write-failed"])

        _ = try #require(await controller.evaluate())
        await controller.settle()
        // The decision's save and the applied count's save: one line each, each after what it failed to save
        // (the applied count is saved before `actuate` is logged).
        // The history beside the state file cannot be written either: one warning of its own, whose
        // place among the actuation's lines depends on when the actuation ends.
        #expect(h.events.filter { $0 != "history-write-failed" } == ["start", "state-initial", "state-write-failed",
                                                                    "scale-up", "state-write-failed", "state-write-failed", "actuate"])
        #expect(h.lines("history-write-failed").count == 1)
        #expect(await controller.state.hasUnsavedChanges)
        let failed = h.lines("state-write-failed")
        #expect(failed.first?.hasPrefix("<3>level=error event=state-write-failed path=\(h.dir.file("not-a-directory/state.json")) cause=") == true)
        #expect(failed.dropFirst().allSatisfy {
            $0.hasPrefix("<7>level=debug event=state-write-failed path=\(h.dir.file("not-a-directory/state.json")) cause=")
        }, "the same failure again: \(failed)")
        #expect(await controller.state.summary.applied == 4)
        // The stop's own save fails too: its line says the state file holds an older count.
        await controller.stop(signal: .terminate)
        let stop = try #require(h.lines("stop").last)
        #expect(stop.hasPrefix("<4>level=warning event=stop signal=SIGTERM replicas=4 cause=\"the state file could not be written at stop ("))
        #expect(stop.hasSuffix("): a restart resumes from what it last held, once the path can hold a state file again\""))
    }

    @Test("once the state file and the history can be written again, each says so once: write-recovered")
    func writesRecovered() async throws {
        let h = Harness([Harness.exercise, Harness.exercise, Harness.exercise])
        defer { h.dir.remove() }
        h.dir.write("blocked", "")
        let config = h.config(statePath: h.dir.file("blocked/state.json"))
        let controller = await h.start(config)
        _ = try #require(await controller.evaluate())
        #expect(h.lines("state-write-failed").count >= 1 && h.lines("history-write-failed").count == 1)
        #expect(h.lines("write-recovered").isEmpty)
        // The disk mended: a directory where the file stood.
        #expect(unlink(h.dir.file("blocked")) == 0 && mkdir(h.dir.file("blocked"), 0o755) == 0)
        h.clock.advance(by: .seconds(10))
        _ = try #require(await controller.evaluate())
        #expect(h.lines("write-recovered").sorted() == [
            "<5>level=notice event=write-recovered path=\(config.history.path) file=history",
            "<5>level=notice event=write-recovered path=\(config.state.path) file=state",
        ].sorted())
        h.clock.advance(by: .seconds(10))
        _ = try #require(await controller.evaluate())
        #expect(h.lines("write-recovered").count == 2, "once each")
    }

    @Test("the count is handed to the actuator; an unconfirmed count is applied again on the first hold")
    func handOver() async throws {
        let h = Harness([Harness.exercise, Harness.cool])
        defer { h.dir.remove() }
        let controller = await h.start(h.config(actuator: Harness.acting))
        let decided = try #require(await controller.evaluate())
        await controller.settle()
        #expect(h.actuator.requests == [
            ActuationRequest(replicas: 4, previous: 3, reason: decided.decision.reason.text, maxReplicas: 10),
        ])
        #expect(await controller.state.summary.applied == 4)

        // A restart finds desired 4 confirmed; a later desired count the actuator never confirmed
        // (a failure before the restart) is applied again with the first evaluation, a hold.
        let restarted = await h.start(h.config(actuator: Harness.acting))
        await restarted.state.recordApplied(3, wallTime: Harness.wall)
        await restarted.stop(signal: .terminate)
        let again = await h.start(h.config(actuator: Harness.acting))
        h.clock.advance(by: .seconds(10))
        let hold = try #require(await again.evaluate())
        await again.settle()
        #expect(hold.decision.action == .hold)
        #expect(h.actuator.requests.last == ActuationRequest(
            replicas: 4, previous: 3, reason: "desired count 4 not confirmed applied (applied: 3)", maxReplicas: 10))
        #expect(h.lines("stop") == ["<6>level=info event=stop signal=SIGTERM replicas=4"])
    }

    @Test("without an acting actuator (dry run) nothing is handed over and decisions say dry_run=true")
    func dryRun() async throws {
        let h = Harness([Harness.exercise])
        defer { h.dir.remove() }
        let controller = await h.start(h.config(actuator: modified(.defaults) { ($0.kind, $0.dryRun) = (.file(path: "/x"), true) }))
        _ = try #require(await controller.evaluate())
        await controller.settle()
        #expect(h.actuator.requests.isEmpty)
        #expect(h.lines("scale-up").first?.hasSuffix(" dry_run=true") == true)
    }

    @Test("a failed reload is said in STATUS= until a reload succeeds")
    func reloadFailedStatus() async throws {
        let h = Harness([Harness.cool, Harness.cool, Harness.cool])
        defer { h.dir.remove() }
        let controller = await h.start(h.config())
        controller.noteReload(succeeded: false)
        _ = try #require(await controller.evaluate(reportStatus: true))
        #expect(h.notifier.messages.last?.first?.hasSuffix(" reload=failed") == true, "\(h.notifier.messages)")
        controller.noteReload(succeeded: true)
        h.clock.advance(by: .seconds(10))
        _ = try #require(await controller.evaluate(reportStatus: true))
        #expect(h.notifier.messages.last?.first?.contains("reload=") == false, "\(h.notifier.messages)")
    }

    @Test("a reload changes the policy for the next evaluation and says what changed")
    func reloadPolicy() async throws {
        let h = Harness([Harness.exercise])
        defer { h.dir.remove() }
        let controller = await h.start(h.config(policy: modified(.defaults) { ($0.scaleUpThreshold, $0.scaleDownThreshold, $0.targetLoad) = (60, 10, 50) }))
        let before = try #require(await controller.evaluate())
        #expect(before.decision.serversToScale == 0)

        await controller.reload(h.config(policy: modified(.defaults) { ($0.scaleUpThreshold, $0.scaleDownThreshold, $0.targetLoad) = (50, 10, 50) }))
        #expect(h.lines("reload") == [#"<6>level=info event=reload config=\#(h.dir.file("autoscaled.conf")) changes="policy.scale_up_threshold=60->50""#])
        let after = try #require(await controller.evaluate())
        #expect(after.decision.serversToScale == 1 && after.decision.action == .scaleUp)
    }

    @Test("a reload to another actuator type forgets the confirmed count and applies the desired count once")
    func reloadActuator() async throws {
        let h = Harness([Harness.exercise])
        defer { h.dir.remove() }
        let controller = await h.start(h.config(actuator: Harness.acting))
        _ = try #require(await controller.evaluate())
        await controller.settle()
        #expect(await controller.state.summary.applied == 4)

        let unit = try UnitNameTemplate("app@{i}.service")
        await controller.reload(h.config(actuator: modified(.defaults) { ($0.kind, $0.reconcileInterval) = (.systemd(unit: unit), nil) }))
        #expect(await controller.state.summary.applied == nil)
        h.clock.advance(by: .seconds(10))
        _ = try #require(await controller.evaluate())
        await controller.settle()
        #expect(h.actuator.requests.map(\.replicas) == [4, 4])
        #expect(h.actuator.requests.last?.reason == "desired count 4 not confirmed applied (applied: none)")
    }

    @Test("the actuator hears the highest max_replicas since start, across a reload that changes [actuator] too")
    func highestMaxAcrossActuatorReload() async throws {
        let h = Harness([Harness.exercise])
        defer { h.dir.remove() }
        let unit = try UnitNameTemplate("app@{i}.service")
        let systemd = modified(ActuatorConfig.defaults) { ($0.kind, $0.reconcileInterval) = (.systemd(unit: unit), .seconds(2)) }
        let controller = await h.start(h.config(policy: modified(.defaults) { $0.maxReplicas = 6 }, actuator: systemd))
        _ = try #require(await controller.evaluate())
        await controller.settle()
        #expect(h.actuator.requests.last?.maxReplicas == 6)

        // max_replicas 6 -> 2 and reconcile_interval 2s -> 3s: a new coordinator, the old maximum kept.
        await controller.reload(h.config(policy: modified(.defaults) { $0.maxReplicas = 2 },
                                         actuator: modified(systemd) { $0.reconcileInterval = .seconds(3) }))
        h.clock.advance(by: .seconds(10))
        let clamped = try #require(await controller.evaluate())
        await controller.settle()
        #expect(clamped.decision.to == 2)
        #expect(h.actuator.requests.last?.replicas == 2 && h.actuator.requests.last?.maxReplicas == 6)
    }

    @Test("a reload that moves or drops the metrics textfile removes the old file, and leaves what is not a file of ours")
    func reloadMetricsTextfile() async throws {
        let h = Harness([Harness.exercise])
        defer { h.dir.remove() }
        let controller = await h.start(h.config())
        h.dir.write("autoscaled.prom", "autoscaled_desired_replicas 4\n")
        await controller.reload(modified(h.config()) { $0.metrics.textfile = h.dir.file("moved.prom") })
        #expect(h.dir.read("autoscaled.prom") == nil)
        #expect(h.lines("metrics-removed") == ["<6>level=info event=metrics-removed path=\(h.dir.file("autoscaled.prom"))"])
        // After the reload line that says why.
        #expect(Array(h.events.suffix(2)) == ["reload", "metrics-removed"], "\(h.events)")

        // Dropped: the file is removed; a symlink where it was is not ours and stays.
        #expect(symlink("/etc/hostname", h.dir.file("moved.prom")) == 0)
        await controller.reload(modified(h.config()) { $0.metrics.textfile = nil })
        var info = stat()
        #expect(lstat(h.dir.file("moved.prom"), &info) == 0)
        // No file there at all is fine too.
        await controller.reload(h.config())
        await controller.reload(modified(h.config()) { $0.metrics.textfile = nil })
        // Nor is a directory that is not there (the writes failed, and said so then).
        await controller.reload(modified(h.config()) { $0.metrics.textfile = h.dir.file("gone/m.prom") })
        await controller.reload(h.config())
        #expect(h.lines("metrics-write-failed").isEmpty)
        // None of these removed a file, and none says it did.
        #expect(h.lines("metrics-removed").count == 1)

        // A removal that fails says so, naming the file once.
        let denied = h.dir.file("autoscaled.prom")
        controller.dependencies.removeMetrics = { path throws(FileWriteError) in
            throw .system(SystemError(call: "unlinkat", subject: path, errno: EACCES))
        }
        await controller.reload(modified(h.config()) { $0.metrics.textfile = nil })
        #expect(h.lines("metrics-write-failed") == [
            "<4>level=warning event=metrics-write-failed path=\(denied) cause=\"unlinkat: permission denied (errno 13)\"",
        ])
    }

    @Test("a reload to another source starts it healthy: its failures count from zero")
    func reloadSource() async throws {
        let h = Harness([.failure(Harness.refused)])
        defer { h.dir.remove() }
        let controller = await h.start(h.config())
        #expect(try #require(await controller.evaluate()).summary.health == .failing)

        // Only how often it is read, or stale_after: the same source, its count kept.
        var retimed = h.config()
        (retimed.source.pollInterval, retimed.source.staleAfter) = (.seconds(5), .seconds(30))
        await controller.reload(retimed)
        #expect(await controller.state.summary.health == .failing)

        var moved = h.config()
        moved.source.kind = .file(path: h.dir.file("other.json"))
        await controller.reload(moved)
        #expect(await controller.state.summary.health == .healthy)
        h.clock.advance(by: .seconds(10))
        let first = try #require(await controller.evaluate())
        #expect(first.summary.health == .failing && first.failures == 1 && first.input == .unavailable("\(h.dir.file("other.json")): connection refused"))
        #expect(h.lines("source-error").last?.hasPrefix("<4>level=warning event=source-error source=\(h.dir.file("other.json")) ") == true)
    }

    @Test("a source down stays down across reloads (another source, a higher failure_threshold) until a read succeeds: one source-down, one source-up")
    func downUntilARead() async throws {
        let h = Harness([.failure(Harness.refused)])
        defer { h.dir.remove() }
        let controller = await h.start(h.config())
        _ = try #require(await controller.evaluate())
        h.clock.advance(by: .seconds(10))
        #expect(try #require(await controller.evaluate()).wentDown)

        var moved = h.config()
        moved.source.kind = .file(path: h.dir.file("other.json"))
        await controller.reload(moved)
        #expect(await controller.state.summary.health == .down)
        moved.source.failureThreshold = 5
        await controller.reload(moved)
        for failures in 3...6 {
            h.clock.advance(by: .seconds(10))
            let again = try #require(await controller.evaluate())
            #expect(again.failures == failures && again.summary.health == .down && !again.wentDown)
            #expect(again.input == .sourceDown("\(h.dir.file("other.json")): connection refused"))
        }
        #expect(h.lines("source-down").count == 1)
        #expect(h.lines("source-error").suffix(4).allSatisfy { $0.hasPrefix("<7>level=debug event=source-error ") })
        // status, reading the state file with the raised threshold, says down as the daemon does.
        guard case let .found(down) = StateStore(path: h.dir.file("state.json")).load() else {
            Issue.record("no state file")
            return
        }
        #expect(down.source?.down == true)
        #expect(StatusReport(down, path: "s.json", wallNow: Harness.wall, failureThreshold: 5, actuatorActs: false).source.health == "down")

        h.source.script([Harness.cool])
        h.clock.advance(by: .seconds(10))
        #expect(try #require(await controller.evaluate()).cameUp)
        #expect(h.lines("source-up") == ["<5>level=notice event=source-up source=\(h.dir.file("other.json")) failures=6"])
        guard case let .found(up) = StateStore(path: h.dir.file("state.json")).load() else {
            Issue.record("no state file")
            return
        }
        #expect(up.source?.down == nil)
    }

    @Test("no decision on a load file being written, or written while it was read")
    func skipsPartialWrites() async {
        let h = Harness([Harness.exercise])
        defer { h.dir.remove() }
        let controller = await h.start(h.config(), watched: true)
        h.writes.set(beingWritten: true)
        #expect(await controller.evaluate() == nil)
        #expect(h.source.reads == 0)
        h.writes.set(writtenDuringRead: true)
        #expect(await controller.evaluate() == nil)
        #expect(h.source.reads == 1)
        let source = h.dir.file("loads.json")
        #expect(h.lines("skip") == [
            #"<7>level=debug event=skip source=\#(source) reason="load file is being written""#,
            #"<7>level=debug event=skip source=\#(source) reason="load file changed while being read""#,
        ])
        #expect(await controller.state.summary.desired == 3)
    }

    @Test("a watched load file that fails to read is read again 50 ms later, and told when it fails the same way then")
    func failedReadReadAgain() async throws {
        let h = Harness([.failure(.syntax(line: 1, message: "expected '{', found end of data")), Harness.exercise,
                         .failure(.noServers)])
        defer { h.dir.remove() }
        let controller = await h.start(h.config(), watched: true)
        // Read in the middle of a write in place: no decision, and the reader asks for another read.
        #expect(await controller.evaluate() == nil)
        #expect(controller.readAgainAfter == .milliseconds(50))
        h.clock.advance(by: .milliseconds(50))
        #expect(try #require(await controller.evaluate()).summary.health == .healthy)
        #expect(controller.readAgainAfter == nil)
        // Bad data that stays bad: told at the second read.
        h.clock.advance(by: .seconds(10))
        #expect(await controller.evaluate() == nil)
        h.clock.advance(by: .milliseconds(50))
        let failed = try #require(await controller.evaluate())
        #expect(failed.input == .unavailable("\(h.dir.file("loads.json")): no servers in the data") && failed.failures == 1)
        #expect(h.source.reads == 4)
        let reason = "load file unreadable: read again, as a write in place may have begun"
        #expect(h.lines("skip") == Array(repeating: #"<7>level=debug event=skip source=\#(h.dir.file("loads.json")) reason="\#(reason)""#, count: 2))
    }

    @Test("a load file still being written after the bound is a failed read: health, status and metrics see it")
    func writeOutlastsBound() async throws {
        let h = Harness([Harness.exercise])
        defer { h.dir.remove() }
        let controller = await h.start(h.config(), watched: true)
        h.writes.set(beingWritten: true, since: h.clock.now())
        #expect(await controller.evaluate() == nil)
        // Poll interval 10 s: the bound is 30 s. Written to again and again, never closed.
        h.clock.advance(by: .seconds(29))
        h.writes.set(beingWritten: true, since: h.clock.now())
        #expect(await controller.evaluate() == nil)
        h.clock.advance(by: .seconds(1))
        h.writes.set(beingWritten: true, since: h.clock.now())
        let failed = try #require(await controller.evaluate())
        #expect(failed.input == .unavailable("\(h.dir.file("loads.json")): still being written after 30s (modified, not yet closed or renamed into place)"))
        #expect(failed.failures == 1 && failed.summary.health == .failing)
        #expect(h.source.reads == 0)
        #expect(h.lines("source-error").last?.hasPrefix("<4>level=warning event=source-error ") == true)
        h.writes.set()
        let read = try #require(await controller.evaluate())
        #expect(read.summary.health == .healthy && h.source.reads == 1)
    }

    @Test("a failed notification is a warning once, then debug")
    func notifyFailure() async {
        let h = Harness([Harness.exercise])
        defer { h.dir.remove() }
        let controller = await h.start(h.config())
        h.notifier.fail(true)
        controller.notify(["READY=1"])
        controller.notify(["WATCHDOG=1"])
        #expect(h.lines("notify-failed").map { $0.prefix(3) } == ["<4>", "<7>"])
    }

    @Test("a full manager queue is waited for once: the next sends do not wait until one goes through")
    func notifyQueueFull() async {
        let h = Harness([Harness.exercise])
        defer { h.dir.remove() }
        let controller = await h.start(h.config())
        let before = h.notifier.waits.count
        h.notifier.fail(true, errno: EAGAIN)
        controller.notify(["WATCHDOG=1"])
        controller.notify(["WATCHDOG=1"])
        h.notifier.fail(false)
        controller.notify(["WATCHDOG=1"])
        controller.notify(["WATCHDOG=1"])
        // Another failure (no listener) is no full queue: the next send waits as ever.
        h.notifier.fail(true)
        controller.notify(["WATCHDOG=1"])
        controller.notify(["WATCHDOG=1"])
        #expect(Array(h.notifier.waits.dropFirst(before)) == [true, false, false, true, true, true])
    }
}
