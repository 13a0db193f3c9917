/// Replays a trace through the daemon's own policy (``ThresholdPolicy/decide(_:memory:now:)``
/// and ``PolicyMemory/recording(_:at:policy:)``) on a virtual monotonic clock, as fast as the
/// machine goes. Deterministic: the same trace and setup give the same figures.
///
/// See ``OfferedLoadReplay`` and ``ServerLoadReplay`` for the two models.
public enum Simulation {
    /// Replays `trace` with `setup`, telling `observer` every second and every decision.
    public static func replay<Observer: SimulationObserver>(
        _ trace: Trace, setup: SimulationSetup, observer: inout Observer
    ) -> SimulationSummary {
        switch trace.series {
        case let .offeredLoad(requests):
            let replay = OfferedLoadReplay(trace, requests: requests, setup: setup)
            switch setup.scaler {
            case .policy:
                var scaler = ThresholdScaler(setup: setup)
                return replay.run(&scaler, initial: setup.policy.initialReplicas, &observer)
            case let .reference(.hpa(target)):
                var scaler = HPAModel(target: target, initial: setup.policy.initialReplicas, minReplicas: setup.policy.minReplicas, maxReplicas: setup.policy.maxReplicas)
                return replay.run(&scaler, initial: setup.policy.initialReplicas, &observer)
            case let .reference(.kpa(target)):
                var scaler = KPAModel(target: target, capacity: setup.capacity, initial: setup.policy.initialReplicas,
                                      minReplicas: setup.policy.minReplicas, maxReplicas: setup.policy.maxReplicas)
                return replay.run(&scaler, initial: setup.policy.initialReplicas, &observer)
            }
        case let .serverLoads(names, loads):
            return ServerLoadReplay(trace: trace, names: names, loads: loads, setup: setup).run(&observer)
        }
    }

    /// Replays `trace` with `setup` for its figures only.
    public static func replay(_ trace: Trace, setup: SimulationSetup) -> SimulationSummary {
        var observer = SummaryOnly()
        return replay(trace, setup: setup, observer: &observer)
    }
}
