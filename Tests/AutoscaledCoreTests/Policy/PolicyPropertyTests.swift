import AutoscaledCore
import AutoscaledTestSupport
import Testing

/// The invariants of ``PolicyScenario`` over a fixed seed: the same scenarios as the `policy`
/// fuzz target, a few hundred of them on every `swift test`.
struct PolicyPropertyTests {
    /// `count` outcomes of `run`, added up.
    private struct Tally {
        var accepted = 0
        var decisions = 0
        var learned = 0
        var learnedScaleDowns = 0
        var seasonal = 0
        var margined = 0
        var tolerated = 0
        var rooted = 0
        var spreadMeasured = 0
        var riseHeld = 0
        var toZero = 0
        var violations: [String] = []
    }

    private func tally(_ count: Int, _ run: () -> PolicyScenario.Outcome) -> Tally {
        var total = Tally()
        for _ in 0..<count {
            let outcome = run()
            total.accepted += outcome.accepted ? 1 : 0
            total.decisions += outcome.decisions
            total.learned += outcome.learned
            total.learnedScaleDowns += outcome.learnedScaleDowns
            total.seasonal += outcome.seasonal
            total.margined += outcome.margined
            total.tolerated += outcome.tolerated
            total.rooted += outcome.rooted
            total.spreadMeasured += outcome.spreadMeasured
            total.riseHeld += outcome.riseHeld
            total.toZero += outcome.toZero
            total.violations += outcome.violations
        }
        return total
    }

    @Test("random accepted configs × snapshot sequences × clock advances keep every invariant")
    func policyWalks() {
        var dice = SplitMix64(seed: 0x0A17_0011)
        let total = tally(400) { PolicyScenario.run(&dice, steps: 40) }
        #expect(total.violations.isEmpty, "\(total.violations.count) violations, first: \(total.violations.prefix(2))")
        // Most drawn configs pass validation, so the walk is not vacuous; the learned headroom
        // sizes a good share of the decisions, and lowers the count in some.
        #expect(total.accepted >= 200)
        #expect(total.decisions == total.accepted * 40)
        #expect(total.learned >= total.decisions / 5, "\(total.learned) of \(total.decisions)")
        #expect(total.learnedScaleDowns >= 5, "\(total.learnedScaleDowns)")
        // Some learned walks with seasonal_periods are sized by the recurring rise.
        #expect(total.seasonal >= 1, "\(total.seasonal)")
        // Some learned walks with headroom_scale_down_margin keep room on the way down.
        #expect(total.margined >= 1, "\(total.margined)")
        // Some learned walks with headroom_scale_up_tolerance keep a count under a need a little above it.
        #expect(total.tolerated >= 1, "\(total.tolerated)")
        // Some learned walks with headroom_square_root_room size a large load above headroom_target_load.
        #expect(total.rooted >= 1, "\(total.rooted)")
        // Some of those, with headroom_spread = measured, size it with a spread below the assumed one.
        #expect(total.spreadMeasured >= 1, "\(total.spreadMeasured)")
        // Some of those size it with part of the rise held by the room.
        #expect(total.riseHeld >= 1, "\(total.riseHeld)")
        // Some walks with scale_to_zero_after go to 0 or hold there.
        #expect(total.toZero >= 1, "\(total.toZero)")
    }

    /// Each input of the `policy` fuzz target's seed corpus (among them every one that found a bug),
    /// rolled as the fuzz target rolls it, so that `swift test` replays them without the fuzzer.
    @Test("every input kept in the policy fuzz corpus walks and replays within the invariants")
    func policyCorpus() throws {
        let folder = repositoryRoot + "/Tests/Fuzz/Corpus/policy"
        let names = listing(folder)
        #expect(names.count >= 10, "\(names)")
        for name in names {
            let bytes = try #require(readFileBytes(folder + "/" + name), "\(name)")
            let violations = PolicyScenario.violations(rollingFrom: bytes)
            #expect(violations.isEmpty, "\(name): \(violations.prefix(2))")
        }
    }

    @Test("the simulator replays random accepted configs over random traces within the invariants")
    func replays() {
        var dice = SplitMix64(seed: 0x0A17_0012)
        let total = tally(150) { ReplayScenario.run(&dice) }
        #expect(total.violations.isEmpty, "\(total.violations.count) violations, first: \(total.violations.prefix(2))")
        #expect(total.accepted >= 75)
        #expect(total.decisions >= total.accepted)
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
