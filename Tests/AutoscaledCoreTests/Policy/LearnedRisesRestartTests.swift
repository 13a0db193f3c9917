@testable import AutoscaledCore
import AutoscaledBase
import AutoscaledTestSupport
import Foundation
import Testing

/// The learned headroom's rises across a restart: saved in the state file on wall-clock times,
/// restored when they were measured over the horizon the config measures and are still inside
/// `headroom_window`, refused with what is wrong when the file is broken.
struct LearnedRisesRestartTests {
    static let config = LearnedHeadroomTests.config
    /// The wall clock when the first run's monotonic clock reads 0.
    static let wallAtStart = 1_000_000_200.0

    /// 100, and 160 for the first 20 s of every 2 minutes of wall time: rises of 60 before each peak.
    static func load(atWall second: Int) -> Double { second % 120 < 20 ? 160 : 100 }

    /// A first run of 20 minutes (or `seconds`) from wall time `wallAtStart`, saved through the
    /// daemon's state; `load` is by wall time.
    static func firstRun(
        in dir: TemporaryDirectory, config: PolicyConfig = config, replicas: Int = 4, seconds: Int = 1200,
        load: (Int) -> Double = load(atWall:)
    ) async -> (memory: PolicyMemory, store: StateStore) {
        var memory = PolicyMemory(starting: RestoredState(replicas: replicas, lastDecision: nil, warning: nil, origin: "initial"),
                                  policy: config, now: .origin, wallTime: wallAtStart)
        _ = LearnedHeadroomTests.run(&memory, config: config, to: seconds) { load(Int(wallAtStart) + $0) }
        let store = StateStore(path: dir.file("state.json"))
        let state = ReplicaState(memory: memory, store: store, logger: .recording(into: MemoryLogSink()))
        await state.save(wallTime: wallAtStart + Double(seconds))
        return (memory, store)
    }

    /// The memory of a daemon started at wall time `wallAtStart + after`, its monotonic clock then
    /// at 500 000 s + `after`.
    static func restart(from store: StateStore, after: Int, config: PolicyConfig = config) -> (PolicyMemory, RestoredState) {
        let restored = RestoredState.restore(from: store.load(), policy: config, path: "p")
        let memory = PolicyMemory(starting: restored, policy: config, now: .origin + .seconds(500_000 + after),
                                  wallTime: wallAtStart + Double(after))
        return (memory, restored)
    }

    @Test("the rises survive a restart through the state file: the next start sizes with them at once")
    func restartKeepsTheRises() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var (first, store) = await Self.firstRun(in: dir)
        #expect(first.rises.count > Headroom.minimumRises)
        let (second, restored) = Self.restart(from: store, after: 1200)
        #expect(restored.warning == nil)
        #expect(second.rises.count == first.rises.count)
        // A decision at the same wall time sees the same rises, whichever run takes it.
        let seen = try #require(first.learnedRise(quantile: 0.9, at: .origin + .seconds(1200), policy: Self.config))
        #expect(seen == 60)
        #expect(second.learnedRise(quantile: 0.9, at: .origin + .seconds(501_200), policy: Self.config) == seen)

        // The first decisions after the restart are the learned need the first run would have
        // wanted, not one sized from the rises seen since the restart.
        var restarted = second
        let after = LearnedHeadroomTests.run(&restarted, from: 1200, to: 1260, clockOffset: 500_000) {
            Self.load(atWall: Int(Self.wallAtStart) + $0)
        }
        let continued = LearnedHeadroomTests.run(&first, from: 1200, to: 1260) { Self.load(atWall: Int(Self.wallAtStart) + $0) }
        #expect(after.map(\.decision.recommendation) == continued.map(\.decision.recommendation))
        #expect(after.allSatisfy { $0.decision.heldBy != .headroomWindow })
        #expect(after[0].decision.reason.text.hasPrefix("total load 160 and a rise of 60 (the 0.9 quantile"))
        let size = try #require(dir.read("state.json")).utf8.count
        #expect(size < 4096, "\(first.rises.count) rises: \(size) bytes")
    }

    @Test("rises measured over another horizon, or older than headroom_window, are learned again")
    func staleRisesAreNotRestored() async {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let (first, store) = await Self.firstRun(in: dir)
        var longer = Self.config
        longer.replicaStartup = .seconds(120)
        let (otherHorizon, restored) = Self.restart(from: store, after: 1200, config: longer)
        #expect(restored.warning == nil, "a changed replica_startup is not a broken file")
        #expect(otherHorizon.rises.isEmpty)
        // Down for 2 hours, longer than the 1 hour window: nothing is recent enough.
        let (late, _) = Self.restart(from: store, after: 1200 + 7200)
        #expect(late.rises.isEmpty)
        var learning = late
        let decisions = LearnedHeadroomTests.run(&learning, from: 8400, to: 8420, clockOffset: 500_000) { _ in 100 }
        #expect(decisions.allSatisfy { $0.decision.reason.text.contains("seen so far: too few rises seen yet for the quantile") })
        // Down for 50 minutes: a start at 4200 s keeps the rises from 590 s on (the window and a tick before it).
        let (soon, _) = Self.restart(from: store, after: 1200 + 3000)
        let recent = first.rises.filter { $0.at >= .origin + .seconds(590) }
        #expect(!recent.isEmpty && recent.count < first.rises.count)
        #expect(soon.rises.map(\.total) == recent.map(\.total))
    }

    @Test("a broken learned_rises is named; the count is resumed all the same")
    func brokenRisesNamed() async throws {
        let good = StateFile.LearnedRises(horizonMilliseconds: 70_000, atUnixMilliseconds: [1_000, 2_000], rises: [1, 2])
        #expect((try? good.checked().get())?.rises.count == 2)
        var cases: [(StateFile.LearnedRises, String)] = []
        var broken = good
        broken.rises = [1]
        cases.append((broken, "learned_rises: 2 times for 1 rises"))
        broken = good
        broken.rises = [1, -3]
        cases.append((broken, "learned_rises: a rise of -3, not a load from 0 to 1e15"))
        broken = good
        broken.rises = [1, .infinity]
        cases.append((broken, "learned_rises: a rise of inf, not a load from 0 to 1e15"))
        broken = good
        broken.atUnixMilliseconds = [2_000, 2_000]
        cases.append((broken, "learned_rises: at_unix_ms 2000 is not after the one before it"))
        broken = good
        broken.atUnixMilliseconds = [-1, 2_000]
        cases.append((broken, "learned_rises: at_unix_ms -1 is not a time from 0 to 1000000000000000 (1970 to the year 33658)"))
        broken = good
        broken.horizonMilliseconds = 0
        cases.append((broken, "learned_rises: horizon_ms 0 is not above 0"))
        broken = good
        broken.atUnixMilliseconds = Array(0..<Int64(Headroom.maxWindowTicks + 3))
        broken.rises = Array(repeating: 1, count: Headroom.maxWindowTicks + 3)
        cases.append((broken, "learned_rises: 100003 rises, more than a headroom_window can hold"))
        for (rises, message) in cases {
            if case let .failure(error) = rises.checked() {
                #expect(error.description == message)
            } else {
                Issue.record("accepted: \(message)")
            }
        }

        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let (first, store) = await Self.firstRun(in: dir)
        let text = try #require(dir.read("state.json")).replacingOccurrences(of: #""horizon_ms":70000"#, with: #""horizon_ms":-5"#)
        dir.write("state.json", text)
        let (memory, restored) = Self.restart(from: store, after: 1200)
        #expect(restored.warning == "p: learned_rises: horizon_ms -5 is not above 0; the rises are learned again")
        #expect(memory.rises.isEmpty)
        #expect(restored.replicas == first.replicas)
        // A broken seasonal profile too: both are named, in one warning.
        dir.write("state.json", text.replacingOccurrences(of: #""learned_rises""#,
                                                          with: #""seasonal_profile":{"confirmations":9,"periods":[]},"learned_rises""#))
        let (_, both) = Self.restart(from: store, after: 1200)
        #expect(both.warning == "p: seasonal_profile: confirmations 9 is not from 1 to 4; the recurring peaks are learned again; "
            + "p: learned_rises: horizon_ms -5 is not above 0; the rises are learned again")
    }

    @Test("a reload that changes the horizon forgets the rises measured over the old one")
    func reloadOfTheHorizonForgets() {
        var memory = PolicyMemory(replicas: 4, observingSince: .origin)
        _ = LearnedHeadroomTests.run(&memory, to: 1200) { Self.load(atWall: $0) }
        #expect(memory.rises.count > Headroom.minimumRises)
        var reloaded = Self.config
        reloaded.replicaStartup = .seconds(120)
        let decisions = LearnedHeadroomTests.run(&memory, config: reloaded, from: 1200, to: 1220) { Self.load(atWall: $0) }
        // Only the samples still kept are measured again, over 2min 10s: too few to size with.
        #expect(memory.rises.count < Headroom.minimumRises)
        #expect(decisions.allSatisfy { $0.decision.reason.text.contains("(the highest within 2min 10s seen so far: too few rises") },
                "\(decisions.map(\.decision.reason.text))")
    }
}
