@testable import AutoscaledBase
@testable import AutoscaledCore
import AutoscaledTestSupport
import Glibc
import Testing

/// Source health in the state file: written when the source turns bad or good, refreshed every minute.
struct ReplicaStateSourceTests {
    static let hold = ScalingDecision(action: .hold, from: 3, to: 3, serversToScale: 0, busiest: nil, threshold: nil,
                                      reason: DecisionReason(.noUsableData(cause: "r")), recommendation: 3)
    static let loads = try! LoadSnapshot(servers: [ServerLoad(name: "a", load: 30)])
    static let bad = LoadError.unreadable("line 1: bad")

    /// Notes a read (`nil`: it failed), records a hold at `second`, and says whether the file was (re)written.
    static func step(
        _ state: ReplicaState, _ snapshot: LoadSnapshot?, at second: Int, store: StateStore, path: String
    ) async -> StateFile? {
        unlink(path)
        let wall = 1_795_932_600 + Double(second)
        let input = await state.noteRead(snapshot.map { .success($0) } ?? .failure(bad), from: "/srv/loads.json",
                                         at: .origin + .seconds(second), tick: .seconds(3), wallTime: wall).input
        if snapshot == nil { #expect(input != .loads(loads)) }
        await state.record(hold, at: .origin + .seconds(second), policy: PolicyConfig.defaults, wallTime: wall)
        guard case let .found(file) = store.load() else { return nil }
        return file
    }

    @Test("health changes (failing, down, back) are written at once, a failing source's new count or cause at most once a second; a steady source at most once a minute")
    func writes() async {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("state.json")
        let store = StateStore(path: path)
        let sink = MemoryLogSink()
        let state = ReplicaState(memory: PolicyMemory(replicas: 3, observingSince: .origin), store: store,
                                 failureThreshold: 3, logger: .recording(into: sink))
        let cause = Self.bad.description

        let first = await Self.step(state, Self.loads, at: 0, store: store, path: path)
        #expect(first?.source == StateFile.SourceStatus(consecutiveFailures: 0, lastGoodReadUnix: 1_795_932_600, lastError: nil))
        #expect(first?.source?.lastGoodRead == "2026-11-29T06:10:00.000Z")
        #expect(first?.updatedAtUnix == 1_795_932_600)
        #expect(await Self.step(state, Self.loads, at: 5, store: store, path: path) == nil)

        let failing = await Self.step(state, nil, at: 10, store: store, path: path)
        #expect(failing?.source == StateFile.SourceStatus(consecutiveFailures: 1, lastGoodReadUnix: 1_795_932_605,
                                                          lastError: "/srv/loads.json: \(cause)"))
        #expect(await state.summary.health == .failing)
        // A whole 3s tick since the first failure: 2 failures, written (status shows the count the log does).
        #expect(await Self.step(state, nil, at: 15, store: store, path: path)?.source?.consecutiveFailures == 2)
        // Two whole ticks since the first: at failure_threshold the source is down.
        let down = await Self.step(state, nil, at: 16, store: store, path: path)
        #expect(down?.source?.consecutiveFailures == 3)
        #expect(await state.summary.health == .down)
        // Within the third tick, the same cause: nothing to write.
        #expect(await Self.step(state, nil, at: 17, store: store, path: path) == nil)
        let back = await Self.step(state, Self.loads, at: 20, store: store, path: path)
        #expect(back?.source?.consecutiveFailures == 0)
        #expect(await state.summary.health == .healthy)
        #expect(await Self.step(state, Self.loads, at: 75, store: store, path: path) == nil)
        let refreshed = await Self.step(state, Self.loads, at: 80, store: store, path: path)
        #expect(refreshed?.source?.lastGoodReadUnix == 1_795_932_680)
        #expect(sink.lines.isEmpty)
    }

    @Test("the policy is given unavailable data before failure_threshold, a down source from it on, naming the source")
    func inputs() async {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let sink = MemoryLogSink()
        let state = ReplicaState(memory: PolicyMemory(replicas: 3, observingSince: .origin),
                                 store: StateStore(path: dir.file("state.json")), failureThreshold: 2,
                                 logger: .recording(into: sink))
        let cause = Self.bad.description
        // The policy's cause names the source (so does the decision line); the read's error alone does not.
        let first = await state.noteRead(.failure(Self.bad), from: "/srv/loads.json", at: .origin, tick: .seconds(10), wallTime: 0)
        #expect(first.input == .unavailable("/srv/loads.json: \(cause)") && first.error == cause)
        #expect(await state.noteRead(.failure(Self.bad), from: "/srv/loads.json", at: .origin + .seconds(10), tick: .seconds(10),
                                     wallTime: 0).input
                == .sourceDown("/srv/loads.json: \(cause)"))
        let good = await state.noteRead(.success(Self.loads), from: "/srv/loads.json", at: .origin + .seconds(20),
                                        tick: .seconds(10), wallTime: 0)
        #expect(good.input == .loads(Self.loads) && good.error == nil)
        // A cause that already starts with the source's location is not given it twice.
        let named = await state.noteRead(.failure(.unreadable("/srv/loads.json: gone")), from: "/srv/loads.json",
                                         at: .origin + .seconds(30), tick: .seconds(10), wallTime: 0)
        #expect(named.input == .unavailable("/srv/loads.json: gone"))
    }
}

extension ReplicaStateSourceTests {
    @Test("a failing source's new cause reaches the state file within a second, so status shows the error the log does")
    func newCauseWritten() async {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("state.json")
        let store = StateStore(path: path)
        let state = ReplicaState(memory: PolicyMemory(replicas: 3, observingSince: .origin), store: store,
                                 failureThreshold: 3, logger: .recording(into: MemoryLogSink()))
        func fail(_ cause: String, atMilliseconds ms: Int64) async -> String?? {
            unlink(path)
            let at = MonotonicInstant.origin + .milliseconds(ms)
            _ = await state.noteRead(.failure(.unreadable(cause)), from: "/srv/loads.json", at: at, tick: .seconds(10), wallTime: 0)
            await state.record(Self.hold, at: at, policy: PolicyConfig.defaults, wallTime: 0)
            guard case let .found(file) = store.load() else { return .none }
            return .some(file.source?.lastError)
        }
        #expect(await fail("BAD1", atMilliseconds: 0) == .some("/srv/loads.json: BAD1"))
        // Another cause half a second later: not written yet (a cause that changes at every read
        // must not write at every read); the same one a second after the last write: written.
        #expect(await fail("BAD2", atMilliseconds: 500) == .none)
        #expect(await fail("BAD2", atMilliseconds: 1_000) == .some("/srv/loads.json: BAD2"))
        #expect(await fail("BAD2", atMilliseconds: 2_500) == .none)
    }

    /// The failure counts of failed reads at `seconds` (a poll every 5s), from a healthy start.
    static func counts(_ seconds: [Double]) async -> [Int] {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let state = ReplicaState(memory: PolicyMemory(replicas: 3, observingSince: .origin),
                                 store: StateStore(path: dir.file("state.json")), failureThreshold: 2,
                                 logger: .recording(into: MemoryLogSink()))
        var counts: [Int] = []
        for second in seconds {
            _ = await state.noteRead(.failure(bad), from: "/srv/loads.json", at: .origin + .milliseconds(Int64(second * 1000)),
                                     tick: .seconds(5), wallTime: 0)
            counts.append(await state.consecutiveFailures)
        }
        return counts
    }

    @Test("a failed read that repeats the one before it within its poll interval logs its source-error at debug, not as a new warning")
    func repeatedFailureQuiet() async {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var config = PolicyConfig.defaults
        config.tick = .seconds(5)
        let policy = ThresholdPolicy(config: config)
        let state = ReplicaState(memory: PolicyMemory(replicas: 3, observingSince: .origin),
                                 store: StateStore(path: dir.file("state.json")), failureThreshold: 3,
                                 logger: .recording(into: MemoryLogSink()))
        func sourceError(_ error: LoadError, at second: Double) async -> (level: LogLevel, failures: Int)? {
            let outcome = await state.evaluate(.failure(error), from: "/srv/loads.json", policy: policy,
                                               at: .origin + .milliseconds(Int64(second * 1000)), wallTime: 0) { _ in }
            return outcome.records(source: "/srv/loads.json", dryRun: false, enabled: { _ in true })
                .first { $0.event == .sourceError }.map { ($0.level, outcome.failures) }
        }
        let other = LoadError.unreadable("line 2: worse")
        // A bad file renamed in, read at once, then by the poll 20 ms later: one failure, one warning.
        #expect(await sourceError(Self.bad, at: 4.80).map { [$0.level == .warning, $0.failures == 1] } == [true, true])
        #expect(await sourceError(Self.bad, at: 4.82).map { [$0.level == .debug, $0.failures == 1] } == [true, true])
        // Another cause within the same interval is news: a warning, still one failure.
        #expect(await sourceError(other, at: 4.90).map { [$0.level == .warning, $0.failures == 1] } == [true, true])
        // The next interval's failure counts, and warns, whatever its cause.
        #expect(await sourceError(other, at: 10).map { [$0.level == .warning, $0.failures == 2] } == [true, true])
    }

    @Test("an evaluation's decision line is made only when its level is logged: a hold's at debug, a change's at notice")
    func decisionLineOnlyWhenLogged() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let policy = ThresholdPolicy(config: .defaults)
        let state = ReplicaState(memory: PolicyMemory(replicas: 3, observingSince: .origin),
                                 store: StateStore(path: dir.file("state.json")), failureThreshold: 3,
                                 logger: .recording(into: MemoryLogSink()))
        func events(_ loads: [String: Double], at second: Int, from level: LogLevel) async throws -> [LogEvent] {
            let snapshot = try LoadSnapshot(servers: loads.map { ServerLoad(name: $0.key, load: $0.value) })
            let outcome = await state.evaluate(.success(snapshot), from: "/srv/loads.json", policy: policy,
                                               at: .origin + .seconds(Int64(second)), wallTime: 0) { _ in }
            return outcome.records(source: "/srv/loads.json", dryRun: false, enabled: { $0 >= level }).map(\.event)
        }
        // Loads of 40 on 3 replicas hold; one of 90 scales up.
        #expect(try await events(["a": 40], at: 3600, from: .notice).isEmpty)
        #expect(try await events(["a": 40], at: 3610, from: .debug) == [.hold])
        #expect(try await events(["a": 90], at: 3620, from: .notice) == [.scaleUp])
    }

    @Test("failures count the poll intervals the reads went on failing, not the reads",
          arguments: [
              // A bad file renamed in 0.2s before a poll: its read and the poll's are one failure; the next poll's is the second.
              ([4.8, 5.0, 10.0], [1, 1, 2]),
              // Many reads in one interval (a file rewritten, reloads) add nothing.
              ([0, 1, 2, 3, 4, 4.4], [1, 1, 1, 1, 1, 1]),
              // A read a tenth of an interval early is the next interval's (a poll timer may fire early against the first).
              ([0, 4.6], [1, 2]),
              // Polls on time count one each; one that fires a little early against the first still does.
              ([0.003, 5.001, 9.999, 15], [1, 2, 3, 4]),
              // A slow source, read less often than every interval: one each, never more.
              ([0, 12, 30], [1, 2, 3]),
          ])
    func countsInTime(seconds: [Double], expected: [Int]) async {
        #expect(await Self.counts(seconds) == expected)
    }
}

struct SourceHealthTests {
    @Test("healthy without failures, failing below the threshold, down from it on; a threshold below 1 counts as 1")
    func categories() {
        #expect(SourceHealth(consecutiveFailures: 0, failureThreshold: 3) == .healthy)
        #expect(SourceHealth(consecutiveFailures: 2, failureThreshold: 3) == .failing)
        #expect(SourceHealth(consecutiveFailures: 3, failureThreshold: 3) == .down)
        #expect(SourceHealth(consecutiveFailures: 4, failureThreshold: 3) == .down)
        #expect(SourceHealth(consecutiveFailures: 1, failureThreshold: 0) == .down)
    }
}
