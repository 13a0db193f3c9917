import AutoscaledBase
import AutoscaledCore
import AutoscaledTestSupport

/// Parse + validate + decide on one snapshot of N servers, per format.
enum ParseBench {
    static func run() {
        print("\nparse + evaluate one snapshot (median of repeated runs)")
        let policy = ThresholdPolicy(config: PolicyConfig.defaults)
        let memory = PolicyMemory(replicas: 3, observingSince: .origin)
        for format in formats {
            for count in [3, 1_000, 10_000, 100_000] {
                let bytes = document(format, servers: count)
                let times = Timing.repeated(minimum: 5, budget: .milliseconds(700)) {
                    guard let snapshot = try? LoadParser.snapshot(from: bytes, format: format) else {
                        fatalError("the generated \(format) document did not parse")
                    }
                    let decision = policy.decide(.loads(snapshot), memory: memory, now: .origin)
                    _ = memory.recording(decision, at: .origin, policy: policy.config)
                }
                let size = bytes.count < 10_240 ? "\(bytes.count) B" : "\(bytes.count / 1024) KiB"
                print("  \(format.name.rawValue.padding(10)) \(String(count).padding(7)) servers (\(size)): "
                    + "median \(Format.time(Timing.median(times))), min \(Format.time(times.min() ?? 0))")
            }
        }
    }

    /// Every format, with the selection its generated document is read with.
    static let formats: [LoadFormat] = [
        .json, .lines, .prometheus(PrometheusSelection(metric: "queue", serverLabel: "server")),
        .haproxy(HAProxySelection(backend: "inference")),
    ]

    /// A document of `count` servers named like real replicas, loads 0–99.9 (deterministic).
    static func document(_ format: LoadFormat, servers count: Int) -> [UInt8] {
        var random = SplitMix64(seed: UInt64(count))
        var text = switch format {
        case .json: "{"
        case .lines: "# loads\n"
        case .prometheus: "# HELP queue Requests waiting.\n# TYPE queue gauge\n"
        case .haproxy: "# pxname,svname,qcur,qmax,scur,smax,slim,stot,status,\n"
        }
        for index in 0..<count {
            let load = "\(random.next() % 100).\(random.next() % 10)"
            switch format {
            case .json: text += (index == 0 ? "" : ", ") + "\"llm-replica-\(index)\": \(load)"
            case .lines: text += "llm-replica-\(index) \(load)\n"
            case .prometheus: text += "queue{model=\"llama\",server=\"llm-replica-\(index)\"} \(load)\n"
            case .haproxy: text += "inference,llm-replica-\(index),0,0,\(load),9,100,42,UP,\n"
            }
        }
        if format == .json { text += "}\n" }
        return Array(text.utf8)
    }
}

/// Repeated wall-clock timings.
enum Timing {
    /// Runs `body` at least `minimum` times and until `budget` is spent; returns each run's seconds.
    static func repeated(minimum: Int, budget: Duration, _ body: () -> Void) -> [Double] {
        var times: [Double] = []
        let end = ContinuousClock.now + budget
        while times.count < minimum || ContinuousClock.now < end {
            let start = ContinuousClock.now
            body()
            times.append((ContinuousClock.now - start).seconds)
        }
        return times
    }

    static func median(_ values: [Double]) -> Double {
        percentile(values, 50)
    }

    /// The nearest-rank percentile of `values`.
    static func percentile(_ values: [Double], _ rank: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let index = Int((rank / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(index, 0), sorted.count - 1)]
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
