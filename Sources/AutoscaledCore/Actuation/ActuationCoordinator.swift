/// What the daemon's loop hands over after each evaluation: the count it wants running.
public struct ActuationTarget: Sendable, Equatable {
    public var replicas: Int
    /// The count the deciding evaluation started from; `{previous}` when none was confirmed applied.
    public var from: Int
    public var reason: String
    /// `max_replicas` at the time (see ``ActuationRequest/maxReplicas``).
    public var maxReplicas: Int

    public init(replicas: Int, from: Int, reason: String, maxReplicas: Int) {
        self.replicas = replicas
        self.from = from
        self.reason = reason
        self.maxReplicas = maxReplicas
    }
}

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
/// decision that set it. After a success the applied count goes to ``ReplicaState`` (and so
/// to the state file); the daemon starts a coordinator with the count saved there, so a count
/// not confirmed before a restart is applied again.
public actor ActuationCoordinator {
    /// How the coordinator drives its actuator.
    public struct Settings: Sendable {
        /// The actuator's name for logs (`actuator=exec`).
        public var kind: String
        public var backoff: ActuationBackoff
        /// Apply the count again this long after the last success even if it did not change,
        /// to find and correct drift; `nil` to apply only changes.
        public var recheckInterval: Duration?

        public init(kind: String, backoff: ActuationBackoff = .standard, recheckInterval: Duration? = nil) {
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
    private var target: ActuationTarget?
    private var applied: Int?
    private var lastSuccess: MonotonicInstant?
    private var highestMax = 0
    private var failures = 0
    private var worker: Task<Void, Never>?
    private var stopped = false

    /// - Parameters:
    ///   - applied: the count confirmed applied so far (from the state file), if any.
    ///   - sleep: waits out a backoff; returns early when the task is cancelled.
    public init(
        actuator: any Actuator, settings: Settings, state: ReplicaState, applied: Int?, logger: Logger,
        clock: any MonotonicClock, wallTime: @escaping @Sendable () -> Double = { WallClock.now() },
        sleep: @escaping @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) }
    ) {
        self.actuator = actuator
        self.settings = settings
        self.state = state
        self.applied = applied
        self.logger = logger
        self.clock = clock
        self.wallTime = wallTime
        self.sleep = sleep
    }

    /// The count last confirmed applied.
    public var appliedReplicas: Int? { applied }

    /// Takes `target` as the count to run; starts applying it unless an actuation is under way
    /// (that one picks it up when it ends). Returns at once.
    public func submit(_ target: ActuationTarget) {
        highestMax = max(highestMax, target.maxReplicas)
        if self.target?.replicas != target.replicas { self.target = target }
        guard worker == nil, !stopped, nextRequest() != nil else { return }
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

    /// The actuation due now, if any.
    private func nextRequest() -> ActuationRequest? {
        guard !stopped, let target else { return nil }
        let recheckDue = settings.recheckInterval.map { interval in
            lastSuccess.map { clock.now() - $0 >= interval } ?? true
        } ?? false
        guard target.replicas != applied || recheckDue else { return nil }
        return ActuationRequest(replicas: target.replicas, previous: applied ?? target.from,
                                reason: target.reason, maxReplicas: max(highestMax, target.maxReplicas))
    }

    /// The next actuation, or `nil` after marking the worker as gone (so a submit starts a new one).
    private func takeRequest() -> ActuationRequest? {
        guard !Task.isCancelled, let request = nextRequest() else {
            worker = nil
            return nil
        }
        return request
    }

    private nonisolated func work() async {
        while let request = await takeRequest() {
            let started = clock.now()
            let outcome: Result<ActuationReport, ActuationError>
            do throws(ActuationError) {
                outcome = .success(try await actuator.apply(request))
            } catch {
                outcome = .failure(error)
            }
            let elapsed = clock.now() - started
            var stateError: (path: String, error: FileWriteError)?
            if case .success = outcome, let error = await state.recordApplied(request.replicas, wallTime: wallTime()) {
                stateError = (await state.path, error)
            }
            if let delay = await finish(request, outcome, elapsed: elapsed, stateError: stateError) {
                await sleep(delay)
            }
        }
    }

    /// Records and logs how an actuation went. - Returns: the wait before the next try, after a failure.
    private func finish(
        _ request: ActuationRequest, _ outcome: Result<ActuationReport, ActuationError>,
        elapsed: Duration, stateError: (path: String, error: FileWriteError)?
    ) -> Duration? {
        var fields = [
            LogField("actuator", .string(settings.kind)), LogField("replicas", .int(request.replicas)),
            LogField("previous", .int(request.previous)), LogField("direction", .string(request.direction.rawValue)),
            LogField("attempt", .int(failures + 1)), LogField("duration_ms", .int(Self.milliseconds(elapsed))),
        ]
        switch outcome {
        case let .success(report):
            let changedCount = applied != request.replicas
            applied = request.replicas
            lastSuccess = clock.now()
            failures = 0
            logger.log(changedCount || report.changed ? .notice : .debug, "actuate", fields + report.fields)
            if let stateError {
                logger.log(.stateWriteFailed(path: stateError.path, stateError.error))
            }
            return nil
        case .failure(.cancelled):
            logger.log(.notice, "actuate-cancelled", fields)
            return nil
        case let .failure(error):
            failures += 1
            let delay = settings.backoff.delay(afterFailures: failures)
            fields.append(LogField("cause", .string(error.description)))
            if !error.standardError.isEmpty { fields.append(LogField("stderr", .string(error.standardError))) }
            fields.append(LogField("retry_in", .string(DurationText.format(delay))))
            logger.log(.error, "actuate-failed", fields)
            return delay
        }
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
