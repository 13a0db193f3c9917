import Dispatch

/// The long-running daemon: one loop that reads the source, decides, records and logs, then hands
/// the count to the actuation (which runs apart from the loop).
///
/// ```
///  timer ─┐
///  inotify ├─▶ DaemonWakeups ─▶ loop: reload? → read → decide → log → record (state file) → hand over
///  signals ┘      (and WATCHDOG=1 for systemd, sent by the loop itself, so a wedged loop stops petting)
/// ```
/// Everything that changes runs on the loop, one step at a time; the Dispatch edge only posts work.
public final class Daemon {
    /// How long a load file modified but not yet closed is left alone (a writer that keeps it open
    /// and idle for longer is read anyway).
    public static let writeSettleTime: Duration = .seconds(1)

    private let configPath: String
    private var config: Config
    private var logger: Logger
    private let clock: any MonotonicClock
    private let wallTime: @Sendable () -> Double
    private let wakeups = DaemonWakeups()
    private let notifier: SystemdNotifier
    private var notifyFailed = false
    /// The last change of the count, for `STATUS=`.
    private var lastChange: (action: ScalingAction, at: MonotonicInstant)?
    private var lastServersToScale: Int?
    private var watchdogTimer: RepeatingTimer?
    private var decisionReplicas = 0
    /// `false` until the first evaluation and during a reload: `STATUS=` waits for `READY=1`.
    private var ready = false
    private let queue = DispatchQueue(label: "autoscaled.events")
    private var policy: ThresholdPolicy
    private var reader: LoadReader
    private var health: SourceHealth
    private var state: ReplicaState!
    /// The lock beside the state file, held while the daemon runs.
    private var stateLock: LockFile?
    private var timer: RepeatingTimer?
    private var monitor: FileChangeMonitor?
    private var signals: SignalWatcher?
    private var metrics: MetricsExporter
    private let actuation: DaemonActuation

    public init(
        configPath: String, config: Config, logger: Logger,
        notifier: SystemdNotifier = SystemdNotifier(environment: [:]),
        clock: any MonotonicClock = SystemMonotonicClock(),
        wallTime: @escaping @Sendable () -> Double = { WallClock.now() }
    ) {
        self.configPath = absolutePath(configPath)
        self.config = config
        self.logger = logger
        self.clock = clock
        self.wallTime = wallTime
        self.notifier = notifier
        self.policy = ThresholdPolicy(config: config.policy)
        self.reader = makeLoadReader(config.source)
        self.health = SourceHealth(failureThreshold: config.source.failureThreshold)
        self.metrics = MetricsExporter(config: config.metrics)
        self.actuation = DaemonActuation(config: config.actuator, logger: logger, clock: clock, wallTime: wallTime)
    }

    /// Runs until SIGTERM or SIGINT; returns the process exit status (0 after a clean stop, 1 when
    /// another daemon holds the state file's lock or a state file of unknown version cannot be set aside).
    public func run() async -> Int32 {
        guard let claim = StateClaim.atStart(config, logger: logger) else { return 1 }
        stateLock = claim.lock
        await start(claim)
        for await _ in wakeups.stream {
            let work = wakeups.take()
            if let signal = work.stop {
                await shutdown(signal: signal)
                return 0
            }
            if work.watchdog { notify(["WATCHDOG=1"]) }
            if work.reload {
                ready = false
                notify(["RELOADING=1", "MONOTONIC_USEC=\(monotonicMicroseconds())"])
                await reload()
                await evaluate()
                ready = true
                notify(["READY=1", "STATUS=\(statusText())"])
            } else if work.loadChanged {
                await evaluate()
            } else if work.poll {
                monitor?.refresh()
                await evaluate()
            }
        }
        return 0
    }

    private func start(_ claim: StateClaim) async {
        // Signals first: a SIGTERM during start-up is then handled, not fatal.
        await installSignalHandlers()
        await restoreState(claim)
        await actuation.start(state: state)
        startWatching()
        await evaluate()
        ready = true
        notify(["READY=1", "MAINPID=\(currentProcessID())", "STATUS=\(statusText())"])
    }

    private func installSignalHandlers() async {
        let wakeups = self.wakeups
        let signals = SignalWatcher(queue: queue) { signal in
            wakeups.post { work in
                switch signal {
                case .hangup: work.reload = true
                case .terminate: work.stop = work.stop ?? "SIGTERM"
                case .interrupt: work.stop = work.stop ?? "SIGINT"
                }
            }
        }
        await signals.start()
        self.signals = signals
    }

    /// Resumes from the state file (or `initial_replicas`), logs `start`, and saves the count at once
    /// so a state directory that cannot be written shows up now.
    private func restoreState(_ claim: StateClaim) async {
        let store = StateStore(path: config.state.path)
        var restored = RestoredState.restore(from: claim.loaded, policy: config.policy, path: store.path)
        if let keptAside = claim.keptAside, let warning = restored.warning {
            restored.warning = warning + "; the file is kept as \(keptAside)"
        }
        state = ReplicaState(
            memory: PolicyMemory(replicas: restored.replicas, observingSince: clock.now()),
            lastDecision: restored.lastDecision, appliedReplicas: restored.appliedReplicas, store: store)
        logger.log(.info, "start", [
            LogField("config", .string(configPath)), LogField("version", .string(AutoscaledVersion.current)),
            LogField("replicas", .int(restored.replicas)), LogField("state", .string(restored.origin)),
            LogField("source", .string(config.source.location)),
            LogField("poll_interval", .string(DurationText.format(config.source.pollInterval))),
        ])
        if let mode = permissionBits(of: configPath), mode & 0o002 != 0 {
            logger.log(.warning, "config-insecure", [
                LogField("config", .string(configPath)), LogField("mode", .string(String(mode, radix: 8))),
                LogField("cause", "the config file is writable by every user, who can then change what the daemon does"),
            ])
        }
        if let warning = restored.warning {
            logger.log(.warning, "state-initial", [LogField("cause", .string(warning))])
        }
        if let error = await state.save(wallTime: wallTime()) { logStateWriteFailure(error) }
    }

    /// Starts the file watches, the poll timer and, under systemd, the watchdog timer.
    private func startWatching() {
        let wakeups = self.wakeups
        do {
            monitor = try FileChangeMonitor(queue: queue, clock: clock) { target in
                wakeups.post { work in
                    switch target {
                    case .loadFile: work.loadChanged = true
                    case .configFile: work.reload = true
                    }
                }
            }
        } catch {
            logger.log(.warning, "watch-failed", [LogField("cause", .string(error.description))])
        }
        watchFiles()
        timer = RepeatingTimer(queue: queue, interval: config.source.pollInterval) {
            wakeups.post { $0.poll = true }
        }
        if let interval = notifier.watchdogPingInterval {
            watchdogTimer = RepeatingTimer(queue: queue, interval: interval) {
                wakeups.post { $0.watchdog = true }
            }
        }
    }

    private func watchFiles() {
        guard let monitor else { return }
        var files: [(target: FileChangeMonitor.Target, path: String)] = [(.configFile, configPath)]
        if let loadFile = config.source.watchedFile { files.append((.loadFile, loadFile)) }
        monitor.watch(files)
    }

    private func evaluate() async {
        let watchesLoadFile = config.source.watchedFile != nil ? monitor : nil
        if watchesLoadFile?.loadFileBeingWritten(settle: Self.writeSettleTime) == true {
            logger.log(.debug, "skip", [LogField("reason", "load file is being written")])
            return
        }
        let modifications = watchesLoadFile?.loadFileModifications(beforeRead: true)
        let now = clock.now()
        let wall = wallTime()
        let result = await reader.read(wallNow: wall)
        if let watchesLoadFile, watchesLoadFile.loadFileModifications(beforeRead: false) != modifications {
            // Written while it was read: the read may hold a consistent-looking prefix. The close
            // that ends the write triggers the next evaluation.
            logger.log(.debug, "skip", [LogField("reason", "load file changed while being read")])
            return
        }
        let input: PolicyInput
        switch result {
        case let .success(reading):
            if case let .cameUp(failures) = health.recordSuccess() {
                logger.log(.notice, "source-up", [
                    LogField("source", .string(config.source.location)), LogField("failures", .int(failures)),
                ])
            }
            input = .loads(reading.snapshot)
        case let .failure(error):
            let wasDown = health.isDown
            let transition = health.recordFailure()
            logger.log(wasDown ? .debug : .warning, "source-error", [
                LogField("source", .string(config.source.location)), LogField("cause", .string(error.description)),
                LogField("failures", .int(health.consecutiveFailures)),
            ])
            if transition == .wentDown {
                logger.log(.error, "source-down", [
                    LogField("source", .string(config.source.location)),
                    LogField("failures", .int(health.consecutiveFailures)), LogField("cause", .string(error.description)),
                ])
            }
            input = health.isDown ? .sourceDown(error.description) : .unavailable(error.description)
        }
        await state.noteSource(input, consecutiveFailures: health.consecutiveFailures, wallTime: wall)
        let decision = policy.decide(input, memory: await state.policyMemory, now: now)
        decisionReplicas = decision.to
        // Logged before it is saved: the state file only ever holds a count that was logged. A crash
        // in between loses nothing that matters: the restarted daemon decides again from the same data.
        logger.log(decisionRecord(decision, dryRun: config.actuator.dryRun))
        if let error = await state.record(decision, at: now, policy: config.policy, wallTime: wall) {
            logStateWriteFailure(error)
        }
        await actuation.decided(decision, policy: config.policy)
        let applied = await state.appliedReplicas
        if let failure = metrics.record(input, decision, appliedReplicas: applied, wallTime: wall) { logger.log(failure) }
        if decision.changesReplicas { lastChange = (decision.action, now) }
        lastServersToScale = decision.serversToScale
        if ready { notify(["STATUS=\(statusText())"]) }
    }

    /// `replicas=4 servers_to_scale=1 last=scale-up 12s ago`, for `systemctl status`.
    private func statusText() -> String {
        var text = "replicas=\(decisionReplicas) servers_to_scale=\(lastServersToScale.map(String.init) ?? "unknown")"
        if let lastChange {
            let age = (clock.now() - lastChange.at).components.seconds
            text += " last=\(lastChange.action.rawValue) \(age == 0 ? "0s" : DurationText.format(.seconds(age))) ago"
        } else {
            text += " last=none"
        }
        if health.isDown { text += " source=down" }
        return text
    }

    /// Sends a notification; a failure is logged once, then only at debug level.
    private func notify(_ assignments: [String]) {
        do throws(SystemError) {
            try notifier.send(assignments)
        } catch {
            logger.log(notifyFailed ? .debug : .warning, "notify-failed", [LogField("cause", .string(error.description))])
            notifyFailed = true
        }
    }

    private func reload() async {
        switch ConfigLoader.load(path: configPath) {
        case let .failure(errors):
            logger.log(.error, "reload-failed", [
                LogField("config", .string(configPath)), LogField("errors", .int(errors.errors.count)),
                LogField("cause", .string(errors.errors.map(\.description).joined(separator: "; "))),
            ])
        case let .success(new):
            var claim: StateClaim?
            if new.state.path != config.state.path {
                // The new state file must be ours alone, and safe to write, before anything changes.
                guard let claimed = StateClaim.atReload(new.state.path, configPath: configPath, logger: logger) else { return }
                claim = claimed
            }
            let changes = Config.changes(from: config, to: new)
            let old = config
            config = new
            logger = logger.reconfigured(new.log)
            policy = ThresholdPolicy(config: new.policy)
            metrics.configure(new.metrics)
            if new.source != old.source {
                reader = makeLoadReader(new.source)
                health = SourceHealth(failureThreshold: new.source.failureThreshold)
            }
            if new.source.pollInterval != old.source.pollInterval { timer?.schedule(interval: new.source.pollInterval) }
            if new.source.watchedFile != old.source.watchedFile { watchFiles() }
            if new.state != old.state {
                await state.use(StateStore(path: new.state.path))
            }
            if let claim {
                stateLock?.release()
                stateLock = claim.lock
            }
            await actuation.reconfigure(new.actuator, logger: logger)
            logger.log(.info, "reload", [
                LogField("config", .string(configPath)),
                LogField("changes", .string(changes.isEmpty ? "none" : changes.joined(separator: " "))),
            ])
        }
    }

    private func shutdown(signal: String) async {
        notify(["STOPPING=1"])
        timer?.cancel()
        watchdogTimer?.cancel()
        monitor?.cancel()
        signals?.stop()
        await actuation.stop()
        let replicas = await state.desiredReplicas
        if let error = await state.save(wallTime: wallTime()) { logStateWriteFailure(error) }
        logger.log(.info, "stop", [LogField("signal", .string(signal)), LogField("replicas", .int(replicas))])
        stateLock?.release()
        wakeups.finish()
    }

    private func logStateWriteFailure(_ error: FileWriteError) {
        logger.log(.stateWriteFailed(path: config.state.path, error))
    }
}
