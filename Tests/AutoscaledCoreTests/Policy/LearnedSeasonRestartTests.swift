@testable import AutoscaledCore
import AutoscaledBase
import AutoscaledTestSupport
import Foundation
import Testing

/// The rises beyond the recurring ones across a restart: saved with the `seasonal_periods` and
/// `seasonal_confirmations` they are beyond, restored only under the same ones, and a saved
/// measure that cannot be a config's refused with what is wrong.
struct LearnedSeasonRestartTests {
    static let config = LearnedSeasonTests.config

    /// The spikes of ``LearnedSeasonTests/offered(at:)``, by wall time or by the run's own: the
    /// first run starts at a whole number of 5 minutes of wall time, so their phases are the same.
    static func load(_ second: Int) -> Double { LearnedSeasonTests.offered(at: second) }

    /// A first run of 15 minutes (three spikes, the third given room by the recurring rise) from
    /// wall time ``LearnedRisesRestartTests/wallAtStart``, saved through the daemon's state.
    static func firstRun(in dir: TemporaryDirectory) async -> (memory: PolicyMemory, store: StateStore) {
        await LearnedRisesRestartTests.firstRun(in: dir, config: config, replicas: 2, seconds: 900, load: load)
    }

    @Test("the saved rises name the periods and confirmations they are beyond; the same config restores them")
    func restoredUnderTheSameSeason() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var (first, store) = await Self.firstRun(in: dir)
        guard case let .found(file) = store.load() else { Issue.record("no state file"); return }
        let saved = try #require(file.learnedRises)
        #expect(saved.seasonalPeriodsMilliseconds == [300_000] && saved.seasonalConfirmations == 2)
        #expect(try #require(dir.read("state.json")).contains(#""seasonal_confirmations":2,"seasonal_periods_ms":[300000]"#))

        let (second, restored) = LearnedRisesRestartTests.restart(from: store, after: 900, config: Self.config)
        #expect(restored.warning == nil)
        #expect(second.rises.map(\.total) == first.rises.map(\.total) && first.rises.count > 60)
        // The restarted daemon sizes as the first run would have: the fourth spike is given room
        // by the recurring rise at 50 s into its period, at once.
        var restarted = second
        let after = LearnedHeadroomTests.run(&restarted, config: Self.config, from: 900, to: 1020, clockOffset: 500_000) { Self.load($0) }
        let continued = LearnedHeadroomTests.run(&first, config: Self.config, from: 900, to: 1020) { Self.load($0) }
        #expect(after.map(\.decision.recommendation) == continued.map(\.decision.recommendation))
        #expect(after.first { $0.second == 950 }?.decision.reason.text.contains("a recurring rise of 700") == true)
    }

    @Test("rises beyond other periods or confirmations, or beyond none, are learned again, without a warning",
          arguments: [
              ([Duration.seconds(300), .seconds(3600)], 2), ([.seconds(600)], 2), ([.seconds(300)], 3), ([], 2),
          ])
    func notRestoredUnderAnotherSeason(periods: [Duration], confirmations: Int) async {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let (first, store) = await Self.firstRun(in: dir)
        #expect(first.rises.count > Headroom.minimumRises)
        var other = Self.config
        other.seasonalPeriods = SeasonalPeriods(periods)
        other.seasonalConfirmations = confirmations
        let (memory, restored) = LearnedRisesRestartTests.restart(from: store, after: 900, config: other)
        #expect(restored.warning == nil, "another season is not a broken file")
        #expect(restored.rises != nil)
        #expect(memory.rises.isEmpty)
    }

    @Test("after a stop longer than the shortest period, rises beyond the recurring ones are learned again; after a short one they are kept")
    func longStopForgetsRisesBeyondTheSeason() async {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let (first, store) = await Self.firstRun(in: dir)
        #expect(first.rises.count > Headroom.minimumRises)
        // The last rise saved is the tick at 820 s, whose horizon (1min 10s) ended at 890 s: a restart
        // 3 minutes after the run's end is 3min 10s after it, within the 5-minute period; one 5
        // minutes after, 5min 10s, beyond it.
        let (short, shortRestored) = LearnedRisesRestartTests.restart(from: store, after: 900 + 180, config: Self.config)
        #expect(shortRestored.warning == nil)
        #expect(short.rises.count == first.rises.count)
        let (long, longRestored) = LearnedRisesRestartTests.restart(from: store, after: 900 + 300, config: Self.config)
        #expect(longRestored.warning == nil && longRestored.rises != nil)
        #expect(long.rises.isEmpty)
        // Without a season the same stop keeps them (nothing is left out of them).
        let plainDir = TemporaryDirectory()
        defer { plainDir.remove() }
        let (plainFirst, plainStore) = await LearnedRisesRestartTests.firstRun(in: plainDir)
        let (plain, _) = LearnedRisesRestartTests.restart(from: plainStore, after: 1200 + 300)
        #expect(plain.rises.count == plainFirst.rises.count && plain.rises.count > Headroom.minimumRises)
    }

    @Test("rises saved beyond no season are not restored under one")
    func plainRisesNotRestoredUnderASeason() async {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let (first, store) = await LearnedRisesRestartTests.firstRun(in: dir)
        #expect(first.rises.count > Headroom.minimumRises)
        var seasonal = LearnedRisesRestartTests.config
        seasonal.seasonalPeriods = [.seconds(300)]
        let (memory, restored) = LearnedRisesRestartTests.restart(from: store, after: 1200, config: seasonal)
        #expect(restored.warning == nil && restored.rises != nil)
        #expect(memory.rises.isEmpty)
        let (plain, _) = LearnedRisesRestartTests.restart(from: store, after: 1200)
        #expect(plain.rises.count == first.rises.count)
    }

    @Test("a saved season that no config can have is named",
          arguments: [
              ([300_000, 600_000, 900_000, 1_200_000, 1_500_000], 2, "learned_rises: 5 seasonal_periods_ms, more than 4"),
              ([300_000, 59_999], 2, "learned_rises: seasonal_periods_ms 59999 is not from 60000 to 2419200000"),
              ([2_419_200_001], 2, "learned_rises: seasonal_periods_ms 2419200001 is not from 60000 to 2419200000"),
              ([300_000], nil, "learned_rises: seasonal_confirmations 0 does not go with 1 seasonal_periods_ms"),
              ([300_000], 0, "learned_rises: seasonal_confirmations 0 does not go with 1 seasonal_periods_ms"),
              ([300_000], 5, "learned_rises: seasonal_confirmations 5 does not go with 1 seasonal_periods_ms"),
              (nil, 2, "learned_rises: seasonal_confirmations 2 does not go with 0 seasonal_periods_ms"),
              ([], 2, "learned_rises: seasonal_confirmations 2 does not go with 0 seasonal_periods_ms"),
          ] as [([Int64]?, Int?, String)])
    func brokenSeasonNamed(periods: [Int64]?, confirmations: Int?, error: String) {
        let rises = StateFile.LearnedRises(horizonMilliseconds: 70_000, atUnixMilliseconds: [1_000, 2_000], rises: [1, 2],
                                           seasonalPeriodsMilliseconds: periods, seasonalConfirmations: confirmations)
        if case let .failure(failure) = rises.checked() {
            #expect(failure.description == error)
        } else {
            Issue.record("accepted: \(error)")
        }
    }

    @Test("a saved season a config can have is read as that config measures")
    func goodSeasonRead() throws {
        let rises = StateFile.LearnedRises(horizonMilliseconds: 70_000, atUnixMilliseconds: [1_000], rises: [1],
                                           seasonalPeriodsMilliseconds: [300_000, 3_600_000], seasonalConfirmations: 4)
        var config = Self.config
        config.seasonalPeriods = [.seconds(300), .seconds(3600)]
        config.seasonalConfirmations = 4
        #expect(try rises.checked().get().measure == Headroom.RiseMeasure(config))
        let none = StateFile.LearnedRises(horizonMilliseconds: 70_000, atUnixMilliseconds: [1_000], rises: [1])
        #expect(try none.checked().get().measure == Headroom.RiseMeasure(LearnedHeadroomTests.config))
    }

    @Test("a broken saved season in the state file is named, and the count resumed all the same")
    func brokenSeasonInTheFile() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let (first, store) = await Self.firstRun(in: dir)
        let text = try #require(dir.read("state.json"))
        dir.write("state.json", text.replacingOccurrences(of: #""seasonal_confirmations":2"#, with: #""seasonal_confirmations":0"#))
        let (memory, restored) = LearnedRisesRestartTests.restart(from: store, after: 900, config: Self.config)
        #expect(restored.warning
            == "p: learned_rises: seasonal_confirmations 0 does not go with 1 seasonal_periods_ms; the rises are learned again")
        #expect(memory.rises.isEmpty)
        #expect(restored.season != nil, "the profile is a separate part of the file: still restored")
        #expect(restored.replicas == first.replicas)
    }
}
