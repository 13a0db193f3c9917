@testable import AutoscaledCore
@testable import AutoscaledSystem
import Testing

struct MetricsTextTests {
    static let servers = [ServerLoad(name: "server1", load: 30), ServerLoad(name: "server2", load: 55.5),
                          ServerLoad(name: "server3", load: 20)]

    @Test("every family with HELP and TYPE, in a fixed order")
    func whole() {
        let sample = MetricsSample(desiredReplicas: 4, appliedReplicas: 3, serversToScale: 1, servers: Self.servers,
                                   scaleUps: 2, scaleDowns: 1, sourceErrors: 5, logLinesDropped: 7,
                                   evaluatedAt: 1_795_932_723.037, wantedReplicas: 4)
        #expect(MetricsText.render(sample, maxSeries: 100) == """
            # HELP autoscaled_desired_replicas Replica count the policy wants.
            # TYPE autoscaled_desired_replicas gauge
            autoscaled_desired_replicas 4
            # HELP autoscaled_wanted_replicas Replica count the policy would go to; differs from desired while a rule holds the count.
            # TYPE autoscaled_wanted_replicas gauge
            autoscaled_wanted_replicas 4
            # HELP autoscaled_limited 1 while a rule (held_by: a cooldown, a window, a bound, a step, no data, a pause) holds the count.
            # TYPE autoscaled_limited gauge
            autoscaled_limited{held_by=""} 0
            # HELP autoscaled_paused 1 while an operator paused the autoscaling (autoscaled pause).
            # TYPE autoscaled_paused gauge
            autoscaled_paused 0
            # HELP autoscaled_config_last_reload_successful 0 while the last reload asked for failed (the running config is older than the file), else 1.
            # TYPE autoscaled_config_last_reload_successful gauge
            autoscaled_config_last_reload_successful 1
            # HELP autoscaled_applied_replicas Replica count last confirmed applied.
            # TYPE autoscaled_applied_replicas gauge
            autoscaled_applied_replicas 3
            # HELP autoscaled_servers_to_scale Servers whose load was strictly above scale_up_threshold at the last evaluation.
            # TYPE autoscaled_servers_to_scale gauge
            autoscaled_servers_to_scale 1
            # HELP autoscaled_server_load Load of each server at the last evaluation (the busiest max_series servers).
            # TYPE autoscaled_server_load gauge
            autoscaled_server_load{server="server1"} 30
            autoscaled_server_load{server="server2"} 55.5
            autoscaled_server_load{server="server3"} 20
            # HELP autoscaled_server_load_series_dropped Servers left out of autoscaled_server_load by max_series at the last evaluation.
            # TYPE autoscaled_server_load_series_dropped gauge
            autoscaled_server_load_series_dropped 0
            # HELP autoscaled_scale_events_total Changes of the desired count since the daemon started.
            # TYPE autoscaled_scale_events_total counter
            autoscaled_scale_events_total{direction="up"} 2
            autoscaled_scale_events_total{direction="down"} 1
            # HELP autoscaled_source_errors_total Failed, rejected or stale reads of the load source since the daemon started.
            # TYPE autoscaled_source_errors_total counter
            autoscaled_source_errors_total 5
            # HELP autoscaled_log_lines_dropped_total Log lines dropped because stderr could not take them without blocking, since the daemon started.
            # TYPE autoscaled_log_lines_dropped_total counter
            autoscaled_log_lines_dropped_total 7
            # HELP autoscaled_last_evaluation_timestamp_seconds Unix time of the last evaluation.
            # TYPE autoscaled_last_evaluation_timestamp_seconds gauge
            autoscaled_last_evaluation_timestamp_seconds 1795932723.037

            """)
    }

    @Test("a held count: the wish, the rule that holds it, and the pause")
    func held() {
        let sample = MetricsSample(desiredReplicas: 4, serversToScale: 2, servers: [], scaleUps: 0, scaleDowns: 0,
                                   sourceErrors: 0, evaluatedAt: 1, wantedReplicas: 6, heldBy: "pause", paused: true)
        let text = MetricsText.render(sample, maxSeries: 100)
        #expect(text.contains("\nautoscaled_desired_replicas 4\n"))
        #expect(text.contains("\nautoscaled_wanted_replicas 6\n"))
        #expect(text.contains("\nautoscaled_limited{held_by=\"pause\"} 1\n"))
        #expect(text.contains("\nautoscaled_paused 1\n"))
    }

    @Test("the actuator's failed attempts in a row, only with an actuator")
    func actuationFailures() {
        var sample = MetricsSample(desiredReplicas: 3, serversToScale: nil, servers: [], scaleUps: 0, scaleDowns: 0,
                                   sourceErrors: 0, evaluatedAt: 1)
        #expect(!MetricsText.render(sample, maxSeries: 100).contains("autoscaled_actuation_failures"))
        sample.actuationFailures = 4
        #expect(MetricsText.render(sample, maxSeries: 100).contains("""
            # HELP autoscaled_actuation_failures Failed actuation attempts in a row; 0 once one confirms a count.
            # TYPE autoscaled_actuation_failures gauge
            autoscaled_actuation_failures 4

            """))
    }

    @Test("without usable data: no wanted count, no servers_to_scale, no server loads; applied only when known")
    func noData() {
        let sample = MetricsSample(desiredReplicas: 3, serversToScale: nil, servers: [], scaleUps: 0, scaleDowns: 0,
                                   sourceErrors: 1, evaluatedAt: 1, heldBy: "no_usable_data")
        let text = MetricsText.render(sample, maxSeries: 100)
        #expect(!text.contains("autoscaled_wanted_replicas"))
        #expect(text.contains("\nautoscaled_limited{held_by=\"no_usable_data\"} 1\n"))
        #expect(!text.contains("autoscaled_applied_replicas"))
        #expect(!text.contains("autoscaled_servers_to_scale"))
        #expect(!text.contains("autoscaled_server_load{"))
        #expect(text.contains("autoscaled_server_load_series_dropped 0\n"))
        #expect(text.hasSuffix("autoscaled_last_evaluation_timestamp_seconds 1.000\n"))
    }

    @Test("max_series keeps the busiest servers, in snapshot order, and counts the rest")
    func cap() {
        let sample = MetricsSample(desiredReplicas: 3, serversToScale: 0, servers: Self.servers, scaleUps: 0,
                                   scaleDowns: 0, sourceErrors: 0, evaluatedAt: 1)
        let text = MetricsText.render(sample, maxSeries: 2)
        #expect(text.contains("""
            autoscaled_server_load{server="server1"} 30
            autoscaled_server_load{server="server2"} 55.5
            # HELP autoscaled_server_load_series_dropped
            """))
        #expect(text.contains("autoscaled_server_load_series_dropped 1\n"))
        let none = MetricsText.render(sample, maxSeries: 0)
        #expect(!none.contains("# TYPE autoscaled_server_load gauge"))
        #expect(none.contains("autoscaled_server_load_series_dropped 3\n"))
    }

    @Test("label values escape backslash, quote and newline", arguments: [
        ("plain", "plain"), (#"a"b"#, #"a\"b"#), (#"a\b"#, #"a\\b"#), ("a\nb", #"a\nb"#), ("é ü", "é ü"),
    ])
    func escaping(_ name: String, _ escaped: String) {
        #expect(MetricsText.labelValue(name) == escaped)
    }

    @Test("the busiest servers are picked without a full sort, ties to the first listed", arguments: [
        ([5, 1, 4, 1, 5, 9, 2, 6], 3, [0, 5, 7]),
        ([1, 1, 1, 1], 2, [0, 1]),
        ([3, 2, 1], 5, [0, 1, 2]),
        ([7, 7, 8], 1, [2]),
    ] as [([Double], Int, [Int])])
    func busiest(_ loads: [Double], _ count: Int, _ expected: [Int]) {
        let servers = loads.enumerated().map { ServerLoad(name: "s\($0.offset)", load: $0.element) }
        #expect(BusiestServers.indices(of: servers, keeping: count) == expected)
    }
}

struct MetricsExporterTests {
    final class Files: Sendable {
        let written = Locked<[String: String]>([:])
        let fail = Locked(false)
    }

    static func exporter(_ files: Files, textfile: String? = "/m.prom") -> MetricsExporter {
        MetricsExporter(config: MetricsConfig(textfile: textfile, maxSeries: 10)) { path, text throws(FileWriteError) in
            if files.fail.withLock({ $0 }) { throw .system(SystemError(call: "open", subject: path, errno: 13)) }
            files.written.withLock { $0[path] = text }
        }
    }

    static func decision(_ from: Int, _ to: Int) -> ScalingDecision {
        ScalingDecision(action: to > from ? .scaleUp : to < from ? .scaleDown : .hold, from: from, to: to,
                        serversToScale: 0, busiest: nil, threshold: nil, reason: DecisionReason(.noUsableData(cause: "r")), recommendation: to)
    }

    @Test("counters count scale events by direction and source errors")
    func counters() {
        let files = Files()
        var exporter = Self.exporter(files)
        let loads = PolicyInput.loads(try! LoadSnapshot(servers: [ServerLoad(name: "a", load: 1)]))
        _ = exporter.record(loads, Self.decision(3, 4), wallTime: 1)
        _ = exporter.record(.unavailable("x"), Self.decision(4, 4), wallTime: 2)
        _ = exporter.record(loads, Self.decision(4, 2), wallTime: 3)
        #expect(exporter.scaleUps == 1 && exporter.scaleDowns == 1 && exporter.sourceErrors == 1)
        let text = files.written.withLock { $0["/m.prom"] } ?? ""
        #expect(text.contains("autoscaled_scale_events_total{direction=\"down\"} 1\n"))
        #expect(text.contains("autoscaled_desired_replicas 2\n"))
    }

    @Test("the wanted count is the desired one where nothing holds it, the wish where a rule does, and absent without data")
    func wanted() {
        let files = Files()
        var exporter = Self.exporter(files)
        let loads = PolicyInput.loads(try! LoadSnapshot(servers: [ServerLoad(name: "a", load: 1)]))
        func written() -> String { files.written.withLock { $0["/m.prom"] } ?? "" }
        _ = exporter.record(loads, Self.decision(3, 4), wallTime: 1)
        #expect(written().contains("\nautoscaled_wanted_replicas 4\n"))
        var held = Self.decision(4, 4)
        (held.heldBy, held.wanted) = (.maxReplicas(4), 6)
        _ = exporter.record(loads, held, wallTime: 2)
        #expect(written().contains("\nautoscaled_wanted_replicas 6\n"))
        var noData = Self.decision(4, 4)
        noData.heldBy = .noUsableData
        _ = exporter.record(.unavailable("x"), noData, wallTime: 3)
        #expect(!written().contains("autoscaled_wanted_replicas"))
        #expect(written().contains("\nautoscaled_limited{held_by=\"no_usable_data\"} 1\n"))
        // The source down moves the count to fallback_replicas, and holds it there: still no wish, still no data.
        for (from, to) in [(4, 2), (2, 2)] {
            let fallback = ScalingDecision(
                action: to < from ? .scaleDown : .hold, from: from, to: to, serversToScale: nil, busiest: nil, threshold: nil,
                reason: DecisionReason(from == to ? .atFallback(replicas: 2, cause: "x") : .fallback(replicas: 2, cause: "x")),
                recommendation: 2, heldBy: .noUsableData)
            _ = exporter.record(.sourceDown("x"), fallback, wallTime: 4)
            #expect(!written().contains("autoscaled_wanted_replicas"), "\(from) → \(to)")
            #expect(written().contains("\nautoscaled_limited{held_by=\"no_usable_data\"} 1\n"), "\(from) → \(to)")
            #expect(written().contains("\nautoscaled_desired_replicas 2\n"))
        }
    }

    @Test("a failed write warns once, then logs at debug until a write succeeds, which says so once")
    func failures() {
        let files = Files()
        var exporter = Self.exporter(files)
        files.fail.withLock { $0 = true }
        let first = exporter.record(.unavailable("x"), Self.decision(3, 3), wallTime: 1)
        #expect(first == LogRecord(.warning, .metricsWriteFailed, [
            LogField("path", "/m.prom"), LogField("cause", "open: permission denied (errno 13)"),
        ]))
        #expect(exporter.record(.unavailable("x"), Self.decision(3, 3), wallTime: 2)?.level == .debug)
        files.fail.withLock { $0 = false }
        #expect(exporter.record(.unavailable("x"), Self.decision(3, 3), wallTime: 3)
            == LogRecord(.notice, .writeRecovered, [LogField("path", "/m.prom"), LogField("file", "metrics")]))
        #expect(exporter.record(.unavailable("x"), Self.decision(3, 3), wallTime: 3) == nil)
        files.fail.withLock { $0 = true }
        #expect(exporter.record(.unavailable("x"), Self.decision(3, 3), wallTime: 4)?.level == .warning)
    }

    @Test("no textfile, no write; the counters still count")
    func disabled() {
        let files = Files()
        var exporter = Self.exporter(files, textfile: nil)
        #expect(exporter.record(.unavailable("x"), Self.decision(3, 4), wallTime: 1) == nil)
        #expect(files.written.withLock { $0.isEmpty })
        #expect(exporter.scaleUps == 1)
    }
}
