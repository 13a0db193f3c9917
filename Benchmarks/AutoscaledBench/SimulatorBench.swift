import AutoscaledCore

/// Simulator throughput: simulated seconds per wall-clock second, parsing excluded.
enum SimulatorBench {
    static func run() {
        print("simulator (poll_interval 5s, the example policy, parse excluded)")
        let policy = PolicyConfig(minReplicas: 1, maxReplicas: 1000, initialReplicas: 3)
        let seconds = 3_000_000
        let servers = perServerTrace(servers: 3, seconds: seconds)
        measure("3-server trace, \(seconds / 1_000_000) M s", seconds: seconds) {
            Simulation.replay(servers, setup: SimulationSetup(policy: policy, pollSeconds: 5))
        }
        let offered = offeredTrace(seconds: seconds)
        measure("offered load, \(seconds / 1_000_000) M s, C 1, D 120s", seconds: seconds) {
            Simulation.replay(offered, setup: SimulationSetup(policy: policy, pollSeconds: 5, capacity: 1, startupDelaySeconds: 120))
        }
    }

    static func measure(_ name: String, seconds: Int, _ body: () -> SimulationSummary) {
        var best = Double.infinity
        var summary: SimulationSummary?
        for _ in 0..<3 {
            let start = ContinuousClock.now
            summary = body()
            best = min(best, (ContinuousClock.now - start).seconds)
        }
        print("  \(name): \(Int(Double(seconds) / best / 1000) * 1000) simulated s/s "
            + "(\(Format.ms(best)) ms; \(summary?.scaleEvents ?? 0) scale events)")
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

/// A small, fast, deterministic pseudo-random generator (SplitMix64).
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum Format {
    static func ms(_ seconds: Double) -> String {
        let hundredths = Int((seconds * 100_000).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
