@testable import AutoscaledBase
@testable import AutoscaledCore
import AutoscaledTestSupport
import Testing

/// Inputs and configs that once trapped (NaN to `Int`, overflow): each is refused where it
/// enters, or decided without a trap within `[min_replicas, max_replicas]`.
struct PolicyTotalityTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var config: PolicyConfig
        /// Total loads remembered before the decision, at these offsets before it.
        var samples: [(before: Duration, total: Double)] = []
        var replicas: Int
        var loads: [Double]
        var action: ScalingAction
        var to: Int
        var testDescription: String { name }
    }

    static let picosecond = Duration(secondsComponent: 0, attosecondsComponent: 1_000_000)
    /// Two totals a picosecond apart, the second the largest `Double`: a slope near the largest
    /// `Double` (∞ before the slope was saturated), times any replica_startup beyond it.
    static let steepest: [(before: Duration, total: Double)] = [
        (picosecond * 2, 0), (picosecond, .greatestFiniteMagnitude),
    ]

    static let cases: [Case] = [
        Case(name: "the steepest slope × a zero replica_startup (∞ × 0 was NaN → Int)",
             config: modified(PolicyConfig.defaults) { ($0.replicaStartup, $0.smoothingWindow, $0.burstRatio) = (.zero, .zero, 0) },
             samples: steepest, replicas: 3, loads: [1e15], action: .scaleUp, to: 7),
        Case(name: "the steepest slope × a replica_startup saturates, and the trend adds at most twice the load",
             config: modified(PolicyConfig.defaults) {
                 ($0.maxScaleUpPerMinute, $0.replicaStartup, $0.smoothingWindow, $0.burstRatio) = (100, .seconds(60), .zero, 0)
                 // No tick grid and no minimum span, so totals a picosecond apart make a trend.
                 ($0.tick, $0.trendMinSpan) = (.zero, .zero)
             },
             samples: steepest, replicas: 3, loads: [60], action: .scaleUp, to: 4),
        Case(name: "remembered totals near Double.greatestFiniteMagnitude sum without overflowing",
             config: modified(PolicyConfig.defaults) {
                 ($0.maxScaleUpPerMinute, $0.replicaStartup, $0.smoothingWindow, $0.burstRatio) = (100, .zero, .seconds(30), 0)
             },
             samples: [(.seconds(2), .greatestFiniteMagnitude), (.seconds(1), .greatestFiniteMagnitude)],
             replicas: 3, loads: [60], action: .scaleUp, to: 10),
        Case(name: "loads at the 1e15 bound on many servers are sized and capped",
             config: modified(PolicyConfig.defaults) { ($0.maxReplicas, $0.maxScaleUpPerMinute, $0.burstRatio) = (1_000_000, 1_000_000, 2) },
             replicas: 3, loads: Array(repeating: 1e15, count: 64), action: .scaleUp, to: 1_000_000),
        Case(name: "target_load 0 with a negative scale_down_threshold (refused by the config; 0 ÷ 0 is no need)",
             config: modified(PolicyConfig.defaults) {
                 ($0.scaleDownThreshold, $0.targetLoad, $0.replicaStartup, $0.smoothingWindow) = (-5, 0, .zero, .zero)
             },
             replicas: 3, loads: [0], action: .hold, to: 3),
        Case(name: "target_load 0 and a load: an infinite need is capped at max_replicas",
             config: modified(PolicyConfig.defaults) {
                 ($0.scaleDownThreshold, $0.targetLoad, $0.replicaStartup, $0.smoothingWindow) = (-5, 0, .zero, .zero)
             },
             replicas: 3, loads: [60], action: .scaleUp, to: 10),
        Case(name: "max_scale_up_per_minute and max_replicas at Int.max (refused by the config) do not overflow",
             config: modified(PolicyConfig.defaults) {
                 ($0.maxReplicas, $0.maxScaleUpPerMinute, $0.replicaStartup, $0.smoothingWindow, $0.burstRatio) = (.max, .max, .zero, .zero, 0)
             },
             replicas: .max - 1, loads: [60], action: .scaleUp, to: .max),
        Case(name: "max_scale_down_per_minute at Int.max does not overflow",
             config: modified(PolicyConfig.defaults) {
                 ($0.maxScaleDownPerMinute, $0.scaleDownStabilization, $0.replicaStartup, $0.smoothingWindow, $0.burstRatio) =
                     (.max, .zero, .zero, .zero, 0)
             },
             replicas: 9, loads: [1], action: .scaleDown, to: 1),
    ]

    @Test("each once-trapping case is decided within [min, max]", arguments: cases)
    func decides(_ test: Case) {
        let now = MonotonicInstant(sinceOrigin: .seconds(1000))
        var memory = PolicyMemory(replicas: test.replicas, observingSince: .origin)
        for sample in test.samples {
            let remembered = ScalingDecision(action: .hold, from: test.replicas, to: test.replicas, serversToScale: 0,
                                             busiest: nil, threshold: nil, reason: DecisionReason(.noUsableData(cause: "")), recommendation: nil,
                                             totalLoad: sample.total)
            memory = memory.recording(remembered, at: now - sample.before, policy: test.config)
        }
        let servers = test.loads.enumerated().map { ServerLoad(name: "s\($0.offset)", load: $0.element) }
        let decision = ThresholdPolicy(config: test.config).decide(.loads(try! LoadSnapshot(servers: servers)),
                                                                   memory: memory, now: now)
        #expect(decision.action == test.action, "\(decision.reason)")
        #expect(decision.to == test.to)
        #expect(decision.totalLoad?.isFinite == true)
    }

    @Test("a load above 1e15 is rejected by every load format")
    func loadBound() {
        let formats: [(LoadFormat, String)] = [
            (.json, #"{"a": 1.7e308, "b": 1.7e308}"#),
            (.lines, "a 1.7e308\nb 1.7e308\n"),
            (.prometheus(PrometheusSelection(metric: "q", serverLabel: "s", labelMatch: [])),
             "q{s=\"a\"} 1.7e308\nq{s=\"b\"} 1.7e308\n"),
        ]
        for (format, text) in formats {
            #expect(throws: LoadError.invalidLoad(server: "a", value: "1.7e308", reason: "above 1e15", line: 1)) {
                try LoadParser.snapshot(from: Array(text.utf8), format: format)
            }
        }
        #expect(throws: LoadError.invalidLoad(server: "a", value: "2000000000000000", reason: "above 1e15")) {
            try LoadSnapshot(servers: [ServerLoad(name: "a", load: 2e15)])
        }
        #expect((try? LoadSnapshot(servers: [ServerLoad(name: "a", load: 1e15)])) != nil)
        #expect(LoadError.invalidLoad(server: "a", value: "1.7e+308", reason: "above 1e15").description
            == #"server "a": load 1.7e+308 is above 1e15"#)
    }

    @Test("a trace value above 1e15 names its line")
    func traceBound() {
        #expect(throws: TraceError.line(3, "requests '2e15' is above 1e15")) {
            try TraceParser.parse(Array("t_seconds,requests\n0,1\n1,2e15\n".utf8))
        }
    }

    @Test("configs that once crashed the first decision are refused with the file, line and value", arguments: [
        (["scale_down_threshold = -5", "target_load = 0"],
         ["autoscaled.conf:5: target_load (0) must be above 0 (replicas are sized as total load / target_load)"]),
        (["max_scale_up_per_minute = 9223372036854775806"],
         ["autoscaled.conf:4: max_scale_up_per_minute: '9223372036854775806' must be at most 1000000"]),
        (["max_replicas = 9223372036854775807"], ["autoscaled.conf:4: max_replicas: '9223372036854775807' must be at most 1000000"]),
        (["scale_up_threshold = 1e16"], ["autoscaled.conf:4: scale_up_threshold: '1e16' must be at most 1e15"]),
        (["scale_down_threshold = -1e300"], ["autoscaled.conf:4: scale_down_threshold: '-1e300' must be at least -1e15"]),
        (["replica_startup = 1000d"], ["autoscaled.conf:4: replica_startup: '1000d' must be at most 365d"]),
        (["max_replicas = 20000", "[actuator]", "type = systemd", "unit = llama@{i}.service"],
         ["autoscaled.conf:6: max_replicas (20000) must be at most 10000 with type = systemd (one instance of the unit per replica)"]),
    ])
    func refusals(_ policy: [String], _ errors: [String]) {
        #expect(ConfigParsing.errorLines(["[source]", "path = l", "[policy]"] + policy) == errors)
    }

    @Test("the largest counts the config takes are accepted")
    func largestAccepted() {
        #expect(ConfigParsing.errorLines(["[source]", "path = l", "[policy]", "max_replicas = 1000000",
                                          "max_scale_up_per_minute = 1000000", "max_scale_down_per_minute = 1000000",
                                          "replica_startup = 365d", "scale_up_threshold = 1e15"]) == [])
        #expect(ConfigParsing.errorLines(["[source]", "path = l", "[policy]", "max_replicas = 10000", "[actuator]",
                                          "type = systemd", "unit = llama@{i}.service"]) == [])
    }
}
