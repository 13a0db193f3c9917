/// The threshold policy: a pure, deterministic function of (input, memory, config, now).
///
/// Rules, first match wins:
/// 1. The count is outside `[min_replicas, max_replicas]` (a reload changed them): move inside.
/// 2. No usable data: hold.
/// 3. `servers_to_scale` > 0 (loads strictly above `scale_up_threshold`): scale up by
///    `min(servers_to_scale, max_scale_up_step)`, capped at `max_replicas`, unless within
///    `scale_up_cooldown` of the last scale-up.
/// 4. Every load strictly below `scale_down_threshold`: recommend `current − scale_down_step`
///    (not below `min_replicas`); scale down to the highest recommendation seen within
///    `scale_down_stabilization` once that is below the current count.
/// 5. Otherwise hold.
///
/// The same function serves the daemon, `once` and the simulator.
public struct ThresholdPolicy: Sendable {
    public var config: PolicyConfig

    public init(config: PolicyConfig) {
        self.config = config
    }

    public func decide(_ input: PolicyInput, memory: PolicyMemory, now: MonotonicInstant) -> ScalingDecision {
        let current = memory.replicas
        if current > config.maxReplicas || current < config.minReplicas {
            return clampIntoRange(current: current, input: input)
        }
        guard case let .loads(snapshot) = input else {
            guard case let .unavailable(cause) = input else { preconditionFailure() }
            return hold(current, serversToScale: nil, busiest: nil, reason: "no usable load data: \(cause)", recommendation: nil)
        }
        let serversToScale = Self.serversToScale(snapshot, threshold: config.scaleUpThreshold)
        let busiest = Self.busiest(snapshot)
        if serversToScale > 0 {
            return scaleUp(current: current, serversToScale: serversToScale, busiest: busiest, memory: memory, now: now)
        }
        if busiest.load < config.scaleDownThreshold {
            return scaleDown(current: current, count: snapshot.servers.count, busiest: busiest, memory: memory, now: now)
        }
        let reason = "no server above scale_up_threshold \(number(config.scaleUpThreshold)) and not all below "
            + "scale_down_threshold \(number(config.scaleDownThreshold)) (max \(describe(busiest)))"
        return hold(current, serversToScale: 0, busiest: busiest, reason: reason, recommendation: current)
    }

    /// The number of servers whose load is strictly greater than `threshold` (the original
    /// exercise: 30, 55, 20 at 50 → 1; a load equal to the threshold is not over it).
    public static func serversToScale(_ snapshot: LoadSnapshot, threshold: Double) -> Int {
        var count = 0
        for server in snapshot.servers where server.load > threshold { count += 1 }
        return count
    }

    /// The most loaded server; the first listed wins a tie.
    public static func busiest(_ snapshot: LoadSnapshot) -> ServerLoad {
        var best = snapshot.servers[0]
        for server in snapshot.servers.dropFirst() where server.load > best.load { best = server }
        return best
    }

    private func scaleUp(
        current: Int, serversToScale: Int, busiest: ServerLoad, memory: PolicyMemory, now: MonotonicInstant
    ) -> ScalingDecision {
        let what = "\(serversToScale) server\(serversToScale == 1 ? "" : "s") above scale_up_threshold "
            + "\(number(config.scaleUpThreshold)) (max \(describe(busiest)))"
        let step = min(serversToScale, config.maxScaleUpStep)
        let target = min(current + step, config.maxReplicas)
        if current >= config.maxReplicas {
            return hold(current, serversToScale: serversToScale, busiest: busiest,
                        reason: "\(what) but already at max_replicas \(config.maxReplicas)", recommendation: current)
        }
        if let last = memory.lastScaleUp, max(.zero, now - last) < config.scaleUpCooldown {
            let left = config.scaleUpCooldown - max(.zero, now - last)
            return hold(current, serversToScale: serversToScale, busiest: busiest,
                        reason: "\(what) but in scale_up_cooldown (\(DurationText.format(left.roundedUpToMilliseconds)) "
                            + "of \(DurationText.format(config.scaleUpCooldown)) left)",
                        recommendation: target)
        }
        var reason = "\(what): +\(target - current)"
        if serversToScale > config.maxScaleUpStep { reason += " (limited by max_scale_up_step \(config.maxScaleUpStep))" }
        if current + step > config.maxReplicas { reason += " (capped at max_replicas \(config.maxReplicas))" }
        return ScalingDecision(action: .scaleUp, from: current, to: target, serversToScale: serversToScale,
                               busiest: busiest, threshold: config.scaleUpThreshold, reason: reason, recommendation: target)
    }

    private func scaleDown(
        current: Int, count: Int, busiest: ServerLoad, memory: PolicyMemory, now: MonotonicInstant
    ) -> ScalingDecision {
        let what = (count == 1 ? "the only server" : "all \(count) servers")
            + " below scale_down_threshold \(number(config.scaleDownThreshold)) (max \(describe(busiest)))"
        if current <= config.minReplicas {
            return hold(current, serversToScale: 0, busiest: busiest,
                        reason: "\(what) but already at min_replicas \(config.minReplicas)", recommendation: current)
        }
        let recommended = max(current - config.scaleDownStep, config.minReplicas)
        let window = config.scaleDownStabilization
        let cutoff = now - window
        var highest = max(memory.highestRecommendation(since: cutoff) ?? recommended, recommended)
        if memory.observingSince > cutoff { highest = max(highest, current) }
        guard highest < current else {
            return hold(current, serversToScale: 0, busiest: busiest,
                        reason: "\(what) but scale_down_stabilization \(DurationText.format(window)) holds at \(highest)",
                        recommendation: recommended)
        }
        let reason = "\(what) with no higher recommendation for scale_down_stabilization "
            + "\(DurationText.format(window)): -\(current - highest)"
            + (recommended == config.minReplicas && current - config.scaleDownStep < config.minReplicas
                ? " (floored at min_replicas \(config.minReplicas))" : "")
        return ScalingDecision(action: .scaleDown, from: current, to: highest, serversToScale: 0, busiest: busiest,
                               threshold: config.scaleDownThreshold, reason: reason, recommendation: recommended)
    }

    private func clampIntoRange(current: Int, input: PolicyInput) -> ScalingDecision {
        var serversToScale: Int?
        var busiest: ServerLoad?
        if case let .loads(snapshot) = input {
            serversToScale = Self.serversToScale(snapshot, threshold: config.scaleUpThreshold)
            busiest = Self.busiest(snapshot)
        }
        if current > config.maxReplicas {
            return ScalingDecision(action: .scaleDown, from: current, to: config.maxReplicas, serversToScale: serversToScale,
                                   busiest: busiest, threshold: nil,
                                   reason: "\(current) replicas above max_replicas \(config.maxReplicas)",
                                   recommendation: config.maxReplicas)
        }
        return ScalingDecision(action: .scaleUp, from: current, to: config.minReplicas, serversToScale: serversToScale,
                               busiest: busiest, threshold: nil,
                               reason: "\(current) replicas below min_replicas \(config.minReplicas)",
                               recommendation: config.minReplicas)
    }

    private func hold(
        _ current: Int, serversToScale: Int?, busiest: ServerLoad?, reason: String, recommendation: Int?
    ) -> ScalingDecision {
        ScalingDecision(action: .hold, from: current, to: current, serversToScale: serversToScale, busiest: busiest,
                        threshold: nil, reason: reason, recommendation: recommendation)
    }

    private func describe(_ server: ServerLoad) -> String {
        "\(server.name)=\(number(server.load))"
    }

    private func number(_ value: Double) -> String {
        LogValue.format(value)
    }
}

extension Duration {
    /// Rounded up to whole milliseconds, so a cooldown with time left never reads as `0`.
    var roundedUpToMilliseconds: Duration {
        let (seconds, attoseconds) = components
        let millis = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return .seconds(seconds) + .milliseconds(millis)
    }
}
