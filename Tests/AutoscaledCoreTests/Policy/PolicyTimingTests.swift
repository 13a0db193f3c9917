import AutoscaledCore
import Testing

/// Cooldown and stabilization, driven by a manual clock: every test is instant and exact.
struct PolicyTimingTests {
    let policy = ThresholdPolicy(config: PolicyConfig())
    let window: Duration = .seconds(300)
    let hot = try! LoadSnapshot(servers: [ServerLoad(name: "a", load: 80)])
    let cold = try! LoadSnapshot(servers: [ServerLoad(name: "a", load: 5), ServerLoad(name: "b", load: 10)])

    /// Runs one evaluation and returns the decision and the memory after it.
    func step(_ memory: PolicyMemory, _ loads: LoadSnapshot, at now: MonotonicInstant) -> (ScalingDecision, PolicyMemory) {
        let decision = policy.decide(.loads(loads), memory: memory, now: now)
        return (decision, memory.recording(decision, at: now, window: window))
    }

    @Test("scale-up waits out scale_up_cooldown, then acts")
    func cooldown() {
        let clock = ManualClock()
        var memory = PolicyMemory(replicas: 3, observingSince: clock.now())
        var decision: ScalingDecision
        (decision, memory) = step(memory, hot, at: clock.now())
        #expect(decision.action == .scaleUp && decision.to == 4)

        clock.advance(by: .seconds(12))
        (decision, memory) = step(memory, hot, at: clock.now())
        #expect(decision.action == .hold)
        #expect(decision.reason == "1 server above scale_up_threshold 50 (max a=80) but in scale_up_cooldown (18s of 30s left)")

        clock.advance(by: .milliseconds(17_999))
        (decision, memory) = step(memory, hot, at: clock.now())
        #expect(decision.action == .hold)
        #expect(decision.reason.hasSuffix("(1ms of 30s left)"))

        clock.advance(by: .milliseconds(1))
        (decision, memory) = step(memory, hot, at: clock.now())
        #expect(decision.action == .scaleUp && decision.from == 4 && decision.to == 5)
    }

    @Test("scale-down waits out the stabilization window")
    func stabilization() {
        let clock = ManualClock()
        var memory = PolicyMemory(replicas: 3, observingSince: clock.now())
        var decision: ScalingDecision
        for _ in 0..<60 {
            (decision, memory) = step(memory, cold, at: clock.now())
            #expect(decision.action == .hold)
            clock.advance(by: .seconds(5))
        }
        // 300 s after start: the window has been watched whole, and held nothing above 2.
        (decision, memory) = step(memory, cold, at: clock.now())
        #expect(decision.action == .scaleDown)
        #expect(decision.from == 3 && decision.to == 2)
        #expect(decision.reason
            == "all 2 servers below scale_down_threshold 20 (max b=10) with no higher recommendation for scale_down_stabilization 5min: -1")
    }

    @Test("a higher recommendation inside the window blocks scale-down until it ages out")
    func highRecommendationBlocks() {
        let clock = ManualClock()
        var memory = PolicyMemory(replicas: 3, observingSince: clock.now() - .seconds(1000))
        let band = try! LoadSnapshot(servers: [ServerLoad(name: "a", load: 30)])
        var decision: ScalingDecision
        (decision, memory) = step(memory, band, at: clock.now())
        #expect(decision.recommendation == 3)
        clock.advance(by: .seconds(299))
        (decision, memory) = step(memory, cold, at: clock.now())
        #expect(decision.action == .hold)
        #expect(decision.reason.hasSuffix("but scale_down_stabilization 5min holds at 3"))
        clock.advance(by: .seconds(1))
        (decision, memory) = step(memory, cold, at: clock.now())
        #expect(decision.action == .hold)
        clock.advance(by: .milliseconds(1))
        (decision, memory) = step(memory, cold, at: clock.now())
        #expect(decision.action == .scaleDown && decision.to == 2)
    }

    @Test("after a scale-down the next step waits a whole window again")
    func oneStepPerWindow() {
        let clock = ManualClock()
        var memory = PolicyMemory(replicas: 3, observingSince: clock.now() - .seconds(1000))
        var decision: ScalingDecision
        (decision, memory) = step(memory, cold, at: clock.now())
        #expect(decision.action == .scaleDown && decision.to == 2)
        clock.advance(by: .seconds(5))
        (decision, memory) = step(memory, cold, at: clock.now())
        #expect(decision.action == .hold)
        #expect(memory.replicas == 2)
    }

    @Test("the memory keeps no recommendation older than the window")
    func memoryIsBounded() {
        let clock = ManualClock()
        var memory = PolicyMemory(replicas: 3, observingSince: clock.now())
        for _ in 0..<1000 {
            (_, memory) = step(memory, cold, at: clock.now())
            clock.advance(by: .seconds(1))
        }
        #expect(memory.recommendations.count == 301)
        #expect(memory.recommendations.first!.at >= clock.now() - .seconds(301))
    }

    @Test("cooldown uses only the monotonic instant, never wall time")
    func monotonicOnly() {
        // The policy has no wall-clock input at all: its only notion of time is `now`. Feeding an
        // instant earlier than the last scale-up (as a wall clock set back would) keeps it in cooldown.
        let memory = PolicyMemory(replicas: 4, observingSince: .origin, lastScaleUp: .origin + .seconds(100))
        let decision = policy.decide(.loads(hot), memory: memory, now: .origin + .seconds(50))
        #expect(decision.action == .hold)
        #expect(decision.reason.contains("scale_up_cooldown"))
    }
}
