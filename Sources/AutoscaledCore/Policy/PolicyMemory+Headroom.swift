import AutoscaledBase

/// The learned headroom's memory (`headroom = learned`): for each tick, how far the total load rose
/// above that tick's total within the tick and the horizon after it (`replica_startup` and a tick),
/// kept for `headroom_window`. A rise is measured once its horizon is over, from the latest total
/// of each tick in it, so it is the same however often a tick was evaluated, live or in `simulate`.
/// With `seasonal_periods`, what is kept is the part of each rise the recurring rise expected at
/// that tick's phase did not explain (``expectedSeasonalRise(at:policy:)``), at least 0.
extension PolicyMemory {
    /// The rises known, oldest first, none older than `headroom_window`.
    public var rises: ArraySlice<LoadSample> { riseLog.all }

    /// The rise at `quantile` (the smallest rise at least that share of the rises does not exceed)
    /// of those a decision at `tick` sees, or `nil` while it sees fewer than ``Headroom/minimumRises``.
    ///
    /// What a decision sees depends on its tick alone, not on how often that tick was evaluated: the
    /// rises of the samples from `headroom_window` and a tick before it, up to those whose horizon
    /// ended a tick before it (learned by the first record of the previous tick at the latest).
    /// The rises learned or dropped by this tick's own first record are left out or kept in.
    public func learnedRise(quantile: Double, at tick: MonotonicInstant, policy: PolicyConfig) -> Double? {
        let (front, back) = visibleRises(at: tick, policy: policy)
        let count = back - front
        guard count >= Headroom.minimumRises else { return nil }
        let rises = self.rises
        let position = (quantile * Double(count)).rounded(.down)
        let wanted = position.isNaN ? count - 1 : Int(min(max(position, 0), Double(count - 1)))
        guard count < sortedRises.count else { return sortedRises[wanted] }
        // The few rises left out (a tick or two's worth, at the ends of `rises`) are given places in
        // `sortedRises` (copies of one value take successive places among that value's), and the
        // wanted place of the visible ones moves past each left-out place at or before it.
        var hidden = rises[..<front].map(\.total) + rises[back...].map(\.total)
        hidden.sort()
        var place = sortedRises.startIndex + wanted
        var previous = sortedRises.startIndex - 1
        for value in hidden {
            let left = max(Self.insertionIndex(of: value, in: sortedRises), previous + 1)
            previous = left
            guard left <= place else { break }
            place += 1
        }
        return sortedRises[place]
    }

    /// While fewer than ``Headroom/minimumRises`` rises are known: the highest rise seen so far in
    /// the loads kept, for a decision at `tick` whose total is `total`. For each tick before `tick`
    /// whose total is kept (``PolicyConfig/sampleWindow``), how far a later total within its horizon
    /// rose above it (`total` itself counting as one for the ticks whose horizon reaches `tick`); the
    /// highest of these, at least 0. A rise still being measured counts as far as it has come, so a
    /// load rising at a start is given room for as much as it rose, and a load that has not moved for
    /// none beyond the target.
    ///
    /// Kept means after `tick` less the window, excluded: every evaluation of the tick, whenever in
    /// it, still holds those (a record drops what is older than its own time less the window), and
    /// none older counts, however long ago the last record was (a source outage).
    func highestRiseSeen(at tick: MonotonicInstant, policy: PolicyConfig, total: Double) -> Double {
        let horizon = Headroom.horizon(replicaStartup: policy.replicaStartup, tick: policy.tick)
        let oldest = tick - policy.sampleWindow
        let earlier = samples[Self.partition(samples) { $0.at <= oldest }..<Self.partition(samples) { $0.at < tick }]
        var highest = 0.0
        for index in earlier.indices {
            let end = earlier[index].at + horizon
            let peak = Self.highestTotal(of: earlier, from: index, through: end)
            highest = max(highest, (end >= tick ? max(peak, total) : peak) - earlier[index].total)
        }
        return highest
    }

    /// With `headroom_spread = measured`: the spread of the tick totals before `tick`, as a share of
    /// the square of the spread ``Headroom/squareRootRoom`` assumes, at most 1; `nil` where it is not
    /// measured (the spread is then the assumed one).
    ///
    /// The assumed spread is that of random arrivals of one request a second per replica's worth:
    /// a tick's total, the mean load over a tick of P seconds, then varies by 100² r ÷ P about a
    /// load filling r replicas. Measured over the totals of ``Headroom/spreadWindow`` before `tick`
    /// (the samples every evaluation of the tick holds, so the same however often it is evaluated):
    /// half the mean square of the differences between successive totals, times P, ÷ (100 × their
    /// mean total). Not measured with fewer than ``Headroom/minimumSpreadDifferences`` differences,
    /// with fewer than ``Headroom/spreadChangedShare`` of them other than 0 (a total held between
    /// a source's updates says nothing of the spread within them), or without a mean load above 0
    /// and a spread above 0 that a Double holds.
    public func measuredSpread(at tick: MonotonicInstant, policy: PolicyConfig) -> Double? {
        guard policy.headroom.measuresSpread else { return nil }
        let kept = samples(since: tick - Headroom.spreadWindow, before: tick)
        guard kept.count > Headroom.minimumSpreadDifferences, let first = kept.first else { return nil }
        let tickSeconds = policy.tick.seconds
        var sum = first.total
        var squares = 0.0
        var changed = 0
        var previous = first.total
        for sample in kept.dropFirst() {
            let difference = sample.total - previous
            squares += difference * difference * tickSeconds
            if difference != 0 { changed += 1 }
            sum += sample.total
            previous = sample.total
        }
        let differences = kept.count - 1
        guard Double(changed) >= Headroom.spreadChangedShare * Double(differences) else { return nil }
        let mean = sum / Double(kept.count)
        let spread = squares / (2 * Double(differences)) / (100 * mean)
        guard mean > 0, mean.isFinite, spread > 0, spread.isFinite else { return nil }
        return min(spread, 1)
    }

    /// The highest total of `samples` (in time order) from the one at `index` through those at
    /// `end` or before it: how high the load went within a tick's horizon, that tick included.
    static func highestTotal(of samples: ArraySlice<LoadSample>, from index: Int, through end: MonotonicInstant) -> Double {
        var peak = samples[index].total
        var later = index + 1
        while later < samples.endIndex, samples[later].at <= end {
            peak = max(peak, samples[later].total)
            later += 1
        }
        return peak
    }

    /// How many rises a decision at `tick` sees (see ``learnedRise(quantile:at:policy:)``).
    func visibleRiseCount(at tick: MonotonicInstant, policy: PolicyConfig) -> Int {
        let (front, back) = visibleRises(at: tick, policy: policy)
        return back - front
    }

    /// `rises[front..<back]`: the rises a decision at `tick` sees. Only the ends are walked: the
    /// memory holds at most a tick more at either end than any decision sees.
    /// None when they were measured against another horizon or season (a reload changed it; the
    /// next tick's record forgets them), or when they are beyond recurring rises and outlived the
    /// season (``outlivedSeason(_:at:measure:)``).
    private func visibleRises(at tick: MonotonicInstant, policy: PolicyConfig) -> (front: Int, back: Int) {
        let measure = Headroom.RiseMeasure(policy)
        let horizon = measure.horizon
        let rises = self.rises
        guard risesMeasure == measure, !Self.outlivedSeason(rises.last, at: tick, measure: measure) else {
            return (rises.startIndex, rises.startIndex)
        }
        let low = tick - policy.tick - policy.headroom.window
        let high = tick - horizon - policy.tick
        var front = rises.startIndex
        while front < rises.endIndex, rises[front].at < low { front += 1 }
        var back = rises.endIndex
        while back > front, rises[back - 1].at >= high { back -= 1 }
        return (front, back)
    }

    /// Measures the rise of every sample whose horizon ended before `tick` (the tick a new sample is
    /// about to be recorded for), then drops the rises older than `headroom_window`.
    mutating func learnRises(before tick: MonotonicInstant, policy: PolicyConfig) {
        let measure = Headroom.RiseMeasure(policy)
        let horizon = measure.horizon
        // A reload changed replica_startup, poll_interval or the seasonal rule: rises measured
        // against another horizon or season are not this policy's rises.
        if risesMeasure != measure { forgetRises() }
        risesMeasure = measure
        // Checked before the samples kept from before a gap are measured: a rise measured from
        // them now would end the gap a decision already saw, and bring back the rises it forgot.
        if forgetOutlivedRises(at: tick, measure: measure) { return }
        var index = samples.endIndex
        while index > samples.startIndex, risenThrough.map({ samples[index - 1].at > $0 }) ?? true {
            index -= 1
        }
        while index < samples.endIndex, samples[index].at + horizon < tick {
            let start = samples[index]
            let peak = Self.highestTotal(of: samples[...], from: index, through: start.at + horizon)
            // A load that did not rise leaves no rise, whatever the season expected (never below 0);
            // a season that expected the whole rise leaves none either, however much more it expected.
            let seasonal = peak <= start.total ? 0
                : expectedSeasonalRise(at: start.at, policy: policy, total: start.total, earlier: samples[..<index],
                                       enough: peak - start.total)?.load ?? 0
            let rise = max(0, peak - start.total - seasonal)
            riseLog.append(LoadSample(at: start.at, total: rise))
            sortedRises.insert(rise, at: Self.insertionIndex(of: rise, in: sortedRises))
            risenThrough = start.at
            index += 1
        }
        // And after: rises measured just now whose horizons ended that long ago (the first ones).
        if forgetOutlivedRises(at: tick, measure: measure) { return }
        // A tick more than the window: the later evaluations of this tick see what its first did.
        let cutoff = tick - policy.tick - policy.headroom.window
        var old = 0
        for rise in rises {
            guard rise.at < cutoff else { break }
            sortedRises.remove(at: Self.insertionIndex(of: rise.total, in: sortedRises))
            old += 1
        }
        riseLog.dropOldest(old)
    }

    /// No load for longer than the shortest seasonal period (a source outage): what the rises
    /// leave out can no longer be given back (``outlivedSeason(_:at:measure:)``), so they are
    /// forgotten and learned again from the loads that come after the gap only (the samples kept
    /// from before it are not measured again). Whether they were.
    private mutating func forgetOutlivedRises(at tick: MonotonicInstant, measure: Headroom.RiseMeasure) -> Bool {
        guard Self.outlivedSeason(rises.last, at: tick, measure: measure) else { return false }
        forgetRises()
        risesMeasure = measure
        risenThrough = samples.last?.at
        return true
    }

    /// At a reload: when `policy` measures rises otherwise than the memory's were measured (another
    /// horizon or season), measures them again at once over the loads kept, before `now`'s tick, so
    /// that the reload's own decision has rises of its measure and does not take the room of a
    /// start with none, one tick before the next record measures them.
    public mutating func remeasureRises(at now: MonotonicInstant, policy: PolicyConfig) {
        guard policy.usesLearnedHeadroom, risesMeasure != nil, risesMeasure != Headroom.RiseMeasure(policy) else { return }
        learnRises(before: tick(of: now, tick: policy.tick), policy: policy)
    }

    /// Forgets every rise (`headroom` was turned to `thresholds`, or the horizon or the season changed, by a reload).
    mutating func forgetRises() {
        riseLog = RiseLog()
        sortedRises = []
        risenThrough = nil
        risesMeasure = nil
    }

    /// The rise the seasonal profile expects from `tick` to the horizon after it, when
    /// `seasonal_periods` is set and one of its periods has seen this phase each time it must
    /// (``SeasonalProfile/expectedRise(at:ahead:tick:)``), for a tick whose total is `total`.
    ///
    /// A bucket holds only its highest total, so a tick in the bucket of a recurring peak, before the
    /// peak, reads the peak as its base and expects no rise: the room asked for before the peak would
    /// be taken back just before it comes. So where a period's bucket is longer than a tick, each tick
    /// of the bucket's length before this one (fewer than a bucket: (bucket − 1) ÷ tick of them, and
    /// fewer than the horizon) whose phase expected a rise above 0 of that period still expects the
    /// total it would reach: that tick's total and rise, less `total`, when that is more. It keeps
    /// that level for up to a bucket whether the peak is still to come or came and went within it.
    public func expectedSeasonalRise(at tick: MonotonicInstant, policy: PolicyConfig, total: Double) -> SeasonalProfile.Expectation? {
        expectedSeasonalRise(at: tick, policy: policy, total: total, earlier: samples[...], enough: .infinity)
    }

    /// A recurring rise a decision gives room for: what the profile expects, and, when it was found
    /// in the further look only (``Headroom/furtherHorizon(replicaStartup:tick:)``; otherwise within
    /// a rise's horizon), the least it had to be there.
    public struct RecurringRise: Sendable, Equatable {
        public var expectation: SeasonalProfile.Expectation
        /// In the further look only: ``Headroom/furtherLookSpread`` root mean square differences
        /// between polls, which the rise is above.
        public var furtherThan: Double?

        public init(expectation: SeasonalProfile.Expectation, furtherThan: Double? = nil) {
            self.expectation = expectation
            self.furtherThan = furtherThan
        }
    }

    /// The recurring rise a decision at `tick` gives room for, the total now being `total` and the
    /// spread measured `measuredSpread` (`nil`: the assumed one): the one expected within a rise's
    /// horizon (``expectedSeasonalRise(at:policy:total:)``), or, when more, the one expected within
    /// the further horizon (``Headroom/furtherHorizon(replicaStartup:tick:)``), when that is more
    /// than ``Headroom/furtherLookSpread`` root mean square differences between polls. Periods too
    /// short for the further look are read within the horizon only. The rises learned for the
    /// quantile stay measured beyond the recurring rise of their own horizon.
    public func recurringRise(at tick: MonotonicInstant, policy: PolicyConfig, total: Double, measuredSpread: Double?) -> RecurringRise? {
        guard !policy.seasonalPeriods.isEmpty else { return nil }
        let further = Headroom.furtherHorizon(replicaStartup: policy.replicaStartup, tick: policy.tick)
        let (near, far) = expectedSeasonalRises(at: tick, policy: policy, total: total, earlier: samples[...], further: further)
        if let far, far.load > near?.load ?? 0 {
            let least = Headroom.furtherLookSpread
                * Headroom.spreadBetweenPolls(total: total, measuredSpread: measuredSpread ?? 1, tick: policy.tick)
            if far.load > least { return RecurringRise(expectation: far, furtherThan: least) }
        }
        return near.map { RecurringRise(expectation: $0) }
    }

    /// ``expectedSeasonalRise(at:policy:total:)``, the ticks before `tick` read from `earlier` (in
    /// time order, one per tick; any at or after `tick` are passed over). Once a rise of at least
    /// `enough` is expected, no further one is looked for: the answer is then at least `enough`,
    /// not the most expected.
    func expectedSeasonalRise(at tick: MonotonicInstant, policy: PolicyConfig, total: Double,
                              earlier: ArraySlice<LoadSample>, enough: Double) -> SeasonalProfile.Expectation? {
        expectedSeasonalRises(at: tick, policy: policy, total: total, earlier: earlier, enough: enough).near
    }

    /// ``expectedSeasonalRise(at:policy:total:earlier:enough:)`` within a rise's horizon (`near`)
    /// and, when `further` is beyond it, within `further` too (`far`; otherwise `nil`), the profile
    /// read once for both (``SeasonalProfile/expectedRises(at:ahead:further:tick:)``). `enough`
    /// ends the look early only where there is no further one.
    func expectedSeasonalRises(at tick: MonotonicInstant, policy: PolicyConfig, total: Double,
                               earlier: ArraySlice<LoadSample>, enough: Double = .infinity, further: Duration? = nil)
        -> (near: SeasonalProfile.Expectation?, far: SeasonalProfile.Expectation?) {
        guard !policy.seasonalPeriods.isEmpty, let profile = seasonRead(at: tick, policy: policy) else { return (nil, nil) }
        let ahead = Headroom.horizon(replicaStartup: policy.replicaStartup, tick: policy.tick).wholeMilliseconds
        let beyond = max(further?.wholeMilliseconds ?? ahead, ahead)
        let looksFurther = beyond > ahead
        let step = policy.tick.wholeMilliseconds
        let now = sinceOrigin(tick)
        var (near, far) = profile.expectedRises(at: now, ahead: ahead, further: beyond, tick: step)
        // A poll of whole milliseconds: a tick k polls earlier is k × step milliseconds earlier in
        // phase too, while that is not before the phase origin (whole milliseconds are truncated).
        let wholeStep = policy.tick.attoseconds % Duration.milliseconds(1).attoseconds == 0
        if !looksFurther, let near, near.load >= enough { return (near, nil) }
        // By index, for each period the learned headroom reads whose bucket is longer than a tick.
        for index in profile.periods.indices
        where SeasonalProfile.readsForLearnedRise(period: profile.periods[index], ahead: ahead, tick: step) {
            let bucket = profile.periods[index].bucket
            let readsFurther = looksFurther && SeasonalProfile.readsForLearnedRise(period: profile.periods[index], ahead: beyond, tick: step)
            let nearTicks = Self.carriedTicks(bucket: bucket, ahead: ahead, tick: step)
            let farTicks = readsFurther ? Self.carriedTicks(bucket: bucket, ahead: beyond, tick: step) : 0
            let ticks = max(nearTicks, farTicks)
            guard ticks > 0 else { continue }
            // A period a whole number of buckets long reads, at a phase, the buckets of the phase and
            // of the phase and the horizon in each earlier period: ticks whose phase and horizon end in
            // the same two buckets expect the same rise, read once (at a 1 s poll, up to 29 ticks of
            // an hour's 30 s buckets are carried from, in two to four such runs).
            let aligned = profile.periods[index].length % bucket == 0
            var read: (first: Int64, last: Int64, furthest: Int64,
                       expected: (near: SeasonalProfile.Expectation, far: SeasonalProfile.Expectation?)?)?
            // Compared as attoseconds: integer arithmetic in place of `Duration`'s operators.
            var wanted = tick.attoseconds
            var position = earlier.endIndex
            for back in 1...ticks {
                wanted -= policy.tick.attoseconds
                // Samples are kept at the starts of ticks, one per tick, in time order.
                while position > earlier.startIndex, earlier[position - 1].at.attoseconds > wanted { position -= 1 }
                guard position > earlier.startIndex else { break }
                let sample = earlier[position - 1]
                guard sample.at.attoseconds == wanted else { continue }
                let stepped = now - Int64(back) * step
                let phase = wholeStep && stepped >= 0 ? stepped : sinceOrigin(sample.at)
                let first = phase.floorDivided(by: bucket)
                let last = (phase + ahead).floorDivided(by: bucket)
                let furthest = (phase + beyond).floorDivided(by: bucket)
                if !aligned || read?.first != first || read?.last != last || read?.furthest != furthest {
                    read = (first, last, furthest, profile.expectedRises(ofPeriod: index, at: phase, ahead: ahead,
                                                                          further: readsFurther ? beyond : nil))
                }
                let then = Duration(attoseconds: tick.attoseconds - wanted)
                if back <= nearTicks, let expected = read?.expected?.near,
                   let carried = Self.carried(expected, from: sample, before: then, total: total), carried.load > near?.load ?? 0 {
                    near = carried
                    if !looksFurther, carried.load >= enough { return (near, nil) }
                }
                if back <= farTicks, let expected = read?.expected?.far,
                   let carried = Self.carried(expected, from: sample, before: then, total: total), carried.load > far?.load ?? 0 {
                    far = carried
                }
            }
        }
        return (near, looksFurther ? far : nil)
    }

    /// What `expected`, the rise the phase of `sample`'s tick (`before` this one) expected, leaves
    /// a tick whose total is `total`: that tick's total and rise, less `total`; `nil` where the
    /// phase expected no rise.
    private static func carried(_ expected: SeasonalProfile.Expectation, from sample: LoadSample, before: Duration,
                                total: Double) -> SeasonalProfile.Expectation? {
        guard expected.load > 0 else { return nil }
        return .init(load: sample.total + expected.load - total, period: expected.period,
                     carried: .init(before: before, total: sample.total, rise: expected.load))
    }

    /// How many ticks before a tick ``expectedSeasonalRise(at:policy:total:)`` carries a period's
    /// rise from: those less than a bucket before it and less than the horizon (milliseconds).
    static func carriedTicks(bucket: Int64, ahead: Int64, tick: Int64) -> Int {
        guard tick > 0 else { return 0 }
        return Int((min(bucket, ahead) - 1) / tick)
    }

    /// Rises as the state file keeps them: what they were measured against, and each one's tick in
    /// milliseconds after the phase origin (the Unix epoch, in the daemon).
    public struct SavedRises: Sendable, Equatable {
        public struct Rise: Sendable, Equatable {
            public var at: Int64
            public var rise: Double
        }

        public var measure: Headroom.RiseMeasure
        public var rises: [Rise]
    }

    /// The rises to save, or `nil` while none are known.
    public var savedRises: SavedRises? {
        guard let risesMeasure, !rises.isEmpty else { return nil }
        return SavedRises(measure: risesMeasure, rises: rises.map { .init(at: sinceOrigin($0.at), rise: $0.total) })
    }

    /// Takes the rises an earlier run saved, when they were measured as `policy` measures them (over
    /// `replica_startup` and a tick, less the same seasonal rise; otherwise they are learned again)
    /// and are not older than `headroom_window` before the start of observing. Times are read from
    /// the phase origin.
    ///
    /// Rises beyond recurring ones that outlived the season (a stop longer than the shortest
    /// seasonal period, ``outlivedSeason(_:at:measure:)``) are not restored either.
    public mutating func restoreRises(_ saved: SavedRises, policy: PolicyConfig) {
        let measure = Headroom.RiseMeasure(policy)
        guard saved.measure.matches(measure) else { return }
        let cutoff = observingSince - policy.tick - policy.headroom.window
        let origin = phaseOrigin
        let start = observingSince
        let restored = saved.rises.map { LoadSample(at: origin + .milliseconds($0.at), total: $0.rise) }
            .filter { $0.at >= cutoff && $0.at < start }
        guard !Self.outlivedSeason(restored.last, at: start, measure: measure) else { return }
        riseLog = RiseLog(restored)
        sortedRises = rises.map(\.total).sorted()
        risenThrough = nil
        risesMeasure = rises.isEmpty ? nil : measure
    }

    /// Whether rises beyond recurring ones, the latest being `latest`, have outlived the season at
    /// `tick`: more than the shortest seasonal period passed between the end of its horizon and
    /// `tick` (a stop, a source outage). The profile has then not seen the phases just past, and
    /// could not give back the recurring rise those rises leave out until it sees them again.
    static func outlivedSeason(_ latest: LoadSample?, at tick: MonotonicInstant, measure: Headroom.RiseMeasure) -> Bool {
        guard !measure.seasonalPeriods.isEmpty, let latest else { return false }
        // A measure holds its periods shortest first.
        return tick - (latest.at + measure.horizon) > .milliseconds(measure.seasonalPeriods[0])
    }

    /// The first index of `sorted` whose value is not below `value`.
    private static func insertionIndex(of value: Double, in sorted: [Double]) -> Int {
        partition(sorted) { $0 < value }
    }

    /// The first index of `sorted` whose value is above `value`.
    private static func insertionIndex(after value: Double, in sorted: [Double]) -> Int {
        partition(sorted) { $0 <= value }
    }

    /// The first index of `sorted` where `before` stops holding (it holds on a prefix).
    private static func partition<Element>(_ sorted: [Element], _ before: (Element) -> Bool) -> Int {
        var low = sorted.startIndex
        var high = sorted.endIndex
        while low < high {
            let middle = low + (high - low) / 2
            if before(sorted[middle]) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
