/// Replays an offered-load trace: requests arrive, replicas serve them, the policy watches the
/// replicas' loads and changes their number.
///
/// The model, in 1-second steps:
/// - a bin's requests are spread evenly over its seconds;
/// - a replica asked for at t serves from t + D (`startupDelaySeconds`) and is paid from t; a
///   scale-down removes starting replicas first, then the newest serving ones;
/// - each serving replica's load = 100 × requests/s ÷ (serving replicas × C), C being
///   `capacity`; requests above serving replicas × C in a second are over capacity;
/// - every `pollSeconds` the policy sees each serving replica's mean load over the interval just
///   past (the seconds of it the replica served), as a metric averaged over its scrape interval
///   would show it. With no serving replica there is no data, and the policy holds.
struct OfferedLoadReplay {
    /// Requests per second in each bin.
    let rates: [Double]
    let trace: Trace
    let setup: SimulationSetup

    init(_ trace: Trace, requests: [Double], setup: SimulationSetup) {
        let width = Double(trace.binSeconds)
        rates = requests.map { $0 / width }
        self.trace = trace
        self.setup = setup
    }

    func run<Observer: SimulationObserver>(_ observer: inout Observer) -> SimulationSummary {
        let poll = max(1, setup.pollSeconds)
        let capacity = setup.capacity
        var step = PolicyStep(setup.policy)
        var pool = ReplicaPool(initial: setup.policy.initialReplicas)
        var view = ReplicaView()
        var interval: [Double] = []
        interval.reserveCapacity(poll)
        var summary = SimulationSummary(seconds: trace.spanSeconds, requests: trace.totalRequests ?? 0)
        var second = 0
        for rate in rates {
            for _ in 0..<trace.binSeconds {
                pool.advance(to: second)
                if second > 0, second % poll == 0 {
                    let input = view.input(pool, loads: interval, intervalStart: second - poll)
                    let decision = step.evaluate(input, at: second)
                    summary.count(decision)
                    observer.decision(decision, at: trace.start + second)
                    if decision.to != pool.count {
                        pool.resize(to: decision.to, readyAt: second + setup.startupDelaySeconds)
                        pool.advance(to: second)
                    }
                    interval.removeAll(keepingCapacity: true)
                }
                let serving = pool.serving
                let servingCapacity = Double(serving) * capacity
                let load = serving > 0 ? 100 * rate / servingCapacity : (rate > 0 ? Double.infinity : 0)
                interval.append(serving > 0 ? load : 0)
                summary.replicaSeconds += pool.count
                if rate > servingCapacity {
                    summary.overloadedSeconds += 1
                    summary.requestsOverCapacity += rate - servingCapacity
                }
                observer.second(trace.start + second, load: load, desired: pool.count, serving: serving)
                second += 1
            }
        }
        summary.finalReplicas = pool.count
        return summary
    }
}

/// Builds what the policy sees from the pool: one server per serving replica, named by position.
private struct ReplicaView {
    private var names: [String] = []
    private var servers: [ServerLoad] = []
    private var tailSums: [Double] = []

    /// Each replica that served during the interval starting at `intervalStart` (whose per-second
    /// loads are `loads`), with its mean load over the seconds it served.
    mutating func input(_ pool: ReplicaPool, loads: [Double], intervalStart: Int) -> PolicyInput {
        tailSums.removeAll(keepingCapacity: true)
        var sum = 0.0
        for load in loads.reversed() {
            sum += load
            tailSums.append(sum)
        }
        servers.removeAll(keepingCapacity: true)
        let end = intervalStart + loads.count
        var position = 0
        for cohort in pool.cohorts {
            guard cohort.readyAt < end else { break }
            let first = max(cohort.readyAt, intervalStart)
            let served = end - first
            let mean = tailSums[served - 1] / Double(served)
            for _ in 0..<cohort.count {
                servers.append(ServerLoad(name: name(position), load: mean))
                position += 1
            }
        }
        guard !servers.isEmpty else { return .unavailable("no replica is serving") }
        do {
            return .loads(try LoadSnapshot(servers: servers))
        } catch {
            return .unavailable(error.description)
        }
    }

    private mutating func name(_ position: Int) -> String {
        while names.count <= position { names.append("replica-\(names.count + 1)") }
        return names[position]
    }
}
