import AutoscaledCore
import AutoscaledTestSupport
import Testing

/// The example policy replayed over the traces shipped in `config/traces/`: exact, deterministic figures.
struct ShippedTraceTests {
    static func run(_ trace: String, _ arguments: (SimulateOptions) -> SimulateOptions) -> CommandOutput {
        let options = SimulateOptions(configPath: "\(repositoryRoot)/config/autoscaled.conf",
                                      tracePath: "\(repositoryRoot)/config/traces/\(trace)", quiet: true)
        return SimulateCommand.run(arguments(options))
    }

    @Test("the conversation trace's first 15 minutes, C 1, D 2min, from 7 replicas, min 1, max 1000")
    func conversation() {
        let output = Self.run("azure_llm_conv_2023_15min.csv") { options in
            var options = options
            options.capacity = 1
            options.startupDelay = .seconds(120)
            options.initialReplicas = 7
            options.minReplicas = 1
            options.maxReplicas = 1000
            return options
        }
        #expect(output.exitStatus == 0)
        #expect(output.standardError == "")
        #expect(output.standardOutput == """
            trace:   azure_llm_conv_2023_15min.csv: offered load, 900 bins of 1s from t=0 (15min), 4420 requests
            model:   capacity 1 request/s per replica at load 100, startup delay 2min, poll_interval 10s
            policy:  scale_up_threshold 50, scale_down_threshold 35, target_load 50, min_replicas 1, max_replicas 1000, initial_replicas 7,
                     max_scale_up_per_minute 4, max_scale_down_per_minute 3, max_scale_down_percent_per_minute 30,
                     scale_up_cooldown 1min, scale_down_stabilization 5min, replica_startup 1min, trend_window 3min,
                     trend_min_span 20s, smoothing_window 20s, burst_ratio 2

            replica-seconds         12540
            mean replicas           13.93
            seconds overloaded      17 of 900 (1.89 %)
            requests over capacity  25.0 of 4420 (0.57 %)
            scale events            7 (5 up, 2 down) in 89 evaluations
            final replicas          14

            """)
    }

    @Test("the per-server trace of three replicas, as shipped")
    func threeServers() {
        let output = Self.run("azure_llm_conv_2023_15min_3servers.csv") { $0 }
        #expect(output.exitStatus == 0)
        #expect(output.standardOutput.hasSuffix("""
            replica-seconds         5810
            mean replicas           6.46
            seconds overloaded      1 of 900 (0.11 %)
            requests over capacity  n/a (a per-server trace has no request counts)
            scale events            7 (7 up, 0 down) in 89 evaluations
            final replicas          10

            """))
    }

    @Test("decision lines come first, stamped with the trace's time, in the daemon's format")
    func decisionLines() {
        let output = Self.run("azure_llm_conv_2023_15min_3servers.csv") { options in
            var options = options
            options.quiet = false
            return options
        }
        let lines = output.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The first decision comes from the trend: loads of at most 27.5, but rising: 52.83 per server expected
        // once a new replica would serve.
        #expect(lines.first == "ts=1970-01-01T00:00:40.000Z level=notice event=scale-up from=3 to=4 servers_to_scale=0 "
            + "threshold=50 max_load=27.5 max_server=replica-1 reason=\"load per server expected in replica_startup 1min "
            + "52.83 above scale_up_threshold 50; total load 72.5, smoothed 62.5, 158.5 expected in 1min needs 4 at target_load 50: +1\"")
        #expect(lines.count == 7 + 1 + 13 + 1)
        #expect(lines[7] == "")
    }
}
