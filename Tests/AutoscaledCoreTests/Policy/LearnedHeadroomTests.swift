@testable import AutoscaledCore
import AutoscaledBase
import Testing

/// `headroom = learned` on a manual clock: the need is the load now plus the rise this load made
/// within `replica_startup` and a tick, at `headroom_quantile` of the last `headroom_window`; the
/// count goes up to it at once and down to the highest need of `scale_down_stabilization`, never
/// while the rises are still being learned; the same load over time gives the same decisions
/// however often each tick is evaluated.
struct LearnedHeadroomTests {
    /// The defaults with `headroom = learned`, room to grow, a 10 s tick, `replica_startup` 1min.
    static var config: PolicyConfig {
        var config = PolicyConfig.defaults
        config.headroom.mode = .learned
        config.maxReplicas = 100
        config.headroom.targetLoad = 50
        config.headroom.quantile = 0.9
        config.scaleDownStabilization = .seconds(60)
        return config
    }

    /// One evaluation per tick from `from` to `to` seconds (`every` evaluations per tick, the
    /// total on one server: the learned need reads the total alone), the monotonic clock at
    /// `clockOffset` seconds more; each tick's last decision, by second.
    static func run(
        _ memory: inout PolicyMemory, config: PolicyConfig = config, from: Int = 0, to: Int, every: Int = 1,
        clockOffset: Int = 0, load: (Int) -> Double
    ) -> [(second: Int, decision: ScalingDecision)] {
        let policy = ThresholdPolicy(config: config)
        var decisions: [(Int, ScalingDecision)] = []
        for second in stride(from: from, to: to, by: 10) {
            var last: ScalingDecision?
            for part in 0..<every {
                let loads = snapshot([("s0", load(second))])
                let now = MonotonicInstant.origin + .seconds(clockOffset + second) + .milliseconds(part * 10_000 / every)
                let decision = policy.decide(.loads(loads), memory: memory, now: now)
                memory.record(decision, at: now, policy: config)
                last = decision
            }
            decisions.append((second, last!))
        }
        return decisions
    }

    /// The rise a decision at `second` sees.
    static func rise(_ memory: PolicyMemory, quantile: Double, at second: Int, config: PolicyConfig = config) -> Double? {
        memory.learnedRise(quantile: quantile, at: .origin + .seconds(second), policy: config)
    }

    @Test("the first ticks give room for no rise while none is seen, and hold the count however low the load")
    func learnsBeforeLoweringTheCount() {
        var memory = PolicyMemory(replicas: 10, observingSince: .origin)
        let decisions = Self.run(&memory, to: 60) { _ in 100 }
        let first = decisions[0].decision
        #expect(first.action == .hold && first.to == 10)
        #expect(first.heldBy == .headroomWindow)
        #expect(first.reason.text == "total load 100 and a rise of 0 (the highest within 1min 10s seen so far: too few rises "
            + "seen yet for the quantile) need 2 at headroom_target_load 50 but still learning the rises (0 of 12 seen): "
            + "no scale-down yet")
        #expect(decisions.allSatisfy { $0.decision.to == 10 })
    }

    @Test("while the rises are learned, the rise is the highest seen so far in the loads kept, the total now included")
    func highestRiseSeenWhileLearning() {
        // The loads kept: a horizon and a tick (80 s), trend_window shorter.
        var config = Self.config
        config.trendWindow = .seconds(60)
        #expect(config.sampleWindow == .seconds(80))
        var memory = PolicyMemory(replicas: 1, observingSince: .origin)
        let loads: [Double] = [100, 150, 120, 130, 60, 60, 60, 60, 60, 60, 60]
        let decisions = Self.run(&memory, config: config, to: 110) { loads[$0 / 10] }
        // 0 s: nothing seen before, no rise: 100 needs 2. 10 s: 100 rose to 150 now: 50, so 200
        // needs 4. Then that rise of 50 stays the highest seen: 120 and 130 keep 4 (3.4 and 3.6).
        #expect(decisions.map(\.decision.to) == [2, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4])
        #expect(decisions[1].decision.reason.text == "total load 150 and a rise of 50 (the highest within 1min 10s seen so "
            + "far: too few rises seen yet for the quantile) need 4 at headroom_target_load 50: +2")
        #expect(decisions[3].decision.reason.text.hasPrefix("total load 130 and a rise of 50 (the highest within 1min 10s"))
        #expect(decisions[7].decision.reason.text.hasPrefix("total load 60 and a rise of 50 (the highest within 1min 10s"))
        // 80 s: the 0 s tick is 80 s back, no longer among the loads kept; the 10 s tick's 150 never
        // rose: the highest rise seen is the 20 s tick's 120 to 130, 10.
        #expect(decisions[8].decision.reason.text.hasPrefix("total load 60 and a rise of 10 (the highest within 1min 10s"))
        // 100 s: the 20 s tick is no longer kept either, and 130 never rose again.
        #expect(decisions[10].decision.reason.text.hasPrefix("total load 60 and a rise of 0 (the highest within 1min 10s"))
        #expect(memory.highestRiseSeen(at: .origin + .seconds(110), policy: config, total: 200) == 140,
                "the total now counts for the ticks whose horizon reaches it: 60 to 200")
    }

    @Test("a steady load is sized at headroom_target_load once learned, and the count comes down to it")
    func steadyLoadComesDown() {
        var memory = PolicyMemory(replicas: 10, observingSince: .origin)
        let decisions = Self.run(&memory, to: 600) { _ in 100 }
        // Rises are measured once their 1min 10s horizon is over: the 12th by 3min 20s. No rise was
        // seen while learning, so the needs recorded then are 2 too, and the count comes down at once.
        let downs = decisions.filter { $0.decision.action == .scaleDown }
        #expect(downs.map(\.second) == [200])
        #expect(downs.map(\.decision.to) == [2])
        #expect(downs.first?.decision.reason.text == "total load 100 and a rise of 0 (the 0.9 quantile of the rises within 1min 10s "
            + "over the last 1h) need 2 at headroom_target_load 50; highest need within scale_down_stabilization 1min is 2: -8")
        #expect(decisions.last?.decision.to == 2)
    }

    @Test("a scale-down keeps headroom_scale_down_margin of a replica's room beyond the need, and says so")
    func scaleDownKeepsTheMargin() {
        var config = Self.config
        config.headroom.scaleDownMargin = 0.6
        // The median rise: the steps below are rises of a few ticks, not given room.
        config.headroom.quantile = 0.5
        var memory = PolicyMemory(replicas: 10, observingSince: .origin)
        // 100 needs 2 at 50, exactly: 2.6 replicas with the margin, so 3 stay.
        let steady = Self.run(&memory, config: config, to: 600) { _ in 100 }
        let downs = steady.filter { $0.decision.action == .scaleDown }
        #expect(downs.map(\.decision.to) == [3])
        #expect(downs.last?.decision.reason.text == "total load 100 and a rise of 0 (the 0.5 quantile of the rises within 1min 10s "
            + "over the last 1h) need 2 at headroom_target_load 50, 3 with headroom_scale_down_margin 0.6; "
            + "highest need within scale_down_stabilization 1min is 3: -7")
        #expect(steady.last?.decision.to == 3)
        // 140 needs 2.8: 3 at the target, the count itself; nothing is raised.
        let same = Self.run(&memory, config: config, from: 600, to: 700) { _ in 140 }
        #expect(same.allSatisfy { $0.decision.to == 3 && $0.decision.action == .hold })
        #expect(same.last?.decision.reason.text == "total load 140 and a rise of 0 (the 0.5 quantile of the rises within 1min 10s "
            + "over the last 1h) need 3 at headroom_target_load 50")
        // 90 needs 1.8: 2 at the target, 2.4 with the margin, so the 3 stay, with nothing holding them.
        let held = Self.run(&memory, config: config, from: 700, to: 900) { _ in 90 }
        #expect(held.allSatisfy { $0.decision.to == 3 && $0.decision.heldBy == nil })
        #expect(held.last?.decision.reason.text == "total load 90 and a rise of 0 (the 0.5 quantile of the rises within 1min 10s "
            + "over the last 1h) need 2 at headroom_target_load 50, 3 with headroom_scale_down_margin 0.6")
        // 60 needs 1.2, 1.8 with the margin: down to 2, not to 1.
        let lower = Self.run(&memory, config: config, from: 900, to: 1100) { _ in 60 }
        #expect(lower.filter { $0.decision.action == .scaleDown }.map(\.decision.to) == [2])
        // Up, the need is the need at the target: 200 needs 4 from 2.
        let up = Self.run(&memory, config: config, from: 1100, to: 1110) { _ in 200 }
        #expect(up.first?.decision.to == 4)
        #expect(up.first?.decision.reason.text == "total load 200 and a rise of 0 (the 0.5 quantile of the rises within 1min 10s "
            + "over the last 1h) need 4 at headroom_target_load 50: +2")
    }

    @Test("where the spread is measured but a held total measures none, a scale-down keeps headroom_scale_down_margin_unmeasured, and says so")
    func scaleDownKeepsTheUnmeasuredMargin() {
        var config = Self.config
        config.headroom.scaleDownMargin = 0.6
        config.headroom.squareRootRoom = 3
        config.headroom.spread = .measured
        config.headroom.scaleDownMarginUnmeasured = 0.3
        config.headroom.quantile = 0.5
        var memory = PolicyMemory(replicas: 10, observingSince: .origin)
        // A total that never changes has no spread between polls to measure. 90 needs 1.8 at 50:
        // 2 at the target, 2.1 with the margin 0.3, so 3 stay (2.4 with 0.6: 3 too).
        let held = Self.run(&memory, config: config, to: 600) { _ in 90 }
        #expect(held.filter { $0.decision.action == .scaleDown }.map(\.decision.to) == [3])
        #expect(held.last?.decision.reason.text == "total load 90 and a rise of 0 (the 0.5 quantile of the rises within 1min 10s "
            + "over the last 1h) need 2 at headroom_target_load 50, 3 with headroom_scale_down_margin_unmeasured 0.3 "
            + "(the spread not measured)")
        // 80 needs 1.6: 1.9 with 0.3, so down to 2, where headroom_scale_down_margin 0.6 (2.2) would keep 3.
        let lower = Self.run(&memory, config: config, from: 600, to: 900) { _ in 80 }
        #expect(lower.filter { $0.decision.action == .scaleDown }.map(\.decision.to) == [2])
        var assumed = config
        assumed.headroom.spread = .assumed
        var kept = PolicyMemory(replicas: 10, observingSince: .origin)
        _ = Self.run(&kept, config: assumed, to: 600) { _ in 90 }
        let margin = Self.run(&kept, config: assumed, from: 600, to: 900) { _ in 80 }
        #expect(margin.allSatisfy { $0.decision.to == 3 })
        #expect(margin.last?.decision.reason.text == "total load 80 and a rise of 0 (the 0.5 quantile of the rises within 1min 10s "
            + "over the last 1h) need 2 at headroom_target_load 50, 3 with headroom_scale_down_margin 0.6")
    }

    @Test("scale_down_stabilization_rule = mean: down step by step as the needs of the window fall, and says so")
    func meanOfTheWindow() {
        var config = Self.config
        config.scaleDownStabilizationRule = .mean
        var memory = PolicyMemory(replicas: 10, observingSince: .origin)
        let decisions = Self.run(&memory, config: config, to: 600) { $0 < 180 ? 200 : 100 }
        // The window's 7 ticks (1min back, this one included) need 4 where the load was 200 and 2
        // where it is 100; the count comes down once the rises are known (from 3min 20s):
        // ⌈(4 × 4 + 3 × 2) ÷ 7⌉ = 4 at 200, ⌈(3 × 4 + 4 × 2) ÷ 7⌉ = 3 at 210, 2 at 240. The highest
        // need would hold 4 until 240.
        let downs = decisions.filter { $0.decision.action == .scaleDown }
        #expect(downs.map(\.second) == [200, 210, 240])
        #expect(downs.map(\.decision.to) == [4, 3, 2])
        #expect(downs[1].decision.reason.text == "total load 100 and a rise of 0 (the 0.9 quantile of the rises within 1min 10s "
            + "over the last 1h) need 2 at headroom_target_load 50; mean need within scale_down_stabilization 1min is 3: -1")
        let held = decisions.first { $0.second == 230 }?.decision
        #expect(held?.action == .hold && held?.heldBy == .scaleDownStabilization(holdsAt: 3))
        #expect(decisions.last?.decision.to == 2)

        // A tick evaluated twenty times counts once in the mean, as its highest need: the same decisions.
        let load: (Int) -> Double = { second in
            let phase = second % 900
            return phase < 60 ? 900 : (phase < 400 ? 200 + Double(phase % 70) : 60)
        }
        var once = PolicyMemory(replicas: 3, observingSince: .origin)
        var often = PolicyMemory(replicas: 3, observingSince: .origin)
        let a = Self.run(&once, config: config, to: 5400, load: load)
        let b = Self.run(&often, config: config, to: 5400, every: 20, load: load)
        #expect(a.map(\.decision.to) == b.map(\.decision.to))
        #expect(a.filter { $0.decision.action == .scaleDown }.count > 3)
    }

    @Test("the mean of the window's needs does not overflow, however large the needs")
    func meanOfHugeNeeds() {
        var config = Self.config
        config.scaleDownStabilizationRule = .mean
        var memory = PolicyMemory(replicas: 3, observingSince: .origin)
        let huge = Int.max / 2
        for second in stride(from: 0, to: 30, by: 10) {
            let decision = ScalingDecision(action: .hold, from: 3, to: 3, serversToScale: nil, busiest: nil, threshold: nil,
                                           reason: DecisionReason(.noUsableData(cause: "test")), recommendation: huge)
            memory.record(decision, at: .origin + .seconds(second), policy: config)
        }
        // Three recorded ticks and this one: a sum of four needs past Int.max, a mean of exactly `huge`.
        #expect(memory.meanRecommendation(since: .origin, tick: .origin + .seconds(30), need: huge) == huge)
        #expect(memory.meanRecommendation(since: .origin, tick: .origin + .seconds(30), need: 1) == Int((3 * Int128(huge) + 1 + 3) / 4))
    }

    @Test("min_replicas = 0: no load takes the count to zero, and a load still reported brings it back at once")
    func toZeroAndBack() {
        var config = Self.config
        config.minReplicas = 0
        var memory = PolicyMemory(replicas: 3, observingSince: .origin)
        let idle = Self.run(&memory, config: config, to: 600) { _ in 0 }
        // Room to double nothing is nothing: down in one step once the rises are learned.
        let downs = idle.filter { $0.decision.action == .scaleDown }
        #expect(downs.map(\.decision.to) == [0])
        #expect(downs.first?.decision.reason.text == "total load 0 and a rise of 0 "
            + "(the 0.9 quantile of the rises within 1min 10s over the last 1h) need 0 at headroom_target_load 50; "
            + "highest need within scale_down_stabilization 1min is 0: -3")
        #expect(idle.last?.decision.to == 0)
        // A server still reports (a gateway's load, say): 120 needs 3 at 50, at once.
        let back = Self.run(&memory, config: config, from: 600, to: 610) { _ in 120 }[0].decision
        #expect(back.action == .scaleUp && back.from == 0 && back.to == 3)
    }

    @Test("a need within headroom_scale_up_tolerance of the count keeps it, and says so; beyond it, the whole need is taken")
    func scaleUpTolerance() {
        var config = Self.config
        config.headroom.scaleUpTolerance = 0.2
        var memory = PolicyMemory(replicas: 10, observingSince: .origin)
        // 500 needs 10 at 50, the count, with no rise learned.
        let steady = Self.run(&memory, config: config, to: 300) { _ in 500 }
        #expect(steady.last?.decision.to == 10)
        // 590 needs 11.8 replicas: 12 at the target, within 20 % of 10 (at most 12): kept, at debug
        // level, nothing holding it, and the kept count is the need the window records.
        let within = Self.run(&memory, config: config, from: 300, to: 310) { _ in 590 }[0].decision
        #expect(within.action == .hold && within.to == 10 && within.heldBy == nil)
        #expect(within.recommendation == 10)
        #expect(within.reason.text == "total load 590 and a rise of 0 (the 0.9 quantile of the rises within 1min 10s "
            + "over the last 1h) need 12 at headroom_target_load 50, 10 within headroom_scale_up_tolerance 0.2")
        // 600 needs exactly 12: the bound, still kept; 605 needs 12.1, beyond it: up to the whole need, 13.
        #expect(Self.run(&memory, config: config, from: 310, to: 320) { _ in 600 }[0].decision.to == 10)
        let beyond = Self.run(&memory, config: config, from: 320, to: 330) { _ in 605 }[0].decision
        #expect(beyond.action == .scaleUp && beyond.to == 13)
        #expect(beyond.reason.text.hasSuffix("need 13 at headroom_target_load 50: +3"))
        // Without the tolerance, 590 from 10 is taken.
        var plain = PolicyMemory(replicas: 10, observingSince: .origin)
        _ = Self.run(&plain, to: 300) { _ in 500 }
        #expect(Self.run(&plain, from: 300, to: 310) { _ in 590 }[0].decision.to == 12)
    }

    @Test("where the spread is measured, the square-root room holds up to twice the spread between polls of the rise")
    func riseInRoom() {
        // Totals of 5000 at a spread of 0.4 on 10 s polls differ by √(2 × 0.4 × 100 × 5000 ÷ 10) = 200.
        #expect(abs(Headroom.riseInRoom(rise: 1000, total: 5000, measuredSpread: 0.4, tick: .seconds(10)) - 400) < 1e-9)
        #expect(Headroom.riseInRoom(rise: 100, total: 5000, measuredSpread: 0.4, tick: .seconds(10)) == 100, "at most the rise")
        #expect(Headroom.riseInRoom(rise: 100, total: 0, measuredSpread: 0.4, tick: .seconds(10)) == 0)
        #expect(Headroom.riseInRoom(rise: 100, total: .infinity, measuredSpread: 0.4, tick: .seconds(10)) == 100)
        var headroom = Self.config.headroom
        headroom.squareRootRoom = 3
        // 40000 with 4000 of it held: 36000 fills 360 replicas, sized at 360 + 3√360 = 416.92, so the
        // whole load at 95.94 a replica (without: 460 replicas, 86.96 a replica).
        let rest = 360.0 + 3 * 360.0.squareRoot()
        #expect(abs(headroom.target(for: 40_000, riseInRoom: 4000) - 40_000 / rest) < 1e-9)
        // At a spread of 0.25, 360 + 3√90 = 388.46 replicas would be above 90 a replica for the 36000:
        // it is sized at 400, the whole load at 100 a replica.
        #expect(headroom.target(for: 40_000, measuredSpread: 0.25, riseInRoom: 4000) == 100)
        #expect(headroom.target(for: 1_000_000, riseInRoom: 100_000) == 100)
        // A load too small to raise the target holds nothing.
        #expect(headroom.target(for: 400, riseInRoom: 100) == 50)
        // A part held too small to count beside the load: the raised target, not one a last digit
        // above it (at the highest target, 1.72e15 less 8.9e-161 is 1.72e15 again, and ÷ 90 × 90
        // came back as 90.00000000000001).
        headroom.squareRootRoom = 10
        let huge = 1720354260036947.5
        #expect(headroom.target(for: huge, riseInRoom: 8.89103499794031e-161) == headroom.target(for: huge))
        #expect(headroom.target(for: huge) == 90)
        headroom.squareRootRoom = 0
        #expect(headroom.target(for: 40_000, riseInRoom: 4000) == 50)
    }

    @Test("headroom_square_root_room sizes a large load at r + β√r replicas (at most 90 a replica), and says so; a small one at headroom_target_load")
    func squareRootRoom() {
        var headroom = Self.config.headroom
        headroom.squareRootRoom = 3
        // r replicas' worth of load: r ÷ (r + 3√r) of a replica is below the target 50 up to r = 9.
        #expect(headroom.target(for: 400) == 50)
        #expect(headroom.target(for: 900) == 50)
        #expect(abs(headroom.target(for: 40_000) - 100.0 * 400 / 460) < 1e-9)
        #expect(headroom.target(for: 1_000_000) == 90)
        #expect(headroom.target(for: 0) == 50 && headroom.target(for: .infinity) == 50)
        let tiny = 2 * Double.leastNonzeroMagnitude
        #expect(tiny / 100 == 0)
        #expect(headroom.target(for: tiny) == 50, "a load whose hundredth is 0 in a Double")
        headroom.targetLoad = 95
        #expect(headroom.target(for: 1_000_000) == 95, "never below headroom_target_load")
        headroom.squareRootRoom = 0
        #expect(headroom.target(for: 40_000) == 95)

        var config = Self.config
        config.headroom.squareRootRoom = 3
        config.maxReplicas = 1000
        var memory = PolicyMemory(replicas: 10, observingSince: .origin)
        // Before any rise is seen, 40000 fills 400 replicas: 460 at 86.96 a replica; a rise to 100000
        // seen at once fills 1600 (the total and the rise of 60000), whose square-root room (93 a
        // replica) is beyond the highest target.
        let first = Self.run(&memory, config: config, to: 20) { $0 < 10 ? 40_000 : 100_000 }
        #expect(first[0].decision.action == .scaleUp && first[0].decision.to == 460)
        #expect(first[0].decision.reason.text == "total load 40000 and a rise of 0 (the highest within 1min 10s seen so far: too "
            + "few rises seen yet for the quantile) need 460 at 86.96 a replica (headroom_target_load 50 raised by "
            + "headroom_square_root_room 3 at this load): +450")
        #expect(first[1].decision.reason.text == "total load 100000 and a rise of 60000 (the highest within 1min 10s seen so far: "
            + "too few rises seen yet for the quantile) need 1778 at 90 a replica (headroom_target_load 50 raised by "
            + "headroom_square_root_room 3 at this load): +540 (capped at max_replicas 1000)")
        // Learned, a steady 40000 (no rise) fills 400 replicas: 460 at 86.96 a replica, where the
        // fixed target would keep 800.
        let steady = Self.run(&memory, config: config, from: 20, to: 900) { _ in 40_000 }
        #expect(steady.last?.decision.to == 460)
        #expect(steady.last?.decision.reason.text.contains("need 460 at 86.96 a replica (headroom_target_load 50 raised by "
            + "headroom_square_root_room 3 at this load)") == true, "\(steady.last?.decision.reason.text ?? "")")
        // A small load is sized as without it.
        var small = PolicyMemory(replicas: 3, observingSince: .origin)
        let plain = Self.run(&small, config: config, to: 600) { _ in 400 }
        #expect(plain.last?.decision.to == 8)
        #expect(plain.last?.decision.reason.text.contains("need 8 at headroom_target_load 50") == true)
    }

    @Test("headroom_spread = measured sizes the square-root room from the tick totals' spread, below the assumed one only, and says so")
    func measuredSpread() {
        var config = Self.config
        config.headroom.squareRootRoom = 3
        config.headroom.spread = .measured
        config.maxReplicas = 1000
        // Totals alternating 4900 and 5100 on 10 s ticks: successive differences of 200, so half their
        // mean square times 10 s, over 100 × the mean total 5000, is 200² × 10 ÷ 2 ÷ 500000 = 0.4.
        let alternating: (Int) -> Double = { ($0 / 10) % 2 == 0 ? 4900 : 5100 }
        var memory = PolicyMemory(replicas: 10, observingSince: .origin)
        _ = Self.run(&memory, config: config, to: 130, load: alternating)
        // At 120 s the window holds the totals of 0 … 110 s: 11 differences, too few; at 130 s, 12.
        #expect(memory.measuredSpread(at: .origin + .seconds(120), policy: config) == nil)
        #expect(memory.measuredSpread(at: .origin + .seconds(130), policy: config) != nil)
        _ = Self.run(&memory, config: config, from: 130, to: 140, load: alternating)
        // At 140 s, 7 totals of each: a mean of 5000.
        let measured = memory.measuredSpread(at: .origin + .seconds(140), policy: config)
        #expect(measured.map { abs($0 - 0.4) < 1e-12 } == true, "\(String(describing: measured))")
        let decisions = Self.run(&memory, config: config, from: 140, to: 600, load: alternating)
        let last = decisions.last!.decision
        // The rise of 200 is the spread between polls: successive totals differ by √(2 × 0.4 × 100 × 5100
        // ÷ 10) = 202 in root mean square, and the room holds up to twice that. So 5100 alone, r = 51
        // replicas, is sized: r + 3√(0.4 r) = 64.55, so 65 (the whole 5300: 66.81, so 67; assumed: 75).
        let r = 51.0
        #expect(last.to == Int((r + 3 * (0.4 * r).squareRoot()).rounded(.up)) && last.to == 65)
        #expect(last.reason.text.contains("need 65 at 82.11 a replica (headroom_target_load 50 raised by headroom_square_root_room 3 "
            + "at this load and the measured spread 0.4, which holds 200 of the rise (the spread between polls))"), "\(last.reason.text)")
        // The same loads evaluated three times a tick give the same decisions.
        var often = PolicyMemory(replicas: 10, observingSince: .origin)
        let thrice = Self.run(&often, config: config, to: 600, every: 3, load: alternating)
        var once = PolicyMemory(replicas: 10, observingSince: .origin)
        let single = Self.run(&once, config: config, to: 600, load: alternating)
        #expect(thrice.map(\.decision.to) == single.map(\.decision.to))
        let sizing: (ScalingDecision) -> DecisionReason.LearnedSizing? = {
            if case let .learnedNeed(sizing) = $0.reason.trigger { sizing } else { nil }
        }
        #expect(thrice.map { sizing($0.decision) } == single.map { sizing($0.decision) })

        // A spread above the assumed one is the assumed one: the line does not name it. The room holds
        // twice the root mean square difference of the assumed spread, √(2 × 100 × 6000 ÷ 10) = 346.4,
        // of the rise of 2000.
        var wide = PolicyMemory(replicas: 10, observingSince: .origin)
        let wider = Self.run(&wide, config: config, to: 600) { ($0 / 10) % 2 == 0 ? 4000 : 6000 }
        #expect(wide.measuredSpread(at: .origin + .seconds(600), policy: config) == 1)
        #expect(wider.last?.decision.reason.text.contains("raised by headroom_square_root_room 3 at this load, which holds 692.82 of the rise "
                + "(the spread between polls))") == true, "\(wider.last?.decision.reason.text ?? "")")
        // A total held for three ticks at a time (a source updated every 30 s) is not measured.
        var held = PolicyMemory(replicas: 10, observingSince: .origin)
        let heldDecisions = Self.run(&held, config: config, to: 600) { ($0 / 30) % 2 == 0 ? 4900 : 5100 }
        #expect(held.measuredSpread(at: .origin + .seconds(600), policy: config) == nil)
        #expect(heldDecisions.allSatisfy { !$0.decision.reason.text.contains("measured spread") })
        // A spread too small to show at three places is named as below 0.001, not as 0: totals of
        // 5000 and 5002 differ by 2, a spread of 2² × 10 ÷ 2 ÷ 500100 = 0.00004.
        var narrow = PolicyMemory(replicas: 10, observingSince: .origin)
        let narrowed = Self.run(&narrow, config: config, to: 600) { ($0 / 10) % 2 == 0 ? 5000 : 5002 }
        #expect(narrowed.last?.decision.reason.text.contains("at this load and the measured spread below 0.001, which holds") == true,
                "\(narrowed.last?.decision.reason.text ?? "")")
        // Totals whose spread underflows to 0 (differences whose square is below what a Double holds)
        // are not measured: the spread is then the assumed one, not none.
        var vanishing = PolicyMemory(replicas: 10, observingSince: .origin)
        _ = Self.run(&vanishing, config: config, to: 300) { ($0 / 10) % 2 == 0 ? 1e-200 : 2e-200 }
        #expect(vanishing.measuredSpread(at: .origin + .seconds(300), policy: config) == nil)
        // headroom_spread = assumed measures nothing.
        config.headroom.spread = .assumed
        #expect(memory.measuredSpread(at: .origin + .seconds(600), policy: config) == nil)
        var assumed = PolicyMemory(replicas: 10, observingSince: .origin)
        #expect(Self.run(&assumed, config: config, to: 600, load: alternating).last?.decision.to == 75)
    }

    @Test("at a count of 0 any need is taken, whatever headroom_scale_up_tolerance")
    func toleranceAtZero() {
        var config = Self.config
        config.minReplicas = 0
        config.headroom.scaleUpTolerance = 1
        var memory = PolicyMemory(replicas: 0, observingSince: .origin)
        let first = Self.run(&memory, config: config, to: 10) { _ in 1 }[0].decision
        #expect(first.action == .scaleUp && first.to == 1)
    }

    @Test("a jump is sized in full at once, past any cooldown or rate, capped at max_replicas")
    func jumpScalesAtOnce() {
        var memory = PolicyMemory(replicas: 2, observingSince: .origin)
        var decisions = Self.run(&memory, to: 300) { _ in 100 }
        #expect(decisions.last?.decision.to == 2)
        decisions = Self.run(&memory, from: 300, to: 320) { _ in 2000 }
        #expect(decisions[0].decision.action == .scaleUp)
        #expect(decisions[0].decision.to == 40, "2000 at 50 per replica, and no rise learned above 0")
        var capped = Self.config
        capped.maxReplicas = 30
        var other = PolicyMemory(replicas: 2, observingSince: .origin)
        _ = Self.run(&other, config: capped, to: 300) { _ in 100 }
        let limited = Self.run(&other, config: capped, from: 300, to: 310) { _ in 2000 }[0].decision
        #expect(limited.to == 30 && limited.heldBy == .maxReplicas(30))
        #expect(limited.reason.text.hasSuffix(": +28 (capped at max_replicas 30)"))
    }

    @Test("spikes that recur within the window are given room: the count stays up between them")
    func recurringSpikesKeepRoom() {
        var memory = PolicyMemory(replicas: 4, observingSince: .origin)
        // 100, and 400 for 30 s of every 2 minutes.
        let decisions = Self.run(&memory, to: 3600) { $0 % 120 < 30 ? 400 : 100 }
        let late = decisions.filter { $0.second >= 1800 }
        // The rise learned is 300: between spikes the need is (100 + 300) ÷ 50 = 8, never less; in a
        // spike (400 + 300) ÷ 50 = 14, held for the stabilization minute after it.
        #expect(late.allSatisfy { $0.decision.to == 8 || $0.decision.to == 14 }, "\(late.map(\.decision.to))")
        #expect(late.filter { $0.decision.to == 8 }.count == late.count / 4, "a quarter of each 2 minutes at 8")
        #expect(Self.rise(memory, quantile: 0.9, at: 3600) == 300)
    }

    @Test("a spike that came once is forgotten after headroom_window")
    func oneSpikeIsForgotten() {
        var config = Self.config
        config.headroom.window = .seconds(600)
        config.headroom.quantile = 1
        var memory = PolicyMemory(replicas: 2, observingSince: .origin)
        _ = Self.run(&memory, config: config, to: 1200) { $0 >= 600 && $0 < 630 ? 1000 : 100 }
        #expect(Self.rise(memory, quantile: 1, at: 1200, config: config) == 900)
        _ = Self.run(&memory, config: config, from: 1200, to: 2000) { _ in 100 }
        #expect(Self.rise(memory, quantile: 1, at: 2000, config: config) == 0)
        #expect(memory.rises.count <= 60, "one rise per tick of the 10-minute window")
    }

    @Test("the same load over time decides the same whether each tick is read once or twenty times")
    func sameDecisionsAtAnyReadRate() {
        let load: (Int) -> Double = { second in
            let phase = second % 900
            return phase < 60 ? 900 : (phase < 400 ? 200 + Double(phase % 70) : 60)
        }
        var once = PolicyMemory(replicas: 3, observingSince: .origin)
        var often = PolicyMemory(replicas: 3, observingSince: .origin)
        let a = Self.run(&once, to: 5400, load: load)
        let b = Self.run(&often, to: 5400, every: 20, load: load)
        #expect(a.map(\.decision.to) == b.map(\.decision.to))
        #expect(once.rises == often.rises)
        #expect(a.contains { $0.decision.action == .scaleDown } && a.contains { $0.decision.action == .scaleUp })
    }

    @Test("the quantile is read over the rises a decision's tick sees, before and after that tick's record")
    func quantileOfVisibleRises() {
        var config = Self.config
        config.headroom.window = .seconds(300)
        let policy = ThresholdPolicy(config: config)
        let horizon = Headroom.horizon(replicaStartup: config.replicaStartup, tick: config.tick)
        var random = SplitMix64(seed: 11)
        var memory = PolicyMemory(replicas: 2, observingSince: .origin)
        var checked = 0
        for second in stride(from: 0, to: 1800, by: 10) {
            let tick = MonotonicInstant.origin + .seconds(second)
            // Repeated values on purpose: ties must not move the quantile.
            let load = Double(random.next() % 8) * 25
            // By hand: the rises of the samples from a window and a tick back, up to a horizon and a tick back.
            let expected = { (memory: PolicyMemory, quantile: Double) -> Double? in
                let seen = memory.rises.filter { $0.at >= tick - config.tick - config.headroom.window && $0.at < tick - horizon - config.tick }
                    .map(\.total).sorted()
                guard seen.count >= Headroom.minimumRises else { return nil }
                return seen[min(seen.count - 1, Int((quantile * Double(seen.count)).rounded(.down)))]
            }
            let decision = policy.decide(.loads(snapshot([("s0", load)])), memory: memory, now: tick)
            for quantile in [0.1, 0.5, 0.85, 1] {
                #expect(memory.learnedRise(quantile: quantile, at: tick, policy: config) == expected(memory, quantile))
            }
            let before = memory.learnedRise(quantile: 0.85, at: tick, policy: config)
            memory.record(decision, at: tick, policy: config)
            // This tick's own record learns and drops rises; what a later evaluation of it sees is unchanged.
            for quantile in [0.1, 0.5, 0.85, 1] {
                #expect(memory.learnedRise(quantile: quantile, at: tick, policy: config) == expected(memory, quantile))
            }
            #expect(memory.learnedRise(quantile: 0.85, at: tick, policy: config) == before)
            if before != nil { checked += 1 }
        }
        #expect(checked > 100)
        #expect(memory.sortedRises == memory.rises.map(\.total).sorted())
        #expect(memory.rises.count <= 32, "a 5-minute window and a tick of 10 s rises, no more")
    }
}

/// Where the learned settings leave the policy: the `simulate` header and `tune`'s `[policy]` block.
struct LearnedHeadroomTextTests {
    static var config: PolicyConfig {
        var config = PolicyConfig.defaults
        config.headroom = Headroom(mode: .learned, targetLoad: 62.5, quantile: 0.95, window: .seconds(5400), scaleDownMargin: 0.4,
                                   scaleUpTolerance: 0.15)
        return config
    }

    @Test("simulate names the keys that decide: the learned settings, or the band rules'")
    func simulateHeader() {
        let learned = SimulationReport.policyLines(SimulationSetup(policy: Self.config, pollSeconds: 10))
        #expect(learned == "policy:  headroom learned, headroom_target_load 62.5, headroom_quantile 0.95, headroom_window 1h 30min,\n"
            + "         headroom_scale_down_margin 0.4, headroom_scale_up_tolerance 0.15, scale_down_stabilization 5min, "
            + "scale_down_stabilization_rule highest,\n"
            + "         replica_startup 1min, min_replicas 1, max_replicas 10, initial_replicas 3\n")
        let band = SimulationReport.policyLines(SimulationSetup(policy: .defaults, pollSeconds: 10))
        #expect(!band.contains("headroom"))
    }

    @Test("tune's [policy] block reads back as the same policy, the learned settings included")
    func tunedBlockRoundTrip() throws {
        var policy = Self.config
        policy.tick = .seconds(10)
        policy.scaleDownStabilizationRule = .mean
        let text = (["[source]", "path = /x"] + TunedConfigText.policyBlock(policy)).joined(separator: "\n") + "\n"
        #expect(try ConfigParsing.parse(text).get().policy == policy)
    }
}
