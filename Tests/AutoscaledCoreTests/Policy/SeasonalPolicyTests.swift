@testable import AutoscaledCore
import AutoscaledBase
import AutoscaledTestSupport
import Foundation
import Testing

/// The seasonal rule on a manual clock: a peak that recurs at the same phase is pre-scaled for once
/// it came `seasonal_confirmations` periods running; noise and a peak that came once are not; a
/// pattern that stops falls back to the reactive rules; a restart keeps what was learned.
struct SeasonalPolicyTests {
    /// The shipped rules with a 5-minute period, room to grow, on a 10 s tick.
    static var config: PolicyConfig {
        var config = PolicyConfig.defaults
        config.seasonalPeriods = [.seconds(300)]
        config.maxReplicas = 100
        config.initialReplicas = 2
        // A short window, so that the count is back down between two spikes.
        config.scaleDownStabilization = .seconds(60)
        return config
    }

    /// Offered load 100, and 800 for 30 s from 2 min into every 5 minutes of `spiking` (by cycle).
    static func offered(at second: Int, spiking: (Int) -> Bool = { _ in true }) -> Double {
        let phase = second % 300
        return spiking(second / 300) && phase >= 120 && phase < 150 ? 800 : 100
    }

    /// One evaluation per tick from `from` to `to` seconds (after `from` on the clock), the load
    /// spread over the current replicas as a balancer would; returns each decision by second.
    static func run(
        _ memory: inout PolicyMemory, config: PolicyConfig = config, from: Int = 0, to: Int, clockOffset: Int = 0,
        load: (Int) -> Double
    ) -> [(second: Int, decision: ScalingDecision)] {
        let policy = ThresholdPolicy(config: config)
        var decisions: [(Int, ScalingDecision)] = []
        for second in stride(from: from, to: to, by: 10) {
            let replicas = max(memory.replicas, 1)
            let each = load(second) / Double(replicas)
            let now = MonotonicInstant.origin + .seconds(second + clockOffset)
            let loads = snapshot((0..<replicas).map { ("s\($0)", each) })
            let decision = policy.decide(.loads(loads), memory: memory, now: now)
            memory.record(decision, at: now, policy: config)
            decisions.append((second, decision))
        }
        return decisions
    }

    static func isPreScale(_ decision: ScalingDecision) -> Bool {
        decision.reason.trigger == .recurringPeak
    }

    @Test("a spike every 5 minutes is scaled for before its third coming, not before the first two")
    func preScalesTheThirdSpike() {
        var memory = PolicyMemory(replicas: 2, observingSince: .origin)
        let decisions = Self.run(&memory, to: 900) { Self.offered(at: $0) }
        let preScales = decisions.filter { Self.isPreScale($0.decision) }
        #expect(preScales.first.map(\.second) == 660, "one replica_startup and a tick before 12min")
        #expect(preScales.allSatisfy { $0.second >= 600 })
        // At 800 and target_load 50 the spike needs 16: there before it comes.
        #expect(decisions.first { $0.second == 710 }?.decision.to == 16)
        #expect(preScales.first?.decision.reason.text == "recurring peak due (seasonal_periods); total load 100, smoothed 100; "
            + "at this phase each of the last 2 periods of 5min rose to 800 within the next 1min 10s needs 16 at target_load 50: +13")
    }

    @Test("noise and a spike that came once are never pre-scaled for")
    func noPreScaleOnNoise() {
        var random = SplitMix64(seed: 7)
        let noise = (0..<720).map { _ in 80 + 40 * Double(random.next() % 1000) / 1000 }
        var memory = PolicyMemory(replicas: 2, observingSince: .origin)
        var config = Self.config
        config.seasonalPeriods = [.seconds(300), .seconds(3600)]
        let decisions = Self.run(&memory, config: config, to: 7200) { second in
            second / 300 == 3 ? Self.offered(at: second) : noise[second / 10]
        }
        #expect(decisions.filter { Self.isPreScale($0.decision) }.isEmpty)
    }

    @Test("when the spikes stop, one period is pre-scaled in vain, then the reactive rules alone decide")
    func fallsBackWhenThePatternStops() {
        var memory = PolicyMemory(replicas: 2, observingSince: .origin)
        let decisions = Self.run(&memory, to: 2400) { Self.offered(at: $0, spiking: { $0 < 4 }) }
        let cycles = Set(decisions.filter { Self.isPreScale($0.decision) }.map { $0.second / 300 })
        #expect(cycles == [2, 3, 4])
        // Cycle 4 had no spike: by cycle 5 the need is the load's again, and the count comes down.
        #expect(decisions.last?.decision.to == 2)
    }

    @Test("the profile survives a restart through the state file, on wall-clock phases")
    func restartKeepsTheProfile() throws {
        // First run: 2 cycles learned, with the wall clock at 1 000 000 200 s when the monotonic clock is at 0.
        let wallAtStart = 1_000_000_200.0
        var first = PolicyMemory(starting: RestoredState(replicas: 2, lastDecision: nil, warning: nil, origin: "initial"),
                                 policy: Self.config, now: .origin, wallTime: wallAtStart)
        // The trace's second s is wall time wallAtStart + s: the spikes fall at the same wall phases.
        let wall = { (second: Int) in Int(wallAtStart) + second }
        _ = Self.run(&first, to: 600) { Self.offered(at: wall($0)) }
        let saved = try JSONEncoder().encode(StateFile.Season(try #require(first.season)))
        let season = try JSONDecoder().decode(StateFile.Season.self, from: saved)
        // Second run: a new monotonic origin (500 000 s), started at wall time +600 s.
        var restored = RestoredState(replicas: 2, lastDecision: nil, warning: nil, origin: "resumed")
        restored.season = try season.profile().get()
        var second = PolicyMemory(starting: restored, policy: Self.config, now: .origin + .seconds(500_600),
                                  wallTime: wallAtStart + 600)
        #expect(second.season == first.season)
        let decisions = Self.run(&second, from: 600, to: 900, clockOffset: 500_000) {
            Self.offered(at: wall($0))
        }
        #expect(decisions.contains { Self.isPreScale($0.decision) && $0.second < 720 })
    }

    @Test("a saved profile that does not fit is refused with what is wrong")
    func savedProfileChecked() {
        let period = StateFile.Season.Period(periodMilliseconds: 300_000, bucketMilliseconds: 5_000, latestBucket: 9, peaks: [1])
        #expect(StateFile.Season(confirmations: 2, periods: [period]).profileError
            == "seasonal_profile: period_ms 300000 has bucket_ms 5000, not 10000")
        var negative = period
        negative.bucketMilliseconds = 10_000
        negative.peaks = [1, -3]
        #expect(StateFile.Season(confirmations: 2, periods: [negative]).profileError
            == "seasonal_profile: period_ms 300000 has a peak of -3, not a load from 0 to 1e15")
        var future = negative
        future.peaks = [1]
        future.latestBucket = .max
        #expect(StateFile.Season(confirmations: 2, periods: [future]).profileError
            == "seasonal_profile: period_ms 300000 has latest_bucket 9223372036854775807, not one from 0 to 100000000000 (1970 to the year 33658)")
        #expect(StateFile.Season(confirmations: 9, periods: []).profileError
            == "seasonal_profile: confirmations 9 is not from 1 to 4")
    }

    @Test("a rise counts when it came at the same phase of each of the last periods, and only then")
    func riseConfirmed() {
        var profile = SeasonalProfile(periods: [300_000], confirmations: 2)
        // 100, and 500 at 120 s into each of the first two periods.
        for second in stride(from: 0, to: 600, by: 10) {
            profile.record(second % 300 == 120 ? 500 : 100, at: Int64(second) * 1000)
        }
        #expect(profile.expected(at: 660_000, ahead: 70_000, rise: 1.5) == .init(load: 500, period: 300_000))
        #expect(profile.expected(at: 650_000, ahead: 70_000, rise: 1.5) == nil, "the window ends before 420 s")
        #expect(profile.expected(at: 660_000, ahead: 70_000, rise: 6) == nil, "a rise of 5 times is less than 6")
        // The third period without its peak: the next one expects nothing.
        for second in stride(from: 600, to: 900, by: 10) { profile.record(100, at: Int64(second) * 1000) }
        #expect(profile.expected(at: 960_000, ahead: 70_000, rise: 1.5) == nil)
        // Nothing recorded for longer than the ring: nothing is expected.
        profile.record(100, at: 3_000_000)
        #expect(profile.expected(at: 3_060_000, ahead: 70_000, rise: 1) == nil)
    }
}

extension StateFile.Season {
    init(confirmations: Int, periods: [Period]) {
        self.init(SeasonalProfile(periods: [], confirmations: confirmations))
        self.periods = periods
    }

    var profileError: String? {
        if case let .failure(error) = profile() { return error.description }
        return nil
    }
}

extension SeasonalPolicyTests {
    @Test("the daemon's state file keeps the profile; a restart restores it, and a broken one is named")
    func stateFileRoundTrip() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = StateStore(path: dir.file("state.json"))
        var memory = PolicyMemory(replicas: 2, observingSince: .origin)
        _ = Self.run(&memory, to: 600) { Self.offered(at: $0) }
        let learned = try #require(memory.season)
        let state = ReplicaState(memory: memory, store: store, logger: .recording(into: MemoryLogSink()))
        await state.save(wallTime: 1_795_932_600)
        let restored = RestoredState.restore(from: store.load(), policy: Self.config, path: store.path)
        #expect(restored.season == learned)
        #expect(restored.warning == nil)
        let size = try #require(dir.read("state.json")).utf8.count
        #expect(size < 4096, "one 5-minute period: \(size) bytes")

        let text = try #require(dir.read("state.json")).replacingOccurrences(of: #""bucket_ms":10000"#, with: #""bucket_ms":7"#)
        dir.write("state.json", text)
        let broken = RestoredState.restore(from: store.load(), policy: Self.config, path: "p")
        #expect(broken.season == nil)
        #expect(broken.warning == "p: seasonal_profile: period_ms 300000 has bucket_ms 7, not 10000; the recurring peaks are learned again")
        #expect(broken.replicas == memory.replicas, "the count is resumed all the same")
    }
}

extension SeasonalPolicyTests {
    @Test("a week of ticks through four periods: the profile's size never changes, the windows stay bounded")
    func boundedOverAWeek() {
        var config = Self.config
        config.seasonalPeriods = [.seconds(300), .seconds(3600), .seconds(86_400), .seconds(604_800)]
        var memory = PolicyMemory(replicas: 2, observingSince: .origin)
        let policy = ThresholdPolicy(config: config)
        let loads = snapshot([("s0", 40), ("s1", 30)])
        var largest = 0
        for second in stride(from: 0, to: 7 * 86_400, by: 10) {
            let now = MonotonicInstant.origin + .seconds(second)
            memory.record(policy.decide(.loads(loads), memory: memory, now: now), at: now, policy: config)
            largest = max(largest, memory.samples.count + memory.recommendations.count + memory.changes.count)
        }
        #expect(memory.season?.periods.map(\.peaks.count) == [90, 360, 360, 360])
        // The last tick (604 790 s) is still open: the latest recorded is the one before it.
        #expect(memory.season?.periods.map(\.latest) == [60_478, 20_159, 839, 119])
        #expect(largest <= 60)
    }
}

extension SeasonalPolicyTests {
    @Test("a copy of the memory learns apart from the original; turning the key off forgets the profile")
    func memoryIsAValue() {
        var original = PolicyMemory(replicas: 2, observingSince: .origin)
        _ = Self.run(&original, to: 600) { Self.offered(at: $0) }
        let learned = original.season
        var copy = original
        _ = Self.run(&copy, from: 600, to: 900) { Self.offered(at: $0) }
        #expect(original.season == learned)
        #expect(copy.season != learned)
        var off = Self.config
        off.seasonalPeriods = []
        _ = Self.run(&copy, config: off, from: 900, to: 910) { Self.offered(at: $0) }
        #expect(copy.season == nil)
        #expect(original.season == learned)
    }
}
