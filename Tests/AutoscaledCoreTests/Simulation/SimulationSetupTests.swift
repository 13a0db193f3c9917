@testable import AutoscaledBase
@testable import AutoscaledCore
import AutoscaledTestSupport
import Testing

/// How the config and the options become a replay's setup, and what they must not ask for.
struct SimulationSetupTests {
    static let config = modified(Config.defaults(sourcePath: "/l.json")) { $0.source.pollInterval = .seconds(5) }
    // Computed, not stored: a stored multi-payload enum keeps its case in the pointer's spare bits,
    // which LeakSanitizer then cannot follow from the global (a false leak report).
    static var offered: Trace { Trace(start: 0, binSeconds: 1, series: .offeredLoad(requests: [1, 2])) }
    static var servers: Trace { Trace(start: 0, binSeconds: 1, series: .serverLoads(names: ["a"], loads: [1, 2])) }

    static func setup(
        _ trace: Trace, config: Config = config, _ change: (inout SimulateOptions) -> Void
    ) -> String {
        var options = SimulateOptions(tracePath: "t.csv")
        change(&options)
        switch SimulateCommand.makeSetup(options, config: config, trace: trace) {
        case let .success(setup):
            let policy = setup.policy
            return "poll \(setup.pollSeconds) C \(DecimalText.format(setup.capacity)) D \(setup.startupDelaySeconds) "
                + "min \(policy.minReplicas) max \(policy.maxReplicas) initial \(policy.initialReplicas)"
        case let .failure(error):
            return "error: \(error.message)"
        }
    }

    @Test("options override the config's replica limits and initial count")
    func overrides() {
        #expect(Self.setup(Self.offered) {
            $0.capacity = 2
            $0.startupDelay = .seconds(60)
            $0.initialReplicas = 19
            $0.maxReplicas = 1000
        } == "poll 5 C 2 D 60 min 1 max 1000 initial 19")
        #expect(Self.setup(Self.servers) { _ in } == "poll 5 C 1 D 0 min 1 max 10 initial 3")
    }

    @Test("what cannot be replayed is a usage error")
    func refusals() {
        #expect(Self.setup(Self.offered) { _ in }
            == "error: an offered-load trace needs --capacity (requests/s one replica serves at load 100)")
        #expect(Self.setup(Self.servers) { $0.capacity = 1 }
            == "error: --capacity and --startup-delay apply to offered-load traces only (this trace has per-server loads)")
        #expect(Self.setup(Self.servers) { $0.maxReplicas = 2 }
            == "error: initial_replicas 3 is not within min_replicas 1 and max_replicas 2 (set --initial)")
        #expect(Self.setup(Self.servers) { $0.minReplicas = 5; $0.maxReplicas = 4 }
            == "error: min_replicas 5 is above max_replicas 4")
        var config = Self.config
        config.source.pollInterval = .milliseconds(2500)
        #expect(Self.setup(Self.servers, config: config) { _ in }
            == "error: \(Command.defaultConfigPath): poll_interval 2s 500ms is not a whole number of seconds (the replay steps in seconds)")
        // A reference model does not run the config's policy, nor on its poll_interval.
        #expect(Self.setup(Self.offered, config: config) { $0.capacity = 1; $0.reference = .kpa(target: 0.7) }
            == "poll 2 C 1 D 0 min 1 max 10 initial 3")
    }

    @Test("a poll_interval is the replay's step only in whole seconds of at least 1")
    func pollSeconds() {
        #expect(SimulationSetup.pollSeconds(of: .seconds(5)) == 5)
        #expect(SimulationSetup.pollSeconds(of: .seconds(1)) == 1)
        #expect(SimulationSetup.pollSeconds(of: .seconds(86_400)) == 86_400)
        #expect(SimulationSetup.pollSeconds(of: .milliseconds(500)) == nil)
        #expect(SimulationSetup.pollSeconds(of: .milliseconds(1001)) == nil)
        #expect(SimulationSetup.pollSeconds(of: .zero) == nil)
        #expect(SimulationSetup.notWholeSeconds(.milliseconds(500))
            == "poll_interval 500ms is not a whole number of seconds (the replay steps in seconds)")
    }

    @Test("a capacity that would take the trace's peak past the load cap is a usage error; at the cap it is not")
    func capacityAgainstThePeak() {
        // 2e8 requests in a 10 s bin: a peak of 2e7 requests/s.
        let trace = Trace(start: 0, binSeconds: 10, series: .offeredLoad(requests: [5, 2e8, 0]))
        #expect(Self.setup(trace) { $0.capacity = 1e-6 }
            == "error: option '--capacity': '1e-06' is too small for this trace: its peak of 20000000 requests/s would put "
            + "a load of 2000000000000000 on one replica, above 1e15")
        // Quoted as typed; the figures computed written by DecimalText, at most two decimals.
        #expect(Self.setup(trace) { $0.capacity = 0.0000015; $0.capacityText = "0.0000015" }
            == "error: option '--capacity': '0.0000015' is too small for this trace: its peak of 20000000 requests/s would put "
            + "a load of 1333333333333333.2 on one replica, above 1e15")
        #expect(Self.setup(Trace(start: 0, binSeconds: 3, series: .offeredLoad(requests: [1e10]))) {
            $0.capacity = 0.1e-3; $0.capacityText = "0.1e-3"
        } == "error: option '--capacity': '0.1e-3' is too small for this trace: its peak of 3333333333.33 requests/s would put "
            + "a load of 3333333333333333.5 on one replica, above 1e15")
        #expect(Self.setup(trace) { $0.capacity = 0.1 } == "poll 5 C 0.1 D 0 min 1 max 10 initial 3")
        #expect(Self.setup(Trace(start: 0, binSeconds: 1, series: .offeredLoad(requests: [1e13]))) { $0.capacity = 1 }
            == "poll 5 C 1 D 0 min 1 max 10 initial 3")
    }
}
