import AutoscaledBase

/// What the state actor holds, as read in one step: the facts everyone else reads but never keeps.
public struct ReplicaSummary: Sendable, Equatable {
    /// The last change of the count, on the monotonic timeline.
    public struct Change: Sendable, Equatable {
        public var action: ScalingAction
        public var at: MonotonicInstant
    }

    /// The count the last decision left (or the count restored at start).
    public var desired: Int
    /// The count an actuator last confirmed applied; `nil` when none has.
    public var applied: Int?
    public var health: SourceHealth
    /// Servers above `scale_up_threshold` at the last evaluation; `nil` before one, or without data.
    public var serversToScale: Int?
    /// The last change of the count, restored from the state file's last decision at start; `nil`
    /// when there is none yet.
    public var lastChange: Change?
    /// The rule that held the count at the last evaluation, and the count the policy wanted.
    public var heldBy: HoldingRule? = nil
    public var wanted: Int? = nil
    /// Whether an operator's pause is in force, and when it ends by itself (seconds since the epoch).
    public var paused = false
    public var pauseEndsAt: Double? = nil
    /// The actuator's failed attempts in a row since it last confirmed a count (0: none, or no actuator).
    public var actuationFailures = 0
}

/// What one evaluation read, how the source's health moved, and what was decided.
public struct EvaluationOutcome: Sendable, Equatable {
    /// What the policy was given: the loads, or why there were none.
    public var input: PolicyInput
    /// Why the read failed, without the source's location (which the input's cause starts with).
    public var readError: String?
    public var decision: ScalingDecision
    /// The source's health before this read.
    public var previousHealth: SourceHealth
    /// Failed poll intervals in a row: with this one when it failed (see `ReplicaState.noteRead`);
    /// those it ended when it succeeded.
    public var failures: Int
    /// The state after the evaluation.
    public var summary: ReplicaSummary
    /// What the policy decided before a pause held or moved the count (``decision`` otherwise).
    public var policyDecision: ScalingDecision
    /// What changed about the operator's pause at this evaluation (`pause`, `resume`, a bad file).
    public var pauseEvents: [LogRecord] = []
    /// `event=limited`, when a rule started holding the count or another rule took over.
    public var limited: LogRecord? = nil
    /// Whether this failed read is the one before it again: the same cause within the same poll
    /// interval (a file renamed in and then polled, a reload's read), so no more failures counted.
    public var repeatsFailure = false

    /// `true` while an operator's pause is in force.
    public var paused: Bool { summary.paused }

    /// `true` when this read took the source down (`failure_threshold` failed ticks in a row).
    public var wentDown: Bool { previousHealth != .down && summary.health == .down }
    /// `true` when this read brought the source back after it was down.
    public var cameUp: Bool { previousHealth == .down && summary.health == .healthy }
    /// Whether this good read ended failures short of `failure_threshold` (the source was never down).
    public var recovered: Bool { previousHealth == .failing && summary.health == .healthy }
}
