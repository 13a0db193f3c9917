@testable import AutoscaledCore
import AutoscaledTestSupport
import Testing

func snapshot(_ loads: [(String, Double)]) -> LoadSnapshot {
    try! LoadSnapshot(servers: loads.map { ServerLoad(name: $0.0, load: $0.1) })
}

/// The rules one evaluation applies, without history: trigger, proportional size, limits.
struct ThresholdPolicyTests {
    /// Trend and smoothing off, so each case is one snapshot's arithmetic; bursts off unless asked;
    /// a 1 ms tick, so the timing tests can step in exact seconds.
    static let plain = modified(PolicyConfig.defaults) {
        ($0.scaleUpThreshold, $0.scaleDownThreshold, $0.targetLoad) = (50, 35, 50)
        ($0.replicaStartup, $0.smoothingWindow, $0.burstRatio) = (.zero, .zero, 0)
        $0.tick = .milliseconds(1)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var loads: [(String, Double)]
        var replicas: Int
        var config: PolicyConfig = ThresholdPolicyTests.plain
        var serversToScale: Int
        var action: ScalingAction
        var to: Int
        var reason: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "the original exercise: 30, 55, 20 at 50 → 1 server to scale, +1 (need 3 is not more)",
             loads: [("server1", 30), ("server2", 55), ("server3", 20)], replicas: 3, serversToScale: 1,
             action: .scaleUp, to: 4,
             reason: "1 server above scale_up_threshold 50 (max server2=55); total load 105 needs 3 at target_load 50: +1 (a scale-up adds at least 1)"),
        Case(name: "the threshold itself is not over",
             loads: [("a", 50), ("b", 50)], replicas: 3, serversToScale: 0, action: .hold, to: 3,
             reason: "no server above scale_up_threshold 50 and not all below scale_down_threshold 35 (max a=50); "
                 + "total load 100 needs 2 at target_load 50"),
        Case(name: "the step is sized from the total load at the target: 4 × 80 = 320 needs 7",
             loads: [("a", 80), ("b", 80), ("c", 80), ("d", 80)], replicas: 4, serversToScale: 4, action: .scaleUp, to: 7,
             reason: "4 servers above scale_up_threshold 50 (max a=80); total load 320 needs 7 at target_load 50: +3"),
        Case(name: "a step is limited by max_scale_up_per_minute",
             loads: (1...5).map { ("s\($0)", 90.0) }, replicas: 3, serversToScale: 5, action: .scaleUp, to: 7,
             reason: "5 servers above scale_up_threshold 50 (max s1=90); total load 450 needs 9 at target_load 50: "
                 + "+4 (limited by max_scale_up_per_minute 4)"),
        Case(name: "a burst is sized at once, past max_scale_up_per_minute",
             loads: (1...5).map { ("s\($0)", 90.0) }, replicas: 3,
             config: modified(plain) { $0.burstRatio = 2 },
             serversToScale: 5, action: .scaleUp, to: 9,
             reason: "burst: total load 450 is at least burst_ratio 2 times what 3 replicas serve at target_load 50; "
                 + "total load 450 needs 9 at target_load 50: +6"),
        Case(name: "a step is capped at max_replicas",
             loads: [("a", 150), ("b", 150), ("c", 150), ("d", 150)], replicas: 8, serversToScale: 4, action: .scaleUp, to: 10,
             reason: "4 servers above scale_up_threshold 50 (max a=150); total load 600 needs 12 at target_load 50: "
                 + "+2 (capped at max_replicas 10)"),
        Case(name: "no scale-up beyond max_replicas",
             loads: [("a", 60)], replicas: 10, serversToScale: 1, action: .hold, to: 10,
             reason: "1 server above scale_up_threshold 50 (max a=60); total load 60 needs 2 at target_load 50; "
                 + "a scale-up adds at least 1 (to 11) but already at max_replicas 10"),
        Case(name: "low load at min_replicas holds",
             loads: [("a", 1)], replicas: 1, serversToScale: 0, action: .hold, to: 1,
             reason: "the only server below scale_down_threshold 35 (max a=1); total load 1 needs 1 at target_load 50 "
                 + "but already at min_replicas 1"),
        Case(name: "a load equal to scale_down_threshold is not below it",
             loads: [("a", 35), ("b", 5)], replicas: 3, serversToScale: 0, action: .hold, to: 3,
             reason: "no server above scale_up_threshold 50 and not all below scale_down_threshold 35 (max a=35); "
                 + "total load 40 needs 1 at target_load 50"),
        Case(name: "a target below the threshold sizes for more headroom",
             loads: [("a", 60), ("b", 60)], replicas: 2,
             config: modified(plain) { ($0.scaleDownThreshold, $0.targetLoad) = (20, 30) },
             serversToScale: 2, action: .scaleUp, to: 4,
             reason: "2 servers above scale_up_threshold 50 (max a=60); total load 120 needs 4 at target_load 30: +2"),
    ]

    @Test("one evaluation", arguments: cases)
    func evaluation(_ test: Case) {
        let policy = ThresholdPolicy(config: test.config)
        let decision = policy.decide(.loads(snapshot(test.loads)),
                                     memory: PolicyMemory(replicas: test.replicas, observingSince: .origin), now: .origin)
        #expect(decision.serversToScale == test.serversToScale)
        #expect(decision.action == test.action)
        #expect(decision.from == test.replicas)
        #expect(decision.to == test.to)
        #expect(decision.reason.text == test.reason)
    }

    @Test("serversToScale counts loads strictly above the threshold")
    func serversToScaleCount() {
        let loads = snapshot([("server1", 30), ("server2", 55), ("server3", 20)])
        #expect(ThresholdPolicy.serversToScale(loads, threshold: 50) == 1)
        #expect(ThresholdPolicy.serversToScale(loads, threshold: 55) == 0)
        #expect(ThresholdPolicy.serversToScale(loads, threshold: 19.999) == 3)
    }

    @Test("a need off a whole number by an ulp or two is that number: the order of the servers changes nothing",
          arguments: [Headroom.Mode.thresholds, .learned])
    func needsIgnoreRoundingNoise(_ mode: Headroom.Mode) {
        // 0.2 + 49.7 + 0.1 is 50.00000000000001; 0.1 + 0.2 + 49.7 is 50.
        var config = modified(Self.plain) { $0.headroom.mode = mode; $0.headroom.targetLoad = 100 }
        config.minReplicas = 1
        let policy = ThresholdPolicy(config: config)
        let memory = PolicyMemory(replicas: 1, observingSince: .origin)
        let orders = [[("a", 0.1), ("b", 0.2), ("c", 49.7)], [("b", 0.2), ("c", 49.7), ("a", 0.1)]]
        let decisions = orders.map { policy.decide(.loads(snapshot($0)), memory: memory, now: .origin) }
        // target_load 50 for a total of 50, or headroom_target_load 100 for 50 and no rise seen yet.
        #expect(decisions.map(\.to) == [1, 1], "\(decisions.map(\.reason.text))")
        #expect(decisions[0].reason.text == decisions[1].reason.text)
        #expect(Evaluation.wholeReplicas(1.0000000000000002) == 1)
        #expect(Evaluation.wholeReplicas(2.9999999999999996) == 3)
        #expect(Evaluation.wholeReplicas(1.000001) == 2)
        #expect(Evaluation.wholeReplicas(0.4) == 1 && Evaluation.wholeReplicas(0) == 0)
        #expect(Evaluation.wholeReplicas(123_456_789.000_001) == 123_456_789)
        #expect(Evaluation.wholeReplicas(.nan).isNaN)
    }

    @Test("no data holds and records neither a need nor a load")
    func unavailableHolds() {
        let decision = ThresholdPolicy(config: Self.plain).decide(
            .unavailable("line 1: bad"), memory: PolicyMemory(replicas: 4, observingSince: .origin), now: .origin)
        #expect(decision.action == .hold)
        #expect(decision.to == 4)
        #expect(decision.recommendation == nil)
        #expect(decision.totalLoad == nil)
        #expect(decision.reason.text == "no usable load data: line 1: bad")
    }

    @Test("a count above a lowered max_replicas comes down at once, even without data")
    func clampsAboveMax() {
        let decision = ThresholdPolicy(config: Self.plain).decide(
            .unavailable("gone"), memory: PolicyMemory(replicas: 14, observingSince: .origin), now: .origin)
        #expect(decision.action == .scaleDown)
        #expect(decision.to == 10)
        #expect(decision.reason.text == "14 replicas above max_replicas 10")
    }

    @Test("a count below a raised min_replicas goes up at once")
    func clampsBelowMin() {
        var config = Self.plain
        config.minReplicas = 2
        let decision = ThresholdPolicy(config: config).decide(
            .loads(snapshot([("a", 30)])), memory: PolicyMemory(replicas: 1, observingSince: .origin), now: .origin)
        #expect(decision.action == .scaleUp)
        #expect(decision.to == 2)
        #expect(decision.reason.text == "1 replica below min_replicas 2")
    }

    @Test("target_load defaults to scale_up_threshold")
    func targetDefault() throws {
        let given = "[source]\npath = /x\n[policy]\nscale_up_threshold = 70\nscale_down_threshold = 40"
        #expect(try ConfigParsing.parse(given).get().policy.targetLoad == 70)
        #expect(try ConfigParsing.parse(given + "\ntarget_load = 60").get().policy.targetLoad == 60)
        #expect(PolicyConfig.defaults.targetLoad == PolicyConfig.defaults.scaleUpThreshold)
    }
}
