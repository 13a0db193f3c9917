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
            model:   capacity 1 request/s per replica at load 100, startup delay 2min, poll_interval 5s
            policy:  headroom learned, headroom_target_load 70, headroom_square_root_room 3, headroom_spread measured, headroom_quantile 0.9, headroom_window 1h,
                     headroom_scale_down_margin 0.6, headroom_scale_down_margin_unmeasured 0.3, headroom_scale_up_tolerance 0.2, scale_down_stabilization 2min, scale_down_stabilization_rule mean,
                     replica_startup 1min, min_replicas 1, max_replicas 1000, initial_replicas 7
                     seasonal_periods 5min, 15min, 30min, 1h, seasonal_confirmations 2

            replica-seconds         13365
            mean replicas           14.85
            seconds overloaded      17 of 900 (1.89 %)
            requests over capacity  26.0 of 4420 (0.59 %)
            scale events            11 (5 up, 6 down) in 179 evaluations
            final replicas          14

            """)
    }

    @Test("the per-server trace of three replicas, as shipped")
    func threeServers() {
        let output = Self.run("azure_llm_conv_2023_15min_3servers.csv") { $0 }
        #expect(output.exitStatus == 0)
        #expect(output.standardOutput.hasSuffix("""
            replica-seconds         4395
            mean replicas           4.88
            seconds overloaded      1 of 900 (0.11 %)
            requests over capacity  n/a (a per-server trace has no request counts)
            scale events            2 (2 up, 0 down) in 180 evaluations
            final replicas          5

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
        #expect(lines.first == "ts=1970-01-01T00:00:05.000Z level=info event=limited want=1 held_by=headroom_window "
            + "replicas=3 reason=\"total load 10 and a rise of 0 (the highest within 1min 5s seen so far: too few rises "
            + "seen yet for the quantile) need 1 at headroom_target_load 70 but still learning the rises (0 of 12 seen): "
            + "no scale-down yet\"")
        // The scale-ups: no server above scale_up_threshold, but too few rises are known yet, so the
        // load is given room for the highest rise seen so far, from 10 at 5 s to 135 at 50 s:
        // ⌈(135 + 125) ÷ 70⌉ = 4; then from 10 to 175 at 55 s: ⌈(175 + 165) ÷ 70⌉ = 5.
        #expect(lines.contains("ts=1970-01-01T00:00:50.000Z level=notice event=scale-up from=3 to=4 servers_to_scale=0 "
            + "threshold=50 max_load=50 max_server=replica-1 reason=\"total load 135 and a rise of 125 (the highest within "
            + "1min 5s seen so far: too few rises seen yet for the quantile) need 4 at headroom_target_load 70: +1\""))
        #expect(lines.contains("ts=1970-01-01T00:00:55.000Z level=notice event=scale-up from=4 to=5 servers_to_scale=3 "
            + "threshold=50 max_load=60 max_server=replica-1 reason=\"total load 175 and a rise of 165 (the highest within "
            + "1min 5s seen so far: too few rises seen yet for the quantile) need 5 at headroom_target_load 70: +1\""))
        // Then the mean need over scale_down_stabilization stays above 4: each time the need falls
        // below the count the window holds it, said once each time it starts holding.
        #expect(lines.contains("ts=1970-01-01T00:03:45.000Z level=info event=limited want=4 held_by=scale_down_stabilization "
            + "replicas=5 reason=\"total load 95 and a rise of 130 (the 0.9 quantile of the rises beyond the recurring ones "
            + "within 1min 5s over the last 1h) need 4 at headroom_target_load 70 but scale_down_stabilization 2min holds at 5\""))
        // Two decisions and 33 limited lines, a blank line, then the report; every other evaluation is a hold.
        #expect(lines.filter { $0.contains(" event=scale-") }.count == 2)
        #expect(lines.filter { $0.contains(" event=limited ") }.count == 33)
        #expect(lines.count == 35 + 1 + 13 + 1)
        #expect(lines[35] == "")
    }
}
