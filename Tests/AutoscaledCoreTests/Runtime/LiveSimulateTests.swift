@testable import AutoscaledBase
@testable import AutoscaledCore
import AutoscaledTestSupport
import Testing

/// Live ≡ simulate: one timed sequence of per-server loads, fed to the daemon's controller on a
/// manual clock at several write rates, and replayed by `simulate` as a per-server trace, gives
/// the same decisions at the same moments with the same reasons.
///
/// Serialized: each case runs thousands of evaluations on Swift's cooperative pool (a thread a
/// core), and run all at once they would hold it from the tests that wait on real daemons.
@Suite(.serialized)
struct LiveSimulateTests {
    /// Per-server loads holding for `seconds` (a multiple of the 10 s poll).
    typealias Phase = (seconds: Int, loads: [Double])

    static let servers = ["s1", "s2", "s3"]

    /// Quiet, a rise that the trend sees coming, hot servers, a burst, then quiet long enough for
    /// the stabilization window and the scale-down rate to bring the count back.
    static let phases: [Phase] = [
        (60, [20, 25, 30]), (30, [34, 38, 40]), (30, [42, 45, 48]), (30, [52, 55, 49]), (40, [60, 58, 62]),
        (20, [250, 240, 260]), (60, [45, 40, 42]), (60, [30, 28, 33]), (300, [10, 12, 8]),
    ]

    static let configText = """
        [source]
        path = loads.json
        poll_interval = 10s
        [policy]
        max_replicas = 20
        scale_down_stabilization = 2min
        [state]
        path = state.json
        [log]
        level = notice
        """

    /// ``configText`` with `lines` added to `[policy]` and `scale_down_stabilization` set to
    /// `stabilization`, parsed.
    static func config(policy lines: String = "", stabilization: String = "2min") throws -> Config {
        let text = configText
            .replacingOccurrences(of: "scale_down_stabilization = 2min\n", with: "scale_down_stabilization = \(stabilization)\n")
            .replacingOccurrences(of: "[policy]\n", with: "[policy]\n" + lines)
        return try ConfigParser.parse(text, file: "autoscaled.conf", directory: "/tmp").get()
    }

    /// One decision as both sides log it: when (seconds since start), and what.
    static func line(_ seconds: Int, _ decision: ScalingDecision) -> String {
        "t=\(seconds) \(decision.action.rawValue) \(decision.from)->\(decision.to): \(decision.reason)"
    }

    /// The controller's decisions that change the count when the load file is written every
    /// `interval` (the poll's own reads fall on writes: 10 s is a whole number of intervals), its
    /// wall clock at `wallClock` seconds of the Unix epoch.
    static func live(every interval: Duration, config: Config, phases: [Phase] = phases,
                     wallClock: Double = 1_795_932_600) async -> [String] {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let first = Self.snapshot(phases[0].loads)
        let source = ScriptedLoadSource([.success(first)])
        let clock = ManualClock()
        let dependencies = Controller.Dependencies(
            clock: clock, wallTime: { wallClock }, notifier: RecordingNotifier(), makeSource: { _ in source },
            makeActuator: { _ in nil }, writeMetrics: { _, _ in })
        var config = config
        config.state.path = dir.file("state.json")
        let logger = Logger(level: .notice, encoder: LogEncoder(format: .logfmt, style: .journal), sink: MemoryLogSink(),
                            wallTime: { wallClock })
        let controller = await Controller.start(configPath: dir.file("autoscaled.conf"), config: config, logger: logger,
                                                dependencies: dependencies)
        var changes: [String] = []
        var phaseEnd = Duration.zero
        for phase in phases {
            phaseEnd += .seconds(phase.seconds)
            source.script([.success(Self.snapshot(phase.loads))])
            while clock.now().sinceOrigin < phaseEnd {
                if let outcome = await controller.evaluate(), outcome.decision.changesReplicas {
                    let (seconds, attoseconds) = clock.now().sinceOrigin.components
                    #expect(attoseconds == 0, "a change between polls at \(clock.now()): \(outcome.decision.reason)")
                    changes.append(Self.line(Int(seconds), outcome.decision))
                }
                clock.advance(by: interval)
                // Thousands of evaluations in a row: let the run's other tests have the threads
                // between them (its daemons' tests wait on real time).
                await Task.yield()
            }
        }
        await controller.stop(signal: .terminate)
        return changes
    }

    /// `simulate`'s decisions that change the count on the same loads as a per-server trace of
    /// 10 s bins. It evaluates at the end of each poll on the loads of the poll just past, which
    /// the daemon read at its start: its time t is the daemon's t − 10 s. The trace ends where the
    /// daemon's last poll's interval does, and `simulate` judges that interval too.
    static func simulated(config: Config, phases: [Phase] = phases) -> [String] {
        var loads: [Double?] = []
        for phase in phases {
            for _ in 0..<(phase.seconds / 10) { loads += phase.loads.map { Optional($0) } }
        }
        let trace = Trace(start: 0, binSeconds: 10, series: .serverLoads(names: servers, loads: loads))
        struct Changes: SimulationObserver {
            var lines: [String] = []
            mutating func second(_ time: Int, load: Double, desired: Int, serving: Int, overCapacity: Double) {}
            mutating func decision(_ decision: ScalingDecision, at time: Int) {
                if decision.changesReplicas { lines.append(LiveSimulateTests.line(time - 10, decision)) }
            }
        }
        var observer = Changes()
        _ = Simulation.replay(trace, setup: SimulationSetup(policy: config.policy, pollSeconds: 10), observer: &observer)
        return observer.lines
    }

    static func snapshot(_ loads: [Double]) -> LoadSnapshot {
        try! LoadSnapshot(servers: zip(servers, loads).map { ServerLoad(name: $0.0, load: $0.1) })
    }

    @Test("the controller fed once per poll, 2 times and 20 times a second decides what simulate decides",
          arguments: [Duration.seconds(10), .milliseconds(500), .milliseconds(50)])
    func liveIsSimulate(interval: Duration) async throws {
        let config = try Self.config()
        let simulated = Self.simulated(config: config)
        // The day scales up on the trend and on hot servers, bursts, and comes back down.
        #expect(simulated.map { $0.split(separator: ":")[0] } == [
            "t=90 scale-up 3->4", "t=150 scale-up 4->5", "t=190 scale-up 5->10", "t=340 scale-down 10->7",
            "t=400 scale-down 7->4", "t=460 scale-down 4->2", "t=470 scale-down 2->1",
        ])
        #expect(await Self.live(every: interval, config: config) == simulated)
    }

    @Test("with headroom = learned (the shipped way), the controller at any write rate decides what simulate decides",
          arguments: [Duration.seconds(10), .milliseconds(500), .milliseconds(50)])
    func learnedLiveIsSimulate(interval: Duration) async throws {
        let config = try Self.config(policy: "headroom = learned\nheadroom_target_load = 65\n", stabilization: "90s")
        // The day, then 5 more quiet minutes: the burst's rise is in the quantile until enough
        // quiet rises outnumber it.
        let phases = Self.phases + [(300, [10, 12, 8])]
        let simulated = Self.simulated(config: config, phases: phases)
        // Room to double while the rises are learned; up at once to the burst (capped at
        // max_replicas); down once the window has passed, and again when the burst's rise drops
        // below the quantile.
        #expect(simulated.map { $0.split(separator: ":")[0] } == [
            "t=120 scale-up 3->4", "t=150 scale-up 4->5", "t=190 scale-up 5->20",
            "t=290 scale-down 20->13", "t=300 scale-down 13->12", "t=360 scale-down 12->11", "t=420 scale-down 11->10",
            "t=880 scale-down 10->2",
        ])
        #expect(simulated.contains { $0.contains("seen so far: too few rises seen yet") }
            && simulated.contains { $0.contains("quantile of the rises") })
        #expect(await Self.live(every: interval, config: config, phases: phases) == simulated)
    }

    @Test("with the mean need of the stabilization window (the shipped rule), the controller at any write rate decides what simulate decides",
          arguments: [Duration.seconds(10), .milliseconds(500), .milliseconds(50)])
    func meanStabilizationLiveIsSimulate(interval: Duration) async throws {
        let config = try Self.config(policy: "headroom = learned\nheadroom_target_load = 65\nscale_down_stabilization_rule = mean\n")
        let phases = Self.phases + [(300, [10, 12, 8])]
        let simulated = Self.simulated(config: config, phases: phases)
        // Up at once to the burst; down to the need at once while the window's mean is below it,
        // then up again when the burst's own rise is learned (its horizon over), and down a step at
        // a time as the mean falls.
        #expect(simulated.map { $0.split(separator: ":")[0] } == [
            "t=120 scale-up 3->4", "t=150 scale-up 4->5", "t=190 scale-up 5->20",
            "t=200 scale-down 20->13", "t=210 scale-down 13->7", "t=220 scale-up 7->12", "t=270 scale-down 12->11",
            "t=450 scale-down 11->10", "t=800 scale-down 10->9", "t=820 scale-down 9->8", "t=830 scale-down 8->7",
            "t=850 scale-down 7->6", "t=870 scale-down 6->5", "t=880 scale-down 5->4", "t=900 scale-down 4->3",
            "t=910 scale-down 3->2",
        ])
        #expect(simulated.contains { $0.contains("mean need within scale_down_stabilization 2min") })
        #expect(await Self.live(every: interval, config: config, phases: phases) == simulated)
    }

    @Test("with scale_to_zero_after, the controller at any write rate goes to 0 and back when simulate does",
          arguments: [Duration.seconds(10), .milliseconds(500), .milliseconds(50)])
    func scaleToZeroLiveIsSimulate(interval: Duration) async throws {
        let config = try Self.config(policy: "headroom = learned\nmin_replicas = 0\nscale_to_zero_after = 1min\n")
        // The day, 2 minutes of no load, 40 s of some, and no load again: 6 polls of none (630 …
        // 680, 790 … 840) take the count to 0; the first load takes it back to the need at once.
        let phases = Self.phases + [(120, [0, 0, 0]), (40, [30, 20, 25]), (120, [0, 0, 0])]
        let simulated = Self.simulated(config: config, phases: phases)
        #expect(simulated.map { $0.split(separator: ":")[0] }.suffix(3) == ["t=680 scale-down 10->0", "t=750 scale-up 0->10", "t=840 scale-down 10->0"],
                "\(simulated)")
        #expect(simulated.last?.hasSuffix("no load in any poll within scale_to_zero_after 1min: -10 to 0") == true)
        #expect(await Self.live(every: interval, config: config, phases: phases) == simulated)
    }

    /// `ticks` polls of loads about `base` a server that change at every poll (by a few percent, in
    /// patterns of 2, 3 and 5 polls from poll `start` on), so that their spread can be measured.
    static func varying(_ ticks: Int, base: Double, from start: Int = 0) -> [Phase] {
        (start..<(start + ticks)).map { poll -> Phase in
            let (two, three, five) = (Double(poll % 2), Double(poll % 3), Double(poll % 5))
            let loads: [Double] = [base + two * 20, base - 10 + three * 7, base + 10 - five * 3]
            return (10, loads)
        }
    }

    @Test("with headroom_spread = measured, the controller at any write rate sizes with the spread simulate measures",
          arguments: [Duration.seconds(10), .milliseconds(500), .milliseconds(50)])
    func measuredSpreadLiveIsSimulate(interval: Duration) async throws {
        let config = try Self.config(
            policy: "headroom = learned\nheadroom_target_load = 65\nheadroom_square_root_room = 3\nheadroom_spread = measured\n",
            stabilization: "90s")
        let phases = Self.varying(60, base: 300) + Self.varying(30, base: 450, from: 60) + Self.varying(40, base: 300, from: 90)
        let simulated = Self.simulated(config: config, phases: phases)
        // Sized at the target while too few totals are seen; then at 88–92 a replica with the spread
        // measured and the rise held by the room, except within 3 minutes of a step (the step reads
        // as spread: the assumed room).
        #expect(simulated.map { $0.split(separator: ":")[0] } == [
            "t=0 scale-up 3->14", "t=10 scale-up 14->15", "t=220 scale-down 15->11", "t=600 scale-up 11->16",
            "t=610 scale-up 16->20", "t=880 scale-down 20->16", "t=990 scale-down 16->15", "t=1170 scale-down 15->11",
        ])
        #expect(simulated.filter { $0.contains("at this load and the measured spread") }.count == 4)
        // Their rises (34–39) are the spread between polls, which the room holds.
        #expect(simulated.filter { $0.contains(", which holds ") && $0.contains(" of the rise (the spread between polls))") }.count == 4)
        #expect(simulated[4].contains("need 22 at headroom_target_load 65"), "\(simulated[4])")
        #expect(await Self.live(every: interval, config: config, phases: phases) == simulated)
    }

    /// Quiet, and a spike of 40 s every 5 minutes, five times over; then 10 quiet minutes (the first pre-scaled in vain).
    static let recurring: [Phase] = Array(repeating: [(260, [10, 12, 8]), (40, [150, 140, 160])], count: 5).flatMap { $0 }
        + [(600, [10, 12, 8])]

    @Test("with seasonal_periods, the controller at any write rate pre-scales when simulate does",
          arguments: [Duration.seconds(10), .milliseconds(500), .milliseconds(50)])
    func seasonalLiveIsSimulate(interval: Duration) async throws {
        // The controller's wall clock (1 795 932 600 s) is a whole number of 5 minutes: its phases
        // fall where the trace's do.
        let config = try Self.config(policy: "seasonal_periods = 5min\n", stabilization: "1min")
        let simulated = Self.simulated(config: config, phases: Self.recurring)
        #expect(simulated.filter { $0.contains("recurring peak due") }.count == 4, "before the 3rd, 4th and 5th spikes, and a 6th that does not come")
        #expect(await Self.live(every: interval, config: config, phases: Self.recurring) == simulated)
    }

    /// A spike every 10 minutes, 10 s into a 30 s bucket of a 1-hour period.
    static let lateInBucket: [Phase] = Array(repeating: [(340, [10, 12, 8]), (30, [150, 140, 160]), (230, [10, 12, 8])], count: 14)
        .flatMap { $0 } + [(600, [10, 12, 8])]

    @Test("with headroom = learned and a period whose buckets are longer than a poll, the controller at any write rate carries the recurring rise when simulate does",
          arguments: [Duration.seconds(10), .milliseconds(500)])
    func carriedRiseLiveIsSimulate(interval: Duration) async throws {
        let config = try Self.config(
            policy: "headroom = learned\nheadroom_target_load = 65\nheadroom_quantile = 0.5\nseasonal_periods = 1h\n",
            stabilization: "0s")
        let simulated = Self.simulated(config: config, phases: Self.lateInBucket)
        // From the third hour each spike (7540, 8140; a rise of 420, above 8 times the spread between
        // polls at a total of 30) is given room 2 replica_startups and a poll before the bucket it
        // comes in (2min 30s before it), kept through the polls of its bucket before it (carried from
        // the poll before the bucket: without that the count would fall to 1 there and rise again at
        // the spike), and let go after it. A spike that does not come (8740) is given room, and let
        // go at the third poll of its bucket.
        #expect(simulated.map { $0.split(separator: ":")[0] }.suffix(6) == [
            "t=7390 scale-up 1->7", "t=7570 scale-down 7->1", "t=7990 scale-up 1->7", "t=8170 scale-down 7->1",
            "t=8590 scale-up 1->7", "t=8740 scale-down 7->1",
        ])
        // The controller's wall clock 10 s past a whole 10 minutes: `simulate`'s time t is its t − 10 s,
        // so each poll of both reads the same phase, and both see the spikes in the same buckets.
        #expect(await Self.live(every: interval, config: config, phases: Self.lateInBucket, wallClock: 1_795_932_610) == simulated)
    }

    @Test("with headroom = learned and seasonal_periods, the controller at any write rate gives room for the recurring rise when simulate does",
          arguments: [Duration.seconds(10), .milliseconds(500), .milliseconds(50)])
    func learnedSeasonalLiveIsSimulate(interval: Duration) async throws {
        // The median of the rises: the rises before a spike (a quarter of them) are given room by
        // the recurring rise, once two periods confirmed it, not by the quantile.
        let config = try Self.config(
            policy: "headroom = learned\nheadroom_target_load = 65\nheadroom_quantile = 0.5\nseasonal_periods = 5min\n",
            stabilization: "90s")
        let simulated = Self.simulated(config: config, phases: Self.recurring)
        // The first two spikes are followed; the next three, and a sixth that does not come, are
        // given room 2min 10s before (2 replica_startups and a poll: a rise of 420 is above 8 times
        // the spread between polls at a total of 30).
        #expect(simulated.map { $0.split(separator: ":")[0] } == [
            "t=200 scale-down 3->1", "t=260 scale-up 1->7", "t=390 scale-down 7->1", "t=560 scale-up 1->7",
            "t=690 scale-down 7->1", "t=730 scale-up 1->7", "t=990 scale-down 7->1", "t=1030 scale-up 1->7",
            "t=1290 scale-down 7->1", "t=1330 scale-up 1->7", "t=1590 scale-down 7->1", "t=1630 scale-up 1->7",
            "t=1850 scale-down 7->1",
        ])
        #expect(simulated.filter { $0.contains("scale-up 1->7: total load 30 and a recurring rise of 420 (at this phase each of the last 2 "
            + "periods of 5min rose by at least 420 within the next 2min 10s; looked for 2 replica_startups ahead, as more than "
            + "195.96 (8 times the spread between polls))") }.count == 4)
        #expect(await Self.live(every: interval, config: config, phases: Self.recurring) == simulated)
    }
}
