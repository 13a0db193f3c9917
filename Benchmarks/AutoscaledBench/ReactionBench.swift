import AutoscaledBase
import Glibc

/// Atomic load-file write → the decision line in the daemon's log, with a 10 s poll so only the
/// change notification can be fast. Run with `[history]` on (the default) and off, to show what
/// recording each evaluation costs.
enum ReactionBench {
    static func run(binary: String, writes: Int = 200) {
        for history in [true, false] { run(binary: binary, writes: writes, history: history) }
    }

    static func run(binary: String, writes: Int, history: Bool) {
        print("\nreaction latency: rename of the load file -> decision line on stderr (poll_interval 10s, \(writes) writes, "
            + "history \(history ? "on" : "off"))")
        let workspace = BenchWorkspace(pollInterval: "10s", logLevel: "debug", history: history)
        defer { workspace.remove() }
        let daemon = BenchChild(binary, ["run", "--config", workspace.configPath])
        defer { daemon.stop() }
        guard daemon.waitForLine(containing: " from=") != nil else {
            print("  the daemon did not start")
            return
        }
        var latencies: [Double] = []
        for index in 0..<writes {
            let loads = #"{"server1": \#(30 + index % 40), "server2": 40, "server3": 20}"#
            let start = ContinuousClock.now
            workspace.writeLoads(loads)
            guard daemon.waitForLine(containing: " from=", timeout: .seconds(5)) != nil else {
                print("  no decision line within 5 s after write \(index + 1)")
                return
            }
            latencies.append((ContinuousClock.now - start).seconds)
            usleep(2_000)
        }
        print("  p50 \(Format.ms(Timing.percentile(latencies, 50))) ms, p99 \(Format.ms(Timing.percentile(latencies, 99))) ms, "
            + "max \(Format.ms(latencies.max() ?? 0)) ms")
    }
}
