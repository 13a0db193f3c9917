import AutoscaledBase

/// The seasonal part of the policy memory: the profile learned (``SeasonalProfile``) and where its
/// phases count from. Kept behind one reference so that a memory without it copies as cheaply as
/// before, and copied on write so that a memory stays a value.
final class SeasonalStorage: @unchecked Sendable, Equatable {
    // Safety: the fields are only changed through `PolicyMemory`'s mutating methods, and only
    // after `isKnownUniquelyReferenced` has made this instance the memory's own; an instance two
    // memories share is never changed, so no two threads see a write.
    var profile: SeasonalProfile?
    var phaseOrigin: MonotonicInstant

    init(profile: SeasonalProfile?, phaseOrigin: MonotonicInstant) {
        self.profile = profile
        self.phaseOrigin = phaseOrigin
    }

    static func == (a: SeasonalStorage, b: SeasonalStorage) -> Bool {
        a === b || (a.profile == b.profile && a.phaseOrigin == b.phaseOrigin)
    }
}

extension PolicyMemory {
    /// The highest total per phase of each `seasonal_periods` period, once that key is set.
    public var season: SeasonalProfile? {
        get { seasonal?.profile }
        set { ownSeasonal().profile = newValue }
    }

    /// Where the seasonal phases count from: the trace's start in `simulate` (the default), the
    /// Unix epoch (seen on the monotonic timeline) in the daemon.
    public var phaseOrigin: MonotonicInstant {
        get { seasonal?.phaseOrigin ?? .origin }
        set { ownSeasonal().phaseOrigin = newValue }
    }

    /// The storage, made this memory's own first (copied when another memory shares it).
    private mutating func ownSeasonal() -> SeasonalStorage {
        if isKnownUniquelyReferenced(&seasonal), let seasonal { return seasonal }
        let own = SeasonalStorage(profile: seasonal?.profile, phaseOrigin: seasonal?.phaseOrigin ?? .origin)
        seasonal = own
        return own
    }

    /// Records a finished tick in the seasonal profile, made (or reshaped) to what `policy` asks for.
    mutating func learnSeason(_ sample: LoadSample, policy: PolicyConfig) {
        let storage = ownSeasonal()
        if storage.profile?.fits(policy) != true {
            storage.profile = storage.profile?.adapted(to: policy)
                ?? SeasonalProfile(periods: policy.seasonalPeriods.milliseconds, confirmations: policy.seasonalConfirmations)
        }
        let at = sinceOrigin(sample.at)
        storage.profile?.record(sample.total, at: at)
    }

    /// The seasonal profile as every evaluation at `tick` reads it.
    ///
    /// A tick's total is learned at the first record of a later tick, after that tick's first
    /// evaluation. When the bucket it goes to may be read from `tick` (after ticks with no load, or
    /// with a period shorter than a rise's horizon, two ticks and a bucket), or when the profile is
    /// not yet the shape `policy` asks for (a reload), the first evaluation reads a copy that has
    /// learned it, as the later ones read the memory itself: the same load over time reads the same
    /// profile however often each tick is evaluated.
    @inline(__always)
    func seasonRead(at tick: MonotonicInstant, policy: PolicyConfig) -> SeasonalProfile? {
        // Every tick's first evaluation has a total not yet learned: the previous tick's, whose
        // bucket the learned headroom never reads (its periods are long enough, by the config's check).
        guard let last = samples.last, last.at < tick, !policy.seasonalPeriods.isEmpty,
              last.at < tick - policy.tick || season?.fits(policy) != true
                || (!policy.usesLearnedHeadroom && Self.readsPreviousTick(policy))
        else { return season }
        return seasonLearning(last, policy: policy)
    }

    /// The profile once `last` is learned, as the next record will leave it.
    @inline(never)
    private func seasonLearning(_ last: LoadSample, policy: PolicyConfig) -> SeasonalProfile? {
        var seen = self
        seen.learnSeason(last, policy: policy)
        return seen.season
    }

    /// Whether a period of `policy` is so short that a read at a tick reaches the bucket of the
    /// tick before it (refused with `headroom = learned`, allowed with `thresholds`).
    @inline(never)
    static func readsPreviousTick(_ policy: PolicyConfig) -> Bool {
        let ahead = Headroom.horizon(replicaStartup: policy.replicaStartup, tick: policy.tick).wholeMilliseconds
        let tick = policy.tick.wholeMilliseconds
        return policy.seasonalPeriods.milliseconds.contains {
            SeasonalProfile.learnedPeriodShortfall(length: $0, ahead: ahead, tick: tick) != nil
        }
    }

    /// Milliseconds from the phase origin to `instant`.
    func sinceOrigin(_ instant: MonotonicInstant) -> Int64 {
        (instant - phaseOrigin).wholeMilliseconds
    }
}
