import Glibc
import Testing


@Suite("the metrics textfile written by a real daemon")
struct MetricsTextfileTests {
    /// Starts a daemon writing `metrics.prom`, with `loads` as its first snapshot; waits for `line`.
    func run(_ dir: Workspace, loads: String, until line: String) async -> ChildProcess {
        dir.writeConfig(source: "", log: "level = debug\n\n[metrics]\ntextfile = metrics.prom\nmax_series = 2")
        dir.writeLoads(loads)
        let daemon = ChildProcess(autoscaledBinary(), ["run", "--config", dir.configPath], captureIn: dir.path)
        #expect(await daemon.waitForLine(line) != nil, "\(daemon.standardError)")
        return daemon
    }

    /// The textfile once it contains `part` (it is written just after the decision is logged), or as it is after 5 s.
    func metrics(_ dir: Workspace, containing part: String) async -> String {
        await metrics(dir) { $0.contains(part) }
    }

    /// The textfile once `ready` holds for it, or as it is after the test's patience runs out.
    func metrics(_ dir: Workspace, until ready: (String) -> Bool) async -> String {
        let deadline = ContinuousClock.now + patience
        var text = dir.read(dir.file("metrics.prom"))
        while !ready(text), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
            text = dir.read(dir.file("metrics.prom"))
        }
        return text
    }

    @Test("written after every evaluation, mode 0644, series capped")
    func written() async {
        let dir = Workspace()
        defer { dir.remove() }
        let daemon = await run(dir, loads: #"{"a": 30, "b": 55, "c": 20}"#, until: "event=scale-up from=3 to=4")
        let text = await metrics(dir, containing: "autoscaled_desired_replicas 4\n")
        #expect(text.contains("autoscaled_desired_replicas 4\n"))
        #expect(text.contains("autoscaled_servers_to_scale 1\n"))
        #expect(text.contains("autoscaled_server_load{server=\"a\"} 30\nautoscaled_server_load{server=\"b\"} 55\n"))
        #expect(text.contains("autoscaled_server_load_series_dropped 1\n"))
        #expect(text.contains("autoscaled_scale_events_total{direction=\"up\"} 1\n"))
        var info = stat()
        #expect(stat(dir.file("metrics.prom"), &info) == 0 && info.st_mode & 0o777 == 0o644)

        dir.writeLoads("{broken")
        #expect(await daemon.waitForLine("event=source-error") != nil)
        // One failed read or more: the count depends on how many change notifications the write gave.
        let failed = await metrics(dir) { $0.contains("autoscaled_source_errors_total ") && !$0.contains("errors_total 0\n") }
        #expect(failed.contains("autoscaled_source_errors_total ") && !failed.contains("autoscaled_source_errors_total 0\n"))
        #expect(!failed.contains("autoscaled_server_load{"))
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }

    @Test("promtool check metrics accepts the file, hostile server names included",
          ExternalPeers.needs(.promtool))
    func promtoolAccepts() async throws {
        guard let promtool = await ExternalPeers.find(.promtool) else { return }
        let dir = Workspace()
        defer { dir.remove() }
        let daemon = await run(dir, loads: #"{"we\"ird\\name {x=\"1\"}": 60, "ünï code": 10, "c": 1}"#,
                               until: "event=scale-up")
        let text = await metrics(dir, containing: "autoscaled_desired_replicas 4\n")
        #expect(text.contains(#"autoscaled_server_load{server="we\"ird\\name {x=\"1\"}"} 60"#))
        let check = ChildProcess("/bin/sh", ["-c", "'\(promtool)' check metrics < '\(dir.file("metrics.prom"))'"],
                                 captureIn: dir.path)
        #expect(await check.wait() == 0, "promtool: \(check.standardOutput) \(check.standardError)")
        #expect(check.standardOutput + check.standardError == "")
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }
}
