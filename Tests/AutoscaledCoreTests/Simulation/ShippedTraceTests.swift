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

            replica-seconds         12090
            mean replicas           13.43
            seconds overloaded      19 of 900 (2.11 %)
            requests over capacity  31.0 of 4420 (0.70 %)
            scale events            3 (1 up, 2 down) in 89 evaluations
            final replicas          13

            """)
    }

    @Test("the per-server trace of three replicas, as shipped")
    func threeServers() {
        let output = Self.run("azure_llm_conv_2023_15min_3servers.csv") { $0 }
        #expect(output.exitStatus == 0)
        #expect(output.standardOutput.hasSuffix("""
            replica-seconds         3550
            mean replicas           3.94
            seconds overloaded      1 of 900 (0.11 %)
            requests over capacity  n/a (a per-server trace has no request counts)
            scale events            1 (1 up, 0 down) in 90 evaluations
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
            + "replicas=3 reason=\"total load 27.5 and a rise of 0 (the highest within 1min 10s seen so far: too few rises "
            + "seen yet for the quantile) need 1 at headroom_target_load 65, 2 with headroom_scale_down_margin 0.6 but still "
            + "learning the rises (0 of 12 seen): no scale-down yet\"") == true)
        // The scale-up: no server above scale_up_threshold, but too few rises are known yet, so the
        // load is given room for the highest rise seen so far, from 27.5 at 10 s to 132.5 now:
        // ⌈(132.5 + 105) ÷ 65⌉ = 4.
        #expect(lines.contains("ts=1970-01-01T00:00:50.000Z level=notice event=scale-up from=3 to=4 servers_to_scale=0 "
            + "threshold=50 max_load=45 max_server=replica-1 reason=\"total load 132.5 and a rise of 105 (the highest within "
            + "1min 10s seen so far: too few rises seen yet for the quantile) need 4 at headroom_target_load 65: +1\""))
        // One decision and one limited line (once when a rule starts holding), a blank line, then
        // the report; every other evaluation is a hold.
        #expect(lines.filter { $0.contains(" event=scale-") }.count == 1)
        #expect(lines.filter { $0.contains(" event=limited ") }.count == 1)
        #expect(lines.count == 2 + 1 + 13 + 1)
        #expect(lines[2] == "")
    }
}
