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
            policy:  headroom learned, headroom_target_load 65, headroom_square_root_room 3, headroom_quantile 0.92, headroom_window 1h,
                     headroom_scale_down_margin 0.6, headroom_scale_up_tolerance 0.2, scale_down_stabilization 2min, scale_down_stabilization_rule mean,
                     replica_startup 1min, min_replicas 1, max_replicas 1000, initial_replicas 7
                     seasonal_periods 5min, 15min, 30min, 1h, seasonal_confirmations 2

            replica-seconds         12770
            mean replicas           14.19
            seconds overloaded      17 of 900 (1.89 %)
            requests over capacity  27.0 of 4420 (0.61 %)
            scale events            8 (3 up, 5 down) in 89 evaluations
            final replicas          13

            """)
    }

    @Test("the per-server trace of three replicas, as shipped")
    func threeServers() {
        let output = Self.run("azure_llm_conv_2023_15min_3servers.csv") { $0 }
        #expect(output.exitStatus == 0)
        #expect(output.standardOutput.hasSuffix("""
            replica-seconds         3940
            mean replicas           4.38
            seconds overloaded      1 of 900 (0.11 %)
            requests over capacity  n/a (a per-server trace has no request counts)
            scale events            2 (1 up, 1 down) in 90 evaluations
            final replicas          4

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
        // The first line: the load needs less than the count, but too few rises are known to give any back.
        #expect(lines.first?.hasPrefix("ts=1970-01-01T00:00:10.000Z level=info event=limited want=2 held_by=headroom_window "
            + "replicas=3 reason=\"total load 27.5 and room to double") == true)
        // The first scale-up: no server above scale_up_threshold, but too few rises are known yet, so
        // the load is given room to double: ⌈2 × 132.5 ÷ 65⌉ = 5.
        #expect(lines.contains("ts=1970-01-01T00:00:50.000Z level=notice event=scale-up from=3 to=5 servers_to_scale=0 "
            + "threshold=50 max_load=45 max_server=replica-1 reason=\"total load 132.5 and room to double (too few rises "
            + "within 1min 10s seen yet) need 5 at headroom_target_load 65: +2\""))
        // Once rises are known, a scale-down names the rise, the margin it keeps and the stabilization window.
        #expect(lines.contains("ts=1970-01-01T00:07:20.000Z level=notice event=scale-down from=5 to=4 servers_to_scale=0 "
            + "threshold=50 max_load=37.5 max_server=replica-3 reason=\"total load 102.5 and a rise of 80 (the 0.92 quantile "
            + "of the rises beyond the recurring ones within 1min 10s over the last 1h) need 3 at headroom_target_load 65, "
            + "4 with headroom_scale_down_margin 0.6; mean need within scale_down_stabilization 2min is 4: -1\""))
        // Two decisions and seven limited lines (once each time a rule starts holding), a blank
        // line, then the report; every other evaluation is a hold (a need within
        // headroom_scale_up_tolerance of the count among them).
        #expect(lines.filter { $0.contains(" event=scale-") }.count == 2)
        #expect(lines.filter { $0.contains(" event=limited ") }.count == 7)
        #expect(lines.count == 9 + 1 + 13 + 1)
        #expect(lines[9] == "")
    }
}
