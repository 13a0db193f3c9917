/// What the policy remembers between evaluations: the current count, when it last scaled up, and
/// the recommendations inside the scale-down stabilization window.
///
/// Times are on the monotonic timeline. The memory is not persisted: after a restart the
/// stabilization window starts again (`observingSince`), so a restart never hastens a scale-down.
public struct PolicyMemory: Sendable, Equatable {
    /// One evaluation's recommended count.
    public struct Recommendation: Sendable, Equatable {
        public var at: MonotonicInstant
        public var replicas: Int
    }

    public var replicas: Int
    public var lastScaleUp: MonotonicInstant?
    /// Recommendations, oldest first, none older than the stabilization window.
    public private(set) var recommendations: [Recommendation]
    /// When recommendations started being recorded (daemon start).
    public var observingSince: MonotonicInstant

    public init(replicas: Int, observingSince: MonotonicInstant, lastScaleUp: MonotonicInstant? = nil) {
        self.replicas = replicas
        self.observingSince = observingSince
        self.lastScaleUp = lastScaleUp
        self.recommendations = []
    }

    /// The memory after `decision` was taken at `now`; recommendations older than `window` are dropped.
    public func recording(_ decision: ScalingDecision, at now: MonotonicInstant, window: Duration) -> PolicyMemory {
        var next = self
        next.replicas = decision.to
        if decision.action == .scaleUp { next.lastScaleUp = now }
        if let recommended = decision.recommendation {
            next.recommendations.append(Recommendation(at: now, replicas: recommended))
        }
        let cutoff = now - window
        if let firstKept = next.recommendations.firstIndex(where: { $0.at >= cutoff }) {
            next.recommendations.removeFirst(firstKept)
        } else {
            next.recommendations.removeAll()
        }
        return next
    }

    /// The highest recommendation at or after `cutoff`, or `nil` when there is none.
    public func highestRecommendation(since cutoff: MonotonicInstant) -> Int? {
        var highest: Int?
        for recommendation in recommendations.reversed() {
            guard recommendation.at >= cutoff else { break }
            highest = max(highest ?? recommendation.replicas, recommendation.replicas)
        }
        return highest
    }
}
