@testable import AutoscaledCore
@testable import AutoscaledSystem
import AutoscaledTestSupport
import Testing

/// The backoff waits asked for, in order; none is actually waited.
private final class DelayLog: Sendable {
    private let delays = Locked<[Duration]>([])
    func append(_ delay: Duration) { delays.withLock { $0.append(delay) } }
    var all: [Duration] { delays.withLock { $0 } }
}

/// A reference to the coordinator that does not keep it alive.
private struct WeakCoordinator: Sendable {
    weak var value: ActuationCoordinator?
}

/// A coordinator over a scripted actuator, a state file in a temp dir and an in-memory log.
private struct Harness {
    let dir = TemporaryDirectory()
    let actuator: ScriptedActuator
    let sink = MemoryLogSink()
    let clock = ManualClock()
    let delays = DelayLog()
    let state: ReplicaState
    let coordinator: ActuationCoordinator

    /// - Parameter duringBackoff: runs in each backoff wait, with the coordinator (to submit meanwhile).
    init(_ steps: [ScriptedActuator.Step], applied: Int? = nil, recheck: Duration? = nil,
         duringBackoff: (@Sendable (ActuationCoordinator) async -> Void)? = nil) {
        actuator = ScriptedActuator(steps)
        let logger = Logger.recording(into: sink)
        state = ReplicaState(
            memory: PolicyMemory(replicas: 3, observingSince: .origin), appliedReplicas: applied,
            store: StateStore(path: dir.file("state.json")), logger: logger)
        let delays = self.delays
        // Weak: the coordinator holds the sleep closure, which must not hold the coordinator back (a cycle leaks).
        let created = Locked(WeakCoordinator())
        coordinator = ActuationCoordinator(
            actuator: actuator, settings: .init(kind: .exec, recheckInterval: recheck), state: state, logger: logger,
            clock: clock, wallTime: { 1_795_932_723 },
            sleep: { delay in
                delays.append(delay)
                if let duringBackoff, let coordinator = created.withLock({ $0.value }) { await duringBackoff(coordinator) }
            })
        created.withLock { [coordinator] in $0.value = coordinator }
    }

    func target(_ replicas: Int, from: Int = 3, reason: String = "r") -> ActuationRequest {
        ActuationRequest(replicas: replicas, previous: from, reason: reason, maxReplicas: 10)
    }

    func savedApplied() -> Int? {
        guard case let .found(file) = StateStore(path: dir.file("state.json")).load() else { return nil }
        return file.appliedReplicas
    }

    func savedFailure() -> StateFile.ActuationFailure? {
        guard case let .found(file) = StateStore(path: dir.file("state.json")).load() else { return nil }
        return file.actuationFailing
    }
}

struct ActuationCoordinatorTests {
    @Test("a count is applied, confirmed in the state file, and logged with how long it took")
    func applies() async throws {
        let h = Harness([.succeed])
        defer { h.dir.remove() }
        await h.coordinator.submit(h.target(4))
        await h.coordinator.settle()
        #expect(h.actuator.requests == [ActuationRequest(replicas: 4, previous: 3, reason: "r", maxReplicas: 10)])
        #expect(await h.state.appliedReplicas == 4)
        #expect(h.savedApplied() == 4)
        #expect(h.sink.lines == [
            "<5>level=notice event=actuate actuator=exec replicas=4 previous=3 direction=up attempt=1 duration_ms=0",
        ])
    }

    @Test("counts decided during an actuation are not replayed: the newest is applied next")
    func newestWins() async throws {
        let h = Harness([.block, .succeed])
        defer { h.dir.remove() }
        await h.coordinator.submit(h.target(4))
        #expect(await h.actuator.waitForRequests(1))
        await h.coordinator.submit(h.target(5, from: 4))
        await h.coordinator.submit(h.target(6, from: 5))
        h.actuator.release()
        await h.coordinator.settle()
        #expect(h.actuator.requests.map(\.replicas) == [4, 6])
        #expect(h.actuator.requests.map(\.previous) == [3, 4])
        #expect(h.savedApplied() == 6)
    }

    @Test("one actuation at a time: submits while one runs start nothing new")
    func oneAtATime() async throws {
        let h = Harness([.block, .succeed])
        defer { h.dir.remove() }
        await h.coordinator.submit(h.target(4))
        #expect(await h.actuator.waitForRequests(1))
        for replicas in [5, 6, 7, 8] { await h.coordinator.submit(h.target(replicas)) }
        try await Task.sleep(for: .milliseconds(50))
        #expect(h.actuator.requests.count == 1)
        h.actuator.release()
        await h.coordinator.settle()
        #expect(h.actuator.requests.map(\.replicas) == [4, 8])
    }

    @Test("a failed actuation is retried with doubling delays until it succeeds")
    func retriesWithBackoff() async throws {
        let h = Harness([.fail, .fail, .fail, .succeed])
        defer { h.dir.remove() }
        await h.coordinator.submit(h.target(4))
        await h.coordinator.settle()
        #expect(h.delays.all == [.seconds(1), .seconds(2), .seconds(4)])
        #expect(h.actuator.requests.count == 4)
        #expect(h.savedApplied() == 4)
        let failed = "<3>level=error event=actuate-failed actuator=exec replicas=4 previous=3 direction=up"
        #expect(h.sink.lines == [
            "\(failed) attempt=1 duration_ms=0 cause=\"'/bin/scale' exited with status 1\" stderr=boom retry_in=1s",
            "\(failed) attempt=2 duration_ms=0 cause=\"'/bin/scale' exited with status 1\" stderr=boom retry_in=2s",
            "\(failed) attempt=3 duration_ms=0 cause=\"'/bin/scale' exited with status 1\" stderr=boom retry_in=4s",
            "<5>level=notice event=actuate actuator=exec replicas=4 previous=3 direction=up attempt=4 duration_ms=0",
        ])
    }

    @Test("while attempts fail, the state file says since when, how many and why, and the summary counts them; a success ends it")
    func failuresRecorded() async throws {
        let failing = Harness([.fail, .fail, .block], applied: 3)
        defer { failing.dir.remove() }
        await failing.coordinator.submit(failing.target(4))
        // The third attempt runs: the two before it are recorded.
        #expect(await failing.actuator.waitForRequests(3))
        let recorded = StateFile.ActuationFailure(sinceUnix: 1_795_932_723, attempts: 2, cause: "'/bin/scale' exited with status 1")
        #expect(failing.savedApplied() == nil && failing.savedFailure() == recorded)
        #expect(await failing.state.summary.actuationFailures == 2)
        // Cancelled: no failure of the actuator's, and no success: the record stands.
        await failing.coordinator.stop()
        #expect(failing.savedFailure() == recorded)
        // A reload to another actuator: its failures are its own.
        await failing.state.forgetActuationFailures(wallTime: 1_795_932_730)
        #expect(failing.savedFailure() == nil)
        #expect(await failing.state.summary.actuationFailures == 0)

        let h = Harness([.fail, .fail, .succeed])
        defer { h.dir.remove() }
        await h.coordinator.submit(h.target(4))
        await h.coordinator.settle()
        #expect(h.savedApplied() == 4 && h.savedFailure() == nil)
        #expect(await h.state.summary.actuationFailures == 0)
    }

    @Test("a count decided during a backoff is the one retried, not the count that failed")
    func backoffRetriesNewest() async throws {
        let h = Harness([.fail, .succeed]) { coordinator in
            await coordinator.submit(ActuationRequest(replicas: 6, previous: 3, reason: "newer", maxReplicas: 10))
        }
        defer { h.dir.remove() }
        await h.coordinator.submit(h.target(4))
        await h.coordinator.settle()
        #expect(h.delays.all == [.seconds(1)])
        #expect(h.actuator.requests.map(\.replicas) == [4, 6])
        #expect(h.actuator.requests.last?.reason == "newer")
        #expect(h.savedApplied() == 6)
    }

    @Test("a failure leaves no count confirmed: a retry for the count confirmed before the failure still runs")
    func failureForgetsApplied() async throws {
        let h = Harness([.fail, .succeed], applied: 2) { coordinator in
            await coordinator.submit(ActuationRequest(replicas: 2, previous: 5, reason: "back", maxReplicas: 10))
        }
        defer { h.dir.remove() }
        await h.coordinator.submit(h.target(5, from: 2))
        await h.coordinator.settle()
        #expect(h.delays.all == [.seconds(1)])
        #expect(h.actuator.requests == [
            ActuationRequest(replicas: 5, previous: 2, reason: "r", maxReplicas: 10),
            ActuationRequest(replicas: 2, previous: 5, reason: "back", maxReplicas: 10),
        ])
        #expect(h.savedApplied() == 2)
    }

    @Test("the retry delay doubles up to one minute and stays there")
    func backoffCap() {
        let delays = (1...9).map { ActuationBackoff.standard.delay(afterFailures: $0) }
        #expect(delays == [1, 2, 4, 8, 16, 32, 60, 60, 60].map { Duration.seconds($0) })
    }

    @Test("a hold keeps the reason of the decision that set the count")
    func holdKeepsReason() async throws {
        let h = Harness([.block, .succeed])
        defer { h.dir.remove() }
        await h.coordinator.submit(h.target(4, reason: "first"))
        #expect(await h.actuator.waitForRequests(1))
        await h.coordinator.submit(h.target(5, reason: "scale-up"))
        await h.coordinator.submit(h.target(5, reason: "hold"))
        h.actuator.release()
        await h.coordinator.settle()
        #expect(h.actuator.requests.map(\.reason) == ["first", "scale-up"])
    }

    @Test("a confirmed count is not applied again, unless a recheck is due")
    func recheck() async throws {
        let h = Harness([.succeed], recheck: .seconds(30))
        defer { h.dir.remove() }
        await h.coordinator.submit(h.target(3))
        await h.coordinator.settle()
        h.clock.advance(by: .seconds(29))
        await h.coordinator.submit(h.target(3))
        await h.coordinator.settle()
        #expect(h.actuator.requests.count == 1)
        h.clock.advance(by: .seconds(1))
        await h.coordinator.submit(h.target(3))
        await h.coordinator.settle()
        #expect(h.actuator.requests.map(\.direction) == [.same, .same])
        #expect(h.sink.lines.last?.hasPrefix("<7>level=debug event=actuate ") == true, "a check that changed nothing")
    }

    @Test("a count saved as applied is not applied again after a restart; a different one is")
    func restart() async throws {
        let h = Harness([.succeed], applied: 5)
        defer { h.dir.remove() }
        await h.coordinator.submit(h.target(5, from: 5))
        await h.coordinator.settle()
        #expect(h.actuator.requests.isEmpty)
        await h.coordinator.submit(h.target(6, from: 5))
        await h.coordinator.settle()
        #expect(h.actuator.requests == [ActuationRequest(replicas: 6, previous: 5, reason: "r", maxReplicas: 10)])
    }

    @Test("stop cancels the actuation under way, logs it, and applies nothing more")
    func stop() async throws {
        let h = Harness([.block])
        defer { h.dir.remove() }
        await h.coordinator.submit(h.target(4))
        #expect(await h.actuator.waitForRequests(1))
        await h.coordinator.stop()
        await h.coordinator.submit(h.target(5))
        try await Task.sleep(for: .milliseconds(20))
        #expect(h.actuator.requests.count == 1)
        #expect(await h.state.appliedReplicas == nil)
        #expect(h.sink.lines == [
            "<5>level=notice event=actuate-cancelled actuator=exec replicas=4 previous=3 direction=up attempt=1 duration_ms=0",
        ])
    }

    @Test("instances up to the highest max_replicas seen are looked after")
    func highestMax() async throws {
        let h = Harness([.succeed])
        defer { h.dir.remove() }
        await h.coordinator.submit(ActuationRequest(replicas: 4, previous: 3, reason: "r", maxReplicas: 10))
        await h.coordinator.settle()
        await h.coordinator.submit(ActuationRequest(replicas: 2, previous: 4, reason: "r", maxReplicas: 6))
        await h.coordinator.settle()
        #expect(h.actuator.requests.map(\.maxReplicas) == [10, 10])
    }
}
