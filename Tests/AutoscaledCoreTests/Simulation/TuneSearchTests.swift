@testable import AutoscaledCore
import AutoscaledSystem
import AutoscaledTestSupport
import Testing

/// The search itself, below `tune`'s command line.
struct TuneSearchTests {
    /// The learned headroom with `seasonal_periods = 2min`: a period the daemon refuses when
    /// `replica_startup`, three polls and its 10 s bucket do not fit in it.
    static let seasonal = modified(PolicyConfig.defaults) {
        ($0.minReplicas, $0.maxReplicas, $0.initialReplicas) = (1, 100, 4)
        $0.headroom = Headroom(mode: .learned, targetLoad: 65, quantile: 0.9, window: .seconds(3600))
        $0.seasonalPeriods = [.seconds(120)]
    }

    static func isLoadable(_ candidate: TuneCandidate) -> Bool {
        let tick = Duration.seconds(candidate.pollSeconds)
        let ahead = Headroom.horizon(replicaStartup: candidate.policy.replicaStartup, tick: tick)
        return SeasonalProfile.learnedPeriodShortfall(length: 120_000, ahead: ahead.wholeMilliseconds,
                                                      tick: tick.wholeMilliseconds) == nil
    }

    @Test("with seasonal_periods, the learned search tries only settings whose periods still span the rise's horizon")
    func seasonalPeriodsBoundTheSearch() {
        // Without the bound, a good share of the space would drop the period (replica_startup up to
        // 5min, polls up to 30s): the draws below must include such settings, or this test proves nothing.
        var random = SplitMix64(seed: 3)
        let drawn = (0..<200).map { _ in PolicySetting.random(in: .learned, &random) }.map { setting in
            TuneCandidate(setting: setting, policy: setting.policy(from: Self.seasonal), pollSeconds: setting.pollSeconds,
                          score: TuneScore(SimulationSummary(seconds: 0, requests: 0)))
        }
        #expect(drawn.contains { !Self.isLoadable($0) })
        #expect(drawn.contains { Self.isLoadable($0) })

        let trace = Trace(start: 0, binSeconds: 1, series: .offeredLoad(requests: (0..<600).map { $0 % 120 < 20 ? 8 : 2 }))
        let search = TuneSearch(trace: trace, base: SimulationSetup(policy: Self.seasonal, pollSeconds: 10, capacity: 1),
                                goal: 5, budget: 40, seed: 11, batchSize: 8)
        let result = search.run(shouldStop: { false }, progress: { _, _ in })
        #expect(result.tried.count == 40)
        #expect(result.tried.allSatisfy(Self.isLoadable))
    }

    @Test("a stop is heeded before each setting's replay, not only between batches")
    func stopPerSetting() {
        let trace = Trace(start: 0, binSeconds: 1, series: .offeredLoad(requests: (0..<600).map { $0 % 120 < 20 ? 8 : 2 }))
        let search = TuneSearch(trace: trace, base: SimulationSetup(policy: Self.seasonal, pollSeconds: 10, capacity: 1),
                                goal: 5, budget: 100, seed: 11, batchSize: 32)
        // The first ask comes before the batch; five replays start, then the limit is reached.
        let asked = Locked(0)
        let result = search.run(shouldStop: { asked.withLock { $0 += 1; return $0 > 6 } }, progress: { _, _ in })
        #expect(result.tried.count == 1 + 5)
        #expect(result.stoppedEarly)
    }

    @Test("the learned search does not try a headroom_window too short to hold the rises a scale-down needs")
    func shortWindowsAreNotTried() throws {
        // 10min of window against replica_startup 5min and a 30 s poll: 5min 30s of horizon and 12
        // polls of rises need 11min 30s. Such draws exist in the space, and are turned away.
        let base = modified(Self.seasonal) { $0.seasonalPeriods = [] }
        var random = SplitMix64(seed: 5)
        let drawn = (0..<5000).map { _ in PolicySetting.random(in: .learned, &random) }
        let short = { (setting: PolicySetting) -> Bool in
            let policy = setting.policy(from: base)
            return policy.headroom.window < Headroom.shortestWindow(replicaStartup: policy.replicaStartup,
                                                                    tick: .seconds(setting.pollSeconds))
        }
        let trace = Trace(start: 0, binSeconds: 1, series: .offeredLoad(requests: [1, 2]))
        let search = TuneSearch(trace: trace, base: SimulationSetup(policy: base, pollSeconds: 10, capacity: 1),
                                goal: 5, budget: 1, seed: 1, batchSize: 1)
        let tooShort = try #require(drawn.first(where: short))
        #expect(tooShort.policy(from: base).headroom.window == .seconds(600))
        #expect(!search.admits(tooShort))
        #expect(drawn.filter { !short($0) }.allSatisfy(search.admits))
    }

    @Test("the learned search sets each of its keys, headroom_scale_up_tolerance among them; the band rules' search keeps the headroom keys")
    func learnedKeysSearched() {
        var random = SplitMix64(seed: 5)
        let learned = (0..<200).map { _ in PolicySetting.random(in: .learned, &random).policy(from: Self.seasonal) }
        #expect(Set(learned.map(\.headroom.scaleUpTolerance)) == [0, 0.1, 0.2, 0.3, 0.5])
        #expect(Set(learned.map(\.headroom.scaleDownMargin)) == [0, 0.2, 0.3, 0.4, 0.6, 0.8, 1])
        let base = modified(Self.seasonal) { $0.headroom.scaleUpTolerance = 0.15 }
        let banded = (0..<50).map { _ in PolicySetting.random(in: .thresholds, &random).policy(from: base) }
        #expect(banded.allSatisfy { $0.headroom.scaleUpTolerance == 0.15 && $0.headroom == base.headroom })
    }

    @Test("where the spread is measured, the two scale-down margins are searched each on its own; elsewhere the second has the first's value")
    func marginsSearchedApart() {
        let measuring = modified(Self.seasonal) {
            ($0.headroom.squareRootRoom, $0.headroom.spread) = (3, .measured)
        }
        #expect(PolicySetting.Space(measuring.headroom) == .learnedMeasuringSpread)
        var random = SplitMix64(seed: 7)
        let apart = (0..<300).map { _ in PolicySetting.random(in: .learnedMeasuringSpread, &random).policy(from: measuring) }
        #expect(Set(apart.map(\.headroom.scaleDownMarginUnmeasured)) == [0, 0.2, 0.3, 0.4, 0.6, 0.8, 1])
        #expect(apart.contains { $0.headroom.scaleDownMargin != $0.headroom.scaleDownMarginUnmeasured })
        // The shipped pair, 0.6 where the spread is measured and 0.3 where it is not, is in the space.
        #expect(apart.contains { ($0.headroom.scaleDownMargin, $0.headroom.scaleDownMarginUnmeasured) == (0.6, 0.3) })

        // headroom_spread = measured with no square-root room, or assumed: the spread is not measured.
        let assumed = modified(measuring) { $0.headroom.spread = .assumed }
        for headroom in [modified(measuring.headroom) { $0.squareRootRoom = 0 }, assumed.headroom] {
            #expect(PolicySetting.Space(headroom) == .learned)
        }

        // A search of a config that measures the spread tries settings with the two apart; of one
        // that does not, only settings with the two equal.
        let trace = Trace(start: 0, binSeconds: 1, series: .offeredLoad(requests: (0..<600).map { $0 % 120 < 20 ? 8 : 2 }))
        func tried(from base: PolicyConfig) -> [TuneCandidate] {
            TuneSearch(trace: trace, base: SimulationSetup(policy: base, pollSeconds: 10, capacity: 1),
                       goal: 5, budget: 40, seed: 11, batchSize: 8).run(shouldStop: { false }, progress: { _, _ in }).tried
        }
        #expect(tried(from: measuring).contains { $0.policy.headroom.scaleDownMargin != $0.policy.headroom.scaleDownMarginUnmeasured })
        let together = tried(from: assumed)
        #expect(together.count == 40)
        #expect(Set(together.map(\.policy.headroom.scaleDownMargin)).count > 1)
        #expect(together.allSatisfy { $0.policy.headroom.scaleDownMargin == $0.policy.headroom.scaleDownMarginUnmeasured })
    }
}
