import AutoscaledBase
import Glibc

/// SIGTERM → the daemon's exit (`wait4` returning), once with stderr a pipe with room and once with
/// stderr a one-page pipe nobody reads, filled until the daemon drops lines: the figure behind
/// "SIGTERM is honoured within a second whatever stderr does".
enum StopBench {
    static func run(binary: String, stops: Int = 20) {
        for full in [false, true] { run(binary: binary, stops: stops, stderrFull: full) }
    }

    static func run(binary: String, stops: Int, stderrFull: Bool) {
        print("\nstop latency: SIGTERM -> exit (\(stops) daemons, poll_interval 10s, stderr "
            + (stderrFull ? "a one-page pipe nobody reads, full)" : "a pipe with room)"))
        var latencies: [Double] = []
        for _ in 0..<stops {
            let workspace = BenchWorkspace(pollInterval: "10s", logLevel: "debug", metrics: true)
            defer { workspace.remove() }
            guard let daemon = BenchChild.started(binary, workspace, stderrCapacity: stderrFull ? 4096 : nil) else { return }
            if stderrFull && !fill(workspace) {
                daemon.stop()
                print("  the daemon dropped no line within 10 s of load-file writes")
                return
            }
            guard let (seconds, status) = daemon.stopTimed(), status == 0 else {
                print("  the daemon did not exit 0 on SIGTERM")
                return
            }
            latencies.append(seconds)
        }
        print("  p50 \(Format.ms(Timing.percentile(latencies, 50))) ms, max \(Format.ms(latencies.max() ?? 0)) ms")
    }

    /// Replaces the load file, each time with a load that makes a decision line, until the daemon
    /// counts a line it could not write; `false` if none within 10 s.
    static func fill(_ workspace: BenchWorkspace) -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        var index = 0
        while ContinuousClock.now < deadline {
            workspace.writeLoads(#"{"server1": \#(30 + index % 40), "server2": 40, "server3": 20}"#)
            index += 1
            usleep(2_000)
            if workspace.droppedLogLines > 0 { return true }
        }
        return false
    }
}
