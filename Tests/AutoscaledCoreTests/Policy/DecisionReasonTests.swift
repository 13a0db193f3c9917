@testable import AutoscaledBase
import AutoscaledCore
import AutoscaledTestSupport
import Testing

/// The reason a decision carries, as a value: which rule triggered it, the sizing figures and the
/// limit applied, with their numbers (the words are ``DecisionReasonTextTests``' concern).
struct DecisionReasonTests {
    typealias Reason = DecisionReason
    static let config = HoldingRuleTests.rates
    static let cooldown = config.scaleUpCooldown
    static let window = config.scaleDownStabilization

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var input: PolicyInput
        var replicas: Int
        var config: PolicyConfig = DecisionReasonTests.config
        var lastScaleUp: Duration?
        var observingFor: Duration = .seconds(3600)
        var trigger: Reason.Trigger
        var sizing: Reason.Sizing?
        var outcome: Reason.Outcome
        var testDescription: String { name }
    }

    static func sized(_ total: Double, need: Int) -> Reason.Sizing {
        Reason.Sizing(total: total, need: need, targetLoad: 50)
    }

    static let cases: [Case] = [
        Case(name: "the original exercise: one server above the threshold, +1",
             input: .loads(snapshot([("server1", 30), ("server2", 55), ("server3", 20)])), replicas: 3,
             trigger: .serversAbove(count: 1, threshold: 50, busiest: ServerLoad(name: "server2", load: 55)),
             sizing: sized(105, need: 3), outcome: .scaledUp(by: 1, limitedBy: nil, cappedAt: nil, beyondNeed: true)),
        Case(name: "a burst names the total, the ratio and the count it outgrew",
             input: .loads(snapshot((1...5).map { ("s\($0)", 90.0) })), replicas: 3,
             config: modified(config) { $0.burstRatio = 2 },
             trigger: .burst(total: 450, ratio: 2, replicas: 3, targetLoad: 50),
             sizing: sized(450, need: 9), outcome: .scaledUp(by: 6, limitedBy: nil, cappedAt: nil)),
        Case(name: "scale_up_cooldown holds, with the time left of it",
             input: .loads(snapshot([("a", 80), ("b", 60)])), replicas: 2, lastScaleUp: .seconds(18),
             trigger: .serversAbove(count: 2, threshold: 50, busiest: ServerLoad(name: "a", load: 80)),
             sizing: sized(140, need: 3), outcome: .inCooldown(left: cooldown - .seconds(18), cooldown: cooldown)),
        Case(name: "max_replicas holds at the top",
             input: .loads(snapshot([("a", 80), ("b", 90)])), replicas: 10,
             trigger: .serversAbove(count: 2, threshold: 50, busiest: ServerLoad(name: "b", load: 90)),
             sizing: modified(sized(170, need: 4)) { $0.heldScaleUp = 11 }, outcome: .atMaxReplicas(10)),
        Case(name: "max_scale_up_per_minute limits the step",
             input: .loads(snapshot([("a", 400), ("b", 400)])), replicas: 2,
             trigger: .serversAbove(count: 2, threshold: 50, busiest: ServerLoad(name: "a", load: 400)),
             sizing: sized(800, need: 16), outcome: .scaledUp(by: 4, limitedBy: Reason.UpRate(max: 4, added: 0), cappedAt: nil)),
        Case(name: "the rate, then max_replicas, lower the step: both are kept",
             input: .loads(snapshot([("a", 400), ("b", 400)])), replicas: 8,
             trigger: .serversAbove(count: 2, threshold: 50, busiest: ServerLoad(name: "a", load: 400)),
             sizing: sized(800, need: 16), outcome: .scaledUp(by: 2, limitedBy: Reason.UpRate(max: 4, added: 0), cappedAt: 10)),
        Case(name: "scale_down_stabilization holds at the highest need it remembers",
             input: .loads(snapshot([("a", 5), ("b", 10)])), replicas: 4, observingFor: .seconds(10),
             trigger: .allBelow(servers: 2, threshold: 35, busiest: ServerLoad(name: "b", load: 10)),
             sizing: sized(15, need: 1), outcome: .stabilizationHolds(Reason.Stabilization(window: window, need: 4))),
        Case(name: "max_scale_down_per_minute limits a scale-down",
             input: .loads(snapshot([("a", 5), ("b", 10)])), replicas: 4,
             trigger: .allBelow(servers: 2, threshold: 35, busiest: ServerLoad(name: "b", load: 10)),
             sizing: sized(15, need: 1),
             outcome: .scaledDown(by: 1, stabilized: Reason.Stabilization(window: window, need: 1),
                                  limitedBy: Reason.DownRate(.perMinute(1), removed: 0))),
        Case(name: "max_scale_down_percent_per_minute, when it allows more, is the rate named",
             input: .loads(snapshot([("a", 5), ("b", 10)])), replicas: 8,
             config: modified(config) { $0.maxScaleDownPercentPerMinute = 25 },
             trigger: .allBelow(servers: 2, threshold: 35, busiest: ServerLoad(name: "b", load: 10)),
             sizing: sized(15, need: 1),
             outcome: .scaledDown(by: 2, stabilized: Reason.Stabilization(window: window, need: 1),
                                  limitedBy: Reason.DownRate(.percentPerMinute(percent: 25, allowed: 2, of: 8), removed: 0))),
        Case(name: "min_replicas holds at the bottom",
             input: .loads(snapshot([("a", 5)])), replicas: 1,
             trigger: .allBelow(servers: 1, threshold: 35, busiest: ServerLoad(name: "a", load: 5)),
             sizing: sized(5, need: 1), outcome: .atMinReplicas(1)),
        Case(name: "a load between the thresholds holds with nothing to limit",
             input: .loads(snapshot([("a", 40)])), replicas: 3,
             trigger: .betweenThresholds(scaleUp: 50, scaleDown: 35, busiest: ServerLoad(name: "a", load: 40)),
             sizing: sized(40, need: 1), outcome: .none),
        Case(name: "no usable data: the cause, and no sizing", input: .unavailable("stale"), replicas: 3,
             trigger: .noUsableData(cause: "stale"), outcome: .none),
        Case(name: "a down source without fallback_replicas", input: .sourceDown("refused"), replicas: 3,
             trigger: .sourceDownWithoutFallback(cause: "refused"), outcome: .none),
        Case(name: "a down source moves to fallback_replicas", input: .sourceDown("refused"), replicas: 3,
             config: modified(config) { $0.fallbackReplicas = 5 },
             trigger: .fallback(replicas: 5, cause: "refused"), outcome: .none),
        Case(name: "a count above max_replicas comes down, with or without data", input: .unavailable("stale"), replicas: 12,
             trigger: .aboveMaxReplicas(replicas: 12, max: 10), outcome: .none),
    ]

    @Test("the trigger, the sizing and the limit of one evaluation", arguments: cases)
    func typed(_ test: Case) {
        let now = MonotonicInstant.origin + .seconds(3600)
        let memory = PolicyMemory(replicas: test.replicas, observingSince: now - test.observingFor,
                                  lastScaleUp: test.lastScaleUp.map { now - $0 })
        let decision = ThresholdPolicy(config: test.config).decide(test.input, memory: memory, now: now)
        #expect(decision.reason.trigger == test.trigger, "\(decision.reason)")
        #expect(decision.reason.sizing == test.sizing, "\(decision.reason)")
        #expect(decision.reason.outcome == test.outcome, "\(decision.reason)")
        #expect(decision.reason.pause == nil)
    }
}
