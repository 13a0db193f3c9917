@testable import AutoscaledBase
@testable import AutoscaledCore
@testable import AutoscaledSystem
import AutoscaledTestSupport
import Glibc
import Testing

struct StateStoreTests {
    @Test("a saved state reads back, with an explicit mode and no temporary file left behind")
    func roundTrip() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = StateStore(path: dir.file("sub/state.json"))
        let decision = StateFile.Decision(action: "scale-up", from: 3, to: 4, reason: "r", at: "t", atUnix: 1)
        let saved = StateFile(desiredReplicas: 4, updatedAt: "t", lastDecision: decision)
        let oldMask = umask(0o077)
        defer { umask(oldMask) }
        try store.save(saved)
        #expect(store.load() == .found(saved))
        var info = stat()
        #expect(stat(dir.file("sub/state.json"), &info) == 0)
        #expect(info.st_mode & 0o777 == 0o644)
        #expect(dir.read("sub/state.json")!.contains(#""desired_replicas":4"#))
        #expect(listing(dir.file("sub")) == ["state.json"])
    }

    @Test("a missing state file is reported as missing")
    func missing() {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        #expect(StateStore(path: dir.file("none.json")).load() == .missing)
    }

    struct Corrupt: CustomTestStringConvertible, Sendable {
        var name: String
        var text: String
        var cause: String
        var testDescription: String { name }
    }

    static let corrupt: [Corrupt] = [
        Corrupt(name: "empty file", text: "", cause: "not a valid state file (not JSON)"),
        Corrupt(name: "garbage", text: "{desired", cause: "not a valid state file (not JSON)"),
        Corrupt(name: "JSON, but not an object", text: "[]", cause: "not a valid state file (not a JSON object)"),
        Corrupt(name: "missing count", text: #"{"version":1,"updated_at":"x"}"#,
                cause: "not a valid state file (missing desired_replicas)"),
        Corrupt(name: "count of the wrong type", text: #"{"version":1,"desired_replicas":"4","updated_at":"x"}"#,
                cause: "not a valid state file (wrong type at desired_replicas)"),
        Corrupt(name: "negative count", text: #"{"version":1,"desired_replicas":-2,"updated_at":"x"}"#,
                cause: "desired_replicas -2 is negative"),
        Corrupt(name: "negative applied count",
                text: #"{"version":1,"desired_replicas":2,"applied_replicas":-1,"updated_at":"x"}"#,
                cause: "applied_replicas -1 is negative"),
        Corrupt(name: "a count that is not a whole number", text: #"{"version":1,"desired_replicas":2.5,"updated_at":"x"}"#,
                cause: "not a valid state file (desired_replicas: 2.5 is not a whole number)"),
        Corrupt(name: "a count too large for any integer", text: #"{"version":1,"desired_replicas":1e300,"updated_at":"x"}"#,
                cause: "not a valid state file (desired_replicas: 1e+300 is too large)"),
        Corrupt(name: "a version that is not a whole number", text: #"{"version":1.5,"desired_replicas":2,"updated_at":"x"}"#,
                cause: "not a valid state file (version: 1.5 is not a whole number)"),
        Corrupt(name: "a decision's count that is not a whole number",
                text: #"{"version":1,"desired_replicas":2,"updated_at":"x","last_decision":{"action":"hold","from":1.5,"to":2,"reason":"r","at":"t","at_unix":1}}"#,
                cause: "not a valid state file (last_decision.from: 1.5 is not a whole number)"),
        Corrupt(name: "a rise's time that is not a whole number",
                text: #"{"version":1,"desired_replicas":2,"updated_at":"x","learned_rises":{"horizon_ms":70000,"at_unix_ms":[1000,2.5],"rises":[1,2]}}"#,
                cause: "not a valid state file (learned_rises.at_unix_ms.1: 2.5 is not a whole number)"),
        Corrupt(name: "a seasonal bucket that is not a whole number",
                text: #"{"version":1,"desired_replicas":2,"updated_at":"x","seasonal_profile":{"confirmations":2,"periods":[{"period_ms":300000,"bucket_ms":10000,"latest_bucket":9.5,"peaks":[1]}]}}"#,
                cause: "not a valid state file (seasonal_profile.periods.0.latest_bucket: 9.5 is not a whole number)"),
        Corrupt(name: "a count above any config's max_replicas", text: #"{"version":1,"desired_replicas":1000000000000,"updated_at":"x"}"#,
                cause: "desired_replicas 1000000000000 is above 1000000, the most max_replicas may be"),
        Corrupt(name: "a wish above any config's max_replicas",
                text: #"{"version":1,"desired_replicas":2,"updated_at":"x","limit":{"held_by":"pause","wanted":1000001,"reason":"r","since":"t","since_unix":1}}"#,
                cause: "limit.wanted 1000001 is above 1000000, the most max_replicas may be"),
        Corrupt(name: "a decision to a negative count",
                text: #"{"version":1,"desired_replicas":2,"updated_at":"x","last_decision":{"action":"hold","from":2,"to":-2,"reason":"r","at":"t","at_unix":1}}"#,
                cause: "last_decision.to -2 is negative"),
        Corrupt(name: "negative failures in a row",
                text: #"{"version":1,"desired_replicas":2,"updated_at":"x","source":{"consecutive_failures":-1}}"#,
                cause: "source.consecutive_failures -1 is negative"),
        Corrupt(name: "a source down with no failure",
                text: #"{"version":1,"desired_replicas":2,"updated_at":"x","source":{"consecutive_failures":0,"down":true}}"#,
                cause: "source.down true with source.consecutive_failures 0: down is written only as true, after a failed read"),
        Corrupt(name: "a source down written as false",
                text: #"{"version":1,"desired_replicas":2,"updated_at":"x","source":{"consecutive_failures":2,"down":false}}"#,
                cause: "source.down false with source.consecutive_failures 2: down is written only as true, after a failed read"),
        Corrupt(name: "a write time out of range",
                text: #"{"version":1,"desired_replicas":2,"updated_at":"x","updated_at_unix":-1e300}"#,
                cause: "updated_at_unix -1e+300 is not a time from 0 to 1000000000000 (1970 to the year 33658)"),
        Corrupt(name: "a last good read out of range",
                text: #"{"version":1,"desired_replicas":2,"updated_at":"x","source":{"consecutive_failures":0,"last_good_read_unix":-1e300}}"#,
                cause: "source.last_good_read_unix -1e+300 is not a time from 0 to 1000000000000 (1970 to the year 33658)"),
        Corrupt(name: "a decision time out of range",
                text: #"{"version":1,"desired_replicas":2,"updated_at":"x","last_decision":{"action":"hold","from":2,"to":2,"reason":"r","at":"t","at_unix":1e300}}"#,
                cause: "last_decision.at_unix 1e+300 is not a time from 0 to 1000000000000 (1970 to the year 33658)"),
        Corrupt(name: "a count given twice", text: #"{"version":1,"desired_replicas":5,"desired_replicas":7,"updated_at":"x"}"#,
                cause: #"not a valid state file ("desired_replicas" is given twice)"#),
        Corrupt(name: "a nested key given twice, once escaped",
                text: #"{"version":1,"desired_replicas":2,"updated_at":"x","source":{"consecutive_failures":0,"consecutive_\u0066ailures":3}}"#,
                cause: #"not a valid state file ("consecutive_failures" is given twice)"#),
        Corrupt(name: "a limit's end out of range",
                text: #"{"version":1,"desired_replicas":2,"updated_at":"x","limit":{"held_by":"pause","reason":"r","since":"t","since_unix":1,"until_unix":1e19}}"#,
                cause: "limit.until_unix 1e+19 is not a time from 0 to 1000000000000 (1970 to the year 33658)"),
    ]

    @Test("a corrupt state file is reported with its cause, never a crash", arguments: corrupt)
    func corruptFile(_ test: Corrupt) {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("state.json", test.text)
        #expect(StateStore(path: dir.file("state.json")).load() == .corrupt("\(dir.file("state.json")): \(test.cause)"))
    }

    @Test("a state file in a read-only directory fails with a typed error and leaves the old file whole")
    func readOnlyDirectory() throws {
        guard getuid() != 0 else { return }  // root writes anywhere; the integration tests cover a full disk instead
        let dir = TemporaryDirectory()
        defer { chmod(dir.path, 0o755); dir.remove() }
        let store = StateStore(path: dir.file("state.json"))
        try store.save(StateFile(desiredReplicas: 2, updatedAt: "t", lastDecision: nil))
        chmod(dir.path, 0o555)
        #expect(throws: FileWriteError.self) { try store.save(StateFile(desiredReplicas: 5, updatedAt: "t", lastDecision: nil)) }
        guard case let .found(file) = store.load() else { Issue.record("state lost"); return }
        #expect(file.desiredReplicas == 2)
    }

    @Test("restoring keeps a saved count outside [min, max]: the first evaluation's decision brings it in")
    func restoreKeepsCount() {
        let policy = modified(PolicyConfig.defaults) { ($0.minReplicas, $0.maxReplicas, $0.initialReplicas) = (2, 5, 3) }
        let file = { (n: Int) in StateStore.Loaded.found(StateFile(desiredReplicas: n, updatedAt: "t", lastDecision: nil)) }
        #expect(RestoredState.restore(from: file(4), policy: policy, path: "p").replicas == 4)
        let above = RestoredState.restore(from: file(9), policy: policy, path: "p")
        #expect(above.replicas == 9 && above.origin == "resumed")
        #expect(RestoredState.restore(from: file(1), policy: policy, path: "p").replicas == 1)
        let missing = RestoredState.restore(from: .missing, policy: policy, path: "p")
        #expect(missing.replicas == 3)
        #expect(missing.warning == "no state file at p; starting from initial_replicas 3")
        let corrupt = RestoredState.restore(from: .corrupt("p: bad"), policy: policy, path: "p")
        #expect(corrupt.warning == "p: bad; starting from initial_replicas 3")
    }

    @Test("the actor persists a changed count before reporting, and not a held one")
    func actorPersists() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = StateStore(path: dir.file("state.json"))
        let state = ReplicaState(memory: PolicyMemory(replicas: 3, observingSince: .origin), store: store, logger: .recording(into: MemoryLogSink()))
        let up = ScalingDecision(action: .scaleUp, from: 3, to: 4, serversToScale: 1, busiest: nil, threshold: 50,
                                 reason: DecisionReason(.noUsableData(cause: "r")), recommendation: 4)
        await state.record(up, at: .origin, policy: PolicyConfig.defaults, wallTime: 1_795_932_600)
        guard case let .found(file) = store.load() else { Issue.record("no state written"); return }
        #expect(file.desiredReplicas == 4)
        #expect(file.lastDecision?.action == "scale-up")
        #expect(file.lastDecision?.at == "2026-11-29T06:10:00.000Z")
        unlink(dir.file("state.json"))
        let hold = ScalingDecision(action: .hold, from: 4, to: 4, serversToScale: 0, busiest: nil, threshold: nil,
                                   reason: DecisionReason(.noUsableData(cause: "r")), recommendation: 4)
        await state.record(hold, at: .origin + .seconds(5), policy: PolicyConfig.defaults, wallTime: 0)
        #expect(store.load() == .missing)
        #expect(await state.desiredReplicas == 4)
    }
}

extension StateStoreTests {
    @Test("the applied count is saved next to the desired one, and a file without it reads as unconfirmed")
    func appliedReplicas() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = StateStore(path: dir.file("state.json"))
        let state = ReplicaState(memory: PolicyMemory(replicas: 4, observingSince: .origin), store: store, logger: .recording(into: MemoryLogSink()))
        await state.recordApplied(4, wallTime: 1_795_932_600)
        #expect(dir.read("state.json")!.contains(#""applied_replicas":4,"desired_replicas":4"#))
        let restored = RestoredState.restore(from: store.load(), policy: PolicyConfig.defaults, path: store.path)
        #expect(restored.replicas == 4 && restored.appliedReplicas == 4)

        dir.write("state.json", #"{"version":1,"desired_replicas":5,"updated_at":"x"}"#)
        let old = RestoredState.restore(from: store.load(), policy: PolicyConfig.defaults, path: store.path)
        #expect(old.replicas == 5 && old.appliedReplicas == nil)
    }
}


extension StateStoreTests {
    @Test("a state file of unknown version is not resumed, and is set aside under a name that is free")
    func unknownVersion() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = StateStore(path: dir.file("state.json"))
        let text = #"{"version":7,"desired_replicas":9,"updated_at":"x","future":true}"#
        dir.write("state.json", text)
        #expect(store.load() == .unknownVersion(7))
        let restored = RestoredState.restore(from: store.load(), policy: modified(PolicyConfig.defaults) { $0.initialReplicas = 3 }, path: store.path)
        #expect(restored.replicas == 3)
        #expect(restored.warning == "\(store.path): version 7 is unknown to this autoscaled (it reads version 1); "
            + "not resumed, starting from initial_replicas 3")
        #expect(try store.setAside(as: StateStore.unknownVersionSuffix(7)) == dir.file("state.json.unknown-version-7"))
        #expect(dir.read("state.json.unknown-version-7") == text)
        #expect(store.load() == .missing)
        dir.write("state.json", text)
        #expect(try store.setAside(as: StateStore.unknownVersionSuffix(7)) == dir.file("state.json.unknown-version-7.2"))
        #expect(dir.read("state.json.unknown-version-7") == text)
    }
}
