import AutoscaledCore
import AutoscaledTestSupport
import Testing

/// The invariants of ``PolicyScenario`` over a fixed seed: the same scenarios as the `policy`
/// fuzz target, a few hundred of them on every `swift test`.
struct PolicyPropertyTests {
    @Test("random accepted configs × snapshot sequences × clock advances keep every invariant")
    func policyWalks() {
        var dice = SplitMix64(seed: 0x0A17_0011)
        var accepted = 0
        var decisions = 0
        var violations: [String] = []
        for _ in 0..<400 {
            let outcome = PolicyScenario.run(&dice, steps: 40)
            accepted += outcome.accepted ? 1 : 0
            decisions += outcome.decisions
            violations += outcome.violations
        }
        #expect(violations.isEmpty, "\(violations.count) violations, first: \(violations.prefix(2))")
        // Most drawn configs pass validation, so the walk is not vacuous.
        #expect(accepted >= 200)
        #expect(decisions == accepted * 40)
    }

    @Test("the simulator replays random accepted configs over random traces within the invariants")
    func replays() {
        var dice = SplitMix64(seed: 0x0A17_0012)
        var accepted = 0
        var decisions = 0
        var violations: [String] = []
        for _ in 0..<150 {
            let outcome = ReplayScenario.run(&dice)
            accepted += outcome.accepted ? 1 : 0
            decisions += outcome.decisions
            violations += outcome.violations
        }
        #expect(violations.isEmpty, "\(violations.count) violations, first: \(violations.prefix(2))")
        #expect(accepted >= 75)
        #expect(decisions >= accepted)
    }

    @Test("out-of-bounds values are refused: no accepted config breaks a bound")
    func refusals() {
        var dice = SplitMix64(seed: 0x0A17_0013)
        var refused = 0
        for _ in 0..<400 {
            var outcome = PolicyScenario.Outcome()
            let text = PolicyScenario.configText(&dice)
            if PolicyScenario.acceptedPolicy(text, into: &outcome) == nil { refused += 1 }
            #expect(outcome.violations.isEmpty, "\(outcome.violations)")
        }
        // Some drawn configs break a bound or a rule on purpose.
        #expect(refused > 0)
    }
}
