import AutoscaledBase

/// The threshold policy: a pure, deterministic function of (input, memory, config, now).
///
/// Thresholds decide *when* to act, a target load decides *how much*:
/// 1. The count is outside `[min_replicas, max_replicas]` (a reload changed them): move inside.
/// 2. The source is down (`failure_threshold` failed poll intervals in a row) and `fallback_replicas` is
///    set: move to it (once; later evaluations find the count there). Without it, or with no
///    usable data for a shorter while: hold.
/// 3. The total load is sized at `target_load`: `need = ⌈estimate ÷ target_load⌉`, where the
///    estimate is the total smoothed over `smoothing_window` and projected `replica_startup` ahead
///    along the trend of `trend_window` (see ``LoadEstimate``).
/// 4. A burst (total ≥ `burst_ratio` × what the current count serves at the target), or a
///    recurring peak due within `replica_startup` (``SeasonalProfile``, `seasonal_periods`): scale
///    to the need at once, past the cooldown and the rate limit.
/// 5. `servers_to_scale` > 0 (loads strictly above `scale_up_threshold`): scale up to the need, at
///    least +1, at most `max_scale_up_per_minute` within any minute, capped at `max_replicas`,
///    unless within `scale_up_cooldown` of the last scale-up (or scaled up already this tick).
/// 6. Every load strictly below `scale_down_threshold`: scale down to the highest need recorded
///    within `scale_down_stabilization` (Kubernetes HPA's stabilization window; or their mean, with
///    `scale_down_stabilization_rule = mean`), at most
///    `max_scale_down_per_minute` (or `max_scale_down_percent_per_minute`) within any minute,
///    once that is below the current count.
/// 7. Otherwise hold.
///
/// With `scale_to_zero_after`, before rules 3–7: a total load of 0 in every poll within it, this one
/// included, moves the count to 0 at once and holds it there until a load is seen. At 0, a load
/// seen is a scale-up to its need (at least 1) at once, as rule 4, whatever the thresholds.
///
/// Time is seen on the tick grid (``PolicyConfig/tick``, one `poll_interval`): cooldown, windows and
/// rates are measured from the start of the current tick, and the memory holds one value per tick,
/// so evaluating the same tick again (a load file rewritten twenty times a second) decides nothing
/// new. Every evaluation with data records its stable need (without the trend), so a scale-down
/// never goes below the window's need (its highest, or its mean). The same function serves the
/// daemon, `once` and the simulator.
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
                                   threshold: nil, reason: DecisionReason(.noUsableData(cause: cause)), recommendation: nil,
                                   heldBy: .noUsableData)
        case let .sourceDown(cause): return sourceDown(current: current, cause: cause)
        }
        var evaluation = Evaluation(snapshot: snapshot, memory: memory, now: now, config: config)
        if let after = config.scaleToZeroAfter, evaluation.estimate.current == 0,
           memory.sawNoLoad(within: after, before: evaluation.tick, tick: config.tick) {
            return toZero(&evaluation, after: after)
        }
        if config.usesLearnedHeadroom {
            return learnedHeadroom(&evaluation, memory: memory)
        }
        if evaluation.isBurst || evaluation.isSeasonalRise || evaluation.isLoadAtZero {
            return scaleUp(&evaluation, memory: memory, burst: true)
        }
        if evaluation.wantsScaleUp {
            return scaleUp(&evaluation, memory: memory, burst: false)
        }
        if evaluation.busiest.load < config.scaleDownThreshold {
            return scaleDown(&evaluation, memory: memory)
        }
        let trigger = DecisionReason.Trigger.betweenThresholds(
            scaleUp: config.scaleUpThreshold, scaleDown: config.scaleDownThreshold, busiest: evaluation.busiest)
        return evaluation.decision(.hold, to: current, trigger: trigger, outcome: .none)
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

    private func scaleUp(_ evaluation: inout Evaluation, memory: PolicyMemory, burst: Bool) -> ScalingDecision {
        let current = evaluation.current
        let trigger: DecisionReason.Trigger
        if evaluation.isLoadAtZero {
            trigger = .loadAtZero(total: evaluation.estimate.current)
        } else if burst, !evaluation.isBurst {
            trigger = .recurringPeak
        } else if burst {
            trigger = .burst(total: evaluation.estimate.current, ratio: config.burstRatio, replicas: current,
                             targetLoad: config.targetLoad)
        } else if evaluation.serversToScale > 0 {
            trigger = .serversAbove(count: evaluation.serversToScale, threshold: config.scaleUpThreshold,
                                    busiest: evaluation.busiest)
        } else {
            trigger = .expectedLoadAbove(load: evaluation.expectedLoad, within: config.replicaStartup,
                                         threshold: config.scaleUpThreshold)
        }
        let need = evaluation.need
        let wish = max(need, current + 1)
        if current >= config.maxReplicas {
            return evaluation.decision(.hold, to: current, trigger: trigger, outcome: .atMaxReplicas(config.maxReplicas),
                                       heldBy: .maxReplicas(config.maxReplicas), wanted: wish)
        }
        if !burst, let last = memory.lastScaleUp {
            // Compared as attoseconds: integer comparisons in place of calls to `Duration`'s operators.
            let since = Duration(attoseconds: max(0, evaluation.tick.attoseconds - last.attoseconds))
            if since.attoseconds < config.scaleUpCooldown.attoseconds {
                let left = (config.scaleUpCooldown - since).roundedUpToMilliseconds
                return evaluation.decision(.hold, to: current, trigger: trigger,
                                           outcome: .inCooldown(left: left, cooldown: config.scaleUpCooldown),
                                           heldBy: .scaleUpCooldown(left: left), wanted: wish)
            }
            if since.attoseconds == 0 {
                return evaluation.decision(.hold, to: current, trigger: trigger, outcome: .scaledUpThisTick(pollInterval: config.tick),
                                           heldBy: .pollInterval, wanted: wish)
            }
        }
        let added = memory.changed(up: true, after: evaluation.tick - PolicyConfig.ratePeriod)
        let room = config.maxScaleUpPerMinute - added
        let rate = DecisionReason.UpRate(max: config.maxScaleUpPerMinute, added: added)
        if !burst, room <= 0 {
            return evaluation.decision(.hold, to: current, trigger: trigger, outcome: .upRateReached(rate),
                                       heldBy: .maxScaleUpPerMinute(config.maxScaleUpPerMinute), wanted: wish)
        }
        var target = wish
        var limitedBy: DecisionReason.UpRate?
        var cappedAt: Int?
        // The last rule that lowered the target is the one that holds it.
        var heldBy: HoldingRule?
        // Differences, not sums: a count near Int.max cannot overflow.
        if !burst, target - current > room {
            target = current + room
            limitedBy = rate
            heldBy = .maxScaleUpPerMinute(config.maxScaleUpPerMinute)
        }
        if target > config.maxReplicas {
            target = config.maxReplicas
            cappedAt = config.maxReplicas
            heldBy = .maxReplicas(config.maxReplicas)
        }
        evaluation.recommendation = max(evaluation.stableNeed, target)
        return evaluation.decision(.scaleUp, to: target, trigger: trigger,
                                   outcome: .scaledUp(by: target - current, limitedBy: limitedBy, cappedAt: cappedAt,
                                                      beyondNeed: target > need),
                                   threshold: config.scaleUpThreshold, heldBy: heldBy, wanted: wish)
    }

    private func scaleDown(_ evaluation: inout Evaluation, memory: PolicyMemory) -> ScalingDecision {
        let current = evaluation.current
        let trigger = DecisionReason.Trigger.allBelow(
            servers: evaluation.snapshot.servers.count, threshold: config.scaleDownThreshold, busiest: evaluation.busiest)
        if current <= config.minReplicas {
            let wish = evaluation.unclampedNeed
            return evaluation.decision(.hold, to: current, trigger: trigger, outcome: .atMinReplicas(config.minReplicas),
                                       heldBy: wish < current ? .minReplicas(config.minReplicas) : nil, wanted: wish)
        }
        let stabilized = stabilization(evaluation, memory: memory)
        let held = stabilized.need
        guard held < current else {
            let need = evaluation.need
            return evaluation.decision(.hold, to: current, trigger: trigger, outcome: .stabilizationHolds(stabilized),
                                       heldBy: need < current ? .scaleDownStabilization(holdsAt: held) : nil, wanted: need)
        }
        let removed = memory.changed(up: false, after: evaluation.tick - PolicyConfig.ratePeriod)
        let (allowed, rule) = downRate(removed: removed, current: current)
        let rate = DecisionReason.DownRate(rule, removed: removed)
        let room = allowed - removed
        let wish = max(held, config.minReplicas)
        guard room > 0 else {
            return evaluation.decision(.hold, to: current, trigger: trigger, outcome: .downRateReached(stabilized: stabilized, rate),
                                       heldBy: .scaleDownRate(rule.key), wanted: wish)
        }
        var target = wish
        var limitedBy: DecisionReason.DownRate?
        if current - target > room {
            target = current - room
            limitedBy = rate
        }
        return evaluation.decision(.scaleDown, to: target, trigger: trigger,
                                   outcome: .scaledDown(by: current - target, stabilized: stabilized, limitedBy: limitedBy),
                                   threshold: config.scaleDownThreshold,
                                   heldBy: limitedBy == nil ? nil : .scaleDownRate(rule.key), wanted: wish)
    }

    /// The need of `scale_down_stabilization` by `scale_down_stabilization_rule` (the highest, or the
    /// mean, of the needs recorded within it, this evaluation's included), at least the need now, and
    /// the current count while the window reaches back before observation began or to a tick the
    /// source was down in: a scale-down goes no lower, and neither a restart nor the first reads
    /// after an outage hasten one.
    private func stabilization(_ evaluation: Evaluation, memory: borrowing PolicyMemory) -> DecisionReason.Stabilization {
        let window = config.scaleDownStabilization
        let cutoff = evaluation.tick - window
        let need = evaluation.need
        var held = switch config.scaleDownStabilizationRule {
        case .highest: max(memory.highestRecommendation(since: cutoff) ?? need, need)
        case .mean: max(memory.meanRecommendation(since: cutoff, tick: evaluation.tick, need: need), need)
        }
        if memory.observingSince > cutoff { held = max(held, evaluation.current) }
        var sourceDownWithin = false
        if let down = memory.lastTickSourceDown, down >= cutoff, held < evaluation.current {
            (held, sourceDownWithin) = (evaluation.current, true)
        }
        return DecisionReason.Stabilization(window: window, need: held, rule: config.scaleDownStabilizationRule,
                                            sourceDownWithin: sourceDownWithin)
    }

    /// `scale_to_zero_after`: every poll within it saw no load, this one too: to 0 at once (past the
    /// stabilization window and the rates), or hold there; 0 is what the window records.
    private func toZero(_ evaluation: inout Evaluation, after: Duration) -> ScalingDecision {
        let current = evaluation.current
        evaluation.recommendation = 0
        guard current > 0 else {
            return evaluation.decision(.hold, to: 0, trigger: .noLoad(within: after), outcome: .staysAtZero)
        }
        return evaluation.decision(.scaleDown, to: 0, trigger: .noLoad(within: after), outcome: .scaledToZero(by: current),
                                   // No threshold rule fires here: the one servers_to_scale counts against.
                                   threshold: config.scaleUpThreshold)
    }

    /// `headroom = learned`: up to the need at once; down to the need of `scale_down_stabilization`
    /// (by `scale_down_stabilization_rule`) once enough rises are known; otherwise hold.
    private func learnedHeadroom(_ evaluation: inout Evaluation, memory: borrowing PolicyMemory) -> ScalingDecision {
        let current = evaluation.current
        let need = evaluation.need
        let trigger = DecisionReason.Trigger.learnedNeed(evaluation.learnedSizing)
        if need > current {
            guard current < config.maxReplicas else {
                return evaluation.decision(.hold, to: current, trigger: trigger, outcome: .atMaxReplicas(config.maxReplicas),
                                           heldBy: .maxReplicas(config.maxReplicas), wanted: need)
            }
            let target = min(need, config.maxReplicas)
            return evaluation.decision(.scaleUp, to: target, trigger: trigger,
                                       outcome: .scaledUp(by: target - current, limitedBy: nil,
                                                          cappedAt: target < need ? config.maxReplicas : nil),
                                       threshold: config.scaleUpThreshold,
                                       heldBy: target < need ? .maxReplicas(config.maxReplicas) : nil, wanted: need)
        }
        guard need < current else {
            return evaluation.decision(.hold, to: current, trigger: trigger, outcome: .none)
        }
        guard evaluation.riseIsLearned else {
            return evaluation.decision(.hold, to: current, trigger: trigger,
                                       outcome: .stillLearning(rises: memory.visibleRiseCount(at: evaluation.tick, policy: config)),
                                       heldBy: .headroomWindow, wanted: need)
        }
        let stabilized = stabilization(evaluation, memory: memory)
        let held = stabilized.need
        guard held < current else {
            return evaluation.decision(.hold, to: current, trigger: trigger, outcome: .stabilizationHolds(stabilized),
                                       heldBy: .scaleDownStabilization(holdsAt: held), wanted: need)
        }
        return evaluation.decision(.scaleDown, to: held, trigger: trigger,
                                   outcome: .scaledDown(by: current - held, stabilized: stabilized, limitedBy: nil),
                                   // No threshold rule fires here: the one servers_to_scale counts against.
                                   threshold: config.scaleUpThreshold)
    }

    /// The most replicas scale-downs may remove within a minute, and the rule that says so:
    /// `max_scale_down_per_minute`, or `max_scale_down_percent_per_minute` of the count before the
    /// last minute's scale-downs (`current + removed`, as HPA counts it: scale-ups within the minute
    /// are not taken off; rounded up) when that is more.
    private func downRate(removed: Int, current: Int) -> (replicas: Int, rule: DecisionReason.DownRule) {
        let byCount = config.maxScaleDownPerMinute
        let percent = config.maxScaleDownPercentPerMinute
        // Saturated: counts near Int.max (refused by the config) cannot overflow.
        let before = current > Int.max - removed ? Int.max : current + removed
        let byPercent = Int(min((percent / 100 * Double(before)).rounded(.up), 1e12))
        if percent > 0, byPercent > byCount {
            return (byPercent, .percentPerMinute(percent: percent, allowed: byPercent, of: before))
        }
        return (byCount, .perMinute(byCount))
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
                               reason: DecisionReason(above ? .aboveMaxReplicas(replicas: current, max: config.maxReplicas)
                                   : .belowMinReplicas(replicas: current, min: config.minReplicas)),
                               recommendation: to)
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
