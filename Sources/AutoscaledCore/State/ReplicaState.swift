/// Owns the desired replica count and the memory the policy needs, and persists them.
///
/// Each method completes its update without suspending, so no two updates interleave. The
/// state file is replaced atomically, so after a crash it holds the old count or the new one.
public actor ReplicaState {
    private var memory: PolicyMemory
    private var lastDecision: StateFile.Decision?
    private var store: StateStore
    /// `true` when the file on disk is behind (a write failed); the next record retries.
    private var unsaved = false

    public init(memory: PolicyMemory, lastDecision: StateFile.Decision? = nil, store: StateStore) {
        self.memory = memory
        self.lastDecision = lastDecision
        self.store = store
    }

    public var policyMemory: PolicyMemory { memory }

    public var desiredReplicas: Int { memory.replicas }

    /// Records `decision`, taken at `now`, and persists the count when it changed or an earlier write failed.
    /// - Returns: the write error, when persisting failed (the decision is kept in memory and retried).
    @discardableResult
    public func record(
        _ decision: ScalingDecision, at now: MonotonicInstant, window: Duration, wallTime: Double
    ) -> SystemError? {
        memory = memory.recording(decision, at: now, window: window)
        guard decision.changesReplicas || unsaved else { return nil }
        if decision.changesReplicas {
            lastDecision = StateFile.Decision(
                action: decision.action.rawValue, from: decision.from, to: decision.to, reason: decision.reason,
                at: WallClock.iso8601(wallTime), atUnix: wallTime)
        }
        return save(wallTime: wallTime)
    }

    /// Writes the current state (at stop, or to retry a failed write).
    @discardableResult
    public func save(wallTime: Double) -> SystemError? {
        let file = StateFile(desiredReplicas: memory.replicas, updatedAt: WallClock.iso8601(wallTime),
                             lastDecision: lastDecision)
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
