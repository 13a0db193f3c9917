@testable import AutoscaledBase
import AutoscaledCore
import Testing

/// The rules that depend on history — cooldown, stabilization, trend, smoothing, bursts — driven
/// by a manual clock: every test is instant and exact.
struct PolicyTimingTests {
    let hot = snapshot([("a", 80)])
    let cold = snapshot([("a", 5), ("b", 10)])

    /// One evaluation: the decision and the memory after it.
    func step(_ policy: ThresholdPolicy, _ memory: PolicyMemory, _ loads: LoadSnapshot, at now: MonotonicInstant)
        -> (ScalingDecision, PolicyMemory)
    {
        let decision = policy.decide(.loads(loads), memory: memory, now: now)
        return (decision, memory.recording(decision, at: now, policy: policy.config))
    }

    @Test("scale-up waits out scale_up_cooldown, then acts")
    func cooldown() {
        let policy = ThresholdPolicy(config: ThresholdPolicyTests.plain)
        let clock = ManualClock()
        var memory = PolicyMemory(replicas: 3, observingSince: clock.now())
        var decision: ScalingDecision
        (decision, memory) = step(policy, memory, hot, at: clock.now())
        #expect(decision.action == .scaleUp && decision.to == 4)

        clock.advance(by: .seconds(12))
        (decision, memory) = step(policy, memory, hot, at: clock.now())
        #expect(decision.action == .hold)
        // The hot server wants one more than the count, though the load needs 2: the reason says so,
        // as the limited line's want= does.
        #expect(decision.reason.text == "1 server above scale_up_threshold 50 (max a=80); total load 80 needs 2 at target_load 50; "
            + "a scale-up adds at least 1 (to 5) but in scale_up_cooldown (48s of 1min left)")
        #expect(decision.wanted == 5 && decision.heldBy == .scaleUpCooldown(left: .seconds(48)))

        clock.advance(by: .milliseconds(47_999))
        (decision, memory) = step(policy, memory, hot, at: clock.now())
        #expect(decision.reason.text.hasSuffix("(1ms of 1min left)"))
        clock.advance(by: .milliseconds(1))
        (decision, memory) = step(policy, memory, hot, at: clock.now())
        #expect(decision.action == .scaleUp && decision.from == 4 && decision.to == 5)
    }

    @Test("a burst is not held back by the cooldown")
    func burstPastCooldown() {
        var config = ThresholdPolicyTests.plain
        config.burstRatio = 2
        let policy = ThresholdPolicy(config: config)
        let memory = PolicyMemory(replicas: 2, observingSince: .origin, lastScaleUp: .origin)
        let burst = snapshot([("a", 150), ("b", 150)])
        let decision = policy.decide(.loads(burst), memory: memory, now: .origin + .seconds(5))
        #expect(decision.action == .scaleUp && decision.to == 6)
        #expect(decision.reason.text.hasPrefix("burst: total load 300 is at least burst_ratio 2 times what 2 replicas serve"))
        // Just under the ratio, the cooldown holds.
        let warm = snapshot([("a", 99), ("b", 100)])
        #expect(policy.decide(.loads(warm), memory: memory, now: .origin + .seconds(5)).action == .hold)
    }

    @Test("scale-down waits out the stabilization window, then follows the need down")
    func stabilization() {
        let policy = ThresholdPolicy(config: ThresholdPolicyTests.plain)
        let clock = ManualClock()
        var memory = PolicyMemory(replicas: 6, observingSince: clock.now())
        var decision: ScalingDecision
        for _ in 0..<60 {
            (decision, memory) = step(policy, memory, cold, at: clock.now())
            #expect(decision.action == .hold)
            clock.advance(by: .seconds(5))
        }
        // 300 s after start the whole window has been watched: the need (total 15 → 1) is all it held.
        (decision, memory) = step(policy, memory, cold, at: clock.now())
        #expect(decision.action == .scaleDown)
        #expect(decision.from == 6 && decision.to == 3)
        #expect(decision.reason.text == "all 2 servers below scale_down_threshold 35 (max b=10); total load 15 needs 1 at "
            + "target_load 50; highest need within scale_down_stabilization 5min is 1: -3 (limited by max_scale_down_per_minute 3)")
    }

    @Test("scale-down never goes below the highest need of the window")
    func highestNeedWins() {
        var config = ThresholdPolicyTests.plain
        config.maxScaleDownPerMinute = 100
        let policy = ThresholdPolicy(config: config)
        let clock = ManualClock()
        var memory = PolicyMemory(replicas: 8, observingSince: clock.now() - .seconds(1000))
        var decision: ScalingDecision
        // A busy moment needing 4 (total 190 at target 50), then quiet.
        (decision, memory) = step(policy, memory, snapshot([("a", 45), ("b", 45), ("c", 50), ("d", 50)]), at: clock.now())
        #expect(decision.action == .hold && decision.recommendation == 4)
        clock.advance(by: .seconds(10))
        (decision, memory) = step(policy, memory, cold, at: clock.now())
        #expect(decision.action == .scaleDown && decision.to == 4)
        #expect(decision.reason.text.hasSuffix("highest need within scale_down_stabilization 5min is 4: -4"))
        // Once the busy moment ages out, the quiet need (1) wins.
        clock.advance(by: .seconds(291))
        (decision, memory) = step(policy, memory, cold, at: clock.now())
        #expect(decision.action == .scaleDown && decision.from == 4 && decision.to == 1)
    }

    @Test("with scale_down_stabilization_rule = mean, scale-down goes to the mean need of the window, one need per tick")
    func meanNeedOfTheWindow() {
        var config = ThresholdPolicyTests.plain
        config.maxScaleDownPerMinute = 100
        config.tick = .seconds(10)
        config.scaleDownStabilization = .seconds(60)
        config.scaleDownStabilizationRule = .mean
        let policy = ThresholdPolicy(config: config)
        let clock = ManualClock()
        var memory = PolicyMemory(replicas: 8, observingSince: clock.now() - .seconds(1000))
        var decision: ScalingDecision
        // A busy tick needing 6 (total 290 at target 50, no server above 50), then quiet (needs 1).
        let busy = snapshot([("a", 45), ("b", 45), ("c", 50), ("d", 50), ("e", 50), ("f", 50)])
        (decision, memory) = step(policy, memory, busy, at: clock.now())
        #expect(decision.action == .hold && decision.recommendation == 6)
        // The same tick evaluated again, quiet: it counts once, as its highest need.
        clock.advance(by: .seconds(5))
        (decision, memory) = step(policy, memory, cold, at: clock.now())
        #expect(decision.action == .scaleDown && decision.to == 6)
        #expect(decision.reason.text.hasSuffix("mean need within scale_down_stabilization 1min is 6: -2"))
        // ⌈(6 + 1) ÷ 2⌉ = 4, ⌈(6 + 1 + 1) ÷ 3⌉ = 3, ⌈9 ÷ 4⌉ = 3 (held there), ⌈10 ÷ 5⌉ = 2: the count comes
        // down a step at a time, where the highest need would hold 6 for the whole minute.
        var counts: [Int] = []
        for _ in 0..<4 {
            clock.advance(by: .seconds(10))
            (decision, memory) = step(policy, memory, cold, at: clock.now())
            counts.append(decision.to)
        }
        #expect(counts == [4, 3, 3, 2])
        #expect(decision.reason.text == "all 2 servers below scale_down_threshold 35 (max b=10); total load 15 needs 1 at "
            + "target_load 50; mean need within scale_down_stabilization 1min is 2: -1")
        // Once the busy tick has left the window, the quiet need is all that is left.
        clock.advance(by: .seconds(30))
        (decision, memory) = step(policy, memory, cold, at: clock.now())
        #expect(decision.action == .scaleDown && decision.from == 2 && decision.to == 1)
    }

    @Test("a rising trend is provisioned replica_startup ahead, before any server is hot")
    func trendAhead() {
        var config = ThresholdPolicyTests.plain
        config.replicaStartup = .seconds(60)
        config.trendWindow = .seconds(60)
        let policy = ThresholdPolicy(config: config)
        var memory = PolicyMemory(replicas: 3, observingSince: .origin)
        var decision: ScalingDecision
        for (second, total) in [(0, 90.0), (10, 100)] {
            (decision, memory) = step(policy, memory, snapshot([("a", total / 3), ("b", total / 3), ("c", total / 3)]),
                                      at: .origin + .seconds(second))
            #expect(decision.action == .hold)
        }
        // 20 s and three ticks observed: the total is 110 (36.67 per server, far from 50), rising 1 per
        // second, so 110 + 60 = 170 is expected once a replica asked for now serves: 56.67 per server, 4 replicas.
        let rising = snapshot([("a", 110.0 / 3), ("b", 110.0 / 3), ("c", 110.0 / 3)])
        (decision, memory) = step(policy, memory, rising, at: .origin + .seconds(20))
        #expect(decision.serversToScale == 0)
        #expect(decision.action == .scaleUp && decision.to == 4)
        #expect(decision.reason.text == "load per server expected in replica_startup 1min 56.67 above scale_up_threshold 50; "
            + "total load 110, 170 expected in 1min needs 4 at target_load 50: +1")
        // The stabilization window records the count a scale-up reached, and otherwise what the load
        // needs now (120 → 3), not the projection (180 → 4).
        (decision, memory) = step(policy, memory, snapshot([("a", 40), ("b", 40), ("c", 40)]), at: .origin + .seconds(30))
        #expect(decision.reason.text.hasSuffix("total load 120, 180 expected in 1min needs 4 at target_load 50"))
        #expect(memory.recommendations.map(\.replicas) == [2, 2, 4, 3])
    }

    @Test("a falling trend is never anticipated")
    func fallingTrend() {
        var config = ThresholdPolicyTests.plain
        config.replicaStartup = .seconds(60)
        let policy = ThresholdPolicy(config: config)
        var memory = PolicyMemory(replicas: 3, observingSince: .origin)
        (_, memory) = step(policy, memory, snapshot([("a", 300)]), at: .origin)
        let decision = policy.decide(.loads(snapshot([("a", 60)])), memory: memory, now: .origin + .seconds(30))
        #expect(decision.reason.text.contains("total load 60 needs 2 at target_load 50"))
    }

    @Test("smoothing sizes for the mean over the window, not one noisy sample")
    func smoothing() {
        var config = ThresholdPolicyTests.plain
        config.smoothingWindow = .seconds(30)
        let policy = ThresholdPolicy(config: config)
        var memory = PolicyMemory(replicas: 2, observingSince: .origin)
        (_, memory) = step(policy, memory, snapshot([("a", 40), ("b", 40)]), at: .origin)
        (_, memory) = step(policy, memory, snapshot([("a", 40), ("b", 40)]), at: .origin + .seconds(10))
        // A spike to 2 × 100: smoothed (80 + 80 + 200) / 3 = 120 → 3 replicas, not 4.
        let decision = policy.decide(.loads(snapshot([("a", 100), ("b", 100)])), memory: memory, now: .origin + .seconds(20))
        #expect(decision.action == .scaleUp && decision.to == 3)
        #expect(decision.reason.text.contains("total load 200, smoothed 120 needs 3 at target_load 50"))
    }

    @Test("the memory keeps one entry per tick and nothing older than its windows")
    func memoryIsBounded() {
        let policy = ThresholdPolicy(config: PolicyConfig.defaults)
        let clock = ManualClock()
        var memory = PolicyMemory(replicas: 3, observingSince: clock.now())
        for _ in 0..<20_000 {
            (_, memory) = step(policy, memory, cold, at: clock.now())
            clock.advance(by: .milliseconds(50))
        }
        // 5 min and 3 min of 10 s ticks, both ends included.
        #expect(memory.recommendations.count == 31)
        #expect(memory.samples.count == 19)
    }

    @Test("cooldown uses only the monotonic instant, never wall time")
    func monotonicOnly() {
        // The policy has no wall-clock input at all: its only notion of time is `now`. Feeding an
        // instant earlier than the last scale-up (as a wall clock set back would) keeps it in cooldown.
        let policy = ThresholdPolicy(config: ThresholdPolicyTests.plain)
        let memory = PolicyMemory(replicas: 4, observingSince: .origin, lastScaleUp: .origin + .seconds(100))
        let decision = policy.decide(.loads(hot), memory: memory, now: .origin + .seconds(50))
        #expect(decision.action == .hold)
        #expect(decision.reason.text.hasSuffix("in scale_up_cooldown (1min of 1min left)"))
    }
}
