
/// One point of `tune`'s search space: a value for each `[policy]` key it tunes and for
/// `poll_interval`, each taken from a short list of values worth trying.
///
/// The keys tuned are those of the config's way of sizing (its ``Space``): with
/// `headroom = thresholds`, the band rules' keys; with `headroom = learned`, the learned
/// headroom's keys (the band rules' keys then decide nothing, so searching them would only
/// spend the budget), and `headroom_scale_down_margin_unmeasured` on its own only where the
/// spread is measured (elsewhere it decides nothing, and is given the other margin's value).
/// Stored as indices into the lists so that neighbours (one step up or down) are cheap to
/// make; with thresholds, `scale_down_threshold` and `target_load` are fractions of
/// the threshold above them, so every point is a valid config
/// (`scale_down_threshold < target_load ≤ scale_up_threshold`).
struct PolicySetting: Hashable, Sendable {
    /// The keys searched, chosen by the config's `headroom`.
    enum Space: Hashable, Sendable {
        /// `headroom = thresholds`: the band rules' keys (``ThresholdKey``).
        case thresholds
        /// `headroom = learned` where the spread is not measured: the learned headroom's keys
        /// (``LearnedKey``) but the last; the second margin, which decides nothing there, is
        /// given the first's value.
        case learned
        /// `headroom = learned` where the spread is measured (``Headroom/measuresSpread``): the
        /// learned keys and `headroom_scale_down_margin_unmeasured`, each margin searched on its own.
        case learnedMeasuringSpread

        init(_ headroom: Headroom) {
            switch headroom.mode {
            case .thresholds: self = .thresholds
            case .learned: self = headroom.measuresSpread ? .learnedMeasuringSpread : .learned
            }
        }

        /// The values tried for each key, in the order of its key enum (durations in seconds).
        var grids: [[Double]] {
            switch self {
            case .thresholds: Self.thresholdGrids
            case .learned: Self.learnedGrids
            case .learnedMeasuringSpread: Self.learnedMeasuringSpreadGrids
            }
        }

        /// In the order of ``ThresholdKey`` (fractions of the key above for the two fractions).
        private static let thresholdGrids: [[Double]] = [
            pollIntervals,
            [30, 40, 50, 60, 70, 80, 90],
            [0.6, 0.7, 0.8, 0.9, 1],
            [0.4, 0.55, 0.7, 0.85],
            [1, 2, 4, 8, 16, 64],
            [1, 2, 4, 8, 16, 64],
            [0, 10, 30, 60, 120, 300],
            [0, 30, 60, 120, 300, 600],
            replicaStartups,
            [30, 60, 120, 180, 300, 600],
            [0, 10, 30, 60, 120],
            [0, 1.5, 2, 3, 4],
        ]

        /// In the order of ``LearnedKey``. Every window spans at most 100,000 polls of 1 s
        /// (`Headroom.maxWindowTicks`), so every point is a valid config.
        private static let learnedGrids: [[Double]] = [
            pollIntervals,
            [40, 50, 60, 65, 70, 75, 80, 90, 100],
            [0.5, 0.75, 0.85, 0.9, 0.95, 0.99, 1],
            [600, 1800, 3600, 3 * 3600, 12 * 3600],
            [0, 30, 60, 90, 120, 300, 600],
            replicaStartups,
            scaleDownMargins,
            [0, 0.1, 0.2, 0.3, 0.5],
        ]

        /// ``learnedGrids`` and the values of `scaleDownMarginUnmeasured`, made once: every key's
        /// value is read through ``grids``.
        private static let learnedMeasuringSpreadGrids = learnedGrids + [scaleDownMargins]

        private static let pollIntervals: [Double] = [1, 2, 5, 10, 15, 30]
        /// Replicas; the same values for both margin keys.
        private static let scaleDownMargins: [Double] = [0, 0.2, 0.3, 0.4, 0.6, 0.8, 1]
        private static let replicaStartups: [Double] = [0, 30, 60, 120, 180, 300]
    }

    /// The keys of ``Space/thresholds``, in the order of its genes.
    enum ThresholdKey: Int, CaseIterable {
        case pollInterval, scaleUpThreshold, targetFraction, downFraction, maxScaleUpPerMinute, maxScaleDownPerMinute
        case scaleUpCooldown, scaleDownStabilization, replicaStartup, trendWindow, smoothingWindow, burstRatio
    }

    /// The keys of ``Space/learned``, in the order of its genes; ``Space/learnedMeasuringSpread``
    /// has one more gene, the last: `scaleDownMarginUnmeasured`.
    enum LearnedKey: Int, CaseIterable {
        case pollInterval, targetLoad, quantile, window, scaleDownStabilization, replicaStartup, scaleDownMargin
        case scaleUpTolerance, scaleDownMarginUnmeasured
    }

    let space: Space
    var genes: [Int]

    /// A uniformly random point of `space`.
    static func random(in space: Space, _ random: inout SplitMix64) -> PolicySetting {
        PolicySetting(space: space, genes: space.grids.map { random.next(below: $0.count) })
    }

    /// A neighbour: one to three keys moved one step (or, one time in four, to any value).
    func mutated(_ random: inout SplitMix64) -> PolicySetting {
        let grids = space.grids
        var genes = self.genes
        for _ in 0...random.next(below: 3) {
            let key = random.next(below: genes.count)
            let count = grids[key].count
            if random.next(below: 4) == 0 {
                genes[key] = random.next(below: count)
            } else {
                genes[key] = min(max(genes[key] + (random.next(below: 2) == 0 ? -1 : 1), 0), count - 1)
            }
        }
        return PolicySetting(space: space, genes: genes)
    }

    private func value(at index: Int) -> Double { space.grids[index][genes[index]] }
    private func seconds(at index: Int) -> Duration { .seconds(Int(value(at: index))) }

    /// Both key enums start with the poll interval.
    var pollSeconds: Int { Int(value(at: 0)) }

    /// `base` with the tuned keys replaced (`min_replicas`, `max_replicas`, `initial_replicas`,
    /// `fallback_replicas`, and the keys of the other space are kept).
    func policy(from base: PolicyConfig) -> PolicyConfig {
        var policy = base
        switch space {
        case .thresholds:
            func value(_ key: ThresholdKey) -> Double { self.value(at: key.rawValue) }
            func seconds(_ key: ThresholdKey) -> Duration { self.seconds(at: key.rawValue) }
            let up = value(.scaleUpThreshold)
            let target = (up * value(.targetFraction)).rounded()
            policy.scaleUpThreshold = up
            policy.targetLoad = target
            policy.scaleDownThreshold = min((target * value(.downFraction)).rounded(), target - 1)
            policy.maxScaleUpPerMinute = Int(value(.maxScaleUpPerMinute))
            policy.maxScaleDownPerMinute = Int(value(.maxScaleDownPerMinute))
            policy.scaleUpCooldown = seconds(.scaleUpCooldown)
            policy.scaleDownStabilization = seconds(.scaleDownStabilization)
            policy.replicaStartup = seconds(.replicaStartup)
            policy.trendWindow = seconds(.trendWindow)
            policy.smoothingWindow = seconds(.smoothingWindow)
            policy.burstRatio = value(.burstRatio)
        case .learned, .learnedMeasuringSpread:
            func value(_ key: LearnedKey) -> Double { self.value(at: key.rawValue) }
            func seconds(_ key: LearnedKey) -> Duration { self.seconds(at: key.rawValue) }
            policy.headroom.targetLoad = value(.targetLoad)
            policy.headroom.quantile = value(.quantile)
            policy.headroom.window = seconds(.window)
            policy.scaleDownStabilization = seconds(.scaleDownStabilization)
            policy.replicaStartup = seconds(.replicaStartup)
            policy.headroom.scaleDownMargin = value(.scaleDownMargin)
            // Where the spread is not measured the second margin decides nothing: it is given the
            // first's value, the key's default.
            policy.headroom.scaleDownMarginUnmeasured =
                space == .learnedMeasuringSpread ? value(.scaleDownMarginUnmeasured) : value(.scaleDownMargin)
            policy.headroom.scaleUpTolerance = value(.scaleUpTolerance)
        }
        return policy
    }
}
