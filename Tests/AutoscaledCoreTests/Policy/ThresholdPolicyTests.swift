import AutoscaledCore
import Testing

private func snapshot(_ loads: [(String, Double)]) -> LoadSnapshot {
    try! LoadSnapshot(servers: loads.map { ServerLoad(name: $0.0, load: $0.1) })
}

private let policy = ThresholdPolicy(config: PolicyConfig())

private func fresh(_ replicas: Int, at now: MonotonicInstant = .origin) -> PolicyMemory {
    PolicyMemory(replicas: replicas, observingSince: now)
}

struct ThresholdPolicyTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var loads: [(String, Double)]
        var replicas: Int
        var serversToScale: Int
        var action: ScalingAction
        var to: Int
        var reason: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "the original exercise: 30, 55, 20 at 50 → 1 server to scale",
             loads: [("server1", 30), ("server2", 55), ("server3", 20)], replicas: 3, serversToScale: 1,
             action: .scaleUp, to: 4, reason: "1 server above scale_up_threshold 50 (max server2=55): +1"),
        Case(name: "the threshold itself is not over",
             loads: [("a", 50), ("b", 50)], replicas: 3, serversToScale: 0, action: .hold, to: 3,
             reason: "no server above scale_up_threshold 50 and not all below scale_down_threshold 20 (max a=50)"),
        Case(name: "a step is capped by max_scale_up_step",
             loads: (1...6).map { ("s\($0)", 90.0) }, replicas: 3, serversToScale: 6, action: .scaleUp, to: 7,
             reason: "6 servers above scale_up_threshold 50 (max s1=90): +4 (limited by max_scale_up_step 4)"),
        Case(name: "a step is capped at max_replicas",
             loads: [("a", 60), ("b", 70)], replicas: 9, serversToScale: 2, action: .scaleUp, to: 10,
             reason: "2 servers above scale_up_threshold 50 (max b=70): +1 (capped at max_replicas 10)"),
        Case(name: "no scale-up beyond max_replicas",
             loads: [("a", 60)], replicas: 10, serversToScale: 1, action: .hold, to: 10,
             reason: "1 server above scale_up_threshold 50 (max a=60) but already at max_replicas 10"),
        Case(name: "low load at min_replicas holds",
             loads: [("a", 1)], replicas: 1, serversToScale: 0, action: .hold, to: 1,
             reason: "the only server below scale_down_threshold 20 (max a=1) but already at min_replicas 1"),
        Case(name: "a load equal to scale_down_threshold is not below it",
             loads: [("a", 20), ("b", 5)], replicas: 3, serversToScale: 0, action: .hold, to: 3,
             reason: "no server above scale_up_threshold 50 and not all below scale_down_threshold 20 (max a=20)"),
        Case(name: "the first of equally loaded servers is named",
             loads: [("x", 70), ("y", 70)], replicas: 2, serversToScale: 2, action: .scaleUp, to: 4,
             reason: "2 servers above scale_up_threshold 50 (max x=70): +2"),
    ]

    @Test("one evaluation", arguments: cases)
    func evaluation(_ test: Case) {
        let decision = policy.decide(.loads(snapshot(test.loads)), memory: fresh(test.replicas), now: .origin)
        #expect(decision.serversToScale == test.serversToScale)
        #expect(decision.action == test.action)
        #expect(decision.from == test.replicas)
        #expect(decision.to == test.to)
        #expect(decision.reason == test.reason)
    }

    @Test("serversToScale counts loads strictly above the threshold")
    func serversToScaleCount() {
        let loads = snapshot([("server1", 30), ("server2", 55), ("server3", 20)])
        #expect(ThresholdPolicy.serversToScale(loads, threshold: 50) == 1)
        #expect(ThresholdPolicy.serversToScale(loads, threshold: 55) == 0)
        #expect(ThresholdPolicy.serversToScale(loads, threshold: 19.999) == 3)
    }

    @Test("no data holds and records no recommendation")
    func unavailableHolds() {
        let decision = policy.decide(.unavailable("line 1: bad"), memory: fresh(4), now: .origin)
        #expect(decision.action == .hold)
        #expect(decision.to == 4)
        #expect(decision.recommendation == nil)
        #expect(decision.reason == "no usable load data: line 1: bad")
    }

    @Test("a count above a lowered max_replicas comes down at once, even without data")
    func clampsAboveMax() {
        let decision = policy.decide(.unavailable("gone"), memory: fresh(14), now: .origin)
        #expect(decision.action == .scaleDown)
        #expect(decision.to == 10)
        #expect(decision.reason == "14 replicas above max_replicas 10")
    }

    @Test("a count below a raised min_replicas goes up at once")
    func clampsBelowMin() {
        let strict = ThresholdPolicy(config: PolicyConfig(minReplicas: 2, initialReplicas: 2))
        let decision = strict.decide(.loads(snapshot([("a", 30)])), memory: fresh(1), now: .origin)
        #expect(decision.action == .scaleUp)
        #expect(decision.to == 2)
        #expect(decision.reason == "1 replicas below min_replicas 2")
    }
}
