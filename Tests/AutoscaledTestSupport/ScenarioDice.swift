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
