import AutoscaledBase

#if canImport(AutoscaledCore)
import AutoscaledCore
#endif

/// A random accepted config replayed by the simulator over a random trace (offered load or
/// per-server loads, every value within what the trace parser accepts) with a random model, each
/// decision held to ``DecisionChecks`` and the summary to the trace's span. Nothing may trap.
public enum ReplayScenario {
    public static func run(_ dice: inout some ScenarioDice) -> PolicyScenario.Outcome {
        var outcome = PolicyScenario.Outcome()
        let text = PolicyScenario.configText(&dice)
        guard var config = PolicyScenario.acceptedPolicy(text, into: &outcome) else { return outcome }
        // An offered-load replay makes one server per serving replica: fleets of at most 300 keep
        // a replay fast (clamping each count keeps min <= initial, fallback <= max).
        config.minReplicas = min(config.minReplicas, 300)
        config.maxReplicas = min(config.maxReplicas, 300)
        config.initialReplicas = min(config.initialReplicas, 300)
        config.fallbackReplicas = config.fallbackReplicas.map { min($0, 300) }
        let trace = Self.trace(&dice)
        let setup = SimulationSetup(
            policy: config, pollSeconds: dice.pick([1, 3, 10, dice.within(1...120)]),
            capacity: dice.pick([Double.leastNonzeroMagnitude, 0.5, 1, LoadSnapshot.maxLoad, 1 + dice.fraction() * 10]),
            startupDelaySeconds: dice.pick([0, 1, 60, dice.within(0...600)]))
        var observer = CheckingObserver(config: config)
        let summary = Simulation.replay(trace, setup: setup, observer: &observer)
        outcome.decisions = observer.decisions
        outcome.violations = observer.violations
        if !(config.minReplicas...config.maxReplicas).contains(summary.finalReplicas) {
            outcome.violations.append("final replicas \(summary.finalReplicas) outside [min, max]")
        }
        if summary.seconds != trace.spanSeconds || summary.evaluations != observer.decisions {
            outcome.violations.append("summary of \(summary.seconds) s and \(summary.evaluations) evaluations "
                + "for a span of \(trace.spanSeconds) s and \(observer.decisions) decisions")
        }
        if !outcome.violations.isEmpty { outcome.violations.append("config:\n\(text)") }
        return outcome
    }

    /// 2…40 bins of 1…30 s: an offered-load trace or up to 6 servers, some absent at times.
    private static func trace(_ dice: inout some ScenarioDice) -> Trace {
        let bins = dice.within(2...40)
        let width = dice.pick([1, 5, dice.within(1...30)])
        if dice.chance(50) {
            let requests = (0..<bins).map { _ in dice.load() }
            return Trace(start: dice.pick([0, TraceParser.maxTimestamp]), binSeconds: width,
                         series: .offeredLoad(requests: requests))
        }
        let names = (0..<dice.within(1...6)).map { "s\($0)" }
        let loads: [Double?] = (0..<(bins * names.count)).map { _ in dice.chance(15) ? nil : dice.load() }
        return Trace(start: 0, binSeconds: width, series: .serverLoads(names: names, loads: loads))
    }
}

/// Checks each decision of a replay as it is made.
private struct CheckingObserver: SimulationObserver {
    let config: PolicyConfig
    var decisions = 0
    var violations: [String] = []

    init(config: PolicyConfig) {
        self.config = config
    }

    mutating func second(_ time: Int, load: Double, desired: Int, serving: Int, overCapacity: Double) {}

    mutating func decision(_ decision: ScalingDecision, at time: Int) {
        decisions += 1
        let broken = DecisionChecks.violations(decision, config: config)
        if !broken.isEmpty {
            violations.append("t=\(time) from \(decision.from): " + broken.joined(separator: "; ") + " (\(decision.reason))")
        }
    }
}
