import AutoscaledBase
import AutoscaledSystem

/// The one owner of the daemon's facts: the desired count (with the policy's memory), the count last
/// confirmed applied, and the source's health. Persists them to the state file; everyone else reads.
///
/// Each method completes its update without suspending, so no two updates interleave. The
/// state file is replaced atomically, so after a crash it holds the old count or the new one.
/// Every failed write is logged here, and only here (`state-write-failed`).
public actor ReplicaState {
    /// How often the state file is rewritten when only the source's `last_good_read` moved on.
    public static let sourceRefreshInterval: Duration = .seconds(60)

    private var memory: PolicyMemory
    private var lastDecision: StateFile.Decision?
    private var lastChange: ReplicaSummary.Change?
    private var serversToScale: Int?
    private var store: StateStore
    private var logger: Logger
    /// The count an actuator last confirmed; `nil` when none has (or no actuator acts).
    private var applied: Int?
    /// The actuator's run of failed attempts, while its latest attempt failed.
    private var actuationFailing: StateFile.ActuationFailure?
    /// `true` when the file on disk is behind (a write failed); the next record retries.
    private var unsaved = false
    /// The failure of the last write, while writes fail: the same one again is logged at debug level.
    private var lastWriteFailure: FileWriteError?
    private var source: StateFile.SourceStatus?
    private var failureThreshold: Int
    private var health = SourceHealth.healthy
    /// While reads fail: when the first of them was read, and the count before it (a count restored
    /// from the state file goes on).
    private var failingSince: (instant: MonotonicInstant, base: Int)?
    /// `true` when the health changed since the last write.
    private var healthChanged = false
    /// `true` when a failing source's count or cause, or the count a holding rule keeps the policy
    /// from, changed since the last write.
    private var detailsChanged = false
    /// The least time between two writes for ``detailsChanged`` alone.
    static let detailsRefreshInterval: Duration = .seconds(1)
    /// When ``record(_:at:policy:wallTime:)`` last wrote the file.
    private var recordedSaveAt: MonotonicInstant?
    /// The operator's pause, read from the file next to the state file.
    private var pause: PauseControl
    /// The rule holding the count away from the policy's wish, for `event=limited` and the state file.
    private var holds = HoldNotice()
    /// What the state file keeps of that hold.
    private var limit: StateFile.Limit?
    /// `true` when the holding rule changed since the last write.
    private var limitChanged = false
    /// The last decision, for the summary.
    private var lastDecisionTaken: ScalingDecision?

    /// - Parameter lastChange: the last change of the count, restored from the state file (its
    ///   `last_decision` on the monotonic timeline), so `STATUS=` tells it after a restart.
    public init(
        memory: PolicyMemory, lastDecision: StateFile.Decision? = nil, lastChange: ReplicaSummary.Change? = nil,
        appliedReplicas: Int? = nil, store: StateStore, failureThreshold: Int = SourceHealth.defaultFailureThreshold,
        logger: Logger
    ) {
        self.memory = memory
        self.lastDecision = lastDecision
        self.lastChange = lastChange
        self.applied = appliedReplicas
        self.store = store
        self.failureThreshold = failureThreshold
        self.logger = logger
        self.pause = PauseControl(path: PauseFile.path(forState: store.path))
    }

    public var policyMemory: PolicyMemory { memory }

    public var desiredReplicas: Int { memory.replicas }

    public var appliedReplicas: Int? { applied }

    public var summary: ReplicaSummary {
        ReplicaSummary(desired: memory.replicas, applied: applied, health: health, serversToScale: serversToScale,
                       lastChange: lastChange, heldBy: lastDecisionTaken?.heldBy, wanted: lastDecisionTaken?.wanted,
                       paused: pause.active != nil, pauseEndsAt: pause.endsAt,
                       actuationFailures: actuationFailing?.attempts ?? 0)
    }

    /// The state file's path, for error messages.
    public var path: String { store.path }

    /// One evaluation in one step: notes how `read` went (the source's health) and whether an
    /// operator paused, decides with `policy` (held or moved by the pause), hands the result to
    /// `announce` (which logs it), then records and persists it.
    /// Announcing first means the state file only ever holds a count that was logged; a crash in
    /// between loses nothing that matters: a restarted daemon decides again from the same data.
    /// - Parameter location: where `read` came from (the source's path or address), named by a failed
    ///   read's cause in the decision and in `last_error`.
    public func evaluate(
        _ read: Result<LoadSnapshot, LoadError>, from location: String, policy: ThresholdPolicy, at now: MonotonicInstant,
        wallTime: Double,
        announce: @Sendable (EvaluationOutcome) -> Void
    ) -> EvaluationOutcome {
        let previousHealth = health
        let previousFailures = source?.consecutiveFailures ?? 0
        let previousError = source?.lastError
        let (input, readError) = noteRead(read, from: location, at: now, tick: policy.config.tick, wallTime: wallTime)
        let pauseEvents = pause.refresh(wallNow: wallTime)
        let policyDecision = policy.decide(input, memory: memory, now: now)
        let decision = pause.apply(policyDecision, bounds: policy.config.minReplicas...policy.config.maxReplicas)
        let limited = holds.note(decision, wallTime: wallTime)
        let newLimit = holds.limit(decision, wallTime: wallTime)
        if newLimit?.heldBy != limit?.heldBy { limitChanged = true }
        if newLimit?.wanted != limit?.wanted { detailsChanged = true }
        limit = newLimit
        remember(decision, at: now, policy: policy.config)
        var failures = source?.consecutiveFailures ?? 0
        if case .loads = input { failures = previousFailures }
        let evaluation = EvaluationOutcome(
            input: input, readError: readError, decision: decision, previousHealth: previousHealth, failures: failures,
            summary: summary, policyDecision: policyDecision, pauseEvents: pauseEvents, limited: limited,
            repeatsFailure: readError != nil && failures == previousFailures && source?.lastError == previousError)
        announce(evaluation)
        persist(decision, at: now, wallTime: wallTime)
        return evaluation
    }

    /// Notes how a read went, and so the source's health. A change of health is written with the
    /// next record; otherwise `last_good_read` is refreshed at most every ``sourceRefreshInterval``.
    ///
    /// Failures are counted in poll intervals, not in reads: the first failed read counts one, and
    /// a later one counts one more for each whole `tick` (`poll_interval`) since the first (less a
    /// tenth of a tick, so a poll timer's read that comes a little early still counts), but never
    /// more than one more than the read before it (a source read less often than every tick, as a
    /// slow socket, counts its reads). So `failure_threshold` is failed poll intervals in a row,
    /// however often the source was read in them: a bad load file renamed in just before a poll,
    /// or a reload's failed read, is one failure with the poll's, not two.
    /// - Returns: what the policy is given, and for a failed read why it failed. The policy's cause
    ///   (so the decision line) and the state file's `last_error` name `location` (where it was read
    ///   from) first, so each says which source failed on its own; `error` does not (the
    ///   `source-error` line names the source in `source=`).
    func noteRead(
        _ read: Result<LoadSnapshot, LoadError>, from location: String, at now: MonotonicInstant, tick: Duration,
        wallTime: Double
    ) -> (input: PolicyInput, error: String?) {
        let input: PolicyInput
        let failures: Int
        var readError: String?
        switch read {
        case let .success(snapshot):
            failures = 0
            failingSince = nil
            source = StateFile.SourceStatus(consecutiveFailures: 0, lastGoodReadUnix: wallTime, lastError: nil)
            input = .loads(snapshot)
        case let .failure(error):
            let counted = source?.consecutiveFailures ?? 0
            let since = failingSince ?? (now, counted)
            failingSince = since
            let inTime = since.base + 1 + Self.wholeTicks(from: since.instant, to: now, tick: tick)
            failures = max(counted, min(counted + 1, inTime))
            var cause = error.description
            if error == .noServers || error == .emptyFile, memory.replicas == 0 {
                // At 0 no replica reports: only a server that stands for the requests waiting can.
                cause += " at 0 replicas (the source must report the requests waiting, as an activator's or a gateway's queue)"
            }
            readError = cause
            let named = cause.hasPrefix("\(location): ") ? cause : "\(location): \(cause)"
            let down = downAfter(failures)
            if failures != source?.consecutiveFailures || named != source?.lastError { detailsChanged = true }
            source = StateFile.SourceStatus(consecutiveFailures: failures, lastGoodReadUnix: source?.lastGoodReadUnix,
                                            lastError: named, down: down)
            input = down ? .sourceDown(named) : .unavailable(named)
        }
        let newHealth: SourceHealth = switch read {
        case .success: .healthy
        case .failure: downAfter(failures) ? .down : .failing
        }
        if newHealth != health { healthChanged = true }
        health = newHealth
        return (input, readError)
    }

    /// The whole `tick`s from `start` to `end`, less a tenth of a tick (a poll timer may fire a
    /// little early against the read at `start`); as many as there are reads, for a tick of nothing.
    static func wholeTicks(from start: MonotonicInstant, to end: MonotonicInstant, tick: Duration) -> Int {
        guard tick > .zero else { return Int.max / 2 }
        guard end > start else { return 0 }
        return Int(min((end - start) / tick + 0.1, Double(1 << 40)))
    }

    /// Whether the source is down after `failures` failed ticks in a row: at `failureThreshold`, or
    /// already down. Down lasts until a read succeeds, so a reload that raises `failure_threshold`
    /// (or changes the source) while down cannot lead to a second `source-down` without a `source-up`.
    private func downAfter(_ failures: Int) -> Bool {
        health == .down || SourceHealth(consecutiveFailures: failures, failureThreshold: failureThreshold) == .down
    }

    /// A reload's new `[policy]`: rises it measures otherwise are measured again at once
    /// (``PolicyMemory/remeasureRises(at:policy:)``).
    public func reconfigure(policy: PolicyConfig, at now: MonotonicInstant) {
        memory.remeasureRises(at: now, policy: policy)
    }

    /// Records `decision`, taken at `now`, and persists it (see ``persist(_:at:wallTime:)``).
    func record(_ decision: ScalingDecision, at now: MonotonicInstant, policy: PolicyConfig, wallTime: Double) {
        remember(decision, at: now, policy: policy)
        persist(decision, at: now, wallTime: wallTime)
    }

    private func remember(_ decision: ScalingDecision, at now: MonotonicInstant, policy: PolicyConfig) {
        memory = memory.recording(decision, at: now, policy: policy)
        lastDecisionTaken = decision
        serversToScale = decision.serversToScale
        if decision.changesReplicas { lastChange = ReplicaSummary.Change(action: decision.action, at: now) }
    }

    /// Writes the file when the count changed, an earlier write failed, the source's health or the
    /// rule holding the count changed, a failing source's count or cause or the count a rule holds
    /// the policy from changed (at most once a second), or `last_good_read` is due for a refresh
    /// (which refreshes the held decision's reason too).
    private func persist(_ decision: ScalingDecision, at now: MonotonicInstant, wallTime: Double) {
        func due(_ interval: Duration) -> Bool { recordedSaveAt.map { now - $0 >= interval } ?? true }
        let refreshDue = source != nil && due(Self.sourceRefreshInterval)
        let detailsDue = detailsChanged && due(Self.detailsRefreshInterval)
        guard decision.changesReplicas || unsaved || healthChanged || limitChanged || detailsDue || refreshDue else { return }
        recordedSaveAt = now
        healthChanged = false
        detailsChanged = false
        limitChanged = false
        if decision.changesReplicas {
            lastDecision = StateFile.Decision(
                action: decision.action.rawValue, from: decision.from, to: decision.to, reason: decision.reason.text,
                at: WallClock.iso8601(wallTime), atUnix: wallTime)
        }
        save(wallTime: wallTime)
    }

    /// Records that an actuator applied `replicas` (`nil`: nothing is confirmed any more, as after
    /// the actuator changed) and persists it when it changed or an earlier write failed.
    public func recordApplied(_ replicas: Int?, wallTime: Double) {
        // A count confirmed ends a run of failures; a cancellation (`nil`) is none, and leaves it.
        let endsFailures = replicas != nil && actuationFailing != nil
        guard replicas != applied || unsaved || endsFailures else { return }
        applied = replicas
        if replicas != nil { actuationFailing = nil }
        save(wallTime: wallTime)
    }

    /// Forgets the failures of an actuator the config no longer has: the new one starts its own count.
    public func forgetActuationFailures(wallTime: Double) {
        guard actuationFailing != nil else { return }
        actuationFailing = nil
        save(wallTime: wallTime)
    }

    /// Records that an actuation failed (`attempts`: the failures in a row, this one included):
    /// nothing is confirmed applied any more, and the state file says since when it fails, and why.
    public func recordActuationFailed(cause: String, attempts: Int, wallTime: Double) {
        applied = nil
        actuationFailing = StateFile.ActuationFailure(sinceUnix: actuationFailing?.sinceUnix ?? wallTime, attempts: attempts,
                                                      cause: cause)
        save(wallTime: wallTime)
    }

    /// Writes the current state (at start, at stop, or to retry a failed write); a failure is logged.
    /// - Returns: the write error, when persisting failed (kept in memory; the next write retries).
    @discardableResult
    public func save(wallTime: Double) -> FileWriteError? {
        var file = StateFile(desiredReplicas: memory.replicas, wallTime: wallTime, lastDecision: lastDecision, source: source,
                             appliedReplicas: applied, limit: limit, actuationFailing: actuationFailing)
        file.seasonalProfile = memory.season.map(StateFile.Season.init)
        file.learnedRises = StateFile.LearnedRises(memory)
        do {
            try store.save(file)
            unsaved = false
            if lastWriteFailure != nil { logger.log(.writeRecovered("state", path: store.path)) }
            lastWriteFailure = nil
            return nil
        } catch {
            unsaved = true
            // Once at error level; the same failure again (a retry each poll) at debug, until a write succeeds.
            let record = LogRecord.stateWriteFailed(path: store.path, error)
            logger.log(lastWriteFailure == error ? record.repeated : record)
            lastWriteFailure = error
            return error
        }
    }

    public var hasUnsavedChanges: Bool { unsaved }

    /// Failed poll intervals in a row (see ``noteRead(_:from:at:tick:wallTime:)``); 0 while reads succeed.
    var consecutiveFailures: Int { source?.consecutiveFailures ?? 0 }

    /// Applies a reload: persists to `store` from now on (the next record writes there), logs with
    /// `logger`, and counts failures against `failureThreshold`. A new source starts healthy, its
    /// failures counted from zero, unless the old one was down: the daemon still has no load, so it
    /// stays down (its count goes on) until a read succeeds, and the `source-down` already logged is
    /// closed by one `source-up`, never followed by a second. A pause in force goes with the state
    /// file to its new place (only `resume` or its end lifts a pause).
    public func reconfigure(store: StateStore, logger: Logger, failureThreshold: Int, newSource: Bool, wallTime: Double) {
        self.logger = logger
        self.failureThreshold = failureThreshold
        if newSource && health != .down {
            health = .healthy
            failingSince = nil
            source = source.map { StateFile.SourceStatus(consecutiveFailures: 0, lastGoodReadUnix: $0.lastGoodReadUnix, lastError: nil) }
        }
        guard store.path != self.store.path else { return }
        let oldPause = PauseFile.path(forState: self.store.path)
        self.store = store
        // The failures were the old path's: the new one's first write tells its own outcome.
        lastWriteFailure = nil
        let carried = pause.active
        pause = PauseControl(path: PauseFile.path(forState: store.path))
        unsaved = true
        if let carried { carry(carried, from: oldPause, to: pause.path, wallTime: wallTime) }
    }

    /// Moves the pause in force to the pause file beside the new state file (where the next
    /// evaluation reads it, and logs `event=pause`), unless a pause file is there already (that
    /// file's own word wins); the old one is marked resumed, so going back does not revive it.
    private func carry(_ pause: PauseFile, from oldPath: String, to newPath: String, wallTime: Double) {
        do throws(PauseFileError) {
            guard try PauseFile.load(newPath) == nil else { return }
        } catch {
            return  // An unreadable one there is told by the next evaluation's read (pause-file-invalid).
        }
        do {
            try pause.save(to: newPath)
            try PauseFile.resume(wallTime: wallTime).save(to: oldPath)
            logger.log(.notice, .pause, [
                LogField("moved_from", .string(oldPath)), LogField("moved_to", .string(newPath)),
                LogField("cause", "[state] path changed; the pause goes with the state file"),
            ])
        } catch {
            logger.log(.warning, .pauseFileInvalid, [
                LogField("cause", .string("\(newPath): the pause in force could not be moved beside the new state file: \(error)")),
                LogField("paused", .bool(false)),
            ])
        }
    }
}
