import AutoscaledBase

/// The total load the policy sizes for: now, smoothed over `smoothing_window`, and projected
/// `replica_startup` ahead along the trend of `trend_window` (only upwards: a falling load is left
/// to the stabilization window, never anticipated).
///
/// Both windows are measured on the tick grid (``PolicyConfig/tick``): each tick counts once, with
/// the latest total seen in it, and the current tick with this snapshot's total. The trend is
/// withheld until it has been observed over at least `trend_min_span` and ``minimumTrendPoints``
/// ticks, and what it adds is at most ``maximumTrendGain`` times the smoothed load.
public struct LoadEstimate: Sendable, Equatable {
    /// Ticks (the current one included) a trend needs before it is projected.
    public static let minimumTrendPoints = 3
    /// The most a projection adds, as a multiple of the smoothed load (so the estimate is at most
    /// three times the smoothed load).
    public static let maximumTrendGain = 2.0

    /// The sum of the servers' loads in this snapshot.
    public var current: Double
    /// The mean total over the smoothing window, one value per tick, this snapshot's included.
    public var smoothed: Double
    /// How many ticks the smoothed value averages (1: this snapshot alone).
    public var smoothedSamples: Int
    /// Load per second along the trend window (least squares); 0 while the trend is withheld.
    public var slope: Double
    /// How far ahead the trend is projected: `replica_startup`, or 0 while the trend is withheld.
    public var ahead: Duration
    /// `true` when the trend would have added more than ``maximumTrendGain`` times the smoothed
    /// load, and was cut to it.
    public var capped: Bool
    /// `smoothed + min(max(0, slope) × ahead, 2 × smoothed)`.
    public var projected: Double

    /// The total alone: no smoothing, no trend (what `headroom = learned` sizes from).
    public init(current: Double) {
        self.current = current
        smoothed = current
        smoothedSamples = 1
        slope = 0
        ahead = .zero
        capped = false
        projected = current
    }

    public init(current: Double, memory: borrowing PolicyMemory, now: MonotonicInstant, config: PolicyConfig) {
        let tick = memory.tick(of: now, tick: config.tick)
        self.current = current
        var sum = current
        var count = 1.0
        if config.smoothingWindow.attoseconds > 0 {
            for sample in memory.samples(since: tick - config.smoothingWindow, before: tick) {
                sum = (sum + sample.total).saturated
                count += 1
            }
        }
        smoothed = sum / count
        smoothedSamples = Int(count)
        let trend = memory.samples(since: tick - config.trendWindow, before: tick)
        let span = trend.first.map { tick.attoseconds - $0.at.attoseconds } ?? 0
        if trend.count + 1 >= Self.minimumTrendPoints, span >= config.trendMinSpan.attoseconds {
            slope = Self.slope(trend, current: current, now: tick)
            ahead = config.replicaStartup
        } else {
            slope = 0
            ahead = .zero
        }
        // The Duration is converted only when the trend rises; with no rise or no startup time
        // nothing is added (and ∞ × 0 is never made). Saturated: the bound is finite.
        let rise = slope > 0 && ahead.attoseconds > 0 ? (slope * ahead.seconds).saturated : 0
        let bound = (Self.maximumTrendGain * max(0, smoothed)).saturated
        capped = rise > bound
        projected = (smoothed + min(rise, bound)).saturated
    }

    /// Least-squares slope of total load over time, per second; 0 with fewer than two points.
    /// Saturated: a rise too steep for a `Double` is the largest finite slope, never ∞ or NaN.
    static func slope(_ samples: ArraySlice<LoadSample>, current: Double, now: MonotonicInstant) -> Double {
        guard !samples.isEmpty else { return 0 }
        let nowSeconds = now.sinceOrigin.seconds
        var n = 1.0, sumX = 0.0, sumY = current, sumXX = 0.0, sumXY = 0.0
        for sample in samples {
            let x = sample.atSeconds - nowSeconds
            n += 1
            sumX += x
            sumY += sample.total
            sumXX += x * x
            sumXY += x * sample.total
        }
        let denominator = n * sumXX - sumX * sumX
        guard denominator > 0 else { return 0 }
        let slope = (n * sumXY - sumX * sumY) / denominator
        return slope.isNaN ? 0 : slope.saturated
    }
}
