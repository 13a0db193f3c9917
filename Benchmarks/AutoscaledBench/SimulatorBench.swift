import AutoscaledBase
import AutoscaledCore
import AutoscaledTestSupport

/// Simulator throughput: simulated seconds per wall-clock second, parsing excluded.
enum SimulatorBench {
    static func run() {
        print("\nsimulator throughput (poll_interval 5s, the example policy with max 1000, parse excluded)")
        let policy = modified(PolicyConfig.defaults) { ($0.minReplicas, $0.maxReplicas, $0.initialReplicas) = (1, 1000, 3) }
        let seconds = 3_000_000
        let servers = perServerTrace(servers: 3, seconds: seconds)
        measure("3-server trace, \(seconds / 1_000_000) M s", seconds: seconds) {
            Simulation.replay(servers, setup: SimulationSetup(policy: policy, pollSeconds: 5))
        }
        let offered = offeredTrace(seconds: seconds)
        measure("offered load, \(seconds / 1_000_000) M s, C 1, D 120s", seconds: seconds) {
            Simulation.replay(offered, setup: SimulationSetup(policy: policy, pollSeconds: 5, capacity: 1, startupDelaySeconds: 120))
        }
        week()
        seasonalWeek()
    }

    /// The figure `tune` lives on: a week of offered load through the key defaults' band rules
    /// (poll_interval 10s), beside a plain loop over the same seconds that only does the replay's
    /// accounting at a fixed count (the floor any replay pays on this machine), then through the
    /// shipped config's learned headroom at the shipped config's own poll_interval.
    static func week() {
        let seconds = 7 * 86_400
        print("\na week of offered load (\(seconds) s), the key defaults (band rules; poll_interval 10s, max 1000), C 1, D 120s")
        let trace = offeredTrace(seconds: seconds)
        let policy = modified(PolicyConfig.defaults) { ($0.minReplicas, $0.maxReplicas, $0.initialReplicas) = (1, 1000, 3) }
        let replay = measure("replay", seconds: seconds) {
            Simulation.replay(trace, setup: SimulationSetup(policy: policy, pollSeconds: 10, capacity: 1, startupDelaySeconds: 120))
        }
        guard case let .offeredLoad(requests) = trace.series else { return }
        let plain = measure("plain loop (accounting only, 12 replicas)", seconds: seconds) {
            var summary = SimulationSummary(seconds: seconds, requests: 0)
            let capacity = 12.0
            for rate in requests {
                summary.replicaSeconds += 12
                if rate > capacity {
                    summary.overloadedSeconds += 1
                    summary.requestsOverCapacity += rate - capacity
                }
            }
            return summary
        }
        print("  replay / plain loop: \(Format.fixed(plain / replay, 1))x the time; "
            + "a week x 1000 settings on 2 cores: \(Format.fixed(1000 * Double(seconds) / replay / 2, 1)) s")
        // The shipped config's way of sizing, read from config/autoscaled.conf (the one owner of its
        // settings), at its own poll_interval: the rises and their quantile, beyond the recurring
        // rises of its seasonal periods; then without the periods.
        let shipped = shippedConfig()
        let poll = shippedPollSeconds(shipped)
        let pollText = DurationText.format(.seconds(poll))
        let learned = modified(shipped.policy) { ($0.minReplicas, $0.maxReplicas, $0.initialReplicas) = (1, 1000, 3) }
        let learnedReplay = measure("replay, the [policy] of config/autoscaled.conf (headroom = \(learned.headroom.mode.rawValue); "
                                        + "poll_interval \(pollText))",
                                    seconds: seconds) {
            Simulation.replay(trace, setup: SimulationSetup(policy: learned, pollSeconds: poll, capacity: 1, startupDelaySeconds: 120))
        }
        print("  learned: a week x 1000 settings on 2 cores: \(Format.fixed(1000 * Double(seconds) / learnedReplay / 2, 1)) s")
        let unseasoned = modified(learned) { $0.seasonalPeriods = [] }
        measure("replay, the same without seasonal_periods (poll_interval \(pollText))", seconds: seconds) {
            Simulation.replay(trace, setup: SimulationSetup(policy: unseasoned, pollSeconds: poll, capacity: 1, startupDelaySeconds: 120))
        }
    }

    /// The week of `week` through the key defaults' band rules (poll_interval 10s) with their seasonal
    /// rule on (`seasonal_periods 5min, 1h, 1d, 7d`): what learning and reading the profile costs.
    static func seasonalWeek() {
        let seconds = 7 * 86_400
        print("\na week of offered load (\(seconds) s), the key defaults (band rules; poll_interval 10s) and seasonal_periods 5min, 1h, 1d, 7d")
        let trace = offeredTrace(seconds: seconds)
        let policy = modified(PolicyConfig.defaults) {
            ($0.minReplicas, $0.maxReplicas, $0.initialReplicas) = (1, 1000, 3)
            $0.seasonalPeriods = [.seconds(300), .seconds(3600), .seconds(86_400), .seconds(604_800)]
        }
        measure("replay, seasonal_periods 5min, 1h, 1d, 7d", seconds: seconds) {
            Simulation.replay(trace, setup: SimulationSetup(policy: policy, pollSeconds: 10, capacity: 1, startupDelaySeconds: 120))
        }
    }

    /// The repository's `config/autoscaled.conf`.
    static let shippedConfigPath = "\(repositoryRoot)/config/autoscaled.conf"

    /// The repository's `config/autoscaled.conf`, loaded; a config that does not load stops the
    /// bench, naming the faults.
    static func shippedConfig() -> Config {
        switch ConfigLoader.load(path: shippedConfigPath) {
        case let .success(config): return config
        case let .failure(errors): fatalError("\(shippedConfigPath): \(errors)")
        }
    }

    /// The shipped config's `poll_interval` in whole seconds, the replay's step, as `simulate` takes
    /// it; a poll that is not a whole number of seconds stops the bench, naming it.
    static func shippedPollSeconds(_ config: Config) -> Int {
        let poll = config.source.pollInterval
        guard let seconds = SimulationSetup.pollSeconds(of: poll) else {
            fatalError("\(shippedConfigPath): \(SimulationSetup.notWholeSeconds(poll))")
        }
        return seconds
    }

    /// Prints and returns the best rate of three runs, in simulated seconds per second.
    @discardableResult
    static func measure(_ name: String, seconds: Int, _ body: () -> SimulationSummary) -> Double {
        var best = Double.infinity
        var summary: SimulationSummary?
        for _ in 0..<3 {
            let start = ContinuousClock.now
            summary = body()
            best = min(best, (ContinuousClock.now - start).seconds)
        }
        print("  \(name): \(Format.millions(Double(seconds) / best)) M simulated s/s "
            + "(best of 3: \(Format.time(best)); \(summary?.scaleEvents ?? 0) scale events, \(summary?.replicaSeconds ?? 0) replica-s)")
        return Double(seconds) / best
    }

    /// Loads that wander between 0 and 80 (a random walk per server; deterministic).
    static func perServerTrace(servers: Int, seconds: Int) -> Trace {
        var random = SplitMix64(seed: 6)
        var levels = [Double](repeating: 30, count: servers)
        var loads: [Double?] = []
        loads.reserveCapacity(servers * seconds)
        for _ in 0..<seconds {
            for index in 0..<servers {
                levels[index] = min(80, max(0, levels[index] + Double(random.next() % 11) - 5))
                loads.append(levels[index])
            }
        }
        return Trace(start: 0, binSeconds: 1, series: .serverLoads(names: (1...servers).map { "server\($0)" }, loads: loads))
    }

    /// Requests per second in a slow wave between 0 and 20 with noise.
    static func offeredTrace(seconds: Int) -> Trace {
        var random = SplitMix64(seed: 7)
        var requests: [Double] = []
        requests.reserveCapacity(seconds)
        for second in 0..<seconds {
            let phase = Double(second % 7200) / 7200
            let base = 10 + 10 * (phase < 0.5 ? phase * 2 - 0.5 : 1.5 - phase * 2)
            requests.append(Double(Int(base) + Int(random.next() % 5)))
        }
        return Trace(start: 0, binSeconds: 1, series: .offeredLoad(requests: requests))
    }
}

enum Format {
    /// `0.56` (milliseconds, two decimals).
    static func ms(_ seconds: Double) -> String {
        fixed(seconds * 1000, 2)
    }

    /// `4.2 µs`, `1.43 ms` or `1.72 s`.
    static func time(_ seconds: Double) -> String {
        if seconds < 0.001 { return fixed(seconds * 1_000_000, 1) + " µs" }
        if seconds < 1 { return fixed(seconds * 1000, 2) + " ms" }
        return fixed(seconds, 2) + " s"
    }

    /// `5.65` for 5 652 000.
    static func millions(_ value: Double) -> String {
        fixed(value / 1_000_000, 2)
    }

    /// `value` with `decimals` decimals (0…6).
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        let units = Int((value * Double(scale)).rounded())
        guard decimals > 0 else { return String(units) }
        let fraction = String(units % scale)
        return "\(units / scale).\(String(repeating: "0", count: decimals - fraction.count))\(fraction)"
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
