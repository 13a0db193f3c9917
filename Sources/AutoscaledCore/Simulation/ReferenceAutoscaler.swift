/// A model of another autoscaler, replayed on an offered-load trace beside the shipped policy
/// so that a setting can be placed against what Kubernetes or Knative would do on the same
/// traffic. See ``HPAModel`` and ``KPAModel``.
public enum ReferenceAutoscaler: Sendable, Equatable {
    /// Kubernetes' HorizontalPodAutoscaler at a target utilisation (0.7 = 70 % of a replica's
    /// capacity).
    case hpa(target: Double)
    /// Knative's pod autoscaler (KPA) at a target utilisation of each replica's capacity.
    case kpa(target: Double)

    /// The target both use by default: 0.7 (HPA's usual CPU target, Knative's
    /// `container-concurrency-target-percentage`).
    public static let defaultTarget = 0.7
    /// The lowest target: 1 %, the least whole percentage Kubernetes and Knative take. It keeps
    /// `utilisation ÷ target` (the HPA's replica count) and `target × capacity` (the KPA's rate per
    /// replica) finite and normal for every load the replay accepts.
    public static let minimumTarget = 0.01

    /// `hpa` or `kpa`.
    public var name: String {
        switch self {
        case .hpa: "hpa"
        case .kpa: "kpa"
        }
    }

    public var target: Double {
        switch self {
        case let .hpa(target), let .kpa(target): target
        }
    }

    /// The same autoscaler at `target`.
    public func at(target: Double) -> ReferenceAutoscaler {
        switch self {
        case .hpa: .hpa(target: target)
        case .kpa: .kpa(target: target)
        }
    }
}

/// Which autoscaler a replay runs.
public enum SimulationScaler: Sendable, Equatable {
    /// The config's `[policy]`, through the daemon's own decide function.
    case policy
    /// A model of another autoscaler (offered-load traces only).
    case reference(ReferenceAutoscaler)
}

/// A decision of a reference model in the shape the simulator logs and counts.
func referenceDecision(from: Int, to: Int, reason: DecisionReason.Trigger) -> ScalingDecision {
    let action: ScalingAction = to > from ? .scaleUp : (to < from ? .scaleDown : .hold)
    return ScalingDecision(action: action, from: from, to: to, serversToScale: nil, busiest: nil, threshold: nil,
                           reason: DecisionReason(reason), recommendation: to)
}
