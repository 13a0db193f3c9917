/// What an evaluation decided.
public enum ScalingAction: String, Sendable, Equatable {
    case scaleUp = "scale-up"
    case scaleDown = "scale-down"
    case hold
}

/// The outcome of one policy evaluation, with the whole story of why.
///
/// The story is a value (``DecisionReason``), put into words only when it is read: the simulator
/// replays millions of evaluations and reads almost none of them.
public struct ScalingDecision: Sendable, Equatable {
    public var action: ScalingAction
    /// Replicas before the decision.
    public var from: Int
    /// Replicas after the decision (equal to `from` on hold).
    public var to: Int
    /// Servers whose load is strictly greater than `scale_up_threshold`; `nil` without data.
    public var serversToScale: Int?
    /// The most loaded server (the first one listed on a tie); `nil` without data.
    public var busiest: ServerLoad?
    /// The threshold of the rule that drove the decision, if one did.
    public var threshold: Double?
    /// The rule and the numbers that drove the decision, and any limit applied (``DecisionReason/text``
    /// in words).
    public var reason: DecisionReason
    /// The count this evaluation recommends, remembered for scale-down stabilization;
    /// `nil` when there was no data to recommend from.
    public var recommendation: Int?
    /// The sum of the servers' loads, remembered for smoothing and the trend; `nil` without data.
    public var totalLoad: Double?
    /// The rule that keeps the count from ``wanted``, when one does.
    public var heldBy: HoldingRule?
    /// The count the policy wants when ``heldBy`` keeps it from there; `nil` when nothing holds
    /// the count, or when there is no data to want anything from.
    public var wanted: Int?

    public init(
        action: ScalingAction, from: Int, to: Int, serversToScale: Int?, busiest: ServerLoad?,
        threshold: Double?, reason: DecisionReason, recommendation: Int?, totalLoad: Double? = nil,
        heldBy: HoldingRule? = nil, wanted: Int? = nil
    ) {
        self.action = action
        self.from = from
        self.to = to
        self.serversToScale = serversToScale
        self.busiest = busiest
        self.threshold = threshold
        self.reason = reason
        self.recommendation = recommendation
        self.totalLoad = totalLoad
        self.heldBy = heldBy
        self.wanted = wanted
    }

    /// `true` when the replica count changes.
    public var changesReplicas: Bool { from != to }
}
