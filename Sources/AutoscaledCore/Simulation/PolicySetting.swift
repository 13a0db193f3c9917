
/// One point of `tune`'s search space: a value for each `[policy]` key it tunes and for
/// `poll_interval`, each taken from a short list of values worth trying (``grids``).
///
/// Stored as indices into the lists so that neighbours (one step up or down) are cheap to make;
/// `scale_down_threshold` and `target_load` are fractions of the threshold above them, so every
/// point is a valid config (`scale_down_threshold < target_load ≤ scale_up_threshold`).
struct PolicySetting: Hashable, Sendable {
    /// The keys, in the order of ``genes``.
    enum Key: Int, CaseIterable {
        case pollInterval, scaleUpThreshold, targetFraction, downFraction, maxScaleUpPerMinute, maxScaleDownPerMinute
        case scaleUpCooldown, scaleDownStabilization, replicaStartup, trendWindow, smoothingWindow, burstRatio
    }

    /// The values tried for each key (durations in seconds; fractions of the key above).
    static let grids: [[Double]] = [
        [1, 2, 5, 10, 15, 30],
        [30, 40, 50, 60, 70, 80, 90],
        [0.6, 0.7, 0.8, 0.9, 1],
        [0.4, 0.55, 0.7, 0.85],
        [1, 2, 4, 8, 16, 64],
        [1, 2, 4, 8, 16, 64],
        [0, 10, 30, 60, 120, 300],
        [0, 30, 60, 120, 300, 600],
        [0, 30, 60, 120, 180, 300],
        [30, 60, 120, 180, 300, 600],
        [0, 10, 30, 60, 120],
        [0, 1.5, 2, 3, 4],
    ]

    var genes: [Int]

    /// A uniformly random point.
    static func random(_ random: inout SplitMix64) -> PolicySetting {
        PolicySetting(genes: grids.map { random.next(below: $0.count) })
    }

    /// A neighbour: one to three keys moved one step (or, one time in four, to any value).
    func mutated(_ random: inout SplitMix64) -> PolicySetting {
        var genes = self.genes
        for _ in 0...random.next(below: 3) {
            let key = random.next(below: genes.count)
            let count = Self.grids[key].count
            if random.next(below: 4) == 0 {
                genes[key] = random.next(below: count)
            } else {
                genes[key] = min(max(genes[key] + (random.next(below: 2) == 0 ? -1 : 1), 0), count - 1)
            }
        }
        return PolicySetting(genes: genes)
    }

    func value(_ key: Key) -> Double { Self.grids[key.rawValue][genes[key.rawValue]] }

    var pollSeconds: Int { Int(value(.pollInterval)) }

    /// `base` with the tuned keys replaced (`min_replicas`, `max_replicas`, `initial_replicas`
    /// and `fallback_replicas` are kept).
    func policy(from base: PolicyConfig) -> PolicyConfig {
        var policy = base
        let up = value(.scaleUpThreshold)
        let target = (up * value(.targetFraction)).rounded()
        policy.scaleUpThreshold = up
        policy.targetLoad = target
        policy.scaleDownThreshold = min((target * value(.downFraction)).rounded(), target - 1)
        policy.maxScaleUpPerMinute = Int(value(.maxScaleUpPerMinute))
        policy.maxScaleDownPerMinute = Int(value(.maxScaleDownPerMinute))
        policy.scaleUpCooldown = .seconds(Int(value(.scaleUpCooldown)))
        policy.scaleDownStabilization = .seconds(Int(value(.scaleDownStabilization)))
        policy.replicaStartup = .seconds(Int(value(.replicaStartup)))
        policy.trendWindow = .seconds(Int(value(.trendWindow)))
        policy.smoothingWindow = .seconds(Int(value(.smoothingWindow)))
        policy.burstRatio = value(.burstRatio)
        return policy
    }
}
