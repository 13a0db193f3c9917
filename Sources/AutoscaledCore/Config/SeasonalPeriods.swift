/// The `seasonal_periods` of a ``PolicyConfig``, in whole milliseconds: up to
/// ``PolicyConfig/maxSeasonalPeriods``, held inline in 20 bytes so that a policy config stays a
/// small plain value, copied without reference counting (the simulator copies it at every evaluation).
public struct SeasonalPeriods: Sendable, Equatable, ExpressibleByArrayLiteral {
    // Milliseconds fit 32 bits up to 49 days (the config allows 28).
    private var storage = InlineArray<4, UInt32>(repeating: 0)
    private var stored: UInt8 = 0

    /// How many periods there are; 0: the seasonal rule is off.
    public var count: Int { Int(stored) }

    /// `periods` in order, each in whole milliseconds; at most 4, each under 49 days (the config
    /// refuses more).
    public init(_ periods: [Duration]) {
        precondition(periods.count <= storage.count, "at most \(storage.count) seasonal periods")
        for (index, period) in periods.enumerated() {
            guard let milliseconds = UInt32(exactly: max(period.wholeMilliseconds, 0)) else {
                preconditionFailure("a seasonal period of \(period) is longer than 49 days")
            }
            storage[index] = milliseconds
        }
        stored = UInt8(periods.count)
    }

    public init(arrayLiteral periods: Duration...) {
        self.init(periods)
    }

    public var isEmpty: Bool { count == 0 }

    /// The period at `index`, in milliseconds.
    public subscript(index: Int) -> Int64 { Int64(storage[index]) }

    /// The periods in milliseconds, in order.
    public var milliseconds: [Int64] { (0..<count).map { self[$0] } }

    /// The periods as durations, in order.
    public var durations: [Duration] { milliseconds.map { .milliseconds($0) } }

    /// The same periods, shortest first (no allocation: a handful of swaps in place).
    public var ascending: SeasonalPeriods {
        var sorted = self
        for index in 1..<max(count, 1) {
            var place = index
            while place > 0, sorted.storage[place - 1] > sorted.storage[place] {
                sorted.storage.swapAt(place - 1, place)
                place -= 1
            }
        }
        return sorted
    }

    public static func == (a: SeasonalPeriods, b: SeasonalPeriods) -> Bool {
        a.count == b.count && (0..<a.count).allSatisfy { a[$0] == b[$0] }
    }
}
