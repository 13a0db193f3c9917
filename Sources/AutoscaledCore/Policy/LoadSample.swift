import AutoscaledBase

/// The total load seen at one evaluation, remembered for smoothing and the trend.
public struct LoadSample: Sendable, Equatable {
    public var at: MonotonicInstant {
        didSet { atSeconds = at.sinceOrigin.seconds }
    }
    /// `at` in seconds since the origin, converted once: a `Duration` to `Double` conversion costs
    /// a 128-bit division, and the trend reads every sample at every evaluation.
    private(set) var atSeconds: Double
    /// The sum of every server's load.
    public var total: Double

    public init(at: MonotonicInstant, total: Double) {
        self.at = at
        self.total = total
        atSeconds = at.sinceOrigin.seconds
    }
}
