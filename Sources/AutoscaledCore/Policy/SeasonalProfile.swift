import AutoscaledBase

/// What the total load was at each phase of the recurring periods (`seasonal_periods`): per
/// period, the highest total of each bucket (1/120 of the period, at least 10 s) over the last
/// `seasonal_confirmations + 1` periods. The seasonal rule reads it to pre-scale before a peak that
/// recurred at the same phase in each of the last `seasonal_confirmations` periods.
///
/// Bucket indices count from the phase origin (``PolicyMemory/phaseOrigin``): the trace's start in
/// `simulate`, the Unix epoch in the daemon, so an hour starts at :00 UTC and a profile saved in the
/// state file means the same phases after a restart. One value per tick is recorded (the tick's
/// latest total, once the tick is over), so how often a tick is evaluated changes nothing here.
/// Size: at most 120 × (confirmations + 1) numbers per period, 360 at the default of 2 (1.4 KB in memory).
public struct SeasonalProfile: Sendable, Equatable {
    /// Buckets per period, at most (fewer when a bucket would be under ``minimumBucketMilliseconds``).
    public static let bucketsPerPeriod: Int64 = 120
    /// The shortest bucket, in milliseconds: finer is below any useful poll interval.
    public static let minimumBucketMilliseconds: Int64 = 10_000

    /// One period's ring of bucket peaks.
    public struct Period: Sendable, Equatable {
        /// The period, in milliseconds.
        public let length: Int64
        /// One bucket, in milliseconds.
        public let bucket: Int64
        /// The index of the latest bucket written (since the phase origin); `nil` before any.
        public private(set) var latest: Int64?
        /// The highest total per bucket, bucket `n` at `n mod peaks.count`; `-1` where nothing
        /// was recorded.
        public private(set) var peaks: [Float]

        /// An empty ring of `confirmations + 1` periods of `length` milliseconds.
        public init(length: Int64, confirmations: Int) {
            self.length = length
            bucket = Self.bucket(of: length)
            let buckets = (length + bucket - 1) / bucket
            peaks = Array(repeating: -1, count: Int(buckets) * (confirmations + 1))
        }

        /// The bucket of a period of `length` milliseconds.
        static func bucket(of length: Int64) -> Int64 {
            max(length / SeasonalProfile.bucketsPerPeriod, SeasonalProfile.minimumBucketMilliseconds)
        }

        /// A period restored from saved peaks, oldest first, the last one in bucket `latest`.
        public init(length: Int64, confirmations: Int, latest: Int64, savedPeaks: [Double?]) {
            self.init(length: length, confirmations: confirmations)
            guard !savedPeaks.isEmpty else { return }
            self.latest = latest
            for (offset, peak) in savedPeaks.suffix(peaks.count).reversed().enumerated() {
                peaks[slot(latest - Int64(offset))] = peak.map { Float($0) } ?? -1
            }
        }

        /// The saved form: every bucket of the ring, oldest first, `nil` where nothing was recorded.
        public var savedPeaks: [Double?] {
            guard let latest else { return [] }
            return (0..<Int64(peaks.count)).reversed().map { back in
                let peak = peaks[slot(latest - back)]
                return peak < 0 ? nil : Double(peak)
            }
        }

        private func slot(_ index: Int64) -> Int {
            let count = Int64(peaks.count)
            return Int(((index % count) + count) % count)
        }

        /// Records `total` at `milliseconds` since the phase origin. A time before the latest
        /// bucket by more than the ring (a wall clock set back far between two runs) starts it again.
        mutating func record(_ total: Double, at milliseconds: Int64) {
            let index = milliseconds.floorDivided(by: bucket)
            let value = Float(min(max(total, 0), Double(Float.greatestFiniteMagnitude)))
            let count = Int64(peaks.count)
            if let latest, index == latest {
                peaks[slot(index)] = max(peaks[slot(index)], value)
                return
            }
            // A clock set back a little between two runs: that bucket was seen already.
            if let latest, index < latest, index > latest - count { return }
            if let latest, index > latest, index - latest < count {
                for skipped in (latest + 1)..<index { peaks[slot(skipped)] = -1 }
            } else {
                for position in peaks.indices { peaks[position] = -1 }
            }
            latest = index
            peaks[slot(index)] = value
        }

        /// The highest total recorded from `start` to `end` milliseconds (both in one earlier
        /// period); `nil` when none of those buckets holds a value.
        func highest(from start: Int64, to end: Int64) -> Double? {
            guard let latest else { return nil }
            let first = max(start.floorDivided(by: bucket), latest - Int64(peaks.count) + 1)
            let last = min(end.floorDivided(by: bucket), latest)
            guard first <= last else { return nil }
            var highest: Float = -1
            // One division for the first slot, then the ring is walked (first...last spans at most
            // the ring: `first` is clamped to its oldest bucket, `last` to its newest).
            var position = slot(first)
            for _ in first...last {
                highest = max(highest, peaks[position])
                position += 1
                if position == peaks.count { position = 0 }
            }
            return highest < 0 ? nil : Double(highest)
        }
    }

    /// What the profile expects within the next `ahead`: the load, and the period that says so.
    public struct Expectation: Sendable, Equatable {
        /// The lowest, over the last `confirmations` periods, of the highest total seen at this phase.
        public var load: Double
        /// The period in milliseconds.
        public var period: Int64
        /// With `headroom = learned`, when the rise is carried from an earlier tick's phase
        /// (``PolicyMemory/expectedSeasonalRise(at:policy:total:)``): that tick, and what it expected.
        public var carried: Carried?

        public init(load: Double, period: Int64, carried: Carried? = nil) {
            self.load = load
            self.period = period
            self.carried = carried
        }

        /// The earlier tick a rise is carried from: how long before this tick it was, its total, and
        /// the recurring rise its phase expected (``load`` is then that total and rise, less the total now).
        public struct Carried: Sendable, Equatable {
            public var before: Duration
            public var total: Double
            public var rise: Double
        }
    }

    public let confirmations: Int
    public private(set) var periods: [Period]

    /// An empty profile of `periods` (milliseconds each).
    public init(periods: [Int64], confirmations: Int) {
        self.confirmations = confirmations
        self.periods = periods.map { Period(length: $0, confirmations: confirmations) }
    }

    /// A profile of saved periods.
    public init(restoring periods: [Period], confirmations: Int) {
        self.confirmations = confirmations
        self.periods = periods
    }

    /// Whether the profile is the shape `config` asks for (same periods, same confirmations).
    public func fits(_ config: PolicyConfig) -> Bool {
        confirmations == config.seasonalConfirmations
            && periods.count == config.seasonalPeriods.count
            && periods.indices.allSatisfy { periods[$0].length == config.seasonalPeriods[$0] }
    }

    /// An empty profile of the shape `config` asks for, keeping the periods this one already learned.
    public func adapted(to config: PolicyConfig) -> SeasonalProfile {
        var next = SeasonalProfile(periods: config.seasonalPeriods.milliseconds, confirmations: config.seasonalConfirmations)
        if confirmations == config.seasonalConfirmations {
            for index in next.periods.indices {
                if let kept = periods.first(where: { $0.length == next.periods[index].length }) { next.periods[index] = kept }
            }
        }
        return next
    }

    /// Records one tick's total at `milliseconds` since the phase origin.
    public mutating func record(_ total: Double, at milliseconds: Int64) {
        for index in periods.indices { periods[index].record(total, at: milliseconds) }
    }

    /// The highest load one of the periods expects from `milliseconds` to `ahead` later (excluded),
    /// judged by the same phase of each of the last `confirmations` periods: in each of them the
    /// load rose at this phase to at least `rise` times what it was at its start, and the lowest of
    /// those peaks is expected. A period where it did not rise (noise, a level that only moved once,
    /// a pattern that stopped) or that saw nothing at this phase makes that period expect nothing.
    public func expected(at milliseconds: Int64, ahead: Int64, rise: Double) -> Expectation? {
        var best: Expectation?
        for period in periods {
            // Within one earlier period: a window longer than the period would read this one.
            let span = min(ahead, period.length - period.bucket)
            var lowest = Double.infinity
            for back in 1...Int64(confirmations) {
                let start = milliseconds - back * period.length
                guard let base = period.highest(from: start, to: start), let peak = period.highest(from: start, to: start + span - 1),
                      peak > 0, peak >= rise * base
                else {
                    lowest = -1
                    break
                }
                lowest = min(lowest, peak)
            }
            if lowest >= 0, lowest > best?.load ?? -1 { best = Expectation(load: lowest, period: period.length) }
        }
        return best
    }
}

extension SeasonalProfile {
    /// With `headroom = learned`: the rise the load made from this phase to `ahead` later in each of
    /// the last `confirmations` periods (its highest total then, less its total at the phase), the
    /// lowest of them; the highest such rise of the periods that have seen every one of those phases,
    /// or `nil` when none has. Only periods at least `ahead`, two ticks and a bucket long are read
    /// (``readsForLearnedRise(period:ahead:tick:)``): then every bucket read was over before the tick
    /// before this one, and is still in the ring when the rise of this tick is measured, so every
    /// evaluation of a tick, and the rise measured for it later, read the same.
    public func expectedRise(at milliseconds: Int64, ahead: Int64, tick: Int64) -> Expectation? {
        expectedRises(at: milliseconds, ahead: ahead, further: ahead, tick: tick).near
    }

    /// The rises ``expectedRise(at:ahead:tick:)`` expects within `ahead` (`near`) and, when
    /// `further` is more, within `further` (`far`; otherwise `nil`), each bucket read once: the
    /// first window is the start of the second. `far` is read from the periods long enough for it only.
    public func expectedRises(at milliseconds: Int64, ahead: Int64, further: Int64, tick: Int64)
        -> (near: Expectation?, far: Expectation?) {
        var near: Expectation?
        var far: Expectation?
        // By index: no copy (nor retain) of a period's ring per read.
        for index in periods.indices where Self.readsForLearnedRise(period: periods[index], ahead: ahead, tick: tick) {
            let readsFurther = further > ahead && Self.readsForLearnedRise(period: periods[index], ahead: further, tick: tick)
            guard let rises = expectedRises(ofPeriod: index, at: milliseconds, ahead: ahead, further: readsFurther ? further : nil)
            else { continue }
            if rises.near.load > near?.load ?? -1 { near = rises.near }
            if let next = rises.far, next.load > far?.load ?? -1 { far = next }
        }
        return (near, far)
    }

    /// The rise period `index` expects from `milliseconds` to `ahead` later (see
    /// ``expectedRise(at:ahead:tick:)``), or `nil` when it has not seen each of those phases.
    func expectedRise(ofPeriod index: Int, at milliseconds: Int64, ahead: Int64) -> Expectation? {
        expectedRises(ofPeriod: index, at: milliseconds, ahead: ahead, further: nil)?.near
    }

    /// ``expectedRise(ofPeriod:at:ahead:)`` within `ahead` (`near`) and, unless `further` is `nil`,
    /// within `further`, more than `ahead` (`far`), the buckets after the first window read for the second only.
    func expectedRises(ofPeriod index: Int, at milliseconds: Int64, ahead: Int64, further: Int64?)
        -> (near: Expectation, far: Expectation?)? {
        let length = periods[index].length
        let bucket = periods[index].bucket
        var near = Double.infinity
        var far = Double.infinity
        for back in 1...Int64(confirmations) {
            let start = milliseconds - back * length
            guard let base = periods[index].highest(from: start, to: start),
                  let peak = periods[index].highest(from: start, to: start + ahead)
            else { return nil }
            near = min(near, max(peak - base, 0))
            if let further {
                let after = ((start + ahead).floorDivided(by: bucket) + 1) * bucket
                let beyond = periods[index].highest(from: after, to: start + further) ?? peak
                far = min(far, max(max(peak, beyond) - base, 0))
            }
        }
        return (Expectation(load: near, period: length), further.map { _ in Expectation(load: far, period: length) })
    }

    /// Whether the learned headroom reads `period` (see ``expectedRise(at:ahead:tick:)``).
    public static func readsForLearnedRise(period: Period, ahead: Int64, tick: Int64) -> Bool {
        learnedPeriodShortfall(length: period.length, ahead: ahead, tick: tick) == nil
    }

    /// The shortest period of `length` milliseconds' bucket the learned headroom reads, when rises
    /// are measured over `ahead` at a tick of `tick` (milliseconds), or `nil` when `length` is long
    /// enough: what a config with a shorter one is told.
    public static func learnedPeriodShortfall(length: Int64, ahead: Int64, tick: Int64) -> Int64? {
        let shortest = ahead + 2 * tick + Period.bucket(of: length)
        return length >= shortest ? nil : shortest
    }
}

extension Int64 {
    /// The quotient rounded towards −∞ (a time before the origin is in bucket −1, not 0).
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}

extension Duration {
    /// Whole milliseconds (rounded towards zero), saturated to `Int64`.
    var wholeMilliseconds: Int64 {
        Duration.nanoseconds(ofAttoseconds: attoseconds) / 1_000_000
    }
}
