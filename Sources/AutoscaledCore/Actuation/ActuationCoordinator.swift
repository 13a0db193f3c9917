import AutoscaledBase
import AutoscaledSystem

/// Applies the newest desired count with an ``Actuator``, apart from the daemon's loop.
///
/// The loop calls ``submit(_:)`` after every evaluation and moves on: it never waits for an
/// actuator, so a slow or hung one cannot delay decisions or the watchdog. One worker task
/// applies counts, one at a time:
/// ```
///   idle ──submit (count ≠ applied, or recheck due)──▶ applying ──ok──▶ applied ──▶ idle
///                                                      │   ▲
///                                                 fail │   │ backoff over: newest count
///                                                      ▼   │
///                                                    waiting (1s, 2s, 4s … capped at 1min)
/// ```
/// Only the newest count is kept: counts decided while an actuation runs or waits are never
/// replayed one by one. A submit that keeps the count (a hold) keeps the reason of the
/// decision that set it. The applied count is ``ReplicaState``'s: read from it before each
/// actuation and recorded there (and so in the state file) after a success, so a count not
/// confirmed before a restart is applied again; a failure or a cancellation leaves none confirmed.
public actor ActuationCoordinator {
    /// How the coordinator drives its actuator.
    public struct Settings: Sendable {
        /// The actuator's kind, for logs (`actuator=exec`).
        public var kind: ActuatorKind
        public var backoff: ActuationBackoff
        /// Apply the count again this long after the last success even if it did not change,
        /// to find and correct drift; `nil` to apply only changes.
        public var recheckInterval: Duration?

        public init(kind: ActuatorKind, backoff: ActuationBackoff = .standard, recheckInterval: Duration? = nil) {
            self.kind = kind
            self.backoff = backoff
            self.recheckInterval = recheckInterval
        }
    }

    private let actuator: any Actuator
    private let settings: Settings
    private let state: ReplicaState
    private let clock: any MonotonicClock
    private let wallTime: @Sendable () -> Double
    private let sleep: @Sendable (Duration) async -> Void
    private var logger: Logger
    /// The newest count submitted; its `previous` stands in while no count is confirmed applied.
    private var target: ActuationRequest?
    private var lastSuccess: MonotonicInstant?
    private var highestMax = 0
    private var failures = 0
    private var worker: Task<Void, Never>?
    private var stopped = false

    /// - Parameters:
    ///   - state: owns the count confirmed applied so far (from the state file), if any.
    ///   - sleep: waits out a backoff; returns early when the task is cancelled.
    public init(
        actuator: any Actuator, settings: Settings, state: ReplicaState, logger: Logger,
        clock: any MonotonicClock, wallTime: @escaping @Sendable () -> Double = { WallClock.now() },
        sleep: @escaping @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) }
    ) {
        self.actuator = actuator
        self.settings = settings
        self.state = state
        self.logger = logger
        self.clock = clock
        self.wallTime = wallTime
        self.sleep = sleep
    }

    /// Takes `target` as the count to run (its `previous`: the count the deciding evaluation started
    /// from); a worker applies it unless it is already applied. Returns at once; an actuation under
    /// way picks it up when it ends.
    public func submit(_ target: ActuationRequest) {
        highestMax = max(highestMax, target.maxReplicas)
        if self.target?.replicas != target.replicas { self.target = target }
        guard worker == nil, !stopped else { return }
        worker = Task { await self.work() }
    }

    /// Logs with `logger` from now on (a reload changed `[log]`).
    public func use(logger: Logger) {
        self.logger = logger
    }

    /// Cancels the actuation under way, if any (its process group is killed), and waits for
    /// the worker to end. Nothing is applied afterwards.
    public func stop() async {
        stopped = true
        guard let worker else { return }
        worker.cancel()
        await worker.value
    }

    /// Waits until nothing is being applied or waiting for a retry.
    public func settle() async {
        while let worker { await worker.value }
    }

    /// The actuation due now, given the count confirmed `applied`, if any.
    private func nextRequest(applied: Int?) -> ActuationRequest? {
        guard !stopped, let target else { return nil }
        let recheckDue = settings.recheckInterval.map { interval in
            lastSuccess.map { clock.now() - $0 >= interval } ?? true
        } ?? false
        guard target.replicas != applied || recheckDue else { return nil }
        return ActuationRequest(replicas: target.replicas, previous: applied ?? target.previous,
                                reason: target.reason, maxReplicas: max(highestMax, target.maxReplicas))
    }

    /// The next actuation, or `nil` after marking the worker as gone (so a submit starts a new one).
    private func takeRequest(applied: Int?) -> ActuationRequest? {
        guard !Task.isCancelled, let request = nextRequest(applied: applied) else {
            worker = nil
            return nil
        }
        return request
    }

    /// Applies counts until none is due. Only this worker changes the applied count while it runs
    /// (a reload stops the coordinator before it forgets the count), so the count read first holds.
    private nonisolated func work() async {
        while true {
            let applied = await state.appliedReplicas
            guard let request = await takeRequest(applied: applied) else { return }
            let started = clock.now()
            let outcome: Result<ActuationReport, ActuationError>
            do throws(ActuationError) {
                outcome = .success(try await actuator.apply(request))
            } catch {
                outcome = .failure(error)
            }
            let elapsed = clock.now() - started
            // Recorded before it is logged: whoever sees `actuate` finds the count in the state file.
            // A failed or cancelled actuation may have changed the world part-way (a command killed
            // mid-way, one that failed after acting): no count is confirmed any more, so the next
            // one is applied even where it is the count confirmed before.
            switch outcome {
            case .success: await state.recordApplied(request.replicas, wallTime: wallTime())
            case .failure(.cancelled): await state.recordApplied(nil, wallTime: wallTime())
            case let .failure(error):
                await state.recordActuationFailed(cause: error.description, attempts: await failures + 1, wallTime: wallTime())
            }
            if let delay = await finish(request, outcome, applied: applied, elapsed: elapsed) { await sleep(delay) }
        }
    }

    /// Records and logs how an actuation went. - Returns: the wait before the next try, after a failure.
    private func finish(
        _ request: ActuationRequest, _ outcome: Result<ActuationReport, ActuationError>, applied: Int?, elapsed: Duration
    ) -> Duration? {
        var fields = [
            LogField("actuator", .string(settings.kind.rawValue)), LogField("replicas", .int(request.replicas)),
            LogField("previous", .int(request.previous)), LogField("direction", .string(request.direction.rawValue)),
            LogField("attempt", .int(failures + 1)), LogField("duration_ms", .int(Int(elapsed.wholeMilliseconds))),
        ]
        switch outcome {
        case let .success(report):
            let changedCount = applied != request.replicas
            lastSuccess = clock.now()
            failures = 0
            logger.log(changedCount || report.changed ? .notice : .debug, .actuate, fields + report.fields)
            return nil
        case .failure(.cancelled):
            logger.log(.notice, .actuateCancelled, fields)
            return nil
        case let .failure(error):
            failures += 1
            let delay = settings.backoff.delay(afterFailures: failures)
            fields.append(LogField("cause", .string(error.description)))
            if !error.standardError.isEmpty { fields.append(LogField("stderr", .string(error.standardError))) }
            fields.append(LogField("retry_in", .string(DurationText.format(delay))))
            logger.log(.error, .actuateFailed, fields)
            return delay
        }
    }
}
