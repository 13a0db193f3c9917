import AutoscaledBase
import AutoscaledSystem

/// Owns one evaluation of the daemon — read → source health → decide → record → hand over to
/// actuation → metrics, history and status — and what a reload or a stop changes in it.
///
/// ```
///  read (LoadSource, stale_after) ──▶ ReplicaState.evaluate: health, decide, log, save (one actor hop)
///        ──▶ ActuationCoordinator.submit (returns at once) ──▶ metrics textfile ──▶ history ──▶ STATUS=
/// ```
/// Facts (desired and applied count, policy memory, source health) live in ``ReplicaState``; the
/// controller keeps only what it needs to act: the config, the source, the policy, the coordinator.
/// Time, the source, the actuator, the log, the metrics writer and the service manager are all
/// injected (``Dependencies``), so tests drive it on a manual clock. Used by one task at a time.
public final class Controller {
    /// What the controller is given rather than builds itself.
    public struct Dependencies: Sendable {
        public var clock: any MonotonicClock
        /// Seconds since the epoch, for the state file, `stale_after` and the metrics.
        public var wallTime: @Sendable () -> Double
        public var notifier: any NotifySink
        public var makeSource: @Sendable (SourceConfig) -> any LoadSource
        public var makeActuator: @Sendable (ActuatorConfig) -> (any Actuator)?
        /// Replaces the metrics textfile at a path with a text.
        public var writeMetrics: @Sendable (String, String) throws(FileWriteError) -> Void
        /// Removes the metrics textfile at a path (a reload moved or dropped it).
        public var removeMetrics: @Sendable (String) throws(FileWriteError) -> Bool = MetricsExporter.removeFile
        /// Tells a load file being written from one written whole; `nil` until files are watched.
        public var loadFileWrites: (any LoadFileWrites)?

        public init(
            clock: any MonotonicClock = SystemMonotonicClock(), wallTime: @escaping @Sendable () -> Double = { WallClock.now() },
            notifier: any NotifySink = SystemdNotifier(environment: [:]),
            makeSource: @escaping @Sendable (SourceConfig) -> any LoadSource = { makeLoadSource($0) },
            makeActuator: @escaping @Sendable (ActuatorConfig) -> (any Actuator)? = makeConfiguredActuator,
            writeMetrics: @escaping @Sendable (String, String) throws(FileWriteError) -> Void = MetricsExporter.writeFile
        ) {
            self.clock = clock
            self.wallTime = wallTime
            self.notifier = notifier
            self.makeSource = makeSource
            self.makeActuator = makeActuator
            self.writeMetrics = writeMetrics
        }
    }

    public let configPath: String
    public private(set) var config: Config
    public private(set) var logger: Logger
    public let state: ReplicaState
    public var dependencies: Dependencies
    private var reader: LoadReader
    private var policy: ThresholdPolicy
    private var metrics: MetricsExporter
    private let history: DaemonHistory
    private var coordinator: ActuationCoordinator?
    /// Why the next hold still acts: the desired count was not confirmed applied (set when
    /// actuation starts); a decision that changes the count brings its own reason.
    private var unconfirmed: String?
    private var notifyFailed = false
    /// The last send found the manager's queue full: the next does not wait for room.
    private var notifyQueueFull = false
    /// The highest `max_replicas` since the daemon started: the systemd actuator stops instances up
    /// to it, so one started before a reload lowered `max_replicas` is stopped, across an
    /// `[actuator]` change too (which starts a new coordinator).
    private var highestMaxReplicas: Int

    private init(configPath: String, config: Config, logger: Logger, state: ReplicaState, dependencies: Dependencies) {
        self.configPath = configPath
        self.config = config
        self.logger = logger
        self.state = state
        self.dependencies = dependencies
        reader = makeLoadReader(config.source, source: dependencies.makeSource(config.source))
        policy = ThresholdPolicy(config: config.policy)
        metrics = MetricsExporter(config: config.metrics, write: dependencies.writeMetrics)
        history = DaemonHistory(config: config.history)
        highestMaxReplicas = config.policy.maxReplicas
    }

    /// Resumes from the state file (or `initial_replicas`), logs `start`, saves the count at once (so
    /// a state directory that cannot be written shows up now) and starts actuation.
    /// - Parameters:
    ///   - loaded: what the state file held, when the caller read it already (while taking its lock).
    ///   - keptAside: where a state file of unknown version, or a damaged one, was set aside, for the warning.
    public static func start(
        configPath: String, config: Config, logger: Logger, loaded: StateStore.Loaded? = nil, keptAside: String? = nil,
        dependencies: Dependencies = Dependencies()
    ) async -> Controller {
        let store = StateStore(path: config.state.path)
        var restored = RestoredState.restore(from: loaded ?? store.load(), policy: config.policy, path: store.path)
        if let keptAside, let warning = restored.warning {
            restored.warning = warning + "; the file is kept as \(keptAside)"
        }
        let (now, wallTime) = (dependencies.clock.now(), dependencies.wallTime())
        let state = ReplicaState(
            memory: PolicyMemory(starting: restored, policy: config.policy, now: now, wallTime: wallTime),
            lastDecision: restored.lastDecision,
            lastChange: ReplicaSummary.Change(restoring: restored.lastDecision, now: now, wallTime: wallTime),
            // With no actuator nothing is applied: a count an earlier one confirmed is not told as applied.
            appliedReplicas: config.actuator.kind == .none ? nil : restored.appliedReplicas, store: store,
            failureThreshold: config.source.failureThreshold, logger: logger)
        let controller = Controller(configPath: configPath, config: config, logger: logger, state: state,
                                    dependencies: dependencies)
        logger.log(.info, .start, [
            LogField("config", .string(configPath)), LogField("version", .string(AutoscaledVersion.current)),
            LogField("replicas", .int(restored.replicas)), LogField("state", .string(restored.origin)),
            LogField("source", .string(config.source.location)),
            LogField("poll_interval", .string(DurationText.format(config.source.pollInterval))),
        ])
        for warning in HostWarning.all(for: config, configPath: configPath) { logger.log(warning.record) }
        if let warning = restored.warning {
            logger.log(.warning, .stateInitial, [LogField("cause", .string(warning))])
        }
        if let unusable = dependencies.notifier.unusable {
            logger.log(.warning, .notifyFailed, [LogField("cause", .string(unusable))])
        }
        if let risk = watchdogRisk(config.source, watchdogInterval: dependencies.notifier.watchdogInterval) {
            logger.log(risk)
        }
        await state.save(wallTime: dependencies.wallTime())
        await controller.startActuation()
        return controller
    }

    /// After an evaluation skipped with no change of the file to come (a read that failed just
    /// after a write): how soon to evaluate again. `nil` otherwise.
    public private(set) var readAgainAfter: Duration?

    /// One evaluation. Skipped (returning `nil`, logged at debug) while the load file is being
    /// written or when it changed during the read: the close that ends the write wakes the next one
    /// (or, after a read that failed and may have met a write in place, ``readAgainAfter`` says when).
    /// Past the reader's bound, such a skip is a failed read instead (``LoadReader``).
    /// - Parameter reportStatus: send `STATUS=` to the service manager afterwards.
    @discardableResult
    public func evaluate(reportStatus: Bool = false) async -> EvaluationOutcome? {
        let writes = config.source.watchedFile != nil ? dependencies.loadFileWrites.map { $0.loadFileActivity } : nil
        let now = dependencies.clock.now()
        let wall = dependencies.wallTime()
        let read: Result<LoadReading, LoadError>
        readAgainAfter = nil
        switch await reader.read(wallNow: wall, now: now, writes: writes) {
        case let .skipped(reason, readAgainAfter):
            logger.log(.debug, .skip, [LogField("source", .string(config.source.location)), LogField("reason", .string(reason))])
            self.readAgainAfter = readAgainAfter
            return nil
        case let .done(result): read = result
        }
        let logger = self.logger
        let location = config.source.location
        let dryRun = config.actuator.dryRun
        let evaluation = await state.evaluate(read.map(\.snapshot), from: location, policy: policy, at: now, wallTime: wall) {
            for record in $0.records(source: location, dryRun: dryRun, enabled: logger.isEnabled) { logger.log(record) }
        }
        await handOver(evaluation.decision)
        if let failure = metrics.record(evaluation.input, evaluation.decision, appliedReplicas: evaluation.summary.applied,
                                        actuationFailures: config.actuator.kind == .none ? nil : evaluation.summary.actuationFailures,
                                        logLinesDropped: logger.sink.droppedLines, paused: evaluation.paused,
                                        wallTime: wall) {
            logger.log(failure)
        }
        for line in history.record(evaluation.input, evaluation.decision, applied: evaluation.summary.applied,
                                   pollInterval: config.source.pollInterval, at: now, wallTime: wall) {
            logger.log(line)
        }
        if reportStatus { notify(["STATUS=\(statusText(evaluation.summary))"]) }
        return evaluation
    }

    /// Whether the last reload asked for was applied: a failed one leaves the config older than
    /// its file, which `STATUS=` (`reload=failed`) and the metrics say until a reload succeeds.
    public private(set) var lastReloadSuccessful = true

    /// Notes how a reload asked for ended (applied, or refused: `reload-failed`).
    public func noteReload(succeeded: Bool) {
        lastReloadSuccessful = succeeded
        metrics.lastReloadSuccessful = succeeded
    }

    private func statusText(_ summary: ReplicaSummary) -> String {
        summary.statusText(now: dependencies.clock.now()) + (lastReloadSuccessful ? "" : " reload=failed")
    }

    /// Hands the count the decision leaves to the coordinator, if one acts; returns at once.
    private func handOver(_ decision: ScalingDecision) async {
        guard let coordinator else { return }
        let reason = decision.changesReplicas ? decision.reason.text : unconfirmed ?? decision.reason.text
        unconfirmed = nil
        await coordinator.submit(ActuationRequest(
            replicas: decision.to, previous: decision.from, reason: reason, maxReplicas: highestMaxReplicas))
    }

    /// Starts acting (when `[actuator]` acts at all), from the count last confirmed applied. A desired
    /// count not confirmed (a failed or cut-off actuation before a restart, or a new actuator) is
    /// applied again with the next evaluation, unless that one changes the count anyway.
    private func startActuation() async {
        guard config.actuator.acts, let kind = config.actuator.kind.actuatorKind,
              let actuator = dependencies.makeActuator(config.actuator) else { return }
        var recheckInterval: Duration?
        if case .systemd = config.actuator.kind { recheckInterval = config.actuator.reconcileInterval }
        coordinator = ActuationCoordinator(
            actuator: actuator, settings: .init(kind: kind, recheckInterval: recheckInterval),
            state: state, logger: logger, clock: dependencies.clock, wallTime: dependencies.wallTime)
        let summary = await state.summary
        if summary.applied != summary.desired {
            unconfirmed = "desired count \(summary.desired) not confirmed applied (applied: \(summary.applied.map(String.init) ?? "none"))"
        }
    }

    /// Applies a config that loaded: logging, policy, metrics, source and state take it at once. A
    /// changed `[actuator]` stops the actuation under way and starts over; a new type, command, unit
    /// or path acts on something else, so the confirmed count is forgotten and applied once again.
    public func reload(_ new: Config) async {
        let old = config
        config = new
        highestMaxReplicas = max(highestMaxReplicas, new.policy.maxReplicas)
        let oldLogger = logger
        logger = logger.reconfigured(new.log)
        policy = ThresholdPolicy(config: new.policy)
        await state.reconfigure(policy: new.policy, at: dependencies.clock.now())
        metrics.configure(new.metrics)
        // Told after the reload line, which says why.
        var metricsRecord: LogRecord?
        if let moved = old.metrics.textfile, moved != new.metrics.textfile {
            do {
                // None there (every write failed, and said so): nothing to tell.
                if try dependencies.removeMetrics(moved) { metricsRecord = LogRecord(.info, .metricsRemoved, [LogField("path", .string(moved))]) }
            } catch {
                metricsRecord = LogRecord(.warning, .metricsWriteFailed, [
                    LogField("path", .string(moved)), LogField("cause", .string(errorText(error, after: moved))),
                ])
            }
        }
        if let failure = history.configure(new.history) { logger.log(failure) }
        if new.source != old.source {
            reader = makeLoadReader(new.source, source: dependencies.makeSource(new.source))
        }
        await state.reconfigure(store: StateStore(path: new.state.path), logger: logger,
                                failureThreshold: new.source.failureThreshold,
                                newSource: new.source.kind != old.source.kind || new.source.format != old.source.format,
                                wallTime: dependencies.wallTime())
        await coordinator?.use(logger: logger)
        if new.actuator != old.actuator {
            await stopActuation()
            await state.forgetActuationFailures(wallTime: dependencies.wallTime())
            if new.actuator.kind != old.actuator.kind { await state.recordApplied(nil, wallTime: dependencies.wallTime()) }
            await startActuation()
        }
        let changes = Config.changes(from: old, to: new)
        if new.source != old.source, let risk = Self.watchdogRisk(new.source, watchdogInterval: dependencies.notifier.watchdogInterval) {
            logger.log(risk)
        }
        // A level raised above info would hide the line that says so: the level before tells it.
        (logger.isEnabled(.info) ? logger : oldLogger).log(.info, .reload, [
            LogField("config", .string(configPath)),
            LogField("changes", .string(changes.isEmpty ? "none" : changes.joined(separator: " "))),
        ])
        if let metricsRecord { logger.log(metricsRecord) }
        for warning in HostWarning.all(for: new, configPath: configPath) { logger.log(warning.record) }
    }

    /// Stops the actuation under way (its count is applied again at the next start), saves, logs `stop`.
    public func stop(signal: StopSignal) async {
        await stopActuation()
        let unsaved = await state.save(wallTime: dependencies.wallTime())
        if let failure = history.stop() { logger.log(failure) }
        let replicas = await state.desiredReplicas
        var fields = [LogField("signal", .string(signal.name)), LogField("replicas", .int(replicas))]
        if let unsaved {
            // The last line says it: the state file holds an older count, which a restart resumes from.
            fields.append(LogField("cause", .string("the state file could not be written at stop (\(unsaved.description)): "
                + "a restart resumes from what it last held, once the path can hold a state file again")))
        }
        logger.log(unsaved == nil ? .info : .warning, .stop, fields)
    }

    /// Stops, leaving the state file alone, because another daemon now uses it: the actuation under
    /// way is cancelled, the history closed, and `stop status=1` logged with `cause`.
    public func stop(yieldingStateFile cause: String) async {
        await stopActuation()
        if let failure = history.stop() { logger.log(failure) }
        let replicas = await state.desiredReplicas
        logger.log(.error, .stop, [
            LogField("status", .int(1)), LogField("cause", .string(cause)), LogField("replicas", .int(replicas)),
        ])
    }

    private func stopActuation() async {
        await coordinator?.stop()
        coordinator = nil
    }

    /// Waits until the actuation under way, if any, has ended (for tests and benchmarks).
    public func settle() async {
        await coordinator?.settle()
    }

    /// `assignments` and `STATUS=` with the state as it is now.
    public func notifyStatus(_ assignments: [String]) async {
        notify(assignments + ["STATUS=\(statusText(await state.summary))"])
    }

    /// Sends a notification; a failure is logged once, then only at debug level. Once a send
    /// found the manager's queue full (`EAGAIN`, after waiting for room), the next ones do not
    /// wait until one goes through: a manager that reads nothing costs the loop one wait, not one
    /// per message.
    public func notify(_ assignments: [String]) {
        do throws(SystemError) {
            try dependencies.notifier.send(assignments, waiting: !notifyQueueFull)
            notifyQueueFull = false
        } catch {
            notifyQueueFull = error.wouldBlock
            logger.log(notifyFailed ? .debug : .warning, .notifyFailed, [LogField("cause", .string(error.description))])
            notifyFailed = true
        }
    }
}

extension Controller {
    /// A warning when a read of `source` may outlast what the watchdog allows: the loop sends no
    /// `WATCHDOG=1` while it waits on a read, and pings come every half `interval`, so a read
    /// longer than `interval` less one ping interval can leave systemd without a ping for longer
    /// than `interval`, and it kills a daemon that was only waiting on a slow peer. `nil` for a file
    /// source, without a watchdog, or when the read fits.
    static func watchdogRisk(_ source: SourceConfig, watchdogInterval interval: Duration?) -> LogRecord? {
        guard let interval, let limits = source.kind.limits else { return nil }
        let longestRead = limits.connectTimeout + limits.readTimeout
        let fits = interval - max(interval / 2, SystemdNotifier.minimumPingInterval)
        guard longestRead > fits else { return nil }
        let text = DurationText.format
        return LogRecord(.warning, .watchdogAtRisk, [
            LogField("source", .string(source.location)),
            LogField("longest_read", .string(text(longestRead))),
            LogField("watchdog", .string(text(interval))),
            LogField("cause", .string(
                "a read of the source may take connect_timeout + read_timeout = \(text(longestRead)), no WATCHDOG=1 "
                + "goes out meanwhile, and the service manager stops the daemon after \(text(interval)) without one "
                + "(WatchdogSec=): keep the two timeouts within \(text(fits)), or raise WatchdogSec=")),
        ])
    }
}
