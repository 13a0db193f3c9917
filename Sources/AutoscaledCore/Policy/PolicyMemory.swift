/// What the policy remembers between evaluations: the current count, when it last scaled up, the
/// recommendations inside the scale-down stabilization window, and recent total loads (for
/// smoothing and the trend).
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
    /// Total loads, oldest first, none older than the policy's sample window.
    public private(set) var samples: [LoadSample]
    /// When recommendations started being recorded (daemon start).
    public var observingSince: MonotonicInstant

    public init(replicas: Int, observingSince: MonotonicInstant, lastScaleUp: MonotonicInstant? = nil) {
        self.replicas = replicas
        self.observingSince = observingSince
        self.lastScaleUp = lastScaleUp
        self.recommendations = []
        self.samples = []
    }

    /// The memory after `decision` was taken at `now` under `policy`; what has aged out of the
    /// stabilization and sample windows is dropped.
    public func recording(_ decision: ScalingDecision, at now: MonotonicInstant, policy: PolicyConfig) -> PolicyMemory {
        var next = self
        next.record(decision, at: now, policy: policy)
        return next
    }

    /// ``recording(_:at:policy:)`` in place: no copy of the windows (the simulator's loop).
    public mutating func record(_ decision: ScalingDecision, at now: MonotonicInstant, policy: PolicyConfig) {
        replicas = decision.to
        if decision.action == .scaleUp { lastScaleUp = now }
        if let recommended = decision.recommendation {
            recommendations.append(Recommendation(at: now, replicas: recommended))
        }
        if let total = decision.totalLoad {
            samples.append(LoadSample(at: now, total: total))
        }
        let recommendationCutoff = now - policy.scaleDownStabilization
        recommendations.removeFirst(recommendations.prefix { $0.at < recommendationCutoff }.count)
        let sampleCutoff = now - policy.sampleWindow
        samples.removeFirst(samples.prefix { $0.at < sampleCutoff }.count)
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

    /// The samples at or after `cutoff`, oldest first.
    public func samples(since cutoff: MonotonicInstant) -> ArraySlice<LoadSample> {
        // The samples are in time order (each evaluation appends its own `now`): a binary search
        // finds the first one at or after the cutoff.
        var low = samples.startIndex
        var high = samples.endIndex
        while low < high {
            let middle = low + (high - low) / 2
            if samples[middle].at >= cutoff { high = middle } else { low = middle + 1 }
        }
        return samples[low...]
    }
}
