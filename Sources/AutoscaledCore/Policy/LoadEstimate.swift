/// The total load the policy sizes for: now, smoothed over `smoothing_window`, and projected
/// `replica_startup` ahead along the trend of `trend_window` (only upwards: a falling load is left
/// to the stabilization window, never anticipated).
public struct LoadEstimate: Sendable, Equatable {
    /// The sum of the servers' loads in this snapshot.
    public var current: Double
    /// The mean total over the smoothing window, this snapshot included.
    public var smoothed: Double
    /// How many totals the smoothed value averages (1: this snapshot alone).
    public var smoothedSamples: Int
    /// Load per second along the trend window (least squares); negative when falling.
    public var slope: Double
    /// `smoothed + max(0, slope) × replica_startup`.
    public var projected: Double

    public init(current: Double, memory: PolicyMemory, now: MonotonicInstant, config: PolicyConfig) {
        self.current = current
        var sum = current
        var count = 1.0
        if config.smoothingWindow > .zero {
            for sample in memory.samples(since: now - config.smoothingWindow) {
                sum = (sum + sample.total).saturated
                count += 1
            }
        }
        smoothed = sum / count
        smoothedSamples = Int(count)
        slope = Self.slope(memory.samples(since: now - config.trendWindow), current: current, now: now)
        // `smoothed + max(0, slope) × replica_startup`, saturated; with no rise or no startup time
        // nothing is added (and ∞ × 0 is never made).
        projected = slope > 0 && config.replicaStartup > .zero
            ? (smoothed + slope * config.replicaStartup.seconds).saturated : smoothed
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

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}

extension Double {
    /// The value with an infinity replaced by the largest finite value of its sign: where a sum
    /// or product of finite figures overflows, the policy goes on with the largest one it can hold.
    var saturated: Double {
        self == .infinity ? .greatestFiniteMagnitude : self == -.infinity ? -.greatestFiniteMagnitude : self
    }
}
