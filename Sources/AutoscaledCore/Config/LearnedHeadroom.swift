import AutoscaledBase

/// `[policy] headroom`: how the policy sizes the replica count and when it moves it.
///
/// - `learned` (the shipped config's): every tick, the count is sized for the total load now plus the rise
///   this load has made within `replica_startup` and a tick (the time a replica asked for now takes
///   to serve, and the next tick's chance to ask again), at the `headroom_quantile` of the rises of
///   the last `headroom_window`, at `headroom_target_load` per replica. The count moves up to that
///   need at once, and down to the need of `scale_down_stabilization` (its highest, or with
///   `scale_down_stabilization_rule = mean` its mean), keeping
///   `headroom_scale_down_margin` of a replica's room beyond the need on the way down; a need that
///   exceeds the count by no more than `headroom_scale_up_tolerance` of it is not taken.
/// - `thresholds`: the hysteresis band. A server above `scale_up_threshold` scales up (with the
///   cooldown, the rate limit, bursts and the trend), every server below `scale_down_threshold`
///   scales down, sized at `target_load`. The key's default, so that a config written before the
///   key existed keeps deciding as it did.
///
/// `servers_to_scale` (loads strictly above `scale_up_threshold`) is counted and reported the same
/// way under both.
public struct Headroom: Sendable, Equatable {
    public enum Mode: String, Sendable, CaseIterable {
        case learned
        case thresholds
    }

    public var mode: Mode
    /// The load per replica the learned need is sized at: replicas = ⌈(load + rise) ÷ target⌉.
    public var targetLoad: Double
    /// Which rise of the window is given room: 0.85 = a rise larger than 85 % of those seen.
    public var quantile: Double
    /// How far back the rises are learned from.
    public var window: Duration
    /// Replicas of room a scale-down keeps beyond the need: below the count, the need is
    /// ⌈(load + rise) ÷ target + margin⌉ (at most the count). 0: down to the need itself.
    public var scaleDownMargin: Double
    /// How far above the count a need may be and not be taken, as a share of the count (HPA's
    /// tolerance): above a count N > 0, the need is taken only when (load + rise) ÷ target is more
    /// than N × (1 + tolerance). 0: every need above the count is taken.
    public var scaleUpTolerance: Double
    /// Room that grows with the square root of the load, as the spread of random arrivals does,
    /// where that is less than `targetLoad` keeps: the load L (the total and the rise) filling
    /// r = L ÷ 100 replicas is sized at r + β√r replicas (β this setting), so at the per-replica
    /// load 100 r ÷ (r + β√r), when that is above `targetLoad`, and at most
    /// ``squareRootRoomHighestTarget`` (or `targetLoad`, when higher). 0: the fixed `targetLoad`.
    public var squareRootRoom: Double
    /// The spread ``squareRootRoom`` gives room for.
    public var spread: Spread
    /// Where the spread is measured (``measuresSpread``): the ``scaleDownMargin`` at a tick where it
    /// is not (``PolicyMemory/measuredSpread(at:policy:)``: too few polls yet, or a total held
    /// between a source's updates), where no noise between polls was seen to keep room for.
    public var scaleDownMarginUnmeasured: Double

    /// `headroom_spread`: the spread of the load ``squareRootRoom`` gives room for.
    public enum Spread: String, Sendable, CaseIterable {
        /// That of random arrivals of one request a second per replica's worth of load: β√r
        /// replicas for a load filling r.
        case assumed
        /// The spread of the tick totals of the last ``spreadWindow``, where it is less than the
        /// assumed one (``PolicyMemory/measuredSpread(at:policy:)``): β√(s r) replicas, s its share
        /// of the assumed spread's square. Assumed while it is not measured.
        case measured
    }

    /// `scaleDownMarginUnmeasured` is `scaleDownMargin` unless given.
    public init(mode: Mode, targetLoad: Double, quantile: Double, window: Duration, scaleDownMargin: Double = 0,
                scaleUpTolerance: Double = 0, squareRootRoom: Double = 0, spread: Spread = .assumed,
                scaleDownMarginUnmeasured: Double? = nil) {
        self.mode = mode
        self.targetLoad = targetLoad
        self.quantile = quantile
        self.window = window
        self.scaleDownMargin = scaleDownMargin
        self.scaleUpTolerance = scaleUpTolerance
        self.squareRootRoom = squareRootRoom
        self.spread = spread
        self.scaleDownMarginUnmeasured = scaleDownMarginUnmeasured ?? scaleDownMargin
    }

    /// Whether a scale-down keeps ``scaleDownMarginUnmeasured`` rather than ``scaleDownMargin``:
    /// the spread is measured (``measuresSpread``) but `measuredSpread`, its measure now, is not there.
    public func keepsUnmeasuredMargin(measuredSpread: Double?) -> Bool {
        measuresSpread && measuredSpread == nil
    }

    /// The margin a scale-down keeps at `measuredSpread`: ``scaleDownMarginUnmeasured`` where
    /// ``keepsUnmeasuredMargin(measuredSpread:)``, else ``scaleDownMargin``.
    public func scaleDownMargin(measuredSpread: Double?) -> Double {
        keepsUnmeasuredMargin(measuredSpread: measuredSpread) ? scaleDownMarginUnmeasured : scaleDownMargin
    }

    /// `headroom_spread = measured` with a square-root room to size: the spread is then measured.
    public var measuresSpread: Bool { spread == .measured && squareRootRoom > 0 }

    /// The per-replica load `load` (the total and the rise) is sized at: `targetLoad`, raised by
    /// ``squareRootRoom`` where the load is large enough that its square-root room is less.
    /// `measuredSpread` (s, in (0, 1]; 1: the assumed spread) is the load's spread as a share of the
    /// square of the assumed one: the room is then β√(s r).
    ///
    /// `riseInRoom` is the part of the rise the square-root room already gives room for (the spread
    /// between polls, ``riseInRoom(rise:total:measuredSpread:tick:)``): where the target is raised,
    /// the load less it is sized at r + β√(s r) replicas (at most ``squareRootRoomHighestTarget`` a
    /// replica), and the target is the whole load over those replicas: above the raised target, and
    /// it may be above the highest.
    public func target(for load: Double, measuredSpread: Double = 1, riseInRoom: Double = 0) -> Double {
        let replicas = load / 100
        // A load so small that it fills no replica's worth a Double can hold (below 1e-321) is sized
        // at the target: r + β√r replicas would divide 0 by 0.
        guard squareRootRoom > 0, replicas > 0, replicas.isFinite else { return targetLoad }
        let highest = max(targetLoad, Self.squareRootRoomHighestTarget)
        let raised = min(max(targetLoad, 100 * replicas / (replicas + squareRootRoom * (measuredSpread * replicas).squareRoot())), highest)
        guard riseInRoom > 0, raised > targetLoad else { return raised }
        let rest = max(load - riseInRoom, 0) / 100
        let sized = max(rest + squareRootRoom * (measuredSpread * rest).squareRoot(), 100 * rest / highest)
        guard sized > 0, sized.isFinite else { return raised }
        // The part held counts only where the whole load, at the target it gives, needs fewer
        // replicas than at the raised target: a part too small to count is lost in rounding, either
        // way (below the raised target, or a last digit above it that sizes the same replicas).
        let held = load / sized
        return load / held < load / raised ? held : raised
    }

    /// With a measured spread s: the part of `rise` that is the spread between polls, which the
    /// square-root room also gives room for. The rise is learned from tick totals, each the mean
    /// load of a poll, so even a level load rises by some root mean square differences between
    /// successive totals: D = √(2 s × 100 × `total` ÷ P) (P the poll in seconds), the spread
    /// ``PolicyMemory/measuredSpread(at:policy:)`` is measured from. ``spreadInRise`` of them, at
    /// most the rise.
    public static func riseInRoom(rise: Double, total: Double, measuredSpread: Double, tick: Duration) -> Double {
        let part = min(max(rise, 0), spreadInRise * spreadBetweenPolls(total: total, measuredSpread: measuredSpread, tick: tick))
        return part.isFinite ? part : 0
    }

    /// The root mean square difference between successive tick totals a `total` has at a spread
    /// share s of `measuredSpread` (1: the assumed spread, of one request a second per replica's
    /// worth of load): D = √(2 s × 100 × `total` ÷ P), P the poll in seconds.
    public static func spreadBetweenPolls(total: Double, measuredSpread: Double, tick: Duration) -> Double {
        (2 * measuredSpread * 100 * max(total, 0) / tick.seconds).squareRoot()
    }

    /// The most `headroom_scale_down_margin` may be, in replicas.
    public static let maxScaleDownMargin = 10.0
    /// The most `headroom_square_root_room` may be.
    public static let maxSquareRootRoom = 10.0
    /// The highest per-replica load `headroom_square_root_room` raises the target to: room for the
    /// load's own spread at most, never less than a tenth of a replica.
    public static let squareRootRoomHighestTarget = 90.0
    /// How far back `headroom_spread = measured` reads the tick totals.
    public static let spreadWindow = Duration.seconds(180)
    /// The differences between successive tick totals the spread needs to be measured.
    public static let minimumSpreadDifferences = 12
    /// The share of those differences that must not be 0 for the spread to be measured: a total
    /// held over several ticks is a source updated less often than the poll, not a load without spread.
    public static let spreadChangedShare = 0.75
    /// How many root mean square differences between successive tick totals of the learned rise
    /// the square-root room is taken to hold, where the spread is measured (``riseInRoom(rise:total:measuredSpread:tick:)``).
    public static let spreadInRise = 2.0
    /// The most `headroom_scale_up_tolerance` may be: a need twice the count is always taken.
    public static let maxScaleUpTolerance = 1.0

    /// The threshold rules, with the learned settings at their defaults (unused).
    public static let thresholds = Headroom(mode: .thresholds, targetLoad: 65, quantile: 0.9, window: .seconds(3600))

    /// Rises the window must hold before the learned rise is used. Until then the need gives room
    /// for the highest rise seen so far in the loads kept, and the count is not lowered (too little
    /// is known of this load yet).
    public static let minimumRises = 12

    /// The most ticks `headroom_window` may span (one rise is kept per tick).
    public static let maxWindowTicks = 100_000

    /// The shortest `headroom_window` that can ever hold ``minimumRises`` rises: a rise's horizon
    /// (the rises of the last horizon are still being measured) and a tick per rise. Shorter, the
    /// count would never come down.
    public static func shortestWindow(replicaStartup: Duration, tick: Duration) -> Duration {
        horizon(replicaStartup: replicaStartup, tick: tick) + tick * minimumRises
    }

    /// How far ahead a rise is measured: `replica_startup` and one tick.
    public static func horizon(replicaStartup: Duration, tick: Duration) -> Duration {
        replicaStartup + tick
    }

    /// How far ahead a decision also looks for a recurring rise: ``furtherLookStartups`` times
    /// `replica_startup` and one tick. A recurring rise is known before it comes, so a replica asked
    /// for early costs a start-up's seconds, and one asked for late misses the rise when replicas
    /// take longer to start than `replica_startup` says.
    public static func furtherHorizon(replicaStartup: Duration, tick: Duration) -> Duration {
        replicaStartup * furtherLookStartups + tick
    }

    /// How many `replica_startup`s ahead ``furtherHorizon(replicaStartup:tick:)`` reaches.
    public static let furtherLookStartups = 2
    /// How many root mean square differences between successive tick totals
    /// (``spreadBetweenPolls(total:measuredSpread:tick:)``) a recurring rise found only in the further
    /// look must be above to be given room: a burst of noise that came at the same phase twice is
    /// seldom that far above the spread.
    public static let furtherLookSpread = 8.0

    /// What the rises kept are measured against: the horizon, and, with `seasonal_periods`, the
    /// recurring rise each one is less of (its periods and confirmations). Rises measured against
    /// another are not this policy's rises.
    public struct RiseMeasure: Sendable, Equatable {
        public var horizon: Duration
        /// `seasonal_periods`, shortest first (the order they are listed in changes no rise); none when off.
        public let seasonalPeriods: SeasonalPeriods
        /// `seasonal_confirmations`, or 0 when `seasonal_periods` is off.
        public let confirmations: Int

        public init(horizon: Duration, seasonalPeriods: SeasonalPeriods = [], confirmations: Int = 0) {
            self.horizon = horizon
            self.seasonalPeriods = seasonalPeriods.ascending
            self.confirmations = seasonalPeriods.isEmpty ? 0 : confirmations
        }

        /// The measure of `policy`.
        public init(_ policy: PolicyConfig) {
            self.init(horizon: Headroom.horizon(replicaStartup: policy.replicaStartup, tick: policy.tick),
                      seasonalPeriods: policy.seasonalPeriods, confirmations: policy.seasonalConfirmations)
        }

        /// The same measure, to the millisecond the state file keeps.
        func matches(_ other: RiseMeasure) -> Bool {
            horizon.wholeMilliseconds == other.horizon.wholeMilliseconds
                && seasonalPeriods == other.seasonalPeriods && confirmations == other.confirmations
        }
    }
}
