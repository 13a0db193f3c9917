@testable import AutoscaledCore
import AutoscaledBase
import Testing

/// `headroom = learned` with `seasonal_periods` on a manual clock: a rise that recurred at this
/// phase of each of the last periods is given room before it comes, the rises kept are what each
/// was beyond the recurring one, and a reload that changes the periods learns the rises again.
struct LearnedSeasonTests {
    /// ``LearnedHeadroomTests/config`` (a 10 s tick, `replica_startup` 1min, `headroom_target_load`
    /// 50) with a 5-minute period, and the median of the rises: the rises before a spike, a quarter
    /// of them, are not given room by the quantile.
    static var config: PolicyConfig {
        var config = LearnedHeadroomTests.config
        config.seasonalPeriods = [.seconds(300)]
        config.headroom.quantile = 0.5
        return config
    }

    /// 100, and 800 for 30 s from 2 min into every 5 minutes.
    static func offered(at second: Int) -> Double {
        let phase = second % 300
        return phase >= 120 && phase < 150 ? 800 : 100
    }

    /// 100, and 800 for the seconds `spike` of every `period` seconds, replayed to `to` through
    /// ``config`` with that one period, for a rise carried through a bucket: no window to hold the
    /// count (a need taken back shows as a scale-down), and loads kept no longer than the learned
    /// headroom needs them (the rise measured for a tick reads the ticks before it that its
    /// decision carried from).
    static func replaySpike(period: Int, spike: Range<Int>, to: Int)
        -> (memory: PolicyMemory, decisions: [(second: Int, decision: ScalingDecision)]) {
        var config = Self.config
        config.seasonalPeriods = [.seconds(period)]
        config.scaleDownStabilization = .zero
        (config.trendWindow, config.smoothingWindow) = (.seconds(10), .seconds(10))
        var memory = PolicyMemory(replicas: 2, observingSince: .origin)
        let decisions = LearnedHeadroomTests.run(&memory, config: config, to: to) { spike.contains($0 % period) ? 800 : 100 }
        return (memory, decisions)
    }

    /// The recurring rise a decision was sized with, if any.
    static func season(_ decision: ScalingDecision) -> DecisionReason.Season? {
        if case let .learnedNeed(sizing) = decision.reason.trigger { return sizing.season }
        return nil
    }

    @Test("after two periods a spike every 5 minutes far above the spread between polls is given room two start-ups before it comes, by the recurring rise")
    func roomBeforeTheThirdSpike() throws {
        var memory = PolicyMemory(replicas: 2, observingSince: .origin)
        let decisions = LearnedHeadroomTests.run(&memory, config: Self.config, to: 1500) { Self.offered(at: $0) }
        let sized = decisions.filter { Self.season($0.decision) != nil }
        // A rise of 700 at a total of 100 is above 8 times the spread between polls assumed there
        // (√(2 × 100 × 100 ÷ 10) = 44.72): it is looked for 2 replica_startups and a tick ahead,
        // from 2min 10s before the spike (at 290 s into the period before) to the spike, from the
        // third period on (at 590 s, 5 and 10 minutes before were not both seen).
        #expect(Set(sized.map { $0.second % 300 }) == Set([290] + stride(from: 0, to: 120, by: 10)))
        #expect(Set(sized.map { $0.second / 300 }) == [2, 3, 4])
        let first = try #require(sized.first)
        #expect(first.second == 600 && first.decision.action == .scaleUp && first.decision.to == 16)
        #expect(first.decision.reason.text == "total load 100 and a recurring rise of 700 (at this phase each of the last 2 "
            + "periods of 5min rose by at least 700 within the next 2min 10s; looked for 2 replica_startups ahead, as more than "
            + "357.77 (8 times the spread between polls)) need 16 at headroom_target_load 50: +14")
        // Once the horizon sees the spike too (50 s into the period), the line says the horizon.
        #expect(sized.allSatisfy { Self.season($0.decision)?.within == .seconds((50..<120).contains($0.second % 300) ? 70 : 130) })
        // The third spike finds its 16 replicas there; the second was only followed (2 before it).
        #expect(decisions.first { $0.second == 710 }?.decision.to == 16)
        #expect(decisions.first { $0.second == 410 }?.decision.to == 2)
        // Between spikes the median of the rises beyond the recurring ones sizes, and says so.
        #expect(decisions.first { $0.second == 810 }?.decision.reason.text == "total load 100 and a rise of 0 (the 0.5 quantile "
            + "of the rises beyond the recurring ones within 1min 10s over the last 1h) need 2 at headroom_target_load 50; "
            + "highest need within scale_down_stabilization 1min is 2: -14")
    }

    @Test("with replica_startup 0 the further look reaches no further than the horizon: a recurring spike is given room a tick before it, the horizon's look only")
    func noFurtherLookWithoutAStartup() throws {
        var config = Self.config
        config.replicaStartup = .zero
        #expect(Headroom.furtherHorizon(replicaStartup: .zero, tick: config.tick) == Headroom.horizon(replicaStartup: .zero, tick: config.tick))
        var memory = PolicyMemory(replicas: 2, observingSince: .origin)
        let decisions = LearnedHeadroomTests.run(&memory, config: config, to: 1500) { Self.offered(at: $0) }
        let sized = decisions.filter { Self.season($0.decision) != nil }
        // From the third period on, the tick before each spike (110 s into the period), and no earlier one.
        #expect(sized.map(\.second) == [710, 1010, 1310])
        #expect(sized.allSatisfy { Self.season($0.decision)?.within == .seconds(10) && Self.season($0.decision)?.furtherThan == nil })
        let first = try #require(sized.first).decision
        #expect(first.to == 16 && first.reason.text == "total load 100 and a recurring rise of 700 (at this phase each of the "
            + "last 2 periods of 5min rose by at least 700 within the next 10s) need 16 at headroom_target_load 50: +14")
    }

    @Test("a recurring spike not 8 times the spread between polls above the load is given room a horizon before it comes only")
    func roomBeforeASmallSpike() throws {
        var memory = PolicyMemory(replicas: 2, observingSince: .origin)
        // 400 for 30 s every 5 minutes: a rise of 300, below 8 × 44.72 at a total of 100.
        let decisions = LearnedHeadroomTests.run(&memory, config: Self.config, to: 1500) {
            Self.offered(at: $0) > 100 ? 400 : 100
        }
        let sized = decisions.filter { Self.season($0.decision) != nil }
        // 50 s to 2 min into each period from the third on: the spike is within replica_startup and a tick.
        #expect(Set(sized.map { $0.second % 300 }) == Set(stride(from: 50, to: 120, by: 10)))
        #expect(Set(sized.map { $0.second / 300 }) == [2, 3, 4])
        let first = try #require(sized.first)
        #expect(first.second == 650 && first.decision.action == .scaleUp && first.decision.to == 8)
        #expect(first.decision.reason.text == "total load 100 and a recurring rise of 300 (at this phase each of the last 2 "
            + "periods of 5min rose by at least 300 within the next 1min 10s) need 8 at headroom_target_load 50: +6")
        #expect(decisions.first { $0.second == 710 }?.decision.to == 8)
        // Twice as high a load, 200 a tick, spreads √2 times more: 8 × 63.25 = 505.96 is above a rise of 300 there too.
        var higher = PolicyMemory(replicas: 2, observingSince: .origin)
        let doubled = LearnedHeadroomTests.run(&higher, config: Self.config, to: 1500) { Self.offered(at: $0) > 100 ? 500 : 200 }
        #expect(doubled.filter { Self.season($0.decision) != nil }.allSatisfy { Self.season($0.decision)?.within == .seconds(70) })
        #expect(doubled.contains { Self.season($0.decision) != nil })
    }

    @Test("a spike late in a 30 s bucket of an hour keeps the room asked for before it: the rise is carried from the tick before the bucket")
    func roomKeptThroughThePeaksBucket() throws {
        // 800 for 30 s from 20 s into the bucket at 10 min of every hour (buckets of 30 s).
        let (memory, decisions) = Self.replaySpike(period: 3600, spike: 620..<650, to: 7910)
        let before = try #require(decisions.first { $0.second == 7790 })
        #expect(Self.season(before.decision)?.carried == nil)
        #expect(before.decision.to == 16)
        // At 7800 and 7810 the bucket's highest total, in the last two hours, is the spike's: their
        // own phase expects no rise. 7790 expected 800, which has not come yet.
        for (second, back) in [(7800, 10), (7810, 20)] {
            let inBucket = try #require(decisions.first { $0.second == second })
            let season = try #require(Self.season(inBucket.decision), "\(second)")
            #expect(season.carried == .init(before: .seconds(back), total: 100, rise: 700))
            #expect(inBucket.decision.action == .hold && inBucket.decision.to == 16)
        }
        #expect(decisions.first { $0.second == 7810 }?.decision.reason.text == "total load 100 and a recurring rise of 700 (at "
            + "the phase 20s before this one each of the last 2 periods of 1h rose by at least 700 within the next 1min 10s, "
            + "from 100 then to 800) need 16 at headroom_target_load 50")
        // At the spike, the total is what was expected: no rise is carried beyond it.
        let spike = try #require(decisions.first { $0.second == 7820 })
        #expect(Self.season(spike.decision)?.carried == nil)
        // The rises learned for 7800 and 7810 are what they rose beyond the rise carried there: nothing.
        let learned = memory.rises.filter { $0.at == .origin + .seconds(7800) || $0.at == .origin + .seconds(7810) }
        #expect(learned.map(\.total) == [0, 0])
    }

    @Test("a bucket longer than a rise's horizon carries a rise the further look found from a tick more than the horizon before the spike, and the line says both")
    func furtherLookCarriedThroughALongBucket() throws {
        // A 3-hour period: buckets of 90 s, longer than the horizon (1min 10s) and than a poll. 800
        // for 30 s from 80 s into the bucket at 1h 30min of every 3 hours.
        let (_, decisions) = Self.replaySpike(period: 10800, spike: 5480..<5510, to: 27200)
        // At 27070 (the bucket from 27000, the spike at 27080) the own phase reads the spike as its
        // base; the tick 80 s before, 1min 20s more than the horizon's reach of the spike, saw it
        // only in the further look.
        let carried = try #require(decisions.first { $0.second == 27070 }).decision
        let season = try #require(Self.season(carried))
        #expect(season.carried == .init(before: .seconds(80), total: 100, rise: 700))
        #expect(season.within == .seconds(130) && season.furtherThan != nil)
        #expect(carried.to == 16)
        #expect(carried.reason.text == "total load 100 and a recurring rise of 700 (at the phase 1min 20s before this one each of "
            + "the last 2 periods of 3h rose by at least 700 within the next 2min 10s, from 100 then to 800; looked for 2 "
            + "replica_startups ahead, as more than 357.77 (8 times the spread between polls)) need 16 at headroom_target_load 50")
    }

    @Test("at a 1 s poll the carried rise is the highest of what each earlier tick's own phase expected, read once per run of ticks or not",
          arguments: [60, 61])
    func carriedRiseAtAFastPoll(periodSeconds: Int) throws {
        // A 1-minute period is 6 buckets of 10 s; 61 s is not a whole number of them, so every
        // earlier tick is read on its own. 5 s start-up and a 1 s poll: 5 ticks carried from.
        var config = LearnedHeadroomTests.config
        config.tick = .seconds(1)
        config.replicaStartup = .seconds(5)
        config.seasonalPeriods = [.seconds(periodSeconds)]
        config.headroom.quantile = 0.5
        let policy = ThresholdPolicy(config: config)
        var memory = PolicyMemory(replicas: 2, observingSince: .origin)
        var carried = 0
        for second in 0..<600 {
            // A spike 4 s long at 37 s into each period, on a level that moves every few seconds.
            let phase = second % periodSeconds
            let total = (33..<37).contains(phase) ? 900 : Double(100 + (second * 7919) % 13 * 10)
            let now = MonotonicInstant.origin + .seconds(second)
            let expected = memory.expectedSeasonalRise(at: now, policy: config, total: total)
            // What each of the last 5 ticks' own phase expected of the period, when above 0: its
            // total and rise, less the total now; the highest of that and this tick's own.
            let profile = memory.seasonRead(at: now, policy: config)
            var highest = profile?.expectedRise(at: memory.sinceOrigin(now), ahead: 6000, tick: 1000)?.load
            for back in 1...5 {
                guard let sample = memory.samples.last(where: { $0.at == now - .seconds(back) }),
                      let then = profile?.expectedRise(ofPeriod: 0, at: memory.sinceOrigin(sample.at), ahead: 6000), then.load > 0
                else { continue }
                highest = max(highest ?? 0, sample.total + then.load - total)
            }
            #expect(expected?.load == highest, "\(second)")
            if expected?.carried != nil { carried += 1 }
            let decision = policy.decide(.loads(snapshot([("s0", total)])), memory: memory, now: now)
            memory.record(decision, at: now, policy: config)
        }
        #expect(carried > 20, "\(carried) ticks carried a rise")
    }

    @Test("the horizon's look and the further look, read together, expect what each reads alone, carried rises and periods too short for the further look included")
    func furtherLookReadWithTheHorizons() throws {
        // At a 1 s poll and 5 s start-up the horizon is 6 s and the further look 11 s: a 20 s period
        // (10 s buckets) is long enough for the horizon's look only, 60 s and 61 s for both; the
        // horizon's look carries from 5 ticks back, the further one from 9.
        var config = LearnedHeadroomTests.config
        config.tick = .seconds(1)
        config.replicaStartup = .seconds(5)
        config.seasonalPeriods = [.seconds(20), .seconds(60), .seconds(61)]
        config.headroom.quantile = 0.5
        // The further look alone is the horizon's look of a start-up twice as long.
        var alone = config
        alone.replicaStartup = .seconds(10)
        let further = Headroom.furtherHorizon(replicaStartup: config.replicaStartup, tick: config.tick)
        #expect(Headroom.horizon(replicaStartup: alone.replicaStartup, tick: alone.tick) == further)
        let policy = ThresholdPolicy(config: config)
        var memory = PolicyMemory(replicas: 2, observingSince: .origin)
        var (farMore, carriedFromBeyondTheHorizon) = (0, 0)
        for second in 0..<900 {
            // Spikes at 33 s into each minute and 14 s into each 20 s, on a level that moves every few seconds.
            let total = (33..<37).contains(second % 60) ? 900 : (14..<16).contains(second % 20) ? 400
                : Double(100 + (second * 7919) % 13 * 10)
            let now = MonotonicInstant.origin + .seconds(second)
            let read = memory.expectedSeasonalRises(at: now, policy: config, total: total, earlier: memory.samples[...], further: further)
            let far = memory.expectedSeasonalRise(at: now, policy: alone, total: total)
            #expect(read.near == memory.expectedSeasonalRise(at: now, policy: config, total: total), "\(second)")
            #expect(read.far == far, "\(second)")
            if let far, far.load > read.near?.load ?? 0 { farMore += 1 }
            if let before = far?.carried?.before, before > .seconds(5) { carriedFromBeyondTheHorizon += 1 }
            let decision = policy.decide(.loads(snapshot([("s0", total)])), memory: memory, now: now)
            memory.record(decision, at: now, policy: config)
        }
        #expect(farMore > 20 && carriedFromBeyondTheHorizon > 5, "\(farMore) further, \(carriedFromBeyondTheHorizon) carried from beyond the horizon")
    }

    @Test("after a reload of the poll, a rise is carried only from earlier ticks a whole number of new polls back, not from those kept on the old grid")
    func carriedRiseAfterAReloadOfThePoll() {
        // A 1-minute period (10 s buckets) at a 1 s poll until 327 s, then at a 1.5 s poll: the
        // ticks kept from before the reload are on the old grid (325 s, 326 s), and only those a
        // whole number of 1.5 s polls back (327 s, 324 s) are carried from. The load is high just
        // before the reload, so a tick of the old grid read in place of one of the new would carry
        // more than any tick the rule reads.
        var config = LearnedHeadroomTests.config
        config.replicaStartup = .seconds(5)
        config.seasonalPeriods = [.seconds(60)]
        config.headroom.quantile = 0.5
        var memory = PolicyMemory(replicas: 2, observingSince: .origin)
        var now = MonotonicInstant.origin
        var carriedByPoll: [Duration: Int] = [:]
        for (poll, until) in [(Duration.seconds(1), 327), (.milliseconds(1500), 600)] {
            config.tick = poll
            // The first tick of the new grid at or after the last one evaluated.
            now = memory.tick(of: now, tick: poll)
            let policy = ThresholdPolicy(config: config)
            let ahead = Headroom.horizon(replicaStartup: config.replicaStartup, tick: poll).wholeMilliseconds
            let step = poll.wholeMilliseconds
            while now < .origin + .seconds(until) {
                // A spike 4 s long at 33 s into each minute, on a level that moves every few
                // seconds, and 600 from 315 s to the reload.
                let second = Int(now.sinceOrigin.components.seconds)
                let level = (315..<327).contains(second) ? 600 : Double(100 + (second * 7919) % 13 * 10)
                let total = (33..<37).contains(second % 60) ? 900 : level
                let expected = memory.expectedSeasonalRise(at: now, policy: config, total: total)
                // What each tick exactly a whole number of polls back, kept, expected at its own
                // phase when above 0: its total and rise, less the total now; the highest of that
                // and this tick's own.
                let profile = memory.seasonRead(at: now, policy: config)
                var highest = profile?.expectedRise(at: memory.sinceOrigin(now), ahead: ahead, tick: step)?.load
                for back in 1...PolicyMemory.carriedTicks(bucket: 10_000, ahead: ahead, tick: step) {
                    guard let sample = memory.samples.last(where: { $0.at == now - poll * back }),
                          let then = profile?.expectedRise(ofPeriod: 0, at: memory.sinceOrigin(sample.at), ahead: ahead), then.load > 0
                    else { continue }
                    highest = max(highest ?? 0, sample.total + then.load - total)
                }
                #expect(expected?.load == highest, "\(now) at a poll of \(poll)")
                if expected?.carried != nil { carriedByPoll[poll, default: 0] += 1 }
                let decision = policy.decide(.loads(snapshot([("s0", total)])), memory: memory, now: now)
                memory.record(decision, at: now, policy: config)
                now = memory.tick(of: now + poll, tick: poll)
            }
        }
        #expect(carriedByPoll.count == 2 && carriedByPoll.values.allSatisfy { $0 > 10 }, "\(carriedByPoll)")
    }

    @Test("the rises kept are what each rise was beyond the recurring one: a purely periodic load leaves none once learned")
    func risesAreResiduals() {
        var config = Self.config
        config.headroom.window = .seconds(600)
        config.headroom.quantile = 1
        var memory = PolicyMemory(replicas: 2, observingSince: .origin)
        _ = LearnedHeadroomTests.run(&memory, config: config, to: 600) { Self.offered(at: $0) }
        // The first two periods rose by 700 before each spike: nothing recurred yet.
        #expect(memory.rises.filter { $0.total == 700 }.map(\.at) == (stride(from: 50, to: 120, by: 10).map { $0 }
            + stride(from: 350, to: 420, by: 10).map { $0 }).map { .origin + .seconds($0) })
        #expect(memory.rises.allSatisfy { $0.total == 0 || $0.total == 700 })
        _ = LearnedHeadroomTests.run(&memory, config: config, from: 600, to: 1500) { Self.offered(at: $0) }
        // From the third period on, the load still rises by 700, all of it the recurring rise.
        #expect(memory.expectedSeasonalRise(at: .origin + .seconds(1250), policy: config, total: 100)?.load == 700)
        let later = memory.rises.filter { $0.at >= .origin + .seconds(600) }
        #expect(later.count == memory.rises.count && later.count > 50, "a 10-minute window: only rises from 600 s on")
        #expect(later.allSatisfy { $0.total == 0 }, "\(later.filter { $0.total != 0 })")
        // Even the highest rise is 0: the room before each spike is the recurring rise's alone.
        #expect(LearnedHeadroomTests.rise(memory, quantile: 1, at: 1500, config: config) == 0)
    }

    @Test("no load for longer than the shortest period (a source outage): the rises are learned again, the count held meanwhile")
    func outageLongerThanThePeriod() throws {
        var memory = PolicyMemory(replicas: 2, observingSince: .origin)
        _ = LearnedHeadroomTests.run(&memory, config: Self.config, to: 900) { Self.offered(at: $0) }
        #expect(memory.rises.count > Headroom.minimumRises)
        // The last rise is the tick at 820 s; its horizon ended at 890 s. Loads again from 1200 s:
        // 5min 10s later, beyond the 5-minute period.
        let after = LearnedHeadroomTests.run(&memory, config: Self.config, from: 1200, to: 1400) { _ in 100 }
        let first = try #require(after.first)
        // The loads kept from before the outage are older than the loads a decision reads: no rise seen yet.
        #expect(first.decision.reason.text.hasPrefix("total load 100 and a rise of 0 (the highest within 1min 10s seen so far: "
            + "too few rises seen yet for the quantile)"), "\(first.decision.reason.text)")
        #expect(memory.rises.allSatisfy { $0.at >= .origin + .seconds(1200) } && !memory.rises.isEmpty)
        // Not lowered while the rises are learned again: held until 12 are known (at 1200 s + the
        // horizon + 12 ticks), then sized by them.
        #expect(after.filter { $0.second < 1310 }.allSatisfy { $0.decision.to >= first.decision.to })

        // The same pause within the period keeps them: loads again from 1100 s (3min 10s later).
        var kept = PolicyMemory(replicas: 2, observingSince: .origin)
        _ = LearnedHeadroomTests.run(&kept, config: Self.config, to: 900) { Self.offered(at: $0) }
        let resumed = LearnedHeadroomTests.run(&kept, config: Self.config, from: 1100, to: 1110) { _ in 100 }
        #expect(resumed.first.map { $0.decision.reason.text.contains("quantile of the rises") } == true)
    }

    @Test("after an outage longer than the period, loads kept from before it (a long trend_window) are not measured again")
    func outageWithLoadsKept() throws {
        var config = Self.config
        config.trendWindow = .seconds(900)
        var memory = PolicyMemory(replicas: 2, observingSince: .origin)
        _ = LearnedHeadroomTests.run(&memory, config: config, to: 900) { Self.offered(at: $0) }
        let after = LearnedHeadroomTests.run(&memory, config: config, from: 1200, to: 1400) { _ in 100 }
        #expect(memory.samples.first.map { $0.at < .origin + .seconds(900) } == true, "the loads from before are kept")
        #expect(memory.rises.allSatisfy { $0.at >= .origin + .seconds(1200) } && !memory.rises.isEmpty,
                "\(memory.rises.map(\.at))")
        let first = try #require(after.first)
        // Not measured again as rises; but the spike among the loads kept is a rise seen.
        #expect(first.decision.reason.text.hasPrefix("total load 100 and a rise of 700 (the highest within 1min 10s seen so far: "
            + "too few rises seen yet for the quantile)"), "\(first.decision.reason.text)")
        #expect(after.filter { $0.second < 1310 }.allSatisfy { $0.decision.to >= first.decision.to })
    }

    @Test("a reload that changes the horizon measures the rises again at once: its own decision does not take a start's room")
    func reloadRemeasures() {
        var memory = PolicyMemory(replicas: 2, observingSince: .origin)
        _ = LearnedHeadroomTests.run(&memory, config: Self.config, to: 900) { Self.offered(at: $0) }
        var reloaded = Self.config
        reloaded.replicaStartup = .seconds(50)
        memory.remeasureRises(at: .origin + .seconds(905), policy: reloaded)
        #expect(memory.learnedRise(quantile: 0.5, at: .origin + .seconds(905), policy: reloaded) != nil)
        let decision = LearnedHeadroomTests.run(&memory, config: reloaded, from: 905, to: 915) { Self.offered(at: $0) }[0].decision
        #expect(decision.reason.text.contains("quantile of the rises"), "\(decision.reason.text)")
    }

    @Test("the same periods listed in another order are the same measure: a reload that reorders them keeps the rises")
    func reorderedPeriodsKeepTheRises() {
        var config = Self.config
        config.seasonalPeriods = [.seconds(300), .seconds(3600)]
        var memory = PolicyMemory(replicas: 2, observingSince: .origin)
        _ = LearnedHeadroomTests.run(&memory, config: config, to: 900) { Self.offered(at: $0) }
        let before = memory.rises
        #expect(before.count > 60)
        var reordered = config
        reordered.seasonalPeriods = [.seconds(3600), .seconds(300)]
        #expect(Headroom.RiseMeasure(reordered) == Headroom.RiseMeasure(config))
        #expect(memory.learnedRise(quantile: 0.5, at: .origin + .seconds(900), policy: reordered) != nil)
        _ = LearnedHeadroomTests.run(&memory, config: reordered, from: 900, to: 910) { Self.offered(at: $0) }
        // Kept, and one more learned (nothing is old enough to leave the window yet).
        #expect(Array(memory.rises.prefix(before.count)) == Array(before) && memory.rises.count == before.count + 1)
    }

    @Test("a count high when the loads stop for longer than the period is held after them until the rises are learned again: the loads kept from before are not measured")
    func outageAfterASpikeHoldsTheCount() throws {
        var memory = PolicyMemory(replicas: 2, observingSince: .origin)
        let before = LearnedHeadroomTests.run(&memory, config: Self.config, to: 740) { Self.offered(at: $0) }
        // In the third spike, at 16. The last rise measured is the tick at 650 s, its horizon over at
        // 720 s; the loads of 660–730 s are kept, not yet measured. Loads again from 1060 s: 5min 40s later.
        #expect(before.last?.decision.to == 16)
        let after = LearnedHeadroomTests.run(&memory, config: Self.config, from: 1060, to: 1270) { _ in 100 }
        // 12 rises are known once 12 ticks' horizons are over: at 1060 s + 1min 10s + 13 ticks.
        let learning = after.filter { $0.second < 1260 }
        #expect(learning.count == 20)
        for (second, decision) in learning {
            #expect(decision.to == 16, "\(second): \(decision.reason.text)")
            #expect(decision.reason.text.contains("too few rises seen yet"), "\(second): \(decision.reason.text)")
        }
        let learned = try #require(after.last)
        #expect(learned.second == 1260 && learned.decision.action == .scaleDown && learned.decision.to == 2, "\(learned.decision.reason.text)")
    }

    @Test("a reload that changes seasonal_periods or seasonal_confirmations forgets the rises; one that keeps them does not",
          arguments: [
              ([Duration.seconds(300), .seconds(3600)], 2), ([.seconds(600)], 2), ([.seconds(300)], 3), ([], 2),
          ])
    func reloadOfTheSeasonForgets(periods: [Duration], confirmations: Int) {
        var memory = PolicyMemory(replicas: 2, observingSince: .origin)
        _ = LearnedHeadroomTests.run(&memory, config: Self.config, to: 900) { Self.offered(at: $0) }
        #expect(memory.rises.count > 60)
        var other = Self.config
        other.headroom.quantile = 0.9
        var same = memory
        _ = LearnedHeadroomTests.run(&same, config: other, from: 900, to: 920) { Self.offered(at: $0) }
        #expect(same.rises.count > 60, "other settings than the measure's keep the rises")

        var reloaded = Self.config
        reloaded.seasonalPeriods = SeasonalPeriods(periods)
        reloaded.seasonalConfirmations = confirmations
        // Not seen even before the next record forgets them.
        #expect(memory.learnedRise(quantile: 0.5, at: .origin + .seconds(900), policy: reloaded) == nil)
        let kept = memory.samples
        let decision = LearnedHeadroomTests.run(&memory, config: reloaded, from: 900, to: 910) { Self.offered(at: $0) }[0].decision
        // Too few rises for the quantile. Where the 5-minute period stays, its further look (2min 10s)
        // reaches the spike at 1020 s: the recurring rise is given room instead of the highest seen.
        guard case let .learnedNeed(sizing) = decision.reason.trigger else { Issue.record("\(decision.reason)"); return }
        #expect(sizing.quantile == nil)
        #expect(decision.reason.text.hasPrefix(Self.season(decision) == nil
            ? "total load 100 and a rise of 0 (the highest within 1min 10s seen so far: too few rises seen yet for the quantile)"
            : "total load 100 and a recurring rise of 700 (at this phase each of the last 2 periods of 5min rose by at least 700 "
                + "within the next 2min 10s;"), "\(decision.reason.text)")
        #expect((Self.season(decision) != nil) == (periods.contains(.seconds(300)) && confirmations == 2))
        // Only the samples still kept are measured again.
        #expect(memory.rises.first?.at == kept.first?.at && memory.rises.count < kept.count && kept.count < 30,
                "\(memory.rises.map(\.at)) of \(kept.map(\.at))")
    }
}

/// The total of a tick is learned into the seasonal profile at the first record of a later tick,
/// after that tick's first evaluation: every evaluation of a tick must still read the profile alike.
struct SeasonalReadAlikeTests {
    /// The count after each tick, and the memory, with `every` evaluations per tick after
    /// `gapFrom`…`gapTo` (no evaluation at all: the host stalled), one per tick before; the ticks
    /// `offset` seconds after the phase buckets' edges (the daemon's ticks start when it does).
    static func replay(config: PolicyConfig, load: (Int) -> Double, gapFrom: Int, gapTo: Int, to: Int, every: Int,
                       offset: Int = 0) -> (decisions: [(second: Int, decision: ScalingDecision)], memory: PolicyMemory) {
        var memory = PolicyMemory(replicas: 2, observingSince: .origin + .seconds(offset))
        let decisions = LearnedHeadroomTests.run(&memory, config: config, to: gapFrom, clockOffset: offset, load: load)
            + LearnedHeadroomTests.run(&memory, config: config, from: gapTo, to: to, every: every, clockOffset: offset, load: load)
        return (decisions, memory)
    }

    @Test("learned: after 4 minutes with no load, the tick that follows reads the spike before them however often it is evaluated")
    func learnedAfterAGap() {
        // The last total before the gap (420 s) is the spike 5 minutes before 720 s, which 670 s reads
        // (its recurring rise looks from 370 s to 440 s). Read without it, 670 s went down to 2 and
        // 680 s back up to 16.
        let once = Self.replay(config: LearnedSeasonTests.config, load: LearnedSeasonTests.offered(at:),
                               gapFrom: 430, gapTo: 670, to: 1000, every: 1)
        let thrice = Self.replay(config: LearnedSeasonTests.config, load: LearnedSeasonTests.offered(at:),
                                 gapFrom: 430, gapTo: 670, to: 1000, every: 3)
        #expect(once.decisions.map(\.decision.to) == thrice.decisions.map(\.decision.to))
        #expect(once.memory == thrice.memory)
        let resumed = once.decisions.first { $0.second == 670 }?.decision
        #expect(resumed?.to == 16 && resumed.flatMap(LearnedSeasonTests.season) != nil)
    }

    @Test("a reload that drops a period: the tick it comes in reads the profile reshaped, at its first evaluation too")
    func reloadReshapes() {
        var two = LearnedSeasonTests.config
        two.seasonalPeriods = [.seconds(300), .seconds(600)]
        var long = LearnedSeasonTests.config
        long.seasonalPeriods = [.seconds(600)]
        // At 890 s the 5-minute period would expect the spike at 1020 s (2 replica_startups and a
        // tick ahead: a rise far above the spread between polls); the 10-minute one has not
        // seen it twice yet. Read from the profile before its record reshapes it, the dropped period
        // sized the first evaluation (a scale-up to 16), and stabilization held them.
        for every in [1, 3] {
            var memory = PolicyMemory(replicas: 2, observingSince: .origin)
            let before = LearnedHeadroomTests.run(&memory, config: two, to: 890, load: LearnedSeasonTests.offered(at:))
            #expect(before.contains { LearnedSeasonTests.season($0.decision)?.period == .seconds(300) })
            let after = LearnedHeadroomTests.run(&memory, config: long, from: 890, to: 1100, every: every,
                                                 load: LearnedSeasonTests.offered(at:))
            #expect(after.allSatisfy { LearnedSeasonTests.season($0.decision) == nil }, "every \(every)")
            // The reload forgets the rises (the periods changed): the highest rise seen in the loads
            // kept, none, keeps 2, not the 16 a spike in the dropped period's phase asks for.
            #expect(before.last?.decision.to == 2)
            #expect(after.first?.decision.to == 2, "every \(every)")
            #expect(after.first?.decision.reason.text.contains("a rise of 0 (the highest within 1min 10s seen so far") == true)
        }
    }

    @Test("band rules with a 1-minute period: the previous tick's bucket is read, alike at every evaluation of a tick")
    func thresholdsShortPeriod() {
        var config = SeasonalPolicyTests.config
        config.seasonalPeriods = [.seconds(60)]
        // A sawtooth every minute: 100 at its start, 20 more each second. At 5 s into a minute the
        // peak of the last minute read from there is the previous tick's (55 s: 1200).
        let load = { (second: Int) -> Double in 100 + 20 * Double(second % 60) }
        // Ticks 5 s into the 10 s buckets: the read that ends a bucket before now reaches the previous tick's.
        let once = Self.replay(config: config, load: load, gapFrom: 0, gapTo: 0, to: 600, every: 1, offset: 5)
        let thrice = Self.replay(config: config, load: load, gapFrom: 0, gapTo: 0, to: 600, every: 3, offset: 5)
        #expect(once.decisions.map(\.decision.to) == thrice.decisions.map(\.decision.to))
        #expect(once.memory == thrice.memory)
        #expect(once.decisions.contains { $0.decision.reason.text.contains("recurring") })
    }
}
