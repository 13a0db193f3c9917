
/// Replays an offered-load trace: requests arrive, replicas serve them, an autoscaler watches and
/// changes their number.
///
/// The model, in 1-second steps:
/// - a bin's requests are spread evenly over its seconds;
/// - a replica asked for at t serves from t + D (`startupDelaySeconds`) and is paid from t; a
///   scale-down removes starting replicas first, then the newest serving ones;
/// - each serving replica's load = 100 × requests/s ÷ (serving replicas × C), C being
///   `capacity`; requests above serving replicas × C in a second are over capacity;
/// - every `periodSeconds` of the scaler (the daemon's `poll_interval` for the shipped policy)
///   it evaluates and the count becomes what it decided.
///
/// The scaler is generic so that the shipped policy and the reference models share this one
/// accounting, specialised for each.
struct OfferedLoadReplay {
    /// Requests per second in each bin.
    let rates: [Double]
    let trace: Trace
    let setup: SimulationSetup

    init(_ trace: Trace, requests: [Double], setup: SimulationSetup) {
        let width = Double(trace.binSeconds)
        rates = trace.binSeconds == 1 ? requests : requests.map { $0 / width }
        self.trace = trace
        self.setup = setup
    }

    /// Replays through `scaler`, from `initial` replicas serving at the first second.
    func run<Scaler: OfferedLoadScaler, Observer: SimulationObserver>(
        _ scaler: inout Scaler, initial: Int, _ observer: inout Observer
    ) -> SimulationSummary {
        let period = max(1, scaler.periodSeconds)
        let capacity = setup.capacity
        var pool = ReplicaPool(initial: initial)
        var interval: [Double] = []
        // A period longer than the trace never fills its interval: reserve what the trace can.
        interval.reserveCapacity(min(period, trace.spanSeconds))
        var summary = SimulationSummary(seconds: trace.spanSeconds, requests: trace.totalRequests ?? 0)
        var second = 0
        var nextEvaluation = period
        for rate in rates {
            for _ in 0..<trace.binSeconds {
                pool.advance(to: second)
                if second == nextEvaluation {
                    nextEvaluation += period
                    let decision = scaler.evaluate(at: second, pool: pool, interval: interval)
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
                scaler.observe(rate: rate)
                summary.replicaSeconds += pool.count
                let over = rate > servingCapacity ? rate - servingCapacity : 0
                if rate > servingCapacity {
                    summary.overloadedSeconds += 1
                    summary.requestsOverCapacity += over
                }
                observer.second(trace.start + second, load: load, desired: pool.count, serving: serving, overCapacity: over)
                second += 1
            }
        }
        summary.finalReplicas = pool.count
        return summary
    }
}

/// What decides the replica count in an offered-load replay: the shipped policy or a reference
/// autoscaler's model.
protocol OfferedLoadScaler {
    /// Seconds between evaluations (≥ 1); the first evaluation is one period after the start.
    var periodSeconds: Int { get }
    /// One simulated second has passed in which `rate` requests/s arrived.
    mutating func observe(rate: Double)
    /// Evaluates at `second`: `pool` as it is, `interval` the load of each serving replica in each
    /// second since the previous evaluation (0 where none served).
    mutating func evaluate(at second: Int, pool: ReplicaPool, interval: [Double]) -> ScalingDecision
}

extension OfferedLoadScaler {
    mutating func observe(rate: Double) {}
}

/// The daemon's own policy, as it sees the pool: one server per serving replica, named by
/// position, with its mean load over the seconds of the interval it served. While no replica
/// serves, one server named `activator` (a gateway holding the requests) reports the requests of
/// the interval as the load they would put on one replica: 100 × mean requests/s ÷ capacity.
struct ThresholdScaler: OfferedLoadScaler {
    var step: PolicyStep
    let periodSeconds: Int
    private let capacity: Double
    private var names: [String] = []
    private var servers: [ServerLoad] = []
    private var means = CohortMeans()
    /// The requests/s of each second since the last evaluation, summed, and those seconds.
    private var offered = 0.0
    private var offeredSeconds = 0

    init(setup: SimulationSetup) {
        periodSeconds = max(1, setup.pollSeconds)
        capacity = setup.capacity
        step = PolicyStep(setup.policy, pollSeconds: periodSeconds)
    }

    mutating func observe(rate: Double) {
        offered += rate
        offeredSeconds += 1
    }

    mutating func evaluate(at second: Int, pool: ReplicaPool, interval: [Double]) -> ScalingDecision {
        let input = input(pool, loads: interval, intervalStart: second - interval.count)
        offered = 0
        offeredSeconds = 0
        return step.evaluate(input, at: second)
    }

    /// What the activator reports while no replica serves.
    private func activator() -> PolicyInput {
        guard offeredSeconds > 0 else { return .unavailable("no replica is serving") }
        do {
            return .loads(try LoadSnapshot(servers: [ServerLoad(name: "activator", load: 100 * offered / Double(offeredSeconds) / capacity)]))
        } catch {
            return .unavailable(error.description)
        }
    }

    private mutating func input(_ pool: ReplicaPool, loads: [Double], intervalStart: Int) -> PolicyInput {
        // The servers stay from one evaluation to the next (a replica keeps its name for its
        // life): only their loads change, and the count.
        means.measure(pool, loads: loads, intervalStart: intervalStart)
        let cohorts = means.cohorts
        var count = 0
        var finite = true
        for cohort in cohorts {
            count += cohort.count
            finite = finite && cohort.mean.isFinite && cohort.mean >= 0
        }
        if servers.count > count { servers.removeLast(servers.count - count) }
        while servers.count < count { servers.append(ServerLoad(name: name(servers.count), load: 0)) }
        servers.withUnsafeMutableBufferPointer { buffer in
            var position = 0
            for cohort in cohorts {
                for _ in 0..<cohort.count {
                    buffer[position].load = cohort.mean
                    position += 1
                }
            }
        }
        guard !servers.isEmpty else { return activator() }
        // The names are the pool's own, valid and unique: only the loads need a check.
        guard finite else {
            do {
                return .loads(try LoadSnapshot(servers: servers))
            } catch {
                return .unavailable(error.description)
            }
        }
        return .loads(LoadSnapshot(vouchedFor: servers))
    }

    private mutating func name(_ position: Int) -> String {
        while names.count <= position { names.append("replica-\(names.count + 1)") }
        return names[position]
    }
}

/// The mean load of each cohort of serving replicas over the part of an interval it served.
struct CohortMeans {
    /// Each cohort that served during the interval last measured, oldest first: its replicas and
    /// their mean load over the seconds of the interval they served.
    private(set) var cohorts: [(count: Int, mean: Double)] = []

    /// Measures the cohorts of `pool` over the interval starting at `intervalStart` whose
    /// per-second loads are `loads`.
    mutating func measure(_ pool: ReplicaPool, loads: [Double], intervalStart: Int) {
        cohorts.removeAll(keepingCapacity: true)
        guard !loads.isEmpty else { return }
        let end = intervalStart + loads.count
        // tailSums[k - 1]: the last k seconds' loads, added from the last one back.
        withUnsafeTemporaryAllocation(of: Double.self, capacity: loads.count) { tailSums in
            var sum = 0.0
            var index = 0
            for load in loads.reversed() {
                sum += load
                tailSums.initializeElement(at: index, to: sum)
                index += 1
            }
            for cohort in pool.cohorts {
                guard cohort.readyAt < end else { break }
                let first = max(cohort.readyAt, intervalStart)
                let served = end - first
                cohorts.append((cohort.count, tailSums[served - 1] / Double(served)))
            }
        }
    }
}
