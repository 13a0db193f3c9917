/// The threshold policy: a pure, deterministic function of (input, memory, config, now).
///
/// Thresholds decide *when* to act, a target load decides *how much*:
/// 1. The count is outside `[min_replicas, max_replicas]` (a reload changed them): move inside.
/// 2. The source is down (`failure_threshold` failed reads in a row) and `fallback_replicas` is
///    set: move to it (once; later evaluations find the count there). Without it, or with no
///    usable data for a shorter while: hold.
/// 3. The total load is sized at `target_load`: `need = ⌈estimate ÷ target_load⌉`, where the
///    estimate is the total smoothed over `smoothing_window` and projected `replica_startup` ahead
///    along the trend of `trend_window` (see ``LoadEstimate``).
/// 4. A burst (total ≥ `burst_ratio` × what the current count serves at the target): scale to
///    the need at once, past the cooldown and the rate limit.
/// 5. `servers_to_scale` > 0 (loads strictly above `scale_up_threshold`): scale up to the need, at
///    least +1, at most `max_scale_up_per_minute` within any minute, capped at `max_replicas`,
///    unless within `scale_up_cooldown` of the last scale-up (or scaled up already this tick).
/// 6. Every load strictly below `scale_down_threshold`: scale down to the highest need recorded
///    within `scale_down_stabilization` (Kubernetes HPA's stabilization window), at most
///    `max_scale_down_per_minute` (or `max_scale_down_percent_per_minute`) within any minute,
///    once that is below the current count.
/// 7. Otherwise hold.
///
/// Time is seen on the tick grid (``PolicyConfig/tick``, one `poll_interval`): cooldown, windows and
/// rates are measured from the start of the current tick, and the memory holds one value per tick,
/// so evaluating the same tick again (a load file rewritten twenty times a second) decides nothing
/// new. Every evaluation with data records its stable need (without the trend), so a scale-down
/// never goes below the highest need of the window. The same function serves the daemon, `once`
/// and the simulator.
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
        let snapshot: LoadSnapshot
        switch input {
        case let .loads(loads): snapshot = loads
        case let .unavailable(cause):
            return ScalingDecision(action: .hold, from: current, to: current, serversToScale: nil, busiest: nil,
                                   threshold: nil, reason: "no usable load data: \(cause)", recommendation: nil,
                                   heldBy: .noUsableData)
        case let .sourceDown(cause): return sourceDown(current: current, cause: cause)
        }
        var evaluation = Evaluation(snapshot: snapshot, memory: memory, now: now, config: config)
        if evaluation.isBurst {
            return scaleUp(&evaluation, burst: true)
        }
        if evaluation.wantsScaleUp {
            return scaleUp(&evaluation, burst: false)
        }
        if evaluation.busiest.load < config.scaleDownThreshold {
            return scaleDown(&evaluation)
        }
        let story = evaluation.story
        return evaluation.decision(.hold, to: current) {
            "no server above scale_up_threshold \(number(story.config.scaleUpThreshold)) and not all below "
                + "scale_down_threshold \(number(story.config.scaleDownThreshold)) (max \(story.busiestText))"
                + story.sizing
        }
    }

    /// The number of servers whose load is strictly greater than `threshold` (the original
    /// exercise: 30, 55, 20 at 50 → 1; a load equal to the threshold is not over it).
    public static func serversToScale(_ snapshot: LoadSnapshot, threshold: Double) -> Int {
        var count = 0
        let servers = snapshot.servers
        for index in servers.indices where servers[index].load > threshold { count += 1 }
        return count
    }

    /// The most loaded server; the first listed wins a tie.
    public static func busiest(_ snapshot: LoadSnapshot) -> ServerLoad {
        // By index, reading only the loads: no copy of each name on the way.
        let servers = snapshot.servers
        var best = 0
        for index in servers.indices.dropFirst() where servers[index].load > servers[best].load { best = index }
        return servers[best]
    }

    private func scaleUp(_ evaluation: inout Evaluation, burst: Bool) -> ScalingDecision {
        let current = evaluation.current
        let story = evaluation.story
        let what: @Sendable () -> String = {
            let config = story.config
            var what: String
            if burst {
                what = "burst: total load \(number(story.estimate.current)) is at least burst_ratio \(number(config.burstRatio)) "
                    + "times what \(current) replicas serve at target_load \(number(config.targetLoad))"
            } else if story.serversToScale > 0 {
                what = "\(story.serversToScale) server\(story.serversToScale == 1 ? "" : "s") above scale_up_threshold "
                    + "\(number(config.scaleUpThreshold)) (max \(story.busiestText))"
            } else {
                what = "load per server expected in replica_startup \(DurationText.format(config.replicaStartup)) "
                    + "\(number(story.expectedLoad)) above scale_up_threshold \(number(config.scaleUpThreshold))"
            }
            return what + story.sizing
        }
        let need = evaluation.need
        let wish = max(need, current + 1)
        if current >= config.maxReplicas {
            return evaluation.decision(.hold, to: current, heldBy: .maxReplicas(config.maxReplicas), wanted: wish) { [config] in
                "\(what()) but already at max_replicas \(config.maxReplicas)"
            }
        }
        if !burst, let last = evaluation.memory.lastScaleUp {
            // Compared as attoseconds: integer comparisons in place of calls to `Duration`'s operators.
            let since = Duration(attoseconds: max(0, evaluation.tick.attoseconds - last.attoseconds))
            if since.attoseconds < config.scaleUpCooldown.attoseconds {
                let left = (config.scaleUpCooldown - since).roundedUpToMilliseconds
                return evaluation.decision(.hold, to: current, heldBy: .scaleUpCooldown(left: left), wanted: wish) { [config] in
                    "\(what()) but in scale_up_cooldown (\(DurationText.format(left)) "
                        + "of \(DurationText.format(config.scaleUpCooldown)) left)"
                }
            }
            if since.attoseconds == 0 {
                return evaluation.decision(.hold, to: current, heldBy: .pollInterval, wanted: wish) { [config] in
                    "\(what()) but scaled up already in this tick (poll_interval \(DurationText.format(config.tick)))"
                }
            }
        }
        let added = evaluation.memory.changed(up: true, after: evaluation.tick - PolicyConfig.ratePeriod)
        let room = config.maxScaleUpPerMinute - added
        if !burst, room <= 0 {
            return evaluation.decision(.hold, to: current, heldBy: .maxScaleUpPerMinute(config.maxScaleUpPerMinute),
                                       wanted: wish) { [config] in
                "\(what()) but max_scale_up_per_minute \(config.maxScaleUpPerMinute) reached (+\(added) in the last minute)"
            }
        }
        var target = wish
        var limitedByRate = false
        var capped = false
        // The last rule that lowered the target is the one that holds it.
        var heldBy: HoldingRule?
        // Differences, not sums: a count near Int.max cannot overflow.
        if !burst, target - current > room {
            target = current + room
            limitedByRate = true
            heldBy = .maxScaleUpPerMinute(config.maxScaleUpPerMinute)
        }
        if target > config.maxReplicas {
            target = config.maxReplicas
            capped = true
            heldBy = .maxReplicas(config.maxReplicas)
        }
        evaluation.recommendation = max(evaluation.stableNeed, target)
        return evaluation.decision(.scaleUp, to: target, threshold: config.scaleUpThreshold, heldBy: heldBy, wanted: wish) {
            [config, target, limitedByRate, capped] in
            "\(what()): +\(target - current)"
                + (limitedByRate ? " (limited by max_scale_up_per_minute \(config.maxScaleUpPerMinute)"
                    + (added > 0 ? ", +\(added) in the last minute)" : ")") : "")
                + (capped ? " (capped at max_replicas \(config.maxReplicas))" : "")
        }
    }

    private func scaleDown(_ evaluation: inout Evaluation) -> ScalingDecision {
        let current = evaluation.current
        let story = evaluation.story
        let what: @Sendable () -> String = {
            let count = story.serverCount
            return (count == 1 ? "the only server" : "all \(count) servers")
                + " below scale_down_threshold \(number(story.config.scaleDownThreshold)) (max \(story.busiestText))"
                + story.sizing
        }
        if current <= config.minReplicas {
            let wish = evaluation.unclampedNeed
            return evaluation.decision(.hold, to: current, heldBy: wish < current ? .minReplicas(config.minReplicas) : nil,
                                       wanted: wish) { [config] in
                "\(what()) but already at min_replicas \(config.minReplicas)"
            }
        }
        let window = config.scaleDownStabilization
        let cutoff = evaluation.tick - window
        var highest = max(evaluation.memory.highestRecommendation(since: cutoff) ?? evaluation.need, evaluation.need)
        if evaluation.memory.observingSince > cutoff { highest = max(highest, current) }
        guard highest < current else {
            let need = evaluation.need
            return evaluation.decision(.hold, to: current, heldBy: need < current ? .scaleDownStabilization(holdsAt: highest) : nil,
                                       wanted: need) { [highest] in
                "\(what()) but scale_down_stabilization \(DurationText.format(window)) holds at \(highest)"
            }
        }
        let removed = evaluation.memory.changed(up: false, after: evaluation.tick - PolicyConfig.ratePeriod)
        let rate = downRate(removed: removed, current: current)
        let room = rate.replicas - removed
        let stabilized: @Sendable () -> String = { [highest] in
            "; highest need within scale_down_stabilization \(DurationText.format(window)) is \(highest)"
        }
        let wish = max(highest, config.minReplicas)
        guard room > 0 else {
            return evaluation.decision(.hold, to: current, heldBy: .scaleDownRate(rate.key), wanted: wish) {
                "\(what())\(stabilized()) but \(rate.rule()) reached (-\(removed) in the last minute)"
            }
        }
        var target = wish
        var limited = false
        if current - target > room {
            target = current - room
            limited = true
        }
        return evaluation.decision(.scaleDown, to: target, threshold: config.scaleDownThreshold,
                                   heldBy: limited ? .scaleDownRate(rate.key) : nil, wanted: wish) { [target, limited] in
            "\(what())\(stabilized()): -\(current - target)"
                + (limited ? " (limited by \(rate.rule())" + (removed > 0 ? ", -\(removed) in the last minute)" : ")") : "")
        }
    }

    /// The most replicas scale-downs may remove within a minute, and the rule that says so (put into
    /// words only when read): `max_scale_down_per_minute`, or `max_scale_down_percent_per_minute` of
    /// the count a minute ago (`current + removed`, rounded up) when that is more.
    private func downRate(removed: Int, current: Int) -> (replicas: Int, key: String, rule: @Sendable () -> String) {
        let byCount = config.maxScaleDownPerMinute
        let percent = config.maxScaleDownPercentPerMinute
        // Saturated: counts near Int.max (refused by the config) cannot overflow.
        let before = current > Int.max - removed ? Int.max : current + removed
        let byPercent = Int(min((percent / 100 * Double(before)).rounded(.up), 1e12))
        if percent > 0, byPercent > byCount {
            return (byPercent, "max_scale_down_percent_per_minute",
                    { "max_scale_down_percent_per_minute \(number(percent)) (\(byPercent) of \(before))" })
        }
        return (byCount, "max_scale_down_per_minute", { "max_scale_down_per_minute \(byCount)" })
    }

    private func clampIntoRange(current: Int, input: PolicyInput) -> ScalingDecision {
        var serversToScale: Int?
        var busiest: ServerLoad?
        if case let .loads(snapshot) = input {
            serversToScale = Self.serversToScale(snapshot, threshold: config.scaleUpThreshold)
            busiest = Self.busiest(snapshot)
        }
        let above = current > config.maxReplicas
        let to = above ? config.maxReplicas : config.minReplicas
        return ScalingDecision(action: above ? .scaleDown : .scaleUp, from: current, to: to, serversToScale: serversToScale,
                               busiest: busiest, threshold: nil,
                               reason: above ? "\(current) replicas above max_replicas \(config.maxReplicas)"
                                   : "\(current) replicas below min_replicas \(config.minReplicas)",
                               recommendation: to)
    }
}

/// Formats a load or threshold: integral numbers without `.0`, others to two decimals at most.
func number(_ value: Double) -> String {
    LogValue.format((value * 100).rounded() / 100)
}

extension Duration {
    /// Rounded up to whole milliseconds, so a cooldown with time left never reads as `0`.
    var roundedUpToMilliseconds: Duration {
        let (seconds, attoseconds) = components
        let millis = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return .seconds(seconds) + .milliseconds(millis)
    }
}
