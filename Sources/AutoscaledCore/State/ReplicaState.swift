/// Owns the desired replica count, the count last confirmed applied, and the memory the policy
/// needs, and persists the counts.
///
/// Each method completes its update without suspending, so no two updates interleave. The
/// state file is replaced atomically, so after a crash it holds the old count or the new one.
public actor ReplicaState {
    /// How often the state file is rewritten when only the source's `last_good_read` moved on.
    public static let sourceRefreshInterval: Duration = .seconds(60)

    private var memory: PolicyMemory
    private var lastDecision: StateFile.Decision?
    private var store: StateStore
    /// The count an actuator last confirmed; `nil` when none has (or no actuator acts).
    private var applied: Int?
    /// `true` when the file on disk is behind (a write failed); the next record retries.
    private var unsaved = false
    private var source: StateFile.SourceStatus?
    /// 0 healthy (or not known yet), 1 failing, 2 down: how the last ``noteSource(_:consecutiveFailures:wallTime:)`` found it.
    private var sourceCategory = 0
    /// `true` when the source went from good to failing, to down, or back since the last write.
    private var sourceChanged = false
    /// When ``record(_:at:policy:wallTime:)`` last wrote the file.
    private var recordedSaveAt: MonotonicInstant?

    public init(memory: PolicyMemory, lastDecision: StateFile.Decision? = nil, appliedReplicas: Int? = nil, store: StateStore) {
        self.memory = memory
        self.lastDecision = lastDecision
        self.applied = appliedReplicas
        self.store = store
    }

    public var policyMemory: PolicyMemory { memory }

    public var desiredReplicas: Int { memory.replicas }

    public var appliedReplicas: Int? { applied }

    /// The state file's path, for error messages.
    public var path: String { store.path }

    /// Records that an actuator applied `replicas` (`nil`: nothing is confirmed any more, as after
    /// the actuator changed) and persists it when it changed or an earlier write failed.
    /// - Returns: the write error, when persisting failed (kept in memory; the next write retries).
    @discardableResult
    public func recordApplied(_ replicas: Int?, wallTime: Double) -> FileWriteError? {
        guard replicas != applied || unsaved else { return nil }
        applied = replicas
        return save(wallTime: wallTime)
    }

    /// Notes how the read before a decision went: `input` (loads, or why there are none) after
    /// `consecutiveFailures` failed reads. The next ``record(_:at:policy:wallTime:)`` writes it when
    /// the source turned from good to failing, from failing to down (`failure_threshold` failures,
    /// ``PolicyInput/sourceDown(_:)``) or back, and otherwise at most every ``sourceRefreshInterval``.
    public func noteSource(_ input: PolicyInput, consecutiveFailures: Int, wallTime: Double) {
        let category: Int
        switch input {
        case .loads:
            category = 0
            source = StateFile.SourceStatus(consecutiveFailures: 0, lastGoodReadUnix: wallTime, lastError: nil)
        case let .unavailable(cause), let .sourceDown(cause):
            category = input == .unavailable(cause) ? 1 : 2
            source = StateFile.SourceStatus(consecutiveFailures: consecutiveFailures,
                                            lastGoodReadUnix: source?.lastGoodReadUnix, lastError: cause)
        }
        if category != sourceCategory { sourceChanged = true }
        sourceCategory = category
    }

    /// Records `decision`, taken at `now`, and persists the count when it changed or an earlier write failed
    /// (and the source's health, as ``noteSource(_:consecutiveFailures:wallTime:)`` says).
    /// - Returns: the write error, when persisting failed (the decision is kept in memory and retried).
    @discardableResult
    public func record(
        _ decision: ScalingDecision, at now: MonotonicInstant, policy: PolicyConfig, wallTime: Double
    ) -> FileWriteError? {
        memory = memory.recording(decision, at: now, policy: policy)
        let refreshDue = source != nil && recordedSaveAt.map { now - $0 >= Self.sourceRefreshInterval } ?? true
        guard decision.changesReplicas || unsaved || sourceChanged || refreshDue else { return nil }
        recordedSaveAt = now
        sourceChanged = false
        if decision.changesReplicas {
            lastDecision = StateFile.Decision(
                action: decision.action.rawValue, from: decision.from, to: decision.to, reason: decision.reason,
                at: WallClock.iso8601(wallTime), atUnix: wallTime)
        }
        return save(wallTime: wallTime)
    }

    /// Writes the current state (at stop, or to retry a failed write).
    @discardableResult
    public func save(wallTime: Double) -> FileWriteError? {
        let file = StateFile(desiredReplicas: memory.replicas, wallTime: wallTime, lastDecision: lastDecision, source: source,
                             appliedReplicas: applied)
        do {
            try store.save(file)
            unsaved = false
            return nil
        } catch {
            unsaved = true
            return error
        }
    }

    public var hasUnsavedChanges: Bool { unsaved }

    /// Persists to `store` from now on (a reload changed `[state] path`); the next record writes there.
    public func use(_ store: StateStore) {
        guard store.path != self.store.path else { return }
        self.store = store
        unsaved = true
    }
}
