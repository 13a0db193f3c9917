@testable import AutoscaledBase
import AutoscaledCore
import AutoscaledTestSupport
import Testing

/// The rules over time, on a manual clock: the tick grid, the trend's age and bound, the rates per
/// minute. Each test says what one rule does however often the load is read.
struct PolicyTickTests {
    /// The shipped rules, on the default 10 s tick.
    static let shipped = PolicyConfig.defaults

    /// A load that holds `loads` for `seconds`, then the next one.
    typealias Phase = (seconds: Int, loads: [Double])

    /// Every change of the count when `phases` are read every `interval` (the poll and the writes
    /// of a load file, all on one manual clock), as `t=SECONDS FROM->TO`.
    static func changes(_ phases: [Phase], every interval: Duration, config: PolicyConfig = shipped) -> [String] {
        let policy = ThresholdPolicy(config: config)
        let clock = ManualClock()
        var memory = PolicyMemory(replicas: config.initialReplicas, observingSince: clock.now())
        var changes: [String] = []
        var phaseStart = Duration.zero
        for phase in phases {
            let loads = snapshot(phase.loads.enumerated().map { ("s\($0.offset)", $0.element) })
            let end = phaseStart + .seconds(phase.seconds)
            while clock.now().sinceOrigin < end {
                let now = clock.now()
                let decision = policy.decide(.loads(loads), memory: memory, now: now)
                memory = memory.recording(decision, at: now, policy: config)
                if decision.changesReplicas {
                    changes.append("t=\(DurationText.format(now.sinceOrigin)) \(decision.from)->\(decision.to)")
                }
                clock.advance(by: interval)
            }
            phaseStart = end
        }
        return changes
    }

    /// Checks that `phases` give `expected` read once per tick, twice and twenty times a second.
    static func expectAtEveryRate(
        _ phases: [Phase], config: PolicyConfig, _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for interval in [config.tick, .milliseconds(500), .milliseconds(50)] {
            #expect(changes(phases, every: interval, config: config) == expected, "read every \(interval)",
                    sourceLocation: sourceLocation)
        }
    }

    /// Decides on `loads` at `second` seconds (or `now`), and remembers the decision.
    static func evaluate(
        _ policy: ThresholdPolicy, _ memory: inout PolicyMemory, _ loads: [(String, Double)], at second: Int = 0,
        now: MonotonicInstant? = nil
    ) -> ScalingDecision {
        let now = now ?? .origin + .seconds(second)
        let decision = policy.decide(.loads(snapshot(loads)), memory: memory, now: now)
        memory = memory.recording(decision, at: now, policy: policy.config)
        return decision
    }

    /// Quiet, a rise, a burst, quiet again: scale-ups, a burst, the window and the rate down.
    static let day: [Phase] = [
        (60, [20, 25, 30]), (30, [40, 45, 48]), (30, [52, 55, 49]), (30, [60, 58, 62]),
        (20, [250, 240, 260]), (90, [45, 40, 42]), (600, [10, 12, 8]),
    ]

    /// Up twice on the rise (cooldown 1min), the burst to max_replicas at once, then down at 3 a
    /// minute once the 5 min window has let go of the burst.
    static let dayChanges = ["t=1min 10s 3->4", "t=2min 10s 4->5", "t=2min 30s 5->10", "t=8min 10->7", "t=9min 7->4", "t=10min 4->1"]

    @Test("reloads that make the ticks longer and shorter again keep every window in time order")
    func reloadsChangingTheTick() {
        // Learned headroom with a short horizon, so rises are measured within the run.
        let short = modified(Self.shipped) { $0.headroom.mode = .learned; $0.replicaStartup = .seconds(1); $0.tick = .milliseconds(200) }
        let long = modified(short) { $0.tick = .milliseconds(300) }
        #expect(short.usesLearnedHeadroom)
        let policy = (short: ThresholdPolicy(config: short), long: ThresholdPolicy(config: long))
        var memory = PolicyMemory(replicas: 3, observingSince: .origin)
        var useLong = false
        for step in 0..<800 {
            let now = MonotonicInstant.origin + .milliseconds(50 * step)
            // A reload every 250 ms switches the tick between 200 ms and 300 ms, as the daemon's
            // does: the rises are measured again at once when their horizon changed.
            if step % 5 == 0 {
                useLong.toggle()
                memory.remeasureRises(at: now, policy: useLong ? long : short)
            }
            let config = useLong ? long : short
            // No tick starts before the latest one recorded, on whichever grid.
            if let latest = memory.latestTick { #expect(memory.tick(of: now, tick: config.tick) >= latest) }
            let load = Double(100 + (step * 37) % 90)
            let decision = (useLong ? policy.long : policy.short).decide(.loads(snapshot([("a", load)])), memory: memory, now: now)
            memory.record(decision, at: now, policy: config)
        }
        func ordered(_ times: [MonotonicInstant]) -> Bool { zip(times, times.dropFirst()).allSatisfy { $0 < $1 } }
        #expect(!memory.rises.isEmpty && !memory.samples.isEmpty)
        #expect(ordered(memory.samples.map(\.at)), "\(memory.samples.map(\.at))")
        #expect(ordered(memory.rises.map(\.at)), "\(memory.rises.map(\.at))")
        #expect(ordered(memory.recommendations.map(\.at)))
        #expect(zip(memory.changes, memory.changes.dropFirst()).allSatisfy { $0.at <= $1.at })
    }

    @Test("the same load over time gives the same decisions read once per tick, twice a second or 20 times a second",
          arguments: [Duration.milliseconds(500), .milliseconds(50)])
    func sameDecisionsAtAnyRate(interval: Duration) {
        let oncePerTick = Self.changes(Self.day, every: .seconds(10))
        #expect(oncePerTick == Self.dayChanges)
        #expect(Self.changes(Self.day, every: interval) == oncePerTick)
    }

    @Test("a hot server with no cooldown adds one step per tick, however often it is read")
    func oneScaleUpPerTick() {
        var config = Self.shipped
        config.scaleUpCooldown = .zero
        config.maxReplicas = 100
        Self.expectAtEveryRate([(30, [51, 20, 20])], config: config, ["t=0 3->4", "t=10s 4->5", "t=20s 5->6"])
    }

    @Test("scale-ups add at most max_scale_up_per_minute within any minute")
    func scaleUpRate() {
        var config = Self.shipped
        config.scaleUpCooldown = .zero
        config.maxScaleUpPerMinute = 2
        config.maxReplicas = 100
        Self.expectAtEveryRate([(90, [51, 20, 20])], config: config,
                               ["t=0 3->4", "t=10s 4->5", "t=1min 5->6", "t=1min 10s 6->7"])
        let policy = ThresholdPolicy(config: config)
        var memory = PolicyMemory(replicas: 3, observingSince: .origin)
        for second in [0, 10] { _ = Self.evaluate(policy, &memory, [("a", 51)], at: second) }
        let held = Self.evaluate(policy, &memory, [("a", 51)], at: 20)
        #expect(held.action == .hold)
        #expect(held.reason.text.hasSuffix("but max_scale_up_per_minute 2 reached (+2 in the last minute)"))
    }

    @Test("scale-downs remove at most max_scale_down_per_minute within any minute, not per evaluation")
    func scaleDownRate() {
        var config = Self.shipped
        config.scaleDownStabilization = .zero
        config.initialReplicas = 10
        Self.expectAtEveryRate([(130, [1])], config: config, ["t=0 10->7", "t=1min 7->4", "t=2min 4->1"])
        let policy = ThresholdPolicy(config: config)
        var memory = PolicyMemory(replicas: 10, observingSince: .origin)
        let first = Self.evaluate(policy, &memory, [("a", 1)])
        #expect(first.reason.text.hasSuffix(": -3 (limited by max_scale_down_per_minute 3)"))
        let held = Self.evaluate(policy, &memory, [("a", 1)], at: 59)
        #expect(held.action == .hold)
        #expect(held.reason.text.hasSuffix("is 1 but max_scale_down_per_minute 3 reached (-3 in the last minute)"))
    }

    @Test("max_scale_down_percent_per_minute allows more when the fleet is large")
    func scaleDownPercent() {
        var config = Self.shipped
        config.scaleDownStabilization = .zero
        config.maxReplicas = 100
        config.initialReplicas = 40
        config.maxScaleDownPercentPerMinute = 25
        // 25 % of 40 is 10; a minute later 25 % of 30 is 7.5, rounded up to 8; then 25 % of 22 is 5.5 → 6.
        Self.expectAtEveryRate([(130, [1])], config: config, ["t=0 40->30", "t=1min 30->22", "t=2min 22->16"])
        let decision = ThresholdPolicy(config: config).decide(
            .loads(snapshot([("a", 1)])), memory: PolicyMemory(replicas: 40, observingSince: .origin), now: .origin)
        #expect(decision.reason.text.hasSuffix(": -10 (limited by max_scale_down_percent_per_minute 25 (10 of 40))"))
    }

    @Test("a young memory projects nothing: two reads 70 ms apart, or four ticks over 15 s, are not a trend")
    func trendWithheldWhileYoung() {
        let policy = ThresholdPolicy(config: Self.shipped)
        var memory = PolicyMemory(replicas: 3, observingSince: .origin)
        _ = Self.evaluate(policy, &memory, [("a", 20), ("b", 20)])
        let step = Self.evaluate(policy, &memory, [("a", 45), ("b", 45)], now: .origin + .milliseconds(70))
        #expect(step.action == .hold)
        #expect(step.reason.text.hasSuffix("total load 90 needs 2 at target_load 50"))

        // On a 5 s tick, ticks at 0, 5 and 10 s: three points but only 10 s observed (trend_min_span 20s).
        var config = Self.shipped
        config.tick = .seconds(5)
        let quick = ThresholdPolicy(config: config)
        memory = PolicyMemory(replicas: 3, observingSince: .origin)
        for (second, load) in [(0, 20.0), (5, 25), (10, 30), (15, 35)] {
            let decision = Self.evaluate(quick, &memory, [("a", load), ("b", load)], at: second)
            #expect(!decision.reason.text.contains("expected in"), "at \(second)s: \(decision.reason)")
        }
        // At 20 s the rise has been watched for 20 s: now it is projected.
        let grown = Self.evaluate(quick, &memory, [("a", 40), ("b", 40)], at: 20)
        #expect(grown.reason.text.contains("expected in 1min"))
    }

    @Test("a projection adds at most twice the smoothed load")
    func projectionBounded() {
        var config = ThresholdPolicyTests.plain
        config.tick = .seconds(10)
        config.replicaStartup = .seconds(120)
        config.maxReplicas = 1000
        let policy = ThresholdPolicy(config: config)
        var memory = PolicyMemory(replicas: 3, observingSince: .origin)
        for second in [0, 10, 20] { _ = Self.evaluate(policy, &memory, [("a", 1)], at: second) }
        // 1 → 100 in 10 s is a slope of about 3 per second: 356 more in 2 minutes, cut to 2 × 100.
        let decision = policy.decide(.loads(snapshot([("a", 100)])), memory: memory, now: .origin + .seconds(30))
        #expect(decision.reason.text.contains("total load 100, 300 expected in 2min (the trend adds at most 2 times "
            + "the smoothed load) needs 6 at target_load 50"))
        #expect(decision.reason.sizing == DecisionReason.Sizing(
            total: 100, projection: DecisionReason.Projection(load: 300, ahead: .seconds(120), capped: true), need: 6, targetLoad: 50))
    }
}
