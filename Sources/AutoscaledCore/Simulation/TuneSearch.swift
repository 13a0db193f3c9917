import AutoscaledSystem
import Dispatch

/// What a replay of one setting scored on a trace.
public struct TuneScore: Sendable, Equatable {
    /// Replicas paid, summed over seconds: the cost.
    public var replicaSeconds: Int
    /// Requests over capacity, as a percentage of all requests: the service.
    public var overPercent: Double

    init(_ summary: SimulationSummary) {
        replicaSeconds = summary.replicaSeconds
        overPercent = summary.overCapacityPercent ?? 0
    }
}

/// One setting `tune` tried: its policy and poll interval, and what it scored on the tuning part.
struct TuneCandidate: Sendable {
    /// The point of the search space; `nil` for the config's own setting.
    var setting: PolicySetting?
    var policy: PolicyConfig
    var pollSeconds: Int
    var score: TuneScore
}

/// Searches the `[policy]` keys and `poll_interval` for the cheapest setting whose share of
/// requests over capacity is at most `goal` percent on `trace`.
///
/// A seeded random search, then mutations of the best settings so far: batches of candidates
/// are replayed in parallel on every core, and their results merged in the batch's order, so a
/// seed gives the same settings tried and the same winner on any machine (unless stopped early).
/// `shouldStop` is asked before each setting's replay starts, so a stop waits for the replays under
/// way only (one per core), never for the rest of a batch; what was tried is merged as always.
struct TuneSearch {
    let trace: Trace
    /// The config's setup: its policy, poll interval, capacity and startup delay.
    let base: SimulationSetup
    /// The highest share of requests over capacity allowed, in percent.
    let goal: Double
    /// Settings to try, the config's own included.
    let budget: Int
    let seed: UInt64
    /// Candidates per batch (a multiple of the processors keeps them all busy).
    let batchSize: Int

    /// What the search found.
    struct Result {
        /// Every setting tried, the config's own first, in the order tried.
        var tried: [TuneCandidate]
        /// The cheapest that meets the goal, or, when none does, the one with the best service.
        var best: TuneCandidate
        var meetsGoal: Bool { best.score.overPercent <= goal }
        let goal: Double
        /// Whether `shouldStop` ended the search before the budget was spent.
        var stoppedEarly: Bool
    }

    /// Runs the search; `shouldStop` is asked before each batch and before each setting's replay
    /// (from every core at once), `progress` told after each batch.
    func run(shouldStop: @Sendable () -> Bool, progress: (_ tried: Int, _ best: TuneCandidate) -> Void) -> Result {
        var random = SplitMix64(seed: seed)
        var seen = Set<PolicySetting>()
        let own = TuneCandidate(setting: nil, policy: base.policy, pollSeconds: base.pollSeconds,
                                score: TuneScore(Simulation.replay(trace, setup: base)))
        var tried = [own]
        var elite = [own]
        var stoppedEarly = false
        let exploring = max(batchSize, budget * 3 / 10)
        while tried.count < budget {
            if shouldStop() {
                stoppedEarly = true
                break
            }
            var batch: [PolicySetting] = []
            while batch.count < min(batchSize, budget - tried.count) {
                var setting = next(&random, exploring: tried.count + batch.count < exploring, elite: elite, index: batch.count)
                var attempts = 0
                while seen.contains(setting) || !admits(setting), attempts < 50 {
                    setting = attempts < 25 ? setting.mutated(&random) : PolicySetting.random(in: space, &random)
                    attempts += 1
                }
                guard admits(setting), seen.insert(setting).inserted else { break }
                batch.append(setting)
            }
            guard !batch.isEmpty else { break }
            let evaluated = evaluate(batch, shouldStop: shouldStop)
            tried += evaluated
            elite = Array(tried.sorted { isBetter($0, than: $1) }.prefix(4))
            progress(tried.count, elite[0])
            if evaluated.count < batch.count {
                stoppedEarly = true
                break
            }
        }
        return Result(tried: tried, best: elite[0], goal: goal, stoppedEarly: stoppedEarly)
    }

    /// Whether `a` ranks before `b`: meeting the goal first, then cheaper (meeting it) or with
    /// better service (missing it).
    func isBetter(_ a: TuneCandidate, than b: TuneCandidate) -> Bool {
        let aMeets = a.score.overPercent <= goal
        let bMeets = b.score.overPercent <= goal
        if aMeets != bMeets { return aMeets }
        if aMeets {
            if a.score.replicaSeconds != b.score.replicaSeconds { return a.score.replicaSeconds < b.score.replicaSeconds }
            return a.score.overPercent < b.score.overPercent
        }
        if a.score.overPercent != b.score.overPercent { return a.score.overPercent < b.score.overPercent }
        return a.score.replicaSeconds < b.score.replicaSeconds
    }

    private func next(_ random: inout SplitMix64, exploring: Bool, elite: [TuneCandidate], index: Int) -> PolicySetting {
        let parents = elite.compactMap(\.setting)
        if exploring || parents.isEmpty || random.next(below: 10) == 0 { return .random(in: space, &random) }
        return parents[index % parents.count].mutated(&random)
    }

    /// Whether `setting` makes a config the daemon would load: with the learned headroom,
    /// `headroom_window` must hold the rises a scale-down needs (``Headroom/shortestWindow(replicaStartup:tick:)``)
    /// and every `seasonal_periods` period must still span the rise's horizon the setting sets (see
    /// ``SeasonalProfile/learnedPeriodShortfall(length:ahead:tick:)``); a setting that would not is not tried.
    func admits(_ setting: PolicySetting) -> Bool {
        guard space != .thresholds else { return true }
        let policy = setting.policy(from: base.policy)
        let tick = Duration.seconds(setting.pollSeconds)
        guard policy.headroom.window >= Headroom.shortestWindow(replicaStartup: policy.replicaStartup, tick: tick) else {
            return false
        }
        let periods = base.policy.seasonalPeriods
        let ahead = Headroom.horizon(replicaStartup: policy.replicaStartup, tick: tick)
        return (0..<periods.count).allSatisfy {
            SeasonalProfile.learnedPeriodShortfall(length: periods[$0], ahead: ahead.wholeMilliseconds, tick: tick.wholeMilliseconds) == nil
        }
    }

    /// The keys searched: those of the config's way of sizing.
    private var space: PolicySetting.Space { PolicySetting.Space(base.policy.headroom) }

    /// Replays each setting of `batch` on every core, those whose replay starts before `shouldStop`
    /// says stop; the results come back in `batch`'s order, without the settings not replayed.
    private func evaluate(_ batch: [PolicySetting], shouldStop: @Sendable () -> Bool) -> [TuneCandidate] {
        let setups = batch.map { setting in
            var setup = base
            setup.policy = setting.policy(from: base.policy)
            setup.pollSeconds = setting.pollSeconds
            return setup
        }
        let scores = Locked([TuneScore?](repeating: nil, count: batch.count))
        DispatchQueue.concurrentPerform(iterations: batch.count) { index in
            if shouldStop() { return }
            let score = TuneScore(Simulation.replay(trace, setup: setups[index]))
            scores.withLock { $0[index] = score }
        }
        let results = scores.withLock { $0 }
        return batch.indices.compactMap { index in
            results[index].map {
                TuneCandidate(setting: batch[index], policy: setups[index].policy, pollSeconds: setups[index].pollSeconds, score: $0)
            }
        }
    }
}
