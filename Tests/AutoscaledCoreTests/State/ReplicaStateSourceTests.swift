@testable import AutoscaledCore
import AutoscaledTestSupport
import Glibc
import Testing

/// Source health in the state file: written when the source turns bad or good, refreshed every minute.
struct ReplicaStateSourceTests {
    static let hold = ScalingDecision(action: .hold, from: 3, to: 3, serversToScale: 0, busiest: nil, threshold: nil,
                                      reason: "r", recommendation: 3)
    static let loads = PolicyInput.loads(try! LoadSnapshot(servers: [ServerLoad(name: "a", load: 30)]))

    /// Notes `input`, records a hold at `second`, and says whether the file was (re)written.
    static func step(
        _ state: ReplicaState, _ input: PolicyInput, failures: Int, at second: Int, store: StateStore, path: String
    ) async -> StateFile? {
        unlink(path)
        await state.noteSource(input, consecutiveFailures: failures, wallTime: 1_795_932_600 + Double(second))
        await state.record(hold, at: .origin + .seconds(second), policy: PolicyConfig(), wallTime: 1_795_932_600 + Double(second))
        guard case let .found(file) = store.load() else { return nil }
        return file
    }

    @Test("health changes (failing, down, back) are written at once; a steady source at most once a minute")
    func writes() async {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("state.json")
        let store = StateStore(path: path)
        let state = ReplicaState(memory: PolicyMemory(replicas: 3, observingSince: .origin), store: store)

        let first = await Self.step(state, Self.loads, failures: 0, at: 0, store: store, path: path)
        #expect(first?.source == StateFile.SourceStatus(consecutiveFailures: 0, lastGoodReadUnix: 1_795_932_600, lastError: nil))
        #expect(first?.source?.lastGoodRead == "2026-11-29T06:10:00.000Z")
        #expect(first?.updatedAtUnix == 1_795_932_600)
        #expect(await Self.step(state, Self.loads, failures: 0, at: 5, store: store, path: path) == nil)

        let failing = await Self.step(state, .unavailable("line 1: bad"), failures: 1, at: 10, store: store, path: path)
        #expect(failing?.source == StateFile.SourceStatus(consecutiveFailures: 1, lastGoodReadUnix: 1_795_932_605,
                                                          lastError: "line 1: bad"))
        #expect(await Self.step(state, .unavailable("line 1: bad"), failures: 2, at: 15, store: store, path: path) == nil)
        // At failure_threshold the daemon hands the policy `.sourceDown`.
        let down = await Self.step(state, .sourceDown("line 1: bad"), failures: 3, at: 16, store: store, path: path)
        #expect(down?.source?.consecutiveFailures == 3)
        #expect(await Self.step(state, .sourceDown("line 1: bad"), failures: 4, at: 17, store: store, path: path) == nil)
        let back = await Self.step(state, Self.loads, failures: 0, at: 20, store: store, path: path)
        #expect(back?.source?.consecutiveFailures == 0)
        #expect(await Self.step(state, Self.loads, failures: 0, at: 75, store: store, path: path) == nil)
        let refreshed = await Self.step(state, Self.loads, failures: 0, at: 80, store: store, path: path)
        #expect(refreshed?.source?.lastGoodReadUnix == 1_795_932_680)
    }
}
