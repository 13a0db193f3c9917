#if canImport(AutoscaledCore)
import AutoscaledCore
#endif

/// Where a generated scenario's choices come from: a seeded generator in tests, a fuzzer's input
/// bytes under libFuzzer. Any sequence of values must make a scenario that ends.
public protocol ScenarioDice {
    /// The next 64 bits; a fuzzer's input that has run out gives zeros.
    mutating func roll() -> UInt64
}

extension ScenarioDice {
    /// A value in `0..<bound` (`bound` ≥ 1). Never loops, whatever `roll` gives.
    mutating func below(_ bound: Int) -> Int {
        Int(roll() % UInt64(bound))
    }

    /// A value in `range`.
    mutating func within(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    mutating func pick<T>(_ choices: [T]) -> T {
        choices[below(choices.count)]
    }

    /// `true` in about `percent` of rolls.
    mutating func chance(_ percent: Int) -> Bool {
        below(100) < percent
    }

    /// A fraction in `0...1`.
    mutating func fraction() -> Double {
        Double(roll() >> 11) / Double(1 << 53)
    }

    /// A load a source may report: 0, the largest accepted, the smallest positive `Double`, an
    /// ordinary load, or any value up to the bound.
    mutating func load() -> Double {
        switch below(6) {
        case 0: 0
        case 1: LoadSnapshot.maxLoad
        case 2: Double.leastNonzeroMagnitude
        case 3: fraction() * LoadSnapshot.maxLoad
        default: (fraction() * 2000).rounded() / 10
        }
    }
}

extension SplitMix64: ScenarioDice {
    public mutating func roll() -> UInt64 {
        next()
    }
}

/// Rolls from a fuzzer's input, or one it kept, 8 bytes at a time (little-endian); zeros once the
/// input has run out. The `policy` fuzz target and the test replaying its corpus roll the same.
public struct ByteDice<Bytes: RandomAccessCollection>: ScenarioDice where Bytes.Element == UInt8, Bytes.Index == Int {
    private let bytes: Bytes
    private var offset: Int

    public init(_ bytes: Bytes) {
        self.bytes = bytes
        offset = bytes.startIndex
    }

    public mutating func roll() -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 8) where offset < bytes.endIndex {
            value |= UInt64(bytes[offset]) << UInt64(shift)
            offset += 1
        }
        return value
    }
}
