/// The replica count to start from, and why.
public struct RestoredState: Sendable, Equatable {
    public var replicas: Int
    public var lastDecision: StateFile.Decision?
    /// The count last confirmed applied, as saved (not clamped); `nil` when none was.
    public var appliedReplicas: Int?
    /// `nil` when the state file was used as is; otherwise what a warning should say.
    public var warning: String?
    /// Text for the `start` line: `resumed`, `resumed, clamped to max_replicas 4`, `initial`.
    public var origin: String

    /// Chooses the starting count from what `store` holds and the `[policy]` limits.
    public static func restore(from loaded: StateStore.Loaded, policy: PolicyConfig, path: String) -> RestoredState {
        switch loaded {
        case .missing:
            return RestoredState(replicas: policy.initialReplicas, lastDecision: nil,
                                 warning: "no state file at \(path); starting from initial_replicas \(policy.initialReplicas)",
                                 origin: "initial")
        case let .corrupt(cause):
            return RestoredState(replicas: policy.initialReplicas, lastDecision: nil,
                                 warning: "\(cause); starting from initial_replicas \(policy.initialReplicas)",
                                 origin: "initial")
        case let .unknownVersion(version):
            return RestoredState(
                replicas: policy.initialReplicas, lastDecision: nil,
                warning: "\(path): version \(version) is unknown to this autoscaled (it reads version \(StateFile.currentVersion)); "
                    + "not resumed, starting from initial_replicas \(policy.initialReplicas)",
                origin: "initial")
        case let .found(file):
            let saved = file.desiredReplicas
            var restored = RestoredState(replicas: saved, lastDecision: file.lastDecision, warning: nil, origin: "resumed")
            restored.appliedReplicas = file.appliedReplicas
            if saved > policy.maxReplicas {
                restored.replicas = policy.maxReplicas
                restored.origin = "resumed \(saved), clamped to max_replicas \(policy.maxReplicas)"
            } else if saved < policy.minReplicas {
                restored.replicas = policy.minReplicas
                restored.origin = "resumed \(saved), clamped to min_replicas \(policy.minReplicas)"
            }
            return restored
        }
    }
}
