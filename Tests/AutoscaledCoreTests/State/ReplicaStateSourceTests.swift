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
                                         tick: .origin + .seconds(second), wallTime: wall).input
        if snapshot == nil { #expect(input != .loads(loads)) }
        await state.record(hold, at: .origin + .seconds(second), policy: PolicyConfig.defaults, wallTime: wall)
        guard case let .found(file) = store.load() else { return nil }
        return file
    }

    @Test("health changes (failing, down, back) are written at once; a steady source at most once a minute")
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
        #expect(await Self.step(state, nil, at: 15, store: store, path: path) == nil)
        // At failure_threshold the source is down.
        let down = await Self.step(state, nil, at: 16, store: store, path: path)
        #expect(down?.source?.consecutiveFailures == 3)
        #expect(await state.summary.health == .down)
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
        let first = await state.noteRead(.failure(Self.bad), from: "/srv/loads.json", tick: .origin, wallTime: 0)
        #expect(first.input == .unavailable("/srv/loads.json: \(cause)") && first.error == cause)
        #expect(await state.noteRead(.failure(Self.bad), from: "/srv/loads.json", tick: .origin + .seconds(10), wallTime: 0).input
                == .sourceDown("/srv/loads.json: \(cause)"))
        let good = await state.noteRead(.success(Self.loads), from: "/srv/loads.json", tick: .origin + .seconds(20), wallTime: 0)
        #expect(good.input == .loads(Self.loads) && good.error == nil)
        // A cause that already starts with the source's location is not given it twice.
        let named = await state.noteRead(.failure(.unreadable("/srv/loads.json: gone")), from: "/srv/loads.json",
                                         tick: .origin + .seconds(30), wallTime: 0)
        #expect(named.input == .unavailable("/srv/loads.json: gone"))
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
