import AutoscaledBase

/// The replica count to start from, and why.
public struct RestoredState: Sendable, Equatable {
    public var replicas: Int
    public var lastDecision: StateFile.Decision?
    /// The count last confirmed applied, as saved (not clamped); `nil` when none was.
    public var appliedReplicas: Int?
    /// `nil` when the state file was used as is; otherwise what a warning should say.
    public var warning: String?
    /// The seasonal profile saved, when there is one that can be used.
    public var season: SeasonalProfile?
    /// The learned headroom's rises saved, when they can be used.
    public var rises: PolicyMemory.SavedRises?
    /// Text for the `start` line: `resumed` or `initial`.
    public var origin: String

    /// Chooses the starting count from what `store` holds, or `initial_replicas`. A saved count
    /// outside the `[policy]` limits (lowered while the daemon was stopped) is kept: the first
    /// evaluation brings it into them with a decision logged and counted as any other
    /// (`10 replicas above max_replicas 5`), as after a reload that narrows them.
    public static func restore(from loaded: StateStore.Loaded, policy: PolicyConfig, path: String) -> RestoredState {
        switch loaded {
        case .missing:
            return RestoredState(replicas: policy.initialReplicas, lastDecision: nil,
                                 warning: "no state file at \(path); starting from initial_replicas \(policy.initialReplicas)",
                                 origin: "initial")
        case let .corrupt(cause), let .unreadable(cause):
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
            switch file.seasonalProfile?.profile() {
            case let .success(profile): restored.season = profile
            case let .failure(error): restored.addWarning("\(path): \(error); the recurring peaks are learned again")
            case nil: break
            }
            switch file.learnedRises?.checked() {
            case let .success(rises): restored.rises = rises
            case let .failure(error): restored.addWarning("\(path): \(error); the rises are learned again")
            case nil: break
            }
            return restored
        }
    }

    private mutating func addWarning(_ text: String) {
        warning = warning.map { "\($0); \(text)" } ?? text
    }
}

extension ReplicaSummary.Change {
    /// The last change a state file holds, on the monotonic timeline: `now` less its age by the wall
    /// clock (`wallTime` less its `at_unix`), as the seasonal phase is restored at start. A change
    /// stamped ahead of the clock (set back since) stays ahead, and is told so, as `status` tells it.
    /// `nil` without a last decision, or with one that is not a change.
    init?(restoring decision: StateFile.Decision?, now: MonotonicInstant, wallTime: Double) {
        guard let decision, let action = ScalingAction(rawValue: decision.action), action != .hold,
              case let age = wallTime - decision.atUnix, !age.isNaN else { return nil }
        // At most a thousand years either way: the milliseconds fit an Int64.
        let milliseconds = Int64((min(max(age, -3e10), 3e10) * 1000).rounded(.down))
        self.init(action: action, at: now - .milliseconds(milliseconds))
    }
}

extension PolicyMemory {
    /// The daemon's memory at start: the restored count, observing from `now`, the seasonal phases
    /// counted from the Unix epoch (`wallTime` seconds before `now`), the restored seasonal
    /// profile in the shape `policy` asks for, and the restored rises when `policy` learns its
    /// headroom measured the same way (over the same horizon, beyond the same seasonal periods).
    public init(starting restored: RestoredState, policy: PolicyConfig, now: MonotonicInstant, wallTime: Double) {
        self.init(replicas: restored.replicas, observingSince: now)
        phaseOrigin = now - .milliseconds(Int64((wallTime * 1000).rounded(.down)))
        if let season = restored.season, !policy.seasonalPeriods.isEmpty {
            self.season = season.fits(policy) ? season : season.adapted(to: policy)
        }
        if let rises = restored.rises, policy.usesLearnedHeadroom {
            restoreRises(rises, policy: policy)
        }
    }
}
