import AutoscaledBase

/// Replays a per-server trace: the recorded loads, as they were, through the policy.
///
/// The loads do not answer the decisions (they were recorded), so this replay shows what the
/// policy would have asked for and why. A bin's loads hold for each of its seconds; every
/// `pollSeconds` the policy sees each server's mean load over the interval just past (the
/// seconds of it the server was present), the last time at the trace's end where that is a poll;
/// a server with no value in a bin is absent from it.
struct ServerLoadReplay {
    let trace: Trace
    let names: [String]
    let loads: [Double?]
    let setup: SimulationSetup

    func run<Observer: SimulationObserver>(_ observer: inout Observer) -> SimulationSummary {
        let poll = max(1, setup.pollSeconds)
        let width = names.count
        var step = PolicyStep(setup.policy, pollSeconds: poll)
        var sums = [Double](repeating: 0, count: width)
        var present = [Int](repeating: 0, count: width)
        // Each server's first load of the interval, and whether every later one was the same: a
        // load held for the interval is seen as it is, not as a sum of it divided back (50.01 ten
        // times, ÷ 10, is 50.010000000000005), as the daemon would read it.
        var firsts = [Double](repeating: 0, count: width)
        var held = [Bool](repeating: true, count: width)
        var servers: [ServerLoad] = []
        var summary = SimulationSummary(seconds: trace.spanSeconds, requests: nil)
        var second = 0
        // The policy at `second`, on the interval just past; the next interval starts empty.
        func evaluate() {
            let input = Self.input(names: names, sums: sums, present: present, firsts: firsts, held: held,
                                   into: &servers, poll: poll)
            let decision = step.evaluate(input, at: second)
            summary.count(decision)
            observer.decision(decision, at: trace.start + second)
            for index in 0..<width {
                sums[index] = 0
                present[index] = 0
            }
        }
        for bin in 0..<trace.binCount {
            let row = bin * width
            var busiest: Double?
            var serving = 0
            for index in 0..<width {
                guard let load = loads[row + index] else { continue }
                serving += 1
                busiest = max(busiest ?? load, load)
            }
            for _ in 0..<trace.binSeconds {
                if second > 0, second % poll == 0 {
                    evaluate()
                }
                for index in 0..<width {
                    guard let load = loads[row + index] else { continue }
                    if present[index] == 0 {
                        (firsts[index], held[index]) = (load, true)
                    } else if load != firsts[index] {
                        held[index] = false
                    }
                    sums[index] += load
                    present[index] += 1
                }
                let desired = step.memory.replicas
                summary.replicaSeconds += desired
                if let busiest, busiest > 100 { summary.overloadedSeconds += 1 }
                observer.second(trace.start + second, load: busiest ?? 0, desired: desired, serving: serving, overCapacity: 0)
                second += 1
            }
        }
        // A trace that ends on a poll: the daemon, at that poll, would judge its last interval too.
        if second > 0, second % poll == 0 {
            evaluate()
        }
        summary.finalReplicas = step.memory.replicas
        return summary
    }

    /// Each server present in the interval, with its mean load over the seconds it was present
    /// (the load itself where it held: `held`, from `firsts`).
    private static func input(
        names: [String], sums: [Double], present: [Int], firsts: [Double], held: [Bool],
        into servers: inout [ServerLoad], poll: Int
    ) -> PolicyInput {
        servers.removeAll(keepingCapacity: true)
        for index in names.indices where present[index] > 0 {
            let load = held[index] ? firsts[index] : sums[index] / Double(present[index])
            servers.append(ServerLoad(name: names[index], load: load))
        }
        guard !servers.isEmpty else {
            return .unavailable("no server reported in the last \(DurationText.format(.seconds(poll)))")
        }
        do {
            return .loads(try LoadSnapshot(servers: servers))
        } catch {
            return .unavailable(error.description)
        }
    }
}
