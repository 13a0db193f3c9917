/// Knative's pod autoscaler (KPA), written from its documented algorithm and its `Scale`
/// function, on requests per second: a replica's target is `target × C` requests/s.
///
/// Every 2 s (the autoscaler's tick):
/// 1. The observed rate is averaged over the stable window (60 s) and the panic window (6 s),
///    over the seconds seen so far while a window is not yet full.
/// 2. `stable = ⌈stable rate ÷ per-replica target⌉`, `panic = ⌈panic rate ÷ per-replica target⌉`,
///    each kept within [⌊ready ÷ 2⌋, 1000 × ready] (max scale-down rate 2, max scale-up rate
///    1000; `ready` = serving replicas, at least 1).
/// 3. Panic starts when `panic ÷ ready ≥ 2` (200 %) and is extended while that holds; it ends a
///    stable window after the last time it held. In panic the count is the highest asked for
///    since panic began (never lower); otherwise it is `stable`. Then `[min, max]`.
///
/// Started with more than one replica it begins in panic at that count, as Knative's autoscaler
/// does after a restart, so it does not scale down on a few seconds of data.
struct KPAModel: OfferedLoadScaler {
    static let tickSeconds = 2
    static let stableWindow = 60
    static let panicWindow = 6
    static let panicThreshold = 2.0
    static let maxScaleUpRate = 1000.0
    static let maxScaleDownRate = 2.0

    let perReplicaTarget: Double
    let minReplicas: Int
    let maxReplicas: Int
    var periodSeconds: Int { Self.tickSeconds }
    /// The last `stableWindow` seconds' rates, a ring.
    private var rates = [Double](repeating: 0, count: stableWindow)
    private var seen = 0
    private var panicSince: Int?
    private var maxPanicPods = 0

    /// Like Knative's autoscaler when it starts with more than one ready replica: in panic mode
    /// at that count, so that it holds the count until it has seen a stable window of data.
    init(target: Double, capacity: Double, initial: Int, minReplicas: Int, maxReplicas: Int) {
        if initial > 1 {
            panicSince = 0
            maxPanicPods = initial
        }
        perReplicaTarget = target * capacity
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
    }

    mutating func observe(rate: Double) {
        rates[seen % Self.stableWindow] = rate
        seen += 1
    }

    mutating func evaluate(at second: Int, pool: ReplicaPool, interval: [Double]) -> ScalingDecision {
        let current = pool.count
        let stableRate = average(Self.stableWindow)
        let panicRate = average(Self.panicWindow)
        let ready = Double(max(1, pool.serving))
        let maxUp = (Self.maxScaleUpRate * ready).rounded(.up)
        let maxDown = (ready / Self.maxScaleDownRate).rounded(.down)
        let stablePods = (stableRate / perReplicaTarget).rounded(.up)
        let panicPods = (panicRate / perReplicaTarget).rounded(.up)
        let desiredStable = Int(min(max(stablePods, maxDown), maxUp))
        let desiredPanic = Int(min(max(panicPods, maxDown), maxUp))
        let overPanic = panicPods / ready >= Self.panicThreshold
        if overPanic {
            panicSince = second
        } else if let since = panicSince, since + Self.stableWindow < second {
            panicSince = nil
            maxPanicPods = 0
        }
        var desired = desiredStable
        if panicSince != nil {
            desired = max(desired, desiredPanic)
            maxPanicPods = max(maxPanicPods, desired)
            desired = maxPanicPods
        }
        let to = min(max(desired, minReplicas), maxReplicas)
        return referenceDecision(
            from: current, to: to,
            reason: .kpa(stableRate: stableRate, panicRate: panicRate, perReplica: perReplicaTarget, stable: desiredStable,
                         panic: desiredPanic, panicking: panicSince != nil))
    }

    /// The mean rate over the last `window` seconds, or over all seconds seen when fewer.
    private func average(_ window: Int) -> Double {
        let count = min(window, seen)
        guard count > 0 else { return 0 }
        var sum = 0.0
        for back in 1...count { sum += rates[(seen - back) % Self.stableWindow] }
        return sum / Double(count)
    }
}
