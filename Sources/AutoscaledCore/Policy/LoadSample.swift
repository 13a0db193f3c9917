/// The total load seen at one evaluation, remembered for smoothing and the trend.
public struct LoadSample: Sendable, Equatable {
    public var at: MonotonicInstant
    /// The sum of every server's load.
    public var total: Double

    public init(at: MonotonicInstant, total: Double) {
        self.at = at
        self.total = total
    }
}
