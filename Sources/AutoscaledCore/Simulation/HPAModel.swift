/// Kubernetes' HorizontalPodAutoscaler (autoscaling/v2, default behavior), written from its
/// documented algorithm and its replica calculator, on a utilisation metric: a replica's
/// utilisation is its load ÷ 100.
///
/// Every 15 s (the controller's sync period):
/// 1. Each ready replica's metric is its mean over the 15 s just past (the seconds of it the
///    replica served); replicas still starting are unready.
/// 2. `ratio = mean utilisation of the ready replicas ÷ target`. Within the 0.1 tolerance of 1:
///    keep the count. Otherwise `desired = ⌈ratio × ready⌉`; on a scale-up with unready replicas
///    they count at 0 % (and ready replicas without a metric at 0 % up, 100 % down), the ratio
///    is recomputed over them all, and a recomputed ratio inside the tolerance, or on the other
///    side of 1, keeps the count.
/// 3. Scale-down stabilization: the highest `desired` of the last 300 s wins (scale-up: 0 s).
/// 4. Rate policies: up by at most max(4 replicas, 100 %) per 15 s, down by at most 100 % per
///    15 s; then `[min, max]`.
struct HPAModel: OfferedLoadScaler {
    static let syncSeconds = 15
    static let tolerance = 0.1
    static let downStabilizationSeconds = 300
    static let ratePeriodSeconds = 15
    static let upPods = 4
    static let upPercent = 100.0
    static let downPercent = 100.0

    let target: Double
    let minReplicas: Int
    let maxReplicas: Int
    var periodSeconds: Int { Self.syncSeconds }
    /// (second, desired) of each sync within the stabilization window, oldest first.
    private var recommendations: [(at: Int, replicas: Int)] = []
    /// (second, change) of each scale event within the rate period, oldest first.
    private var events: [(at: Int, change: Int)] = []
    private var means = CohortMeans()

    init(target: Double, initial: Int, minReplicas: Int, maxReplicas: Int) {
        recommendations = [(0, initial)]
        self.target = target
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
    }

    mutating func evaluate(at second: Int, pool: ReplicaPool, interval: [Double]) -> ScalingDecision {
        let current = pool.count
        var withMetric = 0
        var utilisation = 0.0
        means.measure(pool, loads: interval, intervalStart: second - interval.count)
        for cohort in means.cohorts {
            withMetric += cohort.count
            utilisation += Double(cohort.count) * cohort.mean / 100
        }
        guard withMetric > 0 else {
            return referenceDecision(from: current, to: current, reason: .hpaWithoutMetric)
        }
        let desired = Self.calculate(current: current, ready: withMetric, utilisation: utilisation,
                                     missing: pool.serving - withMetric, unready: current - pool.serving, target: target)
        let stabilized = stabilize(desired, current: current, at: second)
        let limited = limitRate(stabilized, current: current, at: second)
        if limited != current { events.append((second, limited - current)) }
        return referenceDecision(
            from: current, to: limited,
            reason: .hpa(utilisation: 100 * utilisation / Double(withMetric), ready: withMetric, target: 100 * target,
                         desired: desired, stabilized: stabilized))
    }

    /// The replica calculator: the desired count from the metrics, before stabilization.
    static func calculate(current: Int, ready: Int, utilisation: Double, missing: Int, unready: Int, target: Double) -> Int {
        let ratio = utilisation / Double(ready) / target
        let rebalanceUnready = unready > 0 && ratio > 1
        if !rebalanceUnready, missing == 0 {
            if abs(1 - ratio) <= tolerance { return current }
            return Int((ratio * Double(ready)).rounded(.up))
        }
        var total = utilisation
        var pods = ready
        if missing > 0 {
            // Scale-down: missing metrics count as 100 % (or the target if above); scale-up: 0 %.
            if ratio < 1 { total += Double(missing) * max(1, target) }
            pods += missing
        }
        if rebalanceUnready { pods += unready }
        let newRatio = total / Double(pods) / target
        if abs(1 - newRatio) <= tolerance || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1) {
            return current
        }
        let replicas = Int((newRatio * Double(pods)).rounded(.up))
        if (newRatio < 1 && replicas > current) || (newRatio > 1 && replicas < current) { return current }
        return replicas
    }

    /// The highest recommendation within the scale-down stabilization window (this one included)
    /// caps a scale-down; a scale-up is not stabilized.
    private mutating func stabilize(_ desired: Int, current: Int, at second: Int) -> Int {
        let cutoff = second - Self.downStabilizationSeconds
        recommendations.removeFirst(recommendations.prefix { $0.at <= cutoff }.count)
        var highest = desired
        for recommendation in recommendations { highest = max(highest, recommendation.replicas) }
        recommendations.append((second, desired))
        var result = current
        if result < desired { result = desired }
        if result > highest { result = highest }
        return result
    }

    /// The rate policies and `[min, max]`.
    private mutating func limitRate(_ desired: Int, current: Int, at second: Int) -> Int {
        let cutoff = second - Self.ratePeriodSeconds
        events.removeFirst(events.prefix { $0.at <= cutoff }.count)
        var added = 0
        var deleted = 0
        for event in events {
            if event.change > 0 { added += event.change } else { deleted -= event.change }
        }
        if desired > current {
            let start = current - added + deleted
            let byPods = start + Self.upPods
            let byPercent = Int((Double(start) * (1 + Self.upPercent / 100)).rounded(.up))
            let limit = max(max(byPods, byPercent), current)
            return min(desired, limit, maxReplicas)
        }
        if desired < current {
            let start = current + deleted - added
            let limit = min(Int((Double(start) * (1 - Self.downPercent / 100)).rounded(.up)), current)
            return max(desired, limit, minReplicas)
        }
        return min(max(desired, minReplicas), maxReplicas)
    }
}
