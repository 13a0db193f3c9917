@testable import AutoscaledBase
import AutoscaledCore
import AutoscaledTestSupport
import Testing

/// Remembers every second and every change a replay reports.
struct RecordingObserver: SimulationObserver {
    var desired: [Int] = []
    var serving: [Int] = []
    var loads: [Double] = []
    var changes: [String] = []
    /// The reason of every decision.
    var reasons: [String] = []
    /// Every decision.
    var decisions: [ScalingDecision] = []

    mutating func second(_ time: Int, load: Double, desired: Int, serving: Int, overCapacity: Double) {
        self.desired.append(desired)
        self.serving.append(serving)
        loads.append(load)
    }

    mutating func decision(_ decision: ScalingDecision, at time: Int) {
        if decision.changesReplicas { changes.append("t=\(time) \(decision.from)->\(decision.to)") }
        reasons.append(decision.reason.text)
        decisions.append(decision)
    }
}

/// The replay model, one rule at a time, on traces small enough to follow by hand.
struct SimulationModelTests {
    /// A policy that reacts at once: no cooldown, no stabilization window, no smoothing, trend or
    /// burst; `step` replicas added a minute at most, three removed.
    static func eager(initial: Int, max: Int, step: Int = 4) -> PolicyConfig {
        modified(PolicyConfig.defaults) {
            ($0.minReplicas, $0.maxReplicas, $0.initialReplicas, $0.maxScaleUpPerMinute) = (1, max, initial, step)
            ($0.scaleUpCooldown, $0.scaleDownStabilization, $0.replicaStartup) = (.zero, .zero, .zero)
            ($0.smoothingWindow, $0.burstRatio) = (.zero, 0)
        }
    }

    static func offered(_ requests: [Double], binSeconds: Int = 1) -> Trace {
        Trace(start: 0, binSeconds: binSeconds, series: .offeredLoad(requests: requests))
    }

    @Test("a replica asked for at t serves from t + D and is paid from t")
    func startupDelay() {
        let setup = SimulationSetup(policy: Self.eager(initial: 1, max: 2, step: 1), pollSeconds: 1, capacity: 1,
                                    startupDelaySeconds: 3)
        var observer = RecordingObserver()
        let summary = Simulation.replay(Self.offered([2, 2, 2, 2, 2, 2]), setup: setup, observer: &observer)
        #expect(observer.changes == ["t=1 1->2"])
        #expect(observer.desired == [1, 2, 2, 2, 2, 2])
        #expect(observer.serving == [1, 1, 1, 1, 2, 2])
        #expect(observer.loads == [200, 200, 200, 200, 100, 100])
        #expect(summary.replicaSeconds == 11)
        #expect(summary.overloadedSeconds == 4)
        #expect(summary.requestsOverCapacity == 4)
        #expect(summary.overCapacityPercent == 100.0 * 4 / 12)
    }

    @Test("a scale-down removes starting replicas first, then the newest serving")
    func scaleDownOrder() {
        let setup = SimulationSetup(policy: Self.eager(initial: 2, max: 4), pollSeconds: 1, capacity: 1,
                                    startupDelaySeconds: 10)
        var observer = RecordingObserver()
        _ = Simulation.replay(Self.offered([4, 0, 0, 0, 0, 0]), setup: setup, observer: &observer)
        // -3: the two starting replicas, then the newer of the two serving.
        #expect(observer.changes == ["t=1 2->4", "t=2 4->1"])
        #expect(observer.desired == [2, 4, 1, 1, 1, 1])
        #expect(observer.serving == [2, 2, 1, 1, 1, 1])
    }

    @Test("a bin's requests are spread evenly over its seconds")
    func binsSpread() {
        let setup = SimulationSetup(policy: Self.eager(initial: 2, max: 2), pollSeconds: 60, capacity: 1)
        var observer = RecordingObserver()
        let summary = Simulation.replay(Self.offered([6, 0], binSeconds: 3), setup: setup, observer: &observer)
        #expect(observer.loads == [100, 100, 100, 0, 0, 0])
        #expect(summary.seconds == 6 && summary.overloadedSeconds == 0 && summary.requests == 6)
    }

    @Test("the policy sees each replica's mean load over the interval just past")
    func intervalMean() {
        // 3 then 1 request/s on one replica of capacity 4: loads 75 and 25, mean 50 — not above 50.
        let calm = SimulationSetup(policy: Self.eager(initial: 1, max: 5), pollSeconds: 2, capacity: 4)
        var observer = RecordingObserver()
        _ = Simulation.replay(Self.offered([3, 1, 3, 1, 3, 1]), setup: calm, observer: &observer)
        #expect(observer.changes == [])
        // Looking every second, the 75 % second is seen on its own.
        let quick = SimulationSetup(policy: Self.eager(initial: 1, max: 5), pollSeconds: 1, capacity: 4)
        observer = RecordingObserver()
        _ = Simulation.replay(Self.offered([3, 1, 3, 1, 3, 1]), setup: quick, observer: &observer)
        #expect(observer.changes.first == "t=1 1->2")
    }

    @Test("a replica that started mid-interval reports the mean of the seconds it served")
    func partialInterval() {
        var policy = Self.eager(initial: 1, max: 3, step: 2)
        policy.scaleUpThreshold = 60
        let setup = SimulationSetup(policy: policy, pollSeconds: 4, capacity: 1, startupDelaySeconds: 2)
        var observer = RecordingObserver()
        // t=4: 1 replica at 100 → +1, serving from t=6; t=8: replica-1 mean (100+100+50+50)/4 = 75,
        // replica-2 served t=6,7 at 50 → mean 50: one server above 60.
        _ = Simulation.replay(Self.offered([1, 1, 1, 1, 1, 1, 1, 1, 1]), setup: setup, observer: &observer)
        let decisions = observer.decisions
        #expect(decisions.map(\.serversToScale) == [1, 1])
        #expect(decisions.last?.busiest == ServerLoad(name: "replica-1", load: 75))
        #expect(decisions.last?.to == 3)
    }

    @Test("per-server loads: each server's mean over the seconds it was present")
    func perServerMeans() {
        let trace = Trace(start: 100, binSeconds: 1, series: .serverLoads(
            names: ["a", "b"], loads: [10, nil, 30, 90, 10, nil, 30, 90, 0, 0]))
        var policy = Self.eager(initial: 2, max: 5)
        policy.scaleUpThreshold = 80
        var observer = RecordingObserver()
        let summary = Simulation.replay(trace, setup: SimulationSetup(policy: policy, pollSeconds: 2), observer: &observer)
        // t=102: a=20, b=90 (one second present) → +1; t=104: a=20, b=90 → +1 (no cooldown).
        #expect(observer.changes == ["t=102 2->3", "t=104 3->4"])
        #expect(observer.serving == [1, 2, 1, 2, 2])
        #expect(observer.loads == [10, 90, 10, 90, 0])
        #expect(summary.requests == nil && summary.overCapacityPercent == nil)
    }

    @Test("per-server loads: a trace that ends on a poll is judged at its end, as the daemon judges its last poll")
    func perServerLastInterval() {
        let trace = Trace(start: 100, binSeconds: 1, series: .serverLoads(
            names: ["a", "b"], loads: [50, 50, 50, 50, 90, 90, 90, 90]))
        var policy = Self.eager(initial: 2, max: 5)
        (policy.scaleUpThreshold, policy.scaleDownThreshold) = (80, 1)
        var observer = RecordingObserver()
        let summary = Simulation.replay(trace, setup: SimulationSetup(policy: policy, pollSeconds: 2), observer: &observer)
        // t=102 on 50 and 50 (a hold); t=104 on the last interval's 90 and 90: a total of 180 needs
        // 4 at target_load 50, with no second left to pay for.
        #expect(observer.decisions.count == 2)
        #expect(observer.changes == ["t=104 2->4"])
        #expect(observer.desired == [2, 2, 2, 2])
        #expect(summary.finalReplicas == 4 && summary.replicaSeconds == 8)
    }

    @Test("per-server loads: a load held over the interval is seen as it is, not as its sum divided back")
    func heldLoadsExact() {
        // Ten seconds of 33.3, summed and divided by ten, are 33.300000000000004: above a threshold
        // of 33.3, which the daemon reading 33.3 would not count.
        let trace = Trace(start: 0, binSeconds: 1, series: .serverLoads(
            names: ["a", "b"], loads: Array(repeating: [33.3, 28.97], count: 20).flatMap { $0 }))
        var policy = Self.eager(initial: 2, max: 5)
        (policy.scaleUpThreshold, policy.scaleDownThreshold) = (33.3, 1)
        var observer = RecordingObserver()
        _ = Simulation.replay(trace, setup: SimulationSetup(policy: policy, pollSeconds: 10), observer: &observer)
        #expect(observer.changes.isEmpty, "\(observer.reasons)")
        #expect(observer.decisions.first?.busiest == ServerLoad(name: "a", load: 33.3))
        #expect(observer.decisions.first?.serversToScale == 0)
    }

    @Test("with no serving replica an activator reports the requests: the policy scales up from 0 on them")
    func noServing() {
        var policy = Self.eager(initial: 0, max: 3)
        policy.minReplicas = 0
        var observer = RecordingObserver()
        let summary = Simulation.replay(Self.offered([1, 1, 1, 1]), setup: SimulationSetup(policy: policy, pollSeconds: 1),
                                        observer: &observer)
        // t=1: the activator reports 1 request/s as 100 (one replica's capacity), 2 at target_load 50.
        #expect(observer.changes == ["t=1 0->2"])
        #expect(observer.loads == [.infinity, 50, 50, 50])
        #expect(summary.overloadedSeconds == 1 && summary.requestsOverCapacity == 1)
        // No request, no load: the activator reports 0 and the count stays at 0.
        var idle = RecordingObserver()
        _ = Simulation.replay(Self.offered([0, 0, 0, 0]), setup: SimulationSetup(policy: policy, pollSeconds: 1), observer: &idle)
        #expect(idle.changes == [])
    }

    @Test("an activator load beyond the bound is refused as any read is: no data, and the count holds at 0")
    func activatorBeyondTheBound() {
        var policy = Self.eager(initial: 0, max: 3)
        policy.minReplicas = 0
        var observer = RecordingObserver()
        // 1 request/s at 1e-14 requests/s per replica: a load of 1e16, above LoadSnapshot.maxLoad.
        _ = Simulation.replay(Self.offered([1, 1, 1]), setup: SimulationSetup(policy: policy, pollSeconds: 1, capacity: 1e-14),
                              observer: &observer)
        #expect(observer.changes == [])
        #expect(observer.reasons.count == 2 && observer.reasons.allSatisfy { $0.hasPrefix("no usable load data: ") && $0.contains("activator") },
                "\(observer.reasons)")
    }
}
