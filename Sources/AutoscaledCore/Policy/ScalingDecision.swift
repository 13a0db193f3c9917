/// What an evaluation decided.
public enum ScalingAction: String, Sendable, Equatable {
    case scaleUp = "scale-up"
    case scaleDown = "scale-down"
    case hold
}

/// The outcome of one policy evaluation, with the whole story of why.
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
    /// The numbers and the rule that drove the decision, and any clamp, in words.
    public var reason: String
    /// The count this evaluation recommends, remembered for scale-down stabilization;
    /// `nil` when there was no data to recommend from.
    public var recommendation: Int?
    /// The sum of the servers' loads, remembered for smoothing and the trend; `nil` without data.
    public var totalLoad: Double?

    public init(
        action: ScalingAction, from: Int, to: Int, serversToScale: Int?, busiest: ServerLoad?,
        threshold: Double?, reason: String, recommendation: Int?, totalLoad: Double? = nil
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
    }

    /// `true` when the replica count changes.
    public var changesReplicas: Bool { from != to }
}
