import AutoscaledBase

/// One evaluation's figures, computed once: servers to scale, the busiest server, the load
/// estimate and the need it gives, and whether it is a burst.
struct Evaluation: Sendable {
    let snapshot: LoadSnapshot
    let now: MonotonicInstant
    /// The start of the tick `now` falls in: the instant every time-based rule measures from.
    let tick: MonotonicInstant
    let config: PolicyConfig
    let current: Int
    let serversToScale: Int
    let busiest: ServerLoad
    let estimate: LoadEstimate
    /// Replicas the estimate needs at `target_load`, at least `min_replicas` (a scale-up caps its
    /// target at `max_replicas`, and says so). With `headroom = learned`, below the count, it keeps
    /// `headroom_scale_down_margin` of a replica's room more, at most the count.
    let need: Int
    /// With `headroom = learned`: the need without `headroom_scale_down_margin` (or
    /// `headroom_scale_down_margin_unmeasured`, ``Headroom/scaleDownMargin(measuredSpread:)``), when
    /// the margin raised it.
    let needBeforeMargin: Int?
    /// With `headroom = learned`: the need above the count that `headroom_scale_up_tolerance`
    /// kept at the count (``need`` is then the count).
    let needBeforeTolerance: Int?
    /// Replicas the smoothed load needs at `target_load`, without the trend: what the
    /// stabilization window records (a need a user can check against the load they saw).
    let stableNeed: Int
    let isBurst: Bool
    /// No replica runs and a load is seen: the band rules scale up at once, as for a burst.
    let isLoadAtZero: Bool
    /// What the seasonal profile expects within `replica_startup` and a tick, when that needs more
    /// than the load now does (``need`` is then its need). With `headroom = learned`: the recurring
    /// rise expected within that time, when it is more than the learned one (``rise`` is then it).
    let season: SeasonalProfile.Expectation?
    /// With `headroom = learned`: when ``season`` was found in the further look only
    /// (``PolicyMemory/recurringRise(at:policy:total:measuredSpread:)``), the least it had to be there.
    let seasonFurtherThan: Double?
    /// The mean load per server expected when a replica asked for now would serve; above
    /// `scale_up_threshold` it triggers a scale-up like a hot server does.
    let expectedLoad: Double
    /// What this evaluation recommends for the stabilization window (the stable need, unless a
    /// scale-up raises it to its target).
    var recommendation: Int
    /// With `headroom = learned`: the rise the need gives room for (the learned one, or the highest
    /// seen so far while ``riseIsLearned`` is `false`, or the recurring one, ``season``, when more).
    let rise: Double
    /// `false` while the window holds fewer than ``Headroom/minimumRises`` rises.
    let riseIsLearned: Bool
    /// With `headroom = learned`: the per-replica load the need is sized at
    /// (``Headroom/target(for:measuredSpread:)`` of the total and the rise).
    let targetLoad: Double
    /// With `headroom_spread = measured`: the spread measured, when it was
    /// (``PolicyMemory/measuredSpread(at:policy:)``).
    let measuredSpread: Double?
    /// With a measured spread: the part of ``rise`` the square-root room holds, when that lowered
    /// the need (``Headroom/riseInRoom(rise:total:measuredSpread:tick:)``).
    let riseInRoom: Double?

    @inline(__always)
    init(snapshot: LoadSnapshot, memory: borrowing PolicyMemory, now: MonotonicInstant, config: PolicyConfig) {
        self.snapshot = snapshot
        self.now = now
        self.tick = memory.tick(of: now, tick: config.tick)
        self.config = config
        current = memory.replicas
        serversToScale = ThresholdPolicy.serversToScale(snapshot, threshold: config.scaleUpThreshold)
        busiest = ThresholdPolicy.busiest(snapshot)
        var total = 0.0
        let servers = snapshot.servers
        for index in servers.indices { total = (total + servers[index].load).saturated }
        isLoadAtZero = current == 0 && total > 0
        if config.usesLearnedHeadroom {
            // Sized from the total and the learned rise: the smoothing and trend windows are not read.
            estimate = LoadEstimate(current: total)
            let learned = memory.learnedRise(quantile: config.headroom.quantile, at: tick, policy: config)
            let spread = memory.measuredSpread(at: tick, policy: config)
            measuredSpread = spread
            // Off by default: one test inline.
            let expected = config.seasonalPeriods.isEmpty
                ? nil : memory.recurringRise(at: tick, policy: config, total: total, measuredSpread: spread)
            let room = learned ?? memory.highestRiseSeen(at: tick, policy: config, total: total)
            if let expected, expected.expectation.load > room {
                rise = expected.expectation.load
                season = expected.expectation
                seasonFurtherThan = expected.furtherThan
            } else {
                rise = room
                season = nil
                seasonFurtherThan = nil
            }
            riseIsLearned = learned != nil
            let load = (total + rise).saturated
            var inRoom = 0.0
            if let spread { inRoom = Headroom.riseInRoom(rise: rise, total: total, measuredSpread: spread, tick: config.tick) }
            let target = config.headroom.target(for: load, measuredSpread: spread ?? 1, riseInRoom: inRoom)
            targetLoad = target
            riseInRoom = inRoom > 0 && target > config.headroom.target(for: load, measuredSpread: spread ?? 1) ? inRoom : nil
            let raw = Self.replicas(for: load, targetLoad: target, config: config)
            let tolerated = raw > current
                && load / target <= Double(current) * (1 + config.headroom.scaleUpTolerance)
            let sized = tolerated ? current : raw
            needBeforeTolerance = tolerated ? raw : nil
            let need = Self.keepingMargin(sized, current: current, load: load, target: target, config: config,
                                          margin: config.headroom.scaleDownMargin(measuredSpread: spread))
            self.need = need
            needBeforeMargin = need > sized ? sized : nil
            stableNeed = need
            isBurst = false
            recommendation = need
            expectedLoad = total / Double(snapshot.servers.count)
            return
        }
        estimate = LoadEstimate(current: total, memory: memory, now: now, config: config)
        measuredSpread = nil
        seasonFurtherThan = nil
        riseInRoom = nil
        rise = 0
        riseIsLearned = false
        targetLoad = config.headroom.targetLoad
        needBeforeMargin = nil
        needBeforeTolerance = nil
        var need = Self.replicas(for: estimate.projected, config: config)
        // Off by default: one test inline, the profile read out of line.
        season = config.seasonalPeriods.isEmpty ? nil : Self.season(memory: memory, tick: tick, config: config, above: need)
        if let season { need = Self.replicas(for: season.load, config: config) }
        self.need = need
        stableNeed = Self.replicas(for: estimate.smoothed, config: config)
        isBurst = config.burstRatio > 0
            && total >= config.burstRatio * config.targetLoad * Double(max(current, 1))
            && Self.replicas(for: total, config: config) > current
        recommendation = stableNeed
        expectedLoad = estimate.projected / Double(snapshot.servers.count)
    }

    /// `headroom = learned` below the count: the need `sized` for `load` (the total and the rise)
    /// at `target` a replica, raised to keep `margin` (`headroom_scale_down_margin`, or
    /// `headroom_scale_down_margin_unmeasured`) of a replica's room beyond it, at most `current`:
    /// ⌈load ÷ target + margin⌉. A scale-down goes only as far as leaves that room.
    static func keepingMargin(_ sized: Int, current: Int, load: Double, target: Double, config: PolicyConfig,
                              margin: Double) -> Int {
        guard margin > 0, sized < current else { return sized }
        let kept = replicas(for: (load + margin * target).saturated, targetLoad: target, config: config)
        return max(sized, min(current, kept))
    }

    /// A recurring peak is due that the current count cannot serve: scaled for at once, like a burst.
    var isSeasonalRise: Bool { season != nil && need > current }

    /// The seasonal profile's expectation from the start of this tick to `replica_startup` and one
    /// tick later (when a replica asked for now or at the next tick serves), when it needs more than
    /// `above`: a rise of at least `seasonal_min_rise` times at this phase of each of the last periods.
    @inline(never)
    static func season(memory: PolicyMemory, tick: MonotonicInstant, config: PolicyConfig, above: Int) -> SeasonalProfile.Expectation? {
        guard let profile = memory.seasonRead(at: tick, policy: config),
              let expectation = profile.expected(at: memory.sinceOrigin(tick), ahead: (config.replicaStartup + config.tick).wholeMilliseconds,
                                                 rise: config.seasonalMinRise),
              replicas(for: expectation.load, config: config) > above
        else { return nil }
        return expectation
    }

    /// The scale-up trigger: a server above `scale_up_threshold` now, or the mean expected after
    /// `replica_startup` above it.
    var wantsScaleUp: Bool {
        serversToScale > 0 || (config.replicaStartup > .zero && expectedLoad > config.scaleUpThreshold && need > current)
    }

    /// `⌈load ÷ target_load⌉`, at least `min_replicas`, and at most 10^12 (far above any
    /// `max_replicas`) so any arithmetic on it stays safe; total for every `Double` (NaN, from
    /// 0 ÷ 0, is a need of 0).
    static func replicas(for load: Double, config: PolicyConfig) -> Int {
        replicas(for: load, targetLoad: config.targetLoad, config: config)
    }

    /// `⌈load ÷ targetLoad⌉`, bounded as ``replicas(for:config:)``.
    static func replicas(for load: Double, targetLoad: Double, config: PolicyConfig) -> Int {
        max(unclampedReplicas(for: load, targetLoad: targetLoad), config.minReplicas)
    }

    /// `⌈load ÷ targetLoad⌉` from 0 to 10^12, before `min_replicas`: NaN (0 ÷ 0) is 0.
    static func unclampedReplicas(for load: Double, targetLoad: Double) -> Int {
        let raw = wholeReplicas(load / targetLoad)
        return raw.isNaN ? 0 : Int(min(max(raw, 0), 1e12))
    }

    /// `⌈ratio⌉`, where a ratio within a billionth (of itself, or of 1 below 1) of a whole number
    /// is that number: a total summed in another order, or a mean of equal loads, is off by an ulp
    /// or two (28.97 + 21.03 is 50.00000000000001), and must not ask for a replica more.
    static func wholeReplicas(_ ratio: Double) -> Double {
        let nearest = ratio.rounded()
        return abs(ratio - nearest) <= max(abs(ratio), 1) * 1e-9 ? nearest : ratio.rounded(.up)
    }

    /// The figures the load was sized with, as the reason gives them.
    @inline(__always) var sizing: DecisionReason.Sizing {
        DecisionReason.Sizing(estimate, need: need, targetLoad: config.targetLoad, season: season.map {
            DecisionReason.Season(period: .milliseconds($0.period), confirmations: config.seasonalConfirmations, load: $0.load,
                                  within: config.replicaStartup + config.tick)
        })
    }

    /// Replicas the estimate needs at `target_load`, before `min_replicas` (what a scale-down wishes for).
    var unclampedNeed: Int {
        Self.unclampedReplicas(for: estimate.projected, targetLoad: config.targetLoad)
    }

    /// With `headroom = learned`: the figures the need was sized with.
    var learnedSizing: DecisionReason.LearnedSizing {
        let within = Headroom.horizon(replicaStartup: config.replicaStartup, tick: config.tick)
        return DecisionReason.LearnedSizing(
            total: estimate.current, rise: rise, quantile: riseIsLearned ? config.headroom.quantile : nil,
            within: within, window: config.headroom.window, need: need, targetLoad: config.headroom.targetLoad,
            raisedTarget: targetLoad > config.headroom.targetLoad
                ? .init(target: targetLoad, setting: config.headroom.squareRootRoom, measuredSpread: measuredSpread.flatMap { $0 < 1 ? $0 : nil },
                        riseInRoom: riseInRoom)
                : nil,
            beforeMargin: needBeforeMargin.map { .init(need: $0, setting: config.headroom.scaleDownMargin(measuredSpread: measuredSpread)) },
            marginIsUnmeasured: config.headroom.keepsUnmeasuredMargin(measuredSpread: measuredSpread),
            beforeTolerance: needBeforeTolerance.map { .init(need: $0, setting: config.headroom.scaleUpTolerance) },
            season: season.map {
                DecisionReason.Season(period: .milliseconds($0.period), confirmations: config.seasonalConfirmations, load: $0.load,
                                      within: seasonFurtherThan == nil ? within
                                          : Headroom.furtherHorizon(replicaStartup: config.replicaStartup, tick: config.tick),
                                      carried: $0.carried, furtherThan: seasonFurtherThan)
            }, beyondSeason: !config.seasonalPeriods.isEmpty)
    }

    /// The decision, its reason told from `trigger`, this evaluation's sizing and `outcome`. `wanted`
    /// is kept only with a rule that holds the count (`heldBy`); a held scale-up that wanted more
    /// than the need (a band rule's least, one more) says so in the sizing.
    @inline(__always) func decision(
        _ action: ScalingAction, to: Int, trigger: DecisionReason.Trigger, outcome: DecisionReason.Outcome,
        threshold: Double? = nil, heldBy: HoldingRule? = nil, wanted: Int? = nil
    ) -> ScalingDecision {
        var sizing = config.usesLearnedHeadroom ? nil : sizing
        if action == .hold, heldBy != nil, let wanted, wanted > current, let need = sizing?.need, wanted > need {
            sizing?.heldScaleUp = wanted
        }
        return ScalingDecision(action: action, from: current, to: to, serversToScale: serversToScale, busiest: busiest,
                               threshold: threshold,
                               reason: DecisionReason(trigger, sizing: sizing, outcome: outcome),
                               recommendation: recommendation, totalLoad: estimate.current, heldBy: heldBy,
                               wanted: heldBy == nil ? nil : wanted)
    }
}
