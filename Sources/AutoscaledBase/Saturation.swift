// Both are read in the policy's arithmetic on every evaluation: `@inlinable`, so that a module
// above this one computes them in place instead of calling across the module boundary.

extension Duration {
    /// The duration in seconds, as a `Double`.
    @inlinable package var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}

extension Double {
    /// The value with an infinity replaced by the largest finite value of its sign: where a sum
    /// or product of finite figures overflows, the policy goes on with the largest one it can hold.
    @inlinable package var saturated: Double {
        self == .infinity ? .greatestFiniteMagnitude : self == -.infinity ? -.greatestFiniteMagnitude : self
    }
}
