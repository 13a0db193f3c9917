/// The `seasonal_periods` of a ``PolicyConfig``, in whole milliseconds: up to
/// ``PolicyConfig/maxSeasonalPeriods``, held inline so that a policy config stays a plain value,
/// copied without reference counting (the simulator copies it at every evaluation).
public struct SeasonalPeriods: Sendable, Equatable, ExpressibleByArrayLiteral {
    private var storage = InlineArray<8, Int64>(repeating: 0)
    /// How many periods there are; 0: the seasonal rule is off.
    public private(set) var count = 0

    /// `periods` in order, each in whole milliseconds; at most 8 (the config refuses more).
    public init(_ periods: [Duration]) {
        precondition(periods.count <= storage.count, "at most \(storage.count) seasonal periods")
        for (index, period) in periods.enumerated() { storage[index] = period.wholeMilliseconds }
        count = periods.count
    }

    public init(arrayLiteral periods: Duration...) {
        self.init(periods)
    }

    public var isEmpty: Bool { count == 0 }

    /// The period at `index`, in milliseconds.
    public subscript(index: Int) -> Int64 { storage[index] }

    /// The periods in milliseconds, in order.
    public var milliseconds: [Int64] { (0..<count).map { storage[$0] } }

    /// The periods as durations, in order.
    public var durations: [Duration] { milliseconds.map { .milliseconds($0) } }

    public static func == (a: SeasonalPeriods, b: SeasonalPeriods) -> Bool {
        a.count == b.count && (0..<a.count).allSatisfy { a[$0] == b[$0] }
    }
}
