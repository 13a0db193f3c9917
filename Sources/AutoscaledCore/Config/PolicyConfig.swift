
/// `[policy]`: when to scale (a hysteresis band of thresholds), by how much (a target load), and
/// how fast (cooldown, stabilization, trend, burst).
public struct PolicyConfig: Sendable, Equatable {
    /// A server whose load is strictly greater than this counts towards `servers_to_scale`; any such
    /// server triggers a scale-up.
    public var scaleUpThreshold: Double
    /// When every server's load is strictly below this, a scale-down is considered.
    public var scaleDownThreshold: Double
    /// The load per replica a scaling decision sizes for: replicas = ⌈total load ÷ target_load⌉.
    /// Inside the band: above `scaleDownThreshold`, at most `scaleUpThreshold`.
    public var targetLoad: Double
    public var minReplicas: Int
    public var maxReplicas: Int
    /// The count used when there is no usable state file.
    public var initialReplicas: Int
    /// The most replicas scale-ups add within any minute (a burst is not limited).
    public var maxScaleUpPerMinute: Int
    /// Scale-downs remove at most this many replicas within any minute, or
    /// `maxScaleDownPercentPerMinute` of the count, whichever is more.
    public var maxScaleDownPerMinute: Int
    /// Scale-downs may remove this percentage (rounded up) of the count before the last minute's
    /// scale-downs (the count now plus what they removed) within any minute, when that is more than
    /// `maxScaleDownPerMinute`; zero = off.
    public var maxScaleDownPercentPerMinute: Double
    public var scaleUpCooldown: Duration
    public var scaleDownStabilization: Duration
    /// Which need of the `scale_down_stabilization` window a scale-down goes no lower than.
    public var scaleDownStabilizationRule: StabilizationRule
    /// How long a new replica takes to serve: a rising load is projected this far ahead.
    public var replicaStartup: Duration
    /// The window the load trend is measured over (its slope is projected `replicaStartup` ahead).
    public var trendWindow: Duration
    /// The trend is projected only once it has been observed for this long (and over at least
    /// three ticks): a young memory projects nothing.
    public var trendMinSpan: Duration
    /// Total load is averaged over this window before sizing (noise is not load); zero = no smoothing.
    public var smoothingWindow: Duration
    /// A total load at least this many times what the current count serves at `targetLoad` is a
    /// burst: sized for at once, past the cooldown and the rate limit; zero = off.
    public var burstRatio: Double
    /// The count to move to, once, when the source goes down; `nil`: hold the count instead.
    public var fallbackReplicas: Int?
    /// The periods whose recurring peaks are pre-scaled for (see ``SeasonalProfile``); empty = off.
    public var seasonalPeriods: SeasonalPeriods
    /// How many periods in a row a peak must have come at the same phase to be pre-scaled for.
    public var seasonalConfirmations: Int
    /// A recurring peak is pre-scaled for only when, at its phase of each confirming period, the load
    /// rose to at least this many times what it was `replica_startup` and a tick before.
    public var seasonalMinRise: Double
    /// The policy's clock: one tick per `[source] poll_interval`. Time-based rules see time in whole
    /// ticks (counted from the start of observation) and remember one value per tick, so the
    /// same load over time gives the same decisions however often it is read.
    public var tick: Duration
    /// `headroom` and its `headroom_*` settings: the learned need, or the threshold rules.
    public var headroom: Headroom
    /// `scale_to_zero_after`: when every poll within it saw a total load of 0, the count goes to 0
    /// (`min_replicas` must be 0), and stays there until a load is seen; `nil`: off.
    public var scaleToZeroAfter: Duration?

    public init(
        scaleUpThreshold: Double, scaleDownThreshold: Double, targetLoad: Double,
        minReplicas: Int, maxReplicas: Int, initialReplicas: Int,
        maxScaleUpPerMinute: Int, maxScaleDownPerMinute: Int, maxScaleDownPercentPerMinute: Double,
        scaleUpCooldown: Duration, scaleDownStabilization: Duration,
        replicaStartup: Duration, trendWindow: Duration, trendMinSpan: Duration,
        smoothingWindow: Duration, burstRatio: Double, fallbackReplicas: Int?,
        seasonalPeriods: SeasonalPeriods, seasonalConfirmations: Int, seasonalMinRise: Double, tick: Duration,
        headroom: Headroom = .thresholds, scaleDownStabilizationRule: StabilizationRule = .highest,
        scaleToZeroAfter: Duration? = nil
    ) {
        self.scaleToZeroAfter = scaleToZeroAfter
        self.headroom = headroom
        self.scaleDownStabilizationRule = scaleDownStabilizationRule
        self.seasonalMinRise = seasonalMinRise
        self.seasonalPeriods = seasonalPeriods
        self.seasonalConfirmations = seasonalConfirmations
        self.fallbackReplicas = fallbackReplicas
        self.scaleUpThreshold = scaleUpThreshold
        self.scaleDownThreshold = scaleDownThreshold
        self.targetLoad = targetLoad
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
        self.initialReplicas = initialReplicas
        self.maxScaleUpPerMinute = maxScaleUpPerMinute
        self.maxScaleDownPerMinute = maxScaleDownPerMinute
        self.maxScaleDownPercentPerMinute = maxScaleDownPercentPerMinute
        self.scaleUpCooldown = scaleUpCooldown
        self.scaleDownStabilization = scaleDownStabilization
        self.replicaStartup = replicaStartup
        self.trendWindow = trendWindow
        self.trendMinSpan = trendMinSpan
        self.smoothingWindow = smoothingWindow
        self.burstRatio = burstRatio
        self.tick = tick
    }

    /// The largest replica count or step a config may give: far above any real fleet, and low
    /// enough that no sum or difference of counts comes near `Int`'s limits.
    public static let maxReplicaCount = 1_000_000

    /// The most ticks `scale_to_zero_after` may span (the total load of each is kept).
    public static let maxScaleToZeroTicks = 100_000

    /// The period of the scale-up and scale-down rates.
    public static let ratePeriod: Duration = .seconds(60)

    /// The shortest and longest `seasonal_periods` period, and the most periods.
    public static let seasonalPeriodRange: ClosedRange<Duration> = .seconds(60) ... .seconds(28 * 86_400)
    public static let maxSeasonalPeriods = 4
    /// The most periods a seasonal peak may be asked to recur over.
    public static let maxSeasonalConfirmations = 4

    /// How long load samples are kept: the longer of the trend and smoothing windows, and with
    /// `headroom = learned` a rise's horizon and a tick (a rise is measured once its horizon is over),
    /// and with `seasonal_periods` a horizon more (the ticks a recurring rise is carried from, before
    /// the first one measured), and with `headroom_spread = measured` ``Headroom/spreadWindow``; at
    /// least `scale_to_zero_after`, when set (its polls must all be seen without load).
    public var sampleWindow: Duration {
        let windows = max(trendWindow, smoothingWindow, scaleToZeroAfter ?? .zero)
        guard usesLearnedHeadroom else { return windows }
        let horizon = Headroom.horizon(replicaStartup: replicaStartup, tick: tick)
        return max(windows, horizon + tick + (seasonalPeriods.isEmpty ? .zero : horizon),
                   headroom.measuresSpread ? Headroom.spreadWindow : .zero)
    }

    /// `headroom = learned`.
    public var usesLearnedHeadroom: Bool { headroom.mode == .learned }

    /// `scale_down_stabilization_rule`: the need of the stabilization window a scale-down goes no
    /// lower than (never lower than the need now either).
    public enum StabilizationRule: String, Sendable, Equatable, CaseIterable {
        /// The highest need recorded within the window (Kubernetes HPA's stabilization window): a
        /// dip shorter than the window lowers nothing.
        case highest
        /// The mean of the window's needs, one per tick (this one's included), rounded up: the count
        /// comes down step by step as a finished peak leaves the window, and a short dip moves the
        /// mean little.
        case mean
    }
}
