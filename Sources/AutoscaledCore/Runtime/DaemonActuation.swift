/// The daemon's side of acting on decisions: it owns the ``ActuationCoordinator`` (when
/// `[actuator]` acts at all) and hands it each evaluation's count. Used from the loop only.
///
/// Every call returns as soon as the count is handed over; actuation itself runs apart from the
/// loop. With `type = none` or `dry_run = true` there is no coordinator and nothing is run.
final class DaemonActuation {
    private var config: ActuatorConfig
    private var logger: Logger
    private let clock: any MonotonicClock
    private let wallTime: @Sendable () -> Double
    private var state: ReplicaState?
    private var coordinator: ActuationCoordinator?
    /// Why the next hold still acts: the desired count was not confirmed applied (set at start and
    /// when `[actuator]` changed); a decision that changes the count brings its own reason.
    private var unconfirmed: String?

    init(config: ActuatorConfig, logger: Logger, clock: any MonotonicClock, wallTime: @escaping @Sendable () -> Double) {
        self.config = config
        self.logger = logger
        self.clock = clock
        self.wallTime = wallTime
    }

    /// Starts acting, from the count last confirmed applied. A desired count that was not
    /// confirmed (a failed or cut-off actuation before a restart) is applied again with the first
    /// evaluation (unless that one changes the count anyway).
    func start(state: ReplicaState) async {
        self.state = state
        await startCoordinator(applied: await state.appliedReplicas)
    }

    /// Hands over the count `decision` leaves; returns at once.
    func decided(_ decision: ScalingDecision, policy: PolicyConfig) async {
        guard let coordinator else { return }
        let reason = decision.changesReplicas ? decision.reason : unconfirmed ?? decision.reason
        unconfirmed = nil
        await coordinator.submit(ActuationTarget(
            replicas: decision.to, from: decision.from, reason: reason, maxReplicas: policy.maxReplicas))
    }

    /// Applies a reloaded config. A changed `[actuator]` stops the actuation under way and starts
    /// over with the new settings. A new type, command, unit or path acts on something else: the
    /// confirmed count is forgotten and the desired count applied once with the new actuator.
    func reconfigure(_ new: ActuatorConfig, logger: Logger) async {
        self.logger = logger
        await coordinator?.use(logger: logger)
        guard new != config, let state else { return }
        let target = new.kind != config.kind
        config = new
        await coordinator?.stop()
        coordinator = nil
        if target, let error = await state.recordApplied(nil, wallTime: wallTime()) {
            logger.log(.stateWriteFailed(path: await state.path, error))
        }
        await startCoordinator(applied: await state.appliedReplicas)
    }

    /// Stops the actuation under way, if any; its count is applied again at the next start.
    func stop() async {
        await coordinator?.stop()
        coordinator = nil
    }

    private func startCoordinator(applied: Int?) async {
        guard config.acts, let state, let actuator = makeActuator(config) else { return }
        var recheckInterval: Duration?
        if case .systemd = config.kind { recheckInterval = config.reconcileInterval }
        let settings = ActuationCoordinator.Settings(kind: config.kind.name, recheckInterval: recheckInterval)
        let coordinator = ActuationCoordinator(
            actuator: actuator, settings: settings, state: state, applied: applied, logger: logger,
            clock: clock, wallTime: wallTime)
        self.coordinator = coordinator
        let desired = await state.desiredReplicas
        if applied != desired {
            unconfirmed = "desired count \(desired) not confirmed applied (applied: \(applied.map(String.init) ?? "none"))"
        }
    }
}
