import AutoscaledBase

/// What the policy remembers between evaluations: the current count, when it last scaled up, the
/// recommendations inside the scale-down stabilization window, the total load of each recent tick
/// (for smoothing and the trend), and the changes of the last minute (for the rates).
///
/// Everything is kept on the policy's grid of ticks (see ``PolicyConfig/tick``), one entry per
/// tick at most, so how often the same tick is evaluated changes nothing that is remembered:
/// the latest total of a tick stands for it, its highest recommendation counts, its changes add up.
/// Times are on the monotonic timeline. Only the seasonal profile and the learned headroom's rises
/// are persisted (in the state file): after a restart the stabilization window starts again
/// (`observingSince`), so a restart never hastens a scale-down, but the recurring peaks and the
/// rises learned so far are still known.
public struct PolicyMemory: Sendable, Equatable {
    /// One tick's recommended count.
    public struct Recommendation: Sendable, Equatable {
        public var at: MonotonicInstant
        public var replicas: Int
    }

    /// Replicas added (positive) or removed (negative) in one tick.
    public struct Change: Sendable, Equatable {
        public var at: MonotonicInstant
        public var replicas: Int
    }

    public var replicas: Int
    /// The tick of the last scale-up.
    public var lastScaleUp: MonotonicInstant?
    /// Recommendations, oldest first, one per tick, none older than the stabilization window.
    public private(set) var recommendations: [Recommendation]
    /// Total loads, oldest first, one per tick, none older than the policy's sample window.
    public private(set) var samples: [LoadSample]
    /// Changes of the count, oldest first, one per tick and direction, none older than a minute.
    public private(set) var changes: [Change]
    /// When recommendations started being recorded (daemon start); the origin of the tick grid.
    public var observingSince: MonotonicInstant
    /// The latest tick recorded: no tick starts before it, not even on another grid (a reload
    /// that changes `poll_interval`), so every window stays in time order.
    public private(set) var latestTick: MonotonicInstant?
    /// The last tick with a read that gave no usable data (a failed read, the source down): the
    /// `scale_to_zero_after` wait starts again after it, whatever else the tick read.
    public private(set) var lastTickWithoutData: MonotonicInstant?
    /// The last tick the source was down in (`failure_threshold` failed poll intervals in a row):
    /// a scale-down waits until `scale_down_stabilization` reaches back no further, as after a start.
    public private(set) var lastTickSourceDown: MonotonicInstant?
    /// The last tick with a read whose total load was above 0: a tick keeps its latest total, so
    /// this is how a tick that saw load and then none is still not idle for `scale_to_zero_after`.
    public private(set) var lastTickWithLoad: MonotonicInstant?
    /// The seasonal profile and its phase origin (see `PolicyMemory+Season.swift`), behind one
    /// reference: `nil`, and one word to copy, while `seasonal_periods` is off.
    var seasonal: SeasonalStorage?
    /// With `headroom = learned`: the rise of each tick's total within its horizon, oldest first,
    /// none older than `headroom_window` (see `PolicyMemory+Headroom.swift`).
    var riseLog = RiseLog()
    /// The same rises, in ascending order (the quantile is read from it).
    var sortedRises: [Double] = []
    /// The tick of the last sample whose rise is known.
    var risenThrough: MonotonicInstant?
    /// What the rises were measured against (the horizon, the seasonal rise), while there are any.
    var risesMeasure: Headroom.RiseMeasure?

    public init(replicas: Int, observingSince: MonotonicInstant, lastScaleUp: MonotonicInstant? = nil) {
        self.replicas = replicas
        self.observingSince = observingSince
        self.lastScaleUp = lastScaleUp
        self.recommendations = []
        self.samples = []
        self.changes = []
    }

    /// The start of the tick `now` falls in: `observingSince` plus a whole number of `tick`s (an
    /// instant before `observingSince` is its own tick, as a clock set back must not move the grid;
    /// a tick under a nanosecond is no grid at all), and never before ``latestTick``: after a
    /// reload made the ticks longer, the grid's tick may start before the latest one recorded,
    /// which then goes on until the grid's next tick.
    public func tick(of now: MonotonicInstant, tick: Duration) -> MonotonicInstant {
        let unit = Duration.nanoseconds(ofAttoseconds: tick.attoseconds)
        guard unit > 0, now > observingSince else { return now }
        let whole = Duration.nanoseconds(ofAttoseconds: now.attoseconds - observingSince.attoseconds) / unit
        let onGrid = MonotonicInstant(attoseconds: observingSince.attoseconds + tick.attoseconds * Int128(whole))
        if let latestTick, onGrid < latestTick, latestTick <= now { return latestTick }
        return onGrid
    }

    /// The memory after `decision` was taken at `now` under `policy`; what has aged out of the
    /// stabilization, sample and rate windows is dropped.
    public func recording(_ decision: ScalingDecision, at now: MonotonicInstant, policy: PolicyConfig) -> PolicyMemory {
        var next = self
        next.record(decision, at: now, policy: policy)
        return next
    }

    /// ``recording(_:at:policy:)`` in place: no copy of the windows (the simulator's loop).
    public mutating func record(_ decision: ScalingDecision, at now: MonotonicInstant, policy: PolicyConfig) {
        let at = tick(of: now, tick: policy.tick)
        latestTick = max(latestTick ?? at, at)
        replicas = decision.to
        switch decision.reason.trigger {
        case .noUsableData: lastTickWithoutData = at
        case .sourceDownWithoutFallback, .fallback, .atFallback: (lastTickWithoutData, lastTickSourceDown) = (at, at)
        default: break
        }
        if decision.action == .scaleUp { lastScaleUp = at }
        if let recommended = decision.recommendation {
            if let last = recommendations.last, last.at == at {
                recommendations[recommendations.count - 1].replicas = max(last.replicas, recommended)
            } else {
                recommendations.append(Recommendation(at: at, replicas: recommended))
            }
        }
        if let total = decision.totalLoad {
            if total != 0 { lastTickWithLoad = at }
            if !policy.seasonalPeriods.isEmpty {
                if let last = samples.last, last.at != at {
                    // The previous tick is over: its latest total is what it saw.
                    learnSeason(last, policy: policy)
                }
            } else if seasonal != nil {
                // Turned off by a reload: nothing learned is kept (nor saved).
                season = nil
            }
            if policy.usesLearnedHeadroom {
                if let last = samples.last, last.at != at { learnRises(before: at, policy: policy) }
            } else if !rises.isEmpty {
                forgetRises()
            }
            if samples.last?.at == at { samples.removeLast() }
            samples.append(LoadSample(at: at, total: total))
        }
        let delta = decision.to - decision.from
        if delta != 0 {
            if let last = changes.last, last.at == at, (last.replicas > 0) == (delta > 0) {
                changes[changes.count - 1].replicas += delta
            } else {
                changes.append(Change(at: at, replicas: delta))
            }
        }
        let recommendationCutoff = at - policy.scaleDownStabilization
        recommendations.removeFirst(recommendations.prefix { $0.at < recommendationCutoff }.count)
        let sampleCutoff = at - policy.sampleWindow
        samples.removeFirst(samples.prefix { $0.at < sampleCutoff }.count)
        let changeCutoff = at - PolicyConfig.ratePeriod
        changes.removeFirst(changes.prefix { $0.at <= changeCutoff }.count)
    }

    /// The mean, rounded up, of one recommendation per tick at or after `cutoff`: those recorded
    /// before `tick`, and for `tick` itself the higher of `need` and what it recorded already (an
    /// evaluation of a tick seen before counts that tick once, as its first evaluation did).
    public func meanRecommendation(since cutoff: MonotonicInstant, tick: MonotonicInstant, need: Int) -> Int {
        // Needs are at most 10^12 each (``Evaluation/replicas(for:config:)``): summed as Int128, no
        // window of them can overflow, and their mean fits an Int.
        var sum: Int128 = 0
        var count: Int128 = 1
        var thisTick = need
        for recommendation in recommendations.reversed() {
            guard recommendation.at >= cutoff else { break }
            if recommendation.at >= tick {
                thisTick = max(thisTick, recommendation.replicas)
            } else {
                sum += Int128(recommendation.replicas)
                count += 1
            }
        }
        sum += Int128(thisTick)
        return Int((sum + count - 1) / count)
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

    /// Whether the ticks before `tick` that, with `tick` itself, make `window` (`window ÷ tick length`
    /// ticks in all, at least one) each have a sample kept, of a total of 0: a tick without one (no
    /// data, or before observation began) breaks the run, as does a read without data in any of
    /// them or in `tick` (``lastTickWithoutData``), or a read with load in any of them or earlier in
    /// `tick` (``lastTickWithLoad``: a tick keeps only its latest total). The total of `tick`'s
    /// current read is the caller's.
    public func sawNoLoad(within window: Duration, before tick: MonotonicInstant, tick length: Duration) -> Bool {
        guard length.attoseconds > 0 else { return false }
        let earlier = max(1, window.attoseconds / length.attoseconds) - 1
        let start = tick - Duration(attoseconds: length.attoseconds * earlier)
        // A tick without data within the wait (this one included) breaks it, even one that also read no load.
        if let lastTickWithoutData, lastTickWithoutData >= start { return false }
        if let lastTickWithLoad, lastTickWithLoad >= start { return false }
        guard earlier > 0 else { return true }
        let seen = samples(since: start, before: tick)
        guard Int128(seen.count) >= earlier else { return false }
        for sample in seen where sample.total != 0 { return false }
        return true
    }

    /// The samples at or after `cutoff` and before `before`, oldest first.
    public func samples(since cutoff: MonotonicInstant, before: MonotonicInstant) -> ArraySlice<LoadSample> {
        // The samples are in time order (one per tick, appended in order): a binary search finds
        // the first one at or after the cutoff.
        var first = samples.startIndex
        var high = samples.endIndex
        while first < high {
            let middle = first + (high - first) / 2
            if samples[middle].at >= cutoff { high = middle } else { first = middle + 1 }
        }
        var end = samples.endIndex
        while end > first, samples[end - 1].at >= before { end -= 1 }
        return samples[first..<end]
    }

    /// Replicas added (`up`) or removed (`!up`, as a positive number) by the changes after `cutoff`.
    public func changed(up: Bool, after cutoff: MonotonicInstant) -> Int {
        var total = 0
        for change in changes.reversed() {
            guard change.at > cutoff else { break }
            if (change.replicas > 0) == up { total += abs(change.replicas) }
        }
        return total
    }
}

extension Duration {
    /// The whole nanoseconds of `attoseconds` (rounded towards zero), the largest `Int64` of the
    /// sign where it does not fit: one integer division, no `Duration` in between.
    static func nanoseconds(ofAttoseconds attoseconds: Int128) -> Int64 {
        let whole = attoseconds / 1_000_000_000
        if let exact = Int64(exactly: whole) { return exact }
        return whole < 0 ? .min : .max
    }
}
