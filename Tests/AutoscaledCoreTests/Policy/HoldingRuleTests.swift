@testable import AutoscaledBase
import AutoscaledCore
import AutoscaledTestSupport
import Testing

/// What holds the count when the policy wants another one: the typed rule and the wish, next to
/// the English reason (which stays as it was).
struct HoldingRuleTests {
    /// The plain test policy with rates of whole replicas: 4 up and 1 down a minute.
    static let rates = modified(ThresholdPolicyTests.plain) {
        ($0.maxScaleUpPerMinute, $0.maxScaleDownPerMinute, $0.maxScaleDownPercentPerMinute) = (4, 1, 0)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var input: PolicyInput
        var replicas: Int
        var config: PolicyConfig = HoldingRuleTests.rates
        var lastScaleUp: Duration?
        var observingFor: Duration = .seconds(3600)
        var to: Int
        var heldBy: HoldingRule?
        var wanted: Int?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a plain scale-up is held by nothing", input: .loads(snapshot([("a", 80), ("b", 60)])), replicas: 2,
             to: 3),
        Case(name: "scale_up_cooldown holds a scale-up, with the time left",
             input: .loads(snapshot([("a", 80), ("b", 60)])), replicas: 2, lastScaleUp: .seconds(18), to: 2,
             heldBy: .scaleUpCooldown(left: .seconds(42)), wanted: 3),
        Case(name: "max_replicas holds a scale-up at the top",
             input: .loads(snapshot([("a", 80), ("b", 90)])), replicas: 10, to: 10, heldBy: .maxReplicas(10), wanted: 11),
        Case(name: "max_scale_up_per_minute limits a big scale-up",
             input: .loads(snapshot([("a", 400), ("b", 400)])), replicas: 2, to: 6, heldBy: .maxScaleUpPerMinute(4), wanted: 16),
        Case(name: "max_replicas caps a scale-up after the step",
             input: .loads(snapshot([("a", 400), ("b", 400)])), replicas: 8, to: 10, heldBy: .maxReplicas(10), wanted: 16),
        Case(name: "scale_down_stabilization holds a scale-down while the window remembers more",
             input: .loads(snapshot([("a", 5), ("b", 10)])), replicas: 4, observingFor: .seconds(10), to: 4,
             heldBy: .scaleDownStabilization(holdsAt: 4), wanted: 1),
        Case(name: "max_scale_down_per_minute limits a scale-down", input: .loads(snapshot([("a", 5), ("b", 10)])), replicas: 4,
             to: 3, heldBy: .scaleDownRate("max_scale_down_per_minute"), wanted: 1),
        Case(name: "min_replicas holds at the bottom",
             input: .loads(snapshot([("a", 5), ("b", 10)])), replicas: 2,
             config: modified(HoldingRuleTests.rates) { ($0.minReplicas, $0.initialReplicas) = (2, 2) },
             to: 2, heldBy: .minReplicas(2), wanted: 1),
        Case(name: "a load between the thresholds wants nothing", input: .loads(snapshot([("a", 40)])), replicas: 3, to: 3),
        Case(name: "no usable data holds, with no wish", input: .unavailable("stale"), replicas: 3, to: 3,
             heldBy: .noUsableData),
        Case(name: "a down source without fallback_replicas holds the same way", input: .sourceDown("refused"),
             replicas: 3, to: 3, heldBy: .noUsableData),
    ]

    @Test("the rule that holds and what the policy wants", arguments: cases)
    func holds(_ test: Case) {
        let now = MonotonicInstant.origin + .seconds(3600)
        let memory = PolicyMemory(replicas: test.replicas, observingSince: now - test.observingFor,
                                  lastScaleUp: test.lastScaleUp.map { now - $0 })
        let decision = ThresholdPolicy(config: test.config).decide(test.input, memory: memory, now: now)
        #expect(decision.to == test.to, "\(decision.reason)")
        #expect(decision.heldBy == test.heldBy, "\(decision.reason)")
        #expect(decision.wanted == test.wanted, "\(decision.reason)")
    }

    @Test("rule names are the config keys", arguments: [
        (HoldingRule.scaleUpCooldown(left: .seconds(1)), "scale_up_cooldown"),
        (.scaleDownStabilization(holdsAt: 3), "scale_down_stabilization"), (.maxReplicas(9), "max_replicas"),
        (.minReplicas(1), "min_replicas"), (.maxScaleUpPerMinute(4), "max_scale_up_per_minute"),
        (.scaleDownRate("max_scale_down_percent_per_minute"), "max_scale_down_percent_per_minute"), (.pollInterval, "poll_interval"),
        (.noUsableData, "no_usable_data"), (.pause, "pause"),
    ])
    func names(_ rule: HoldingRule, _ name: String) {
        #expect(rule.name == name)
    }
}
