/// The rule that keeps the count from where the policy wants it: Kubernetes' `ScalingLimited`
/// condition, as a value. The decision's ``DecisionReason`` says the same with its numbers.
public enum HoldingRule: Sendable, Equatable {
    /// Within `scale_up_cooldown` of the last scale-up; `left` until it ends.
    case scaleUpCooldown(left: Duration)
    /// The need of `scale_down_stabilization` (its highest, or its mean) holds the count.
    case scaleDownStabilization(holdsAt: Int)
    /// The wish is above `max_replicas`.
    case maxReplicas(Int)
    /// The wish is below `min_replicas`.
    case minReplicas(Int)
    /// Scale-ups add at most `max_scale_up_per_minute` replicas a minute.
    case maxScaleUpPerMinute(Int)
    /// Scale-downs remove at most so many replicas a minute; the key that says how many
    /// (`max_scale_down_per_minute` or `max_scale_down_percent_per_minute`).
    case scaleDownRate(String)
    /// One scale-up per tick: it scaled up already within this `poll_interval`.
    case pollInterval
    /// `headroom = learned` has not seen enough rises to lower the count.
    case headroomWindow
    /// The source gave nothing to decide from.
    case noUsableData
    /// An operator paused the autoscaling.
    case pause

    /// The name in logs, status and the state file: the config key of the rule, where there is one.
    public var name: String {
        switch self {
        case .scaleUpCooldown: "scale_up_cooldown"
        case .scaleDownStabilization: "scale_down_stabilization"
        case .maxReplicas: "max_replicas"
        case .minReplicas: "min_replicas"
        case .maxScaleUpPerMinute: "max_scale_up_per_minute"
        case let .scaleDownRate(key): key
        case .pollInterval: "poll_interval"
        case .headroomWindow: "headroom_window"
        case .noUsableData: "no_usable_data"
        case .pause: "pause"
        }
    }

    /// How long the rule still holds, when it ends by itself.
    public var left: Duration? {
        if case let .scaleUpCooldown(left) = self { return left }
        return nil
    }
}
