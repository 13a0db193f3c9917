@testable import AutoscaledCore
import AutoscaledBase
import Testing

/// `scale_to_zero_after` on a manual clock: a total load of 0 in every poll within it takes the
/// count to 0 at once and holds it there; the first load seen is sized as any other need; a poll
/// without data restarts the wait; a tick read twenty times decides what it decides read once.
struct ScaleToZeroTests {
    /// The learned headroom of ``LearnedHeadroomTests``, `min_replicas = 0`, `scale_to_zero_after = 2min`.
    static var config: PolicyConfig {
        var config = LearnedHeadroomTests.config
        config.minReplicas = 0
        config.scaleToZeroAfter = .seconds(120)
        return config
    }

    /// 100, with 400 for 30 s of every 2 minutes, for 10 minutes (a rise of 300 learned); then no load.
    static func busyThenIdle(_ second: Int) -> Double {
        guard second < 600 else { return 0 }
        return second % 120 < 30 ? 400 : 100
    }

    @Test("no load in every poll of scale_to_zero_after: to 0 at once, and held there")
    func toZeroAfterTheWait() {
        var memory = PolicyMemory(replicas: 4, observingSince: .origin)
        let decisions = LearnedHeadroomTests.run(&memory, config: Self.config, to: 900, load: Self.busyThenIdle)
        // The rise of 300 keeps (0 + 300) ÷ 50 = 6 replicas (after the minute of stabilization at the
        // 8 that 100 and the rise needed) until the polls of 600 … 710, 2 minutes of them, saw no load.
        let waiting = decisions.filter { (600..<710).contains($0.second) }
        #expect(waiting.map(\.decision.to) == [8, 8, 8, 8, 8, 8, 6, 6, 6, 6, 6])
        let down = decisions.first { $0.second == 710 }!.decision
        #expect(down.action == .scaleDown && down.from == 6 && down.to == 0)
        #expect(down.reason.text == "no load in any poll within scale_to_zero_after 2min: -6 to 0")
        let after = decisions.filter { $0.second > 710 }
        #expect(after.allSatisfy { $0.decision.action == .hold && $0.decision.to == 0 })
        #expect(after.first?.decision.reason.text == "no load in any poll within scale_to_zero_after 2min: stays at 0 until a load is seen")

        // Without the key the rise keeps 6 replicas for an hour of no load.
        var without = Self.config
        without.scaleToZeroAfter = nil
        var other = PolicyMemory(replicas: 4, observingSince: .origin)
        let kept = LearnedHeadroomTests.run(&other, config: without, to: 900, load: Self.busyThenIdle)
        #expect(kept.filter { $0.second >= 660 }.allSatisfy { $0.decision.to == 6 })
    }

    @Test("the first load at 0 is sized at once, with the learned rise")
    func backFromZero() {
        var memory = PolicyMemory(replicas: 4, observingSince: .origin)
        _ = LearnedHeadroomTests.run(&memory, config: Self.config, to: 900, load: Self.busyThenIdle)
        #expect(memory.replicas == 0)
        let back = LearnedHeadroomTests.run(&memory, config: Self.config, from: 900, to: 910) { _ in 120 }[0].decision
        #expect(back.action == .scaleUp && back.from == 0 && back.to == 9, "(120 + 300) ÷ 50")
        #expect(back.reason.text.hasSuffix("need 9 at headroom_target_load 50: +9"))
    }

    @Test("a poll with a read without data restarts the wait: alone in its tick, or after the tick read no load",
          arguments: [(660, 660), (665, 670)])
    func aGapRestartsTheWait(gapAt: Int, noLoadUntil: Int) {
        let config = Self.config
        let policy = ThresholdPolicy(config: config)
        var memory = PolicyMemory(replicas: 4, observingSince: .origin)
        _ = LearnedHeadroomTests.run(&memory, config: config, to: 600, load: Self.busyThenIdle)
        _ = LearnedHeadroomTests.run(&memory, config: config, from: 600, to: noLoadUntil) { _ in 0 }
        let gap = policy.decide(.unavailable("line 1: expected '{'"), memory: memory, now: .origin + .seconds(gapAt))
        memory.record(gap, at: .origin + .seconds(gapAt), policy: config)
        let decisions = LearnedHeadroomTests.run(&memory, config: config, from: 670, to: 900) { _ in 0 }
        #expect(decisions.first { $0.decision.to == 0 }?.second == 780, "12 polls of no load after the tick of the gap: 670 … 780")
    }

    @Test("a small load in one poll restarts the wait")
    func aLoadRestartsTheWait() {
        var memory = PolicyMemory(replicas: 4, observingSince: .origin)
        let decisions = LearnedHeadroomTests.run(&memory, config: Self.config, to: 900) { $0 == 650 ? 0.5 : Self.busyThenIdle($0) }
        #expect(decisions.first { $0.decision.to == 0 }?.second == 770, "660 … 770")
    }

    @Test("a restart waits the whole of scale_to_zero_after again")
    func aRestartWaits() {
        var memory = PolicyMemory(replicas: 3, observingSince: .origin + .seconds(1000))
        let decisions = LearnedHeadroomTests.run(&memory, config: Self.config, from: 1000, to: 1300) { _ in 0 }
        #expect(decisions.first { $0.decision.to == 0 }?.second == 1110)
        #expect(decisions.filter { $0.second < 1110 }.allSatisfy { $0.decision.to == 3 }, "still learning: no scale-down")
    }

    @Test("the same load over time decides the same read once or twenty times a tick")
    func readTwentyTimes() {
        var once = PolicyMemory(replicas: 4, observingSince: .origin)
        var often = PolicyMemory(replicas: 4, observingSince: .origin)
        let load: (Int) -> Double = { $0 >= 1000 && $0 < 1030 ? 200 : Self.busyThenIdle($0) }
        let a = LearnedHeadroomTests.run(&once, config: Self.config, to: 1300, load: load)
        let b = LearnedHeadroomTests.run(&often, config: Self.config, to: 1300, every: 20, load: load)
        // Each tick's last decision: the count it ends at, and a scale to 0 or a hold there alike.
        #expect(a.map(\.decision.to) == b.map(\.decision.to))
        let zeroes = a.filter { $0.decision.to == 0 }.map(\.second)
        #expect(zeroes == b.filter { $0.decision.to == 0 }.map(\.second))
        #expect(zeroes.first == 710 && zeroes.contains(990) && !zeroes.contains(1000) && !zeroes.contains(1130)
                && zeroes.contains(1140) && zeroes.last == 1290, "to 0 at 710, back up at 1000, to 0 again at 1140")
        #expect(a.first { $0.second == 1000 }?.decision.to == 10, "(200 + 300) ÷ 50")
    }

    @Test("the band rules go to 0 too, past their stabilization and rate")
    func bandRules() {
        var config = PolicyConfig.defaults
        config.minReplicas = 0
        config.scaleToZeroAfter = .seconds(60)
        let policy = ThresholdPolicy(config: config)
        var memory = PolicyMemory(replicas: 5, observingSince: .origin)
        var down: (Int, ScalingDecision)?
        for second in stride(from: 0, to: 300, by: 10) {
            let now = MonotonicInstant.origin + .seconds(second)
            let decision = policy.decide(.loads(snapshot([("a", 0), ("b", 0)])), memory: memory, now: now)
            memory.record(decision, at: now, policy: config)
            if decision.action != .hold, down == nil { down = (second, decision) }
        }
        #expect(down?.0 == 50 && down?.1.to == 0, "the polls of 0 … 50")
        #expect(down?.1.reason.text == "no load in any poll within scale_to_zero_after 1min; total load 0, smoothed 0 needs 0 at target_load 50: -5 to 0")
    }

    @Test("the band rules come back from 0 on any load at once, however low, past cooldown and thresholds")
    func bandRulesBack() {
        var config = PolicyConfig.defaults
        config.minReplicas = 0
        config.scaleToZeroAfter = .seconds(60)
        let policy = ThresholdPolicy(config: config)
        // At 0 just after a scale-up (within scale_up_cooldown), with a load far below scale_up_threshold.
        var memory = PolicyMemory(replicas: 0, observingSince: .origin)
        let first = MonotonicInstant.origin + .seconds(10)
        let decision = policy.decide(.loads(snapshot([("activator", 20)])), memory: memory, now: first)
        #expect(decision.action == .scaleUp && decision.from == 0 && decision.to == 1)
        #expect(decision.reason.text.hasPrefix("load 20 seen at 0 replicas; total load 20"), "\(decision.reason.text)")
        memory.record(decision, at: first, policy: config)
        // A load that needs more is sized at once too, not +1 a cooldown.
        var idle = PolicyMemory(replicas: 0, observingSince: .origin)
        let big = policy.decide(.loads(snapshot([("activator", 420)])), memory: idle, now: first)
        #expect(big.action == .scaleUp && big.to == 9, "420 ÷ 50")
        idle.record(big, at: first, policy: config)
        // At 0 with no load: held, as before.
        let none = policy.decide(.loads(snapshot([("activator", 0)])), memory: PolicyMemory(replicas: 0, observingSince: .origin),
                                 now: first)
        #expect(none.action == .hold && none.to == 0)
    }

    @Test("the memory sees no load only when every earlier tick of the window has a sample of 0")
    func sawNoLoad() {
        let config = Self.config
        var memory = PolicyMemory(replicas: 1, observingSince: .origin)
        _ = LearnedHeadroomTests.run(&memory, config: config, to: 120) { _ in 0 }
        #expect(memory.sawNoLoad(within: .seconds(120), before: .origin + .seconds(120), tick: .seconds(10)))
        #expect(memory.sawNoLoad(within: .seconds(130), before: .origin + .seconds(120), tick: .seconds(10)), "the 12 kept and this one")
        #expect(!memory.sawNoLoad(within: .seconds(140), before: .origin + .seconds(120), tick: .seconds(10)), "a tick before observation")
        #expect(memory.sawNoLoad(within: .seconds(15), before: .origin + .seconds(120), tick: .seconds(10)), "this tick alone")
        #expect(!memory.sawNoLoad(within: .seconds(120), before: .origin + .seconds(120), tick: .zero))
    }

    @Test("a tick that saw load and then none is not idle, earlier in the wait or the current one")
    func loadWithinATick() {
        let config = Self.config
        let policy = ThresholdPolicy(config: config)
        var memory = PolicyMemory(replicas: 1, observingSince: .origin)
        _ = LearnedHeadroomTests.run(&memory, config: config, to: 120) { _ in 0 }
        // Within the tick at 120 s: load 40 read, then 0 (the latest read is what the tick keeps as its total).
        for (second, load) in [(120.0, 40.0), (120.5, 0.0)] {
            let now = MonotonicInstant.origin + .milliseconds(Int64(second * 1000))
            let decision = policy.decide(.loads(snapshot([("activator", load)])), memory: memory, now: now)
            #expect(decision.to != 0, "went to 0 at \(second) s, within a tick that saw load")
            memory.record(decision, at: now, policy: config)
        }
        #expect(!memory.sawNoLoad(within: .seconds(60), before: .origin + .seconds(120), tick: .seconds(10)), "the current tick")
        #expect(!memory.sawNoLoad(within: .seconds(60), before: .origin + .seconds(130), tick: .seconds(10)), "an earlier tick")
        // Once the wait holds no tick that saw load, it is idle again.
        #expect(memory.sawNoLoad(within: .seconds(10), before: .origin + .seconds(130), tick: .seconds(10)))
    }
}
