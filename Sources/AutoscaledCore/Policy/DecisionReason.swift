/// Why a decision is what it is, as a value: the rule that triggered it, the figures the load was
/// sized with, and the limit that applied, each with its numbers (Kubernetes' HPA condition
/// reasons, kept whole). Put into words in one place, ``text``.
///
/// A plain value with no closure: the simulator makes millions of decisions and reads few reasons.
/// Its parts live in one immutable box, so a decision stays small to copy (one word for its
/// reason) while each part reads as a stored value.
public struct DecisionReason: Sendable, Equatable {
    /// What started the decision.
    public var trigger: Trigger {
        get { parts.trigger }
        set { parts = Parts(newValue, parts.sizing, parts.outcome, parts.pause) }
    }
    /// How the load was sized at `target_load`; `nil` for a decision made without load data.
    public var sizing: Sizing? {
        get { parts.sizing }
        set { parts = Parts(parts.trigger, newValue, parts.outcome, parts.pause) }
    }
    /// What became of the trigger: the change made and any limit on it, or the rule that held.
    public var outcome: Outcome {
        get { parts.outcome }
        set { parts = Parts(parts.trigger, parts.sizing, newValue, parts.pause) }
    }
    /// The operator's pause that overrode the policy, if one did.
    public var pause: PauseOverride? {
        get { parts.pause }
        set { parts = Parts(parts.trigger, parts.sizing, parts.outcome, newValue) }
    }

    private var parts: Parts

    public init(_ trigger: Trigger, sizing: Sizing? = nil, outcome: Outcome = .none, pause: PauseOverride? = nil) {
        parts = Parts(trigger, sizing, outcome, pause)
    }

    public static func == (a: DecisionReason, b: DecisionReason) -> Bool {
        a.parts === b.parts || (a.trigger == b.trigger && a.sizing == b.sizing && a.outcome == b.outcome && a.pause == b.pause)
    }

    /// The parts, never changed once made: a setter makes new ones.
    private final class Parts: Sendable {
        let trigger: Trigger
        let sizing: Sizing?
        let outcome: Outcome
        let pause: PauseOverride?

        init(_ trigger: Trigger, _ sizing: Sizing?, _ outcome: Outcome, _ pause: PauseOverride?) {
            self.trigger = trigger
            self.sizing = sizing
            self.outcome = outcome
            self.pause = pause
        }
    }

    /// The rule that started a decision.
    public enum Trigger: Sendable, Equatable {
        /// The count is above `max_replicas` (a reload lowered it).
        case aboveMaxReplicas(replicas: Int, max: Int)
        /// The count is below `min_replicas` (a reload raised it).
        case belowMinReplicas(replicas: Int, min: Int)
        /// The source gave nothing to decide from (not yet for long enough to count as down).
        case noUsableData(cause: String)
        /// The source is down and there is no `fallback_replicas`.
        case sourceDownWithoutFallback(cause: String)
        /// The source is down: move to `fallback_replicas`.
        case fallback(replicas: Int, cause: String)
        /// The source is down and the count is at `fallback_replicas` already.
        case atFallback(replicas: Int, cause: String)
        /// The total load is at least `burst_ratio` times what `replicas` serve at `target_load`.
        case burst(total: Double, ratio: Double, replicas: Int, targetLoad: Double)
        /// A rise that came at this phase of each of the last `seasonal_confirmations` periods is
        /// due within `replica_startup` (the sizing says which, and how high).
        case recurringPeak
        /// No replica runs and a load is seen (the requests waiting, reported for them): back at once.
        case loadAtZero(total: Double)
        /// `count` servers have a load strictly above `scale_up_threshold`.
        case serversAbove(count: Int, threshold: Double, busiest: ServerLoad)
        /// The load per server expected within `replica_startup` is above `scale_up_threshold`.
        case expectedLoadAbove(load: Double, within: Duration, threshold: Double)
        /// No server above `scale_up_threshold`, and not every one below `scale_down_threshold`.
        case betweenThresholds(scaleUp: Double, scaleDown: Double, busiest: ServerLoad)
        /// Every one of `servers` is strictly below `scale_down_threshold`.
        case allBelow(servers: Int, threshold: Double, busiest: ServerLoad)
        /// `headroom = learned`: the total load now and the rise given room need `sizing.need`.
        case learnedNeed(LearnedSizing)
        /// Every poll within `scale_to_zero_after` (`within`), this one included, saw a total load of 0.
        case noLoad(within: Duration)
        /// The simulator's model of Kubernetes' HPA, with no ready replica reporting a metric.
        case hpaWithoutMetric
        /// The simulator's model of Kubernetes' HPA: utilisation of the ready replicas against the
        /// target (both in percent), the desired count and the count after stabilization.
        case hpa(utilisation: Double, ready: Int, target: Double, desired: Int, stabilized: Int)
        /// The simulator's model of Knative's KPA: the stable and panic request rates, the target per
        /// replica, the counts they want, and whether it is in panic mode.
        case kpa(stableRate: Double, panicRate: Double, perReplica: Double, stable: Int, panic: Int, panicking: Bool)
    }

    /// How the total load was sized: `need = ⌈estimate ÷ target_load⌉` (see ``LoadEstimate``).
    ///
    /// Kept as the estimate was computed; what a reason shows of it (the smoothing, the projection)
    /// is decided when it is read, so making a decision takes no branch on it.
    public struct Sizing: Sendable, Equatable {
        /// Replicas the estimate needs at `target_load`.
        public var need: Int
        public var targetLoad: Double
        /// The recurring peak the need was raised to, when one was due.
        public var season: Season? {
            get { seasonFigures.confirmations > 0 ? seasonFigures : nil }
            set { seasonFigures = newValue ?? .none }
        }
        /// ``Season/none`` (no confirmations) when none was due: no optional's tag to set.
        private var seasonFigures = Season.none
        /// What a scale-up a rule held would have gone to, when that is above the need: a band
        /// rule's scale-up adds at least 1, so a hot server wants one more than the count even where
        /// the load needs fewer. The `limited` line's `want=` is this count, and the reason says why.
        public var heldScaleUp: Int?
        private var estimate: Estimate

        /// The sum of the servers' loads.
        public var total: Double { estimate.total }
        /// The total smoothed over `smoothing_window`; `nil` when it averaged this tick alone.
        public var smoothed: Double? { estimate.samples > 1 ? estimate.smoothed : nil }
        /// The trend's projection, when a rising trend was projected.
        public var projection: Projection? {
            estimate.slope > 0 && estimate.ahead.attoseconds > 0
                ? Projection(load: estimate.projected, ahead: estimate.ahead, capped: estimate.capped) : nil
        }

        public init(total: Double, smoothed: Double? = nil, projection: Projection? = nil, need: Int, targetLoad: Double) {
            self.need = need
            self.targetLoad = targetLoad
            estimate = Estimate(total: total, smoothed: smoothed ?? total, samples: smoothed == nil ? 1 : 2,
                                slope: projection == nil ? 0 : 1, ahead: projection?.ahead ?? .zero,
                                capped: projection?.capped ?? false, projected: projection?.load ?? total)
        }

        init(_ estimate: LoadEstimate, need: Int, targetLoad: Double, season: Season? = nil) {
            self.need = need
            self.targetLoad = targetLoad
            seasonFigures = season ?? .none
            self.estimate = Estimate(total: estimate.current, smoothed: estimate.smoothed, samples: estimate.smoothedSamples,
                                     slope: estimate.slope, ahead: estimate.ahead, capped: estimate.capped,
                                     projected: estimate.projected)
        }

        public static func == (a: Sizing, b: Sizing) -> Bool {
            a.need == b.need && a.targetLoad == b.targetLoad && a.total == b.total && a.smoothed == b.smoothed
                && a.projection == b.projection && a.season == b.season && a.heldScaleUp == b.heldScaleUp
        }

        private struct Estimate: Sendable {
            var total: Double
            var smoothed: Double
            var samples: Int
            var slope: Double
            var ahead: Duration
            var capped: Bool
            var projected: Double
        }
    }

    /// How `headroom = learned` sized the load: `need = ⌈(total + rise) ÷ targetLoad⌉`, the rise being
    /// the `quantile` of those within `within` over the last `window` (`quantile` `nil`: still
    /// learning, the rise is the highest seen so far in the loads kept), or the recurring rise
    /// `season` when that is more.
    public struct LearnedSizing: Sendable, Equatable {
        public var total: Double
        public var rise: Double
        public var quantile: Double?
        public var within: Duration
        public var window: Duration
        public var need: Int
        public var targetLoad: Double
        /// The recurring rise (`seasonal_periods`) the need gave room for, when it was more than the
        /// learned one (``rise`` is then its load).
        public var season: Season?
        /// `seasonal_periods` is set: the rises of the quantile are what is left of each beyond the
        /// recurring rise expected at its tick.
        public var beyondSeason: Bool
        /// Below the count, the need at `targetLoad` alone, when `headroom_scale_down_margin`
        /// (``Adjustment/setting`` replicas of room kept on the way down) raised it to ``need``.
        public var beforeMargin: Adjustment?
        /// The margin is `headroom_scale_down_margin_unmeasured`'s: the spread between polls is to
        /// be measured and was not (``Headroom/keepsUnmeasuredMargin(measuredSpread:)``).
        public var marginIsUnmeasured: Bool
        /// Above the count, the need at `targetLoad`, when `headroom_scale_up_tolerance`
        /// (``Adjustment/setting``, a share of the count) kept the count (``need``).
        public var beforeTolerance: Adjustment?
        /// The per-replica load the need was sized at instead of `targetLoad`, when
        /// `headroom_square_root_room` (``RaisedTarget/setting``) raised it at this load.
        public var raisedTarget: RaisedTarget?

        /// The target `headroom_square_root_room` raised `headroom_target_load` to.
        public struct RaisedTarget: Sendable, Equatable {
            public var target: Double
            public var setting: Double
            /// With `headroom_spread = measured`: the spread measured, when below the assumed one
            /// (``PolicyMemory/measuredSpread(at:policy:)``).
            public var measuredSpread: Double?
            /// With a measured spread: the part of the rise the room holds, when that lowered the
            /// need (``Headroom/riseInRoom(rise:total:measuredSpread:tick:)``).
            public var riseInRoom: Double?

            public init(target: Double, setting: Double, measuredSpread: Double? = nil, riseInRoom: Double? = nil) {
                self.target = target
                self.setting = setting
                self.measuredSpread = measuredSpread
                self.riseInRoom = riseInRoom
            }
        }

        /// The need at the target, and the setting of the key that made ``need`` differ from it.
        public struct Adjustment: Sendable, Equatable {
            public var need: Int
            public var setting: Double

            public init(need: Int, setting: Double) {
                self.need = need
                self.setting = setting
            }
        }

        public init(total: Double, rise: Double, quantile: Double?, within: Duration, window: Duration, need: Int,
                    targetLoad: Double, raisedTarget: RaisedTarget? = nil, beforeMargin: Adjustment? = nil,
                    marginIsUnmeasured: Bool = false, beforeTolerance: Adjustment? = nil, season: Season? = nil,
                    beyondSeason: Bool = false) {
            self.beforeMargin = beforeMargin
            self.marginIsUnmeasured = marginIsUnmeasured
            self.beforeTolerance = beforeTolerance
            self.season = season
            self.beyondSeason = beyondSeason
            self.total = total
            self.rise = rise
            self.quantile = quantile
            self.within = within
            self.window = window
            self.need = need
            self.targetLoad = targetLoad
            self.raisedTarget = raisedTarget
        }
    }

    /// A recurring peak: at this phase of each of the last `confirmations` periods of `period`, the
    /// load rose to `load` (the lowest of those peaks) within the next `within`. With `headroom =
    /// learned`, `load` is the rise, and when it is carried from an earlier tick, `carried` says which.
    public struct Season: Sendable, Equatable {
        /// The tick a recurring rise is carried from (a bucket holds only its highest total: see
        /// ``PolicyMemory/expectedSeasonalRise(at:policy:total:)``).
        public var carried: SeasonalProfile.Expectation.Carried?
        public var period: Duration {
            get { .nanoseconds(periodNanoseconds) }
            set { periodNanoseconds = Self.nanoseconds(newValue) }
        }
        public var confirmations: Int
        public var load: Double
        /// With `headroom = learned`, when the rise was found in the further look only
        /// (``Headroom/furtherHorizon(replicaStartup:tick:)``): the least it had to be there.
        public var furtherThan: Double?
        public var within: Duration {
            get { .nanoseconds(withinNanoseconds) }
            set { withinNanoseconds = Self.nanoseconds(newValue) }
        }
        // In nanoseconds (`seasonal_periods` and `replica_startup` are whole milliseconds at the
        // finest): 8 bytes each, not a `Duration`'s 16.
        private var periodNanoseconds: Int64
        private var withinNanoseconds: Int64

        public init(period: Duration, confirmations: Int, load: Double, within: Duration,
                    carried: SeasonalProfile.Expectation.Carried? = nil, furtherThan: Double? = nil) {
            periodNanoseconds = Self.nanoseconds(period)
            self.confirmations = confirmations
            self.load = load
            withinNanoseconds = Self.nanoseconds(within)
            self.carried = carried
            self.furtherThan = furtherThan
        }

        /// No season: what a sizing holds while `seasonal_periods` is off.
        static var none: Season { Season(periodNanoseconds: 0, confirmations: 0, load: 0, withinNanoseconds: 0) }

        private init(periodNanoseconds: Int64, confirmations: Int, load: Double, withinNanoseconds: Int64) {
            self.periodNanoseconds = periodNanoseconds
            self.confirmations = confirmations
            self.load = load
            self.withinNanoseconds = withinNanoseconds
        }

        private static func nanoseconds(_ duration: Duration) -> Int64 {
            Duration.nanoseconds(ofAttoseconds: duration.attoseconds)
        }
    }

    /// The load expected `ahead` along the trend; `capped` when the trend's gain was cut to
    /// ``LoadEstimate/maximumTrendGain`` times the smoothed load.
    public struct Projection: Sendable, Equatable {
        public var load: Double
        public var ahead: Duration
        public var capped: Bool

        public init(load: Double, ahead: Duration, capped: Bool) {
            self.load = load
            self.ahead = ahead
            self.capped = capped
        }
    }

    /// What became of a trigger.
    public enum Outcome: Sendable, Equatable {
        /// The trigger says it all (a hold between thresholds, the source's state, a range clamp).
        case none
        /// Scaled up `by` replicas, perhaps limited by the rate and capped at `max_replicas`;
        /// `beyondNeed` when the need was met already and the band rules' scale-up added its least, 1.
        case scaledUp(by: Int, limitedBy: UpRate?, cappedAt: Int?, beyondNeed: Bool = false)
        /// Scaled down `by` replicas to what the stabilization window allows, perhaps limited by the rate.
        case scaledDown(by: Int, stabilized: Stabilization, limitedBy: DownRate?)
        /// Held: already at `max_replicas`.
        case atMaxReplicas(Int)
        /// Held: within `scale_up_cooldown` (`left` of `cooldown`).
        case inCooldown(left: Duration, cooldown: Duration)
        /// Held: scaled up already within this tick of `poll_interval`.
        case scaledUpThisTick(pollInterval: Duration)
        /// Held: `max_scale_up_per_minute` reached.
        case upRateReached(UpRate)
        /// Held: already at `min_replicas`.
        case atMinReplicas(Int)
        /// Held: the need of `scale_down_stabilization` (its highest, or its mean) is the count or more.
        case stabilizationHolds(Stabilization)
        /// Held: `headroom = learned` has seen `rises` of the ``Headroom/minimumRises`` it needs
        /// before lowering the count.
        case stillLearning(rises: Int)
        /// Held: the stabilization window allows fewer, but the scale-down rate is reached.
        case downRateReached(stabilized: Stabilization, DownRate)
        /// Scaled down `by` replicas to 0 (`scale_to_zero_after`), past the stabilization window.
        case scaledToZero(by: Int)
        /// Held at 0 (`scale_to_zero_after`) until a load is seen.
        case staysAtZero
    }

    /// `max_scale_up_per_minute` and the replicas added within the last minute.
    public struct UpRate: Sendable, Equatable {
        public var max: Int
        public var added: Int

        public init(max: Int, added: Int) {
            self.max = max
            self.added = added
        }
    }

    /// The scale-down rate in force and the replicas removed within the last minute.
    public struct DownRate: Sendable, Equatable {
        public var rule: DownRule
        public var removed: Int

        public init(_ rule: DownRule, removed: Int) {
            self.rule = rule
            self.removed = removed
        }
    }

    /// The rule that says how many replicas scale-downs may remove within a minute.
    public enum DownRule: Sendable, Equatable {
        /// `max_scale_down_per_minute`.
        case perMinute(Int)
        /// `max_scale_down_percent_per_minute` `percent` of the count before the last minute's scale-downs (`of`): `allowed`.
        case percentPerMinute(percent: Double, allowed: Int, of: Int)

        /// The config key of the rule.
        public var key: String {
            switch self {
            case .perMinute: "max_scale_down_per_minute"
            case .percentPerMinute: "max_scale_down_percent_per_minute"
            }
        }
    }

    /// The need `scale_down_stabilization` (`window`) holds a scale-down at: the highest, or the mean
    /// (`rule`), of the needs recorded within it.
    public struct Stabilization: Sendable, Equatable {
        public var window: Duration
        public var need: Int
        public var rule: PolicyConfig.StabilizationRule
        /// The window holds at the count because the source was down within it.
        public var sourceDownWithin: Bool

        public init(window: Duration, need: Int, rule: PolicyConfig.StabilizationRule = .highest, sourceDownWithin: Bool = false) {
            self.window = window
            self.need = need
            self.rule = rule
            self.sourceDownWithin = sourceDownWithin
        }
    }

    /// An operator's pause over the policy's decision (`note`: the pause's own reason, if given).
    public enum PauseOverride: Sendable, Equatable {
        /// Moving to the count the pause holds, `asked` (its `replicas`, or the count it found),
        /// or to the nearest of `min_replicas` and `max_replicas` when `asked` is outside them.
        case moving(to: Int, asked: Int, note: String?)
        /// Holding at `replicas`; the policy would have moved to `policyTarget`, if anywhere.
        case holding(at: Int, policyTarget: Int?, note: String?)
    }
}
