/// What an evaluation decided.
public enum ScalingAction: String, Sendable, Equatable {
    case scaleUp = "scale-up"
    case scaleDown = "scale-down"
    case hold
}

/// The outcome of one policy evaluation, with the whole story of why.
///
/// The story is put into words only when it is read (``reason``): the simulator replays millions
/// of evaluations and reads almost none of them.
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
    public var reason: String {
        get { explanation() }
        set { explanation = { newValue } }
    }
    /// Renders ``reason`` from what the evaluation captured.
    private var explanation: @Sendable () -> String
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
        threshold: Double?, reason: String, recommendation: Int?, totalLoad: Double? = nil,
        heldBy: HoldingRule? = nil, wanted: Int? = nil
    ) {
        self.init(action: action, from: from, to: to, serversToScale: serversToScale, busiest: busiest, threshold: threshold,
                  recommendation: recommendation, totalLoad: totalLoad, heldBy: heldBy, wanted: wanted, explain: { reason })
    }

    /// A decision whose reason is rendered by `explain` when it is read.
    init(
        action: ScalingAction, from: Int, to: Int, serversToScale: Int?, busiest: ServerLoad?,
        threshold: Double?, recommendation: Int?, totalLoad: Double?, heldBy: HoldingRule? = nil, wanted: Int? = nil,
        explain: @escaping @Sendable () -> String
    ) {
        self.action = action
        self.from = from
        self.to = to
        self.serversToScale = serversToScale
        self.busiest = busiest
        self.threshold = threshold
        self.explanation = explain
        self.recommendation = recommendation
        self.totalLoad = totalLoad
        self.heldBy = heldBy
        self.wanted = wanted
    }

    public static func == (a: ScalingDecision, b: ScalingDecision) -> Bool {
        a.action == b.action && a.from == b.from && a.to == b.to && a.serversToScale == b.serversToScale
            && a.busiest == b.busiest && a.threshold == b.threshold && a.recommendation == b.recommendation
            && a.totalLoad == b.totalLoad && a.heldBy == b.heldBy && a.wanted == b.wanted && a.reason == b.reason
    }

    /// `true` when the replica count changes.
    public var changesReplicas: Bool { from != to }
}
