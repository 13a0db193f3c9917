import AutoscaledBase
import AutoscaledSystem
import Dispatch

/// The long-running daemon: the wiring around a ``Controller`` — timers, file watches, signals,
/// reloads and systemd notifications. Every evaluation is the controller's.
///
/// ```
///  timer ─┐
///  inotify ├─▶ DaemonWakeups ─▶ loop: stop? reload? evaluate? ─▶ Controller
///  signals ┘      (and WATCHDOG=1 for systemd, sent by the loop itself, so a wedged loop stops petting)
/// ```
/// Everything that changes runs on the loop, one step at a time; the Dispatch edge only posts work.
public final class Daemon {
    private let configPath: String
    private let initialConfig: Config
    private let logger: Logger
    private let dependencies: Controller.Dependencies
    private let watchdogPingInterval: Duration?
    private let wakeups = DaemonWakeups()
    /// Turned by SIGTERM or SIGINT, and for the read under way by a reload (SIGHUP, a change of the
    /// config file): a socket source's read ends then, not at its timeout.
    private let interruption = Interruption()
    private let queue = DispatchQueue(label: "autoscaled.events")
    private var timer: RepeatingTimer?
    private var watchdogTimer: RepeatingTimer?
    private var monitor: FileChangeMonitor?
    private var reloadGate = ReloadGate()
    private var signals: SignalWatcher?
    /// The end of the pause a wake-up is scheduled for (seconds since the epoch).
    private var pauseEndScheduled: Double?
    /// The lock beside the state file, held while the daemon runs.
    private var stateLock: LockFile?
    /// Whether taking the lock again has failed since it was last in place (logged once).
    private var stateLockRetakeFailed = false
    /// Whether the config file was found gone at a poll since it was last there or read (warned once).
    private var configMissing = false
    /// When a poll first found the config file gone, while it stays gone and is not yet warned of.
    private var configMissingSince: MonotonicInstant?
    /// How long the config file must stay gone before a poll warns of it: an editor's save that
    /// renames the file away and writes a new one takes a moment, and is no removal.
    static let configRemovedGrace: Duration = .seconds(1)
    /// The file at the config's path when it was last read (at start or a reload): another file
    /// there at a poll (or this one changed) was put in place where the watch could not see it,
    /// and is reloaded.
    private var configRead: FileVersion?
    /// Whether a config that failed to load is to be read again before the failure is told.
    private var configRewriteRace = RewriteRace()
    /// A reload is waiting for that read again: `RELOADING=1` was sent, `READY=1` is not yet.
    private var configReadAgainPending = false

    /// - Parameter configVersion: the file at `configPath` as it stood before `config` was read
    ///   from it (``configVersion(at:)``): another one put in place meanwhile is reloaded at the
    ///   first poll. `nil` takes it when the daemon starts.
    public init(
        configPath: String, config: Config, logger: Logger, configVersion: FileVersion? = nil,
        notifier: SystemdNotifier = SystemdNotifier(environment: [:]),
        clock: any MonotonicClock = SystemMonotonicClock(),
        wallTime: @escaping @Sendable () -> Double = { WallClock.now() }
    ) {
        self.configPath = absolutePath(configPath)
        self.initialConfig = config
        self.logger = logger
        self.configRead = configVersion
        self.watchdogPingInterval = notifier.watchdogPingInterval
        let interruption = self.interruption
        self.dependencies = Controller.Dependencies(
            clock: clock, wallTime: wallTime, notifier: notifier,
            makeSource: { makeLoadSource($0, interruption: interruption) })
    }

    /// Runs until SIGTERM or SIGINT; returns the process exit status (0 after a clean stop, 1 when
    /// another daemon holds the state file's lock, or takes it after its lock file was removed, the
    /// lock file cannot be created, or a state file of unknown version cannot be set aside).
    public func run() async -> Int32 {
        guard let claim = StateClaim.atStart(initialConfig, configPath: configPath, logger: logger) else { return 1 }
        stateLock = claim.lock
        if configRead == nil { configRead = Self.configVersion(at: configPath) }
        // Signals first: a SIGTERM during start-up is then handled, not fatal.
        await installSignalHandlers()
        let controller = await Controller.start(
            configPath: configPath, config: initialConfig, logger: logger, loaded: claim.loaded,
            keptAside: claim.keptAside, dependencies: dependencies)
        startWatching(controller)
        await evaluate(controller)
        await controller.notifyStatus(["READY=1", "MAINPID=\(currentProcessID())"])
        for await _ in wakeups.stream {
            var work = wakeups.take()
            if let cause = keepStateLock(controller) {
                await shutdown(controller) { await controller.stop(yieldingStateFile: cause) }
                return 1
            }
            await keepStateFile(controller)
            if work.poll && reloadGate.isPending { work.reload = true }
            if work.poll {
                monitor?.refresh()
                if configReplacedUnseen(controller) { work.reload = true }
            }
            if work.reload, let monitor {
                let admitted = reloadGate.admit(
                    monitor.activity(of: .configFile, beforeRead: true), now: dependencies.clock.now(),
                    pollInterval: controller.config.source.pollInterval, path: configPath)
                if let record = admitted.record {
                    controller.logger.log(record)
                    if record.event == .reloadFailed { controller.noteReload(succeeded: false) }
                }
                work.reload = admitted.reload
            }
            for signal in work.ignored {
                controller.logger.log(LogRecord(.warning, .signalIgnored, [LogField("signal", .string(signal.name))]))
            }
            if let signal = work.stop {
                await shutdown(controller) { await controller.stop(signal: signal) }
                return 0
            }
            if work.watchdog { controller.notify(["WATCHDOG=1"]) }
            if work.reload {
                // A reload read again shortly (``reload(_:)``) is one reload: told begun once, and
                // ready once it has been applied or has failed.
                if !configReadAgainPending { controller.notify(["RELOADING=1", "MONOTONIC_USEC=\(monotonicMicroseconds())"]) }
                configReadAgainPending = await !reload(controller)
                if !configReadAgainPending {
                    await evaluate(controller)
                    await controller.notifyStatus(["READY=1"])
                }
            } else if work.loadChanged || work.pauseChanged {
                await evaluate(controller, reportStatus: true)
            } else if work.poll {
                await evaluate(controller, reportStatus: true)
            }
        }
        return 0
    }

    private func installSignalHandlers() async {
        let (wakeups, interruption) = (self.wakeups, self.interruption)
        let signals = SignalWatcher(queue: queue) { signal in
            if signal == .terminate || signal == .interrupt { interruption.interrupt() }
            if signal == .hangup { interruption.cutForReload() }
            wakeups.post { work in
                switch signal {
                case .hangup: work.reload = true
                case .terminate: work.stop = work.stop ?? .terminate
                case .interrupt: work.stop = work.stop ?? .interrupt
                case .user1, .user2: if !work.ignored.contains(signal) { work.ignored.append(signal) }
                }
            }
        }
        await signals.start()
        self.signals = signals
    }

    /// Starts the file watches, the poll timer and, under systemd, the watchdog timer.
    private func startWatching(_ controller: Controller) {
        let (wakeups, interruption) = (self.wakeups, self.interruption)
        do {
            let monitor = try FileChangeMonitor(queue: queue, clock: controller.dependencies.clock) { target in
                if target == .configFile { interruption.cutForReload() }
                wakeups.post { work in
                    switch target {
                    case .loadFile: work.loadChanged = true
                    case .configFile: work.reload = true
                    case .pauseFile: work.pauseChanged = true
                    }
                }
            }
            self.monitor = monitor
            controller.dependencies.loadFileWrites = monitor
        } catch {
            controller.logger.log(.warning, .watchFailed, [LogField("cause", .string(error.description))])
        }
        watchFiles(controller.config)
        timer = RepeatingTimer(queue: queue, interval: controller.config.source.pollInterval) {
            wakeups.post { $0.poll = true }
        }
        if let watchdogPingInterval {
            watchdogTimer = RepeatingTimer(queue: queue, interval: watchdogPingInterval) {
                wakeups.post { $0.watchdog = true }
            }
        }
    }

    private func watchFiles(_ config: Config) {
        guard let monitor else { return }
        var files: [(target: FileChangeMonitor.Target, path: String)] = [
            (.configFile, configPath), (.pauseFile, PauseFile.path(forState: config.state.path)),
        ]
        if let loadFile = config.source.watchedFile { files.append((.loadFile, loadFile)) }
        monitor.watch(files)
    }

    /// One evaluation; then, when a pause with an end is in force, a wake-up at that end, so the
    /// pause ends then (`event=resume cause=expired`) and not at the next poll.
    private func evaluate(_ controller: Controller, reportStatus: Bool = false) async {
        await controller.evaluate(reportStatus: reportStatus)
        if let delay = controller.readAgainAfter {
            let wakeups = self.wakeups
            queue.asyncAfter(deadline: .now() + .milliseconds(Int(delay.wholeMilliseconds))) {
                wakeups.post { $0.loadChanged = true }
            }
        }
        guard let endsAt = await controller.state.summary.pauseEndsAt, endsAt != pauseEndScheduled else { return }
        pauseEndScheduled = endsAt
        // At most the longest wait a key takes (a year), so the milliseconds always fit: a pause
        // that ends later ends at the poll after its end. Not a number: at once.
        let seconds = KeyType.maxDuration.components.seconds
        let delay = min(max(0, endsAt - controller.dependencies.wallTime()), Double(seconds))
        let wakeups = self.wakeups
        // A wake-up that comes for a pause since replaced or ended costs one evaluation, nothing more.
        queue.asyncAfter(deadline: .now() + .milliseconds(Int((delay.isNaN ? 0 : delay) * 1000) + 1)) {
            wakeups.post { $0.pauseChanged = true }
        }
    }

    /// The file at `path` now, taken before it is read (`nil` when it cannot be looked at): a
    /// file put in place, or written, while it is read is then another version at the next poll,
    /// and is read again.
    public static func configVersion(at path: String) -> FileVersion? {
        try? FileVersion(path: absolutePath(path))
    }

    /// Reloads the config; `false` when it is to be read again shortly, neither applied nor failed.
    private func reload(_ controller: Controller) async -> Bool {
        configRead = Self.configVersion(at: configPath)
        let (loaded, read) = ConfigLoader.loadReading(path: configPath)
        switch loaded {
        case let .failure(errors):
            // A config rewritten in place (`cp`, `>`) can be read between its truncation and its
            // write: a failure is told once a second read finds the same (``RewriteRace``).
            let bound = WriteGate.bound(pollInterval: controller.config.source.pollInterval)
            if configRewriteRace.failed(read: read, now: dependencies.clock.now(), bound: bound) == .readAgain {
                controller.logger.log(LogRecord(.debug, .reloadDeferred, [
                    LogField("config", .string(configPath)),
                    LogField("reason", .string("the config failed to load (a write in place may have begun): read again in "
                        + DurationText.format(RewriteRace.readAgainDelay))),
                ]))
                let wakeups = self.wakeups
                queue.asyncAfter(deadline: .now() + .milliseconds(Int(RewriteRace.readAgainDelay.wholeMilliseconds))) {
                    wakeups.post { $0.reload = true }
                }
                return false
            }
            // The running config stays.
            controller.logger.log(.reloadFailed(config: configPath, causes: errors.errors.map(\.description), count: errors.count))
            controller.noteReload(succeeded: false)
            return true
        case let .success(new):
            configRewriteRace.succeeded()
            configMissing = false
            let old = controller.config
            var claim: StateClaim?
            if new.state.path != old.state.path {
                // The new state file must be ours alone, and safe to write, before anything changes.
                guard let claimed = StateClaim.atReload(new.state, configPath: configPath, logger: controller.logger) else {
                    controller.noteReload(succeeded: false)
                    return true
                }
                claim = claimed
            }
            await controller.reload(new)
            controller.noteReload(succeeded: true)
            if let claim {
                stateLock?.release()
                stateLock = claim.lock
            }
            if new.source.pollInterval != old.source.pollInterval { timer?.schedule(interval: new.source.pollInterval) }
            if new.source.watchedFile != old.source.watchedFile || new.state.path != old.state.path { watchFiles(new) }
            return true
        }
    }

    /// Keeps the state file's lock held at its path, on every wake-up (an `fstat` and a `stat`):
    /// a lock file removed, moved or replaced is locked again at its path.
    /// - Returns: why the daemon must stop, when another daemon took the lock meanwhile.
    private func keepStateLock(_ controller: Controller) -> String? {
        guard let lock = stateLock else { return nil }
        switch StateClaim.recheck(lock, statePath: controller.config.state.path) {
        case .inPlace:
            stateLockRetakeFailed = false
        case let .retaken(taken, record):
            controller.logger.log(record)
            lock.release()
            stateLock = taken
            stateLockRetakeFailed = false
        case let .failed(record):
            controller.logger.log(stateLockRetakeFailed ? record.repeated : record)
            stateLockRetakeFailed = true
        case let .takenByAnother(record, cause):
            controller.logger.log(record)
            return "[state] path \(controller.config.state.path): \(cause); stopped without writing it"
        }
        return nil
    }

    /// The state file, removed while the daemon runs (alone, or with its directory), is written
    /// again at the next wake-up, not at the next change or the once-a-minute refresh: until then
    /// `status` and `pause` would say no daemon runs with this config, and a crash would restart
    /// from `initial_replicas`. One `stat` per wake-up.
    private func keepStateFile(_ controller: Controller) async {
        do throws(SystemError) {
            _ = try FileVersion(path: controller.config.state.path)
        } catch {
            guard error.isNoSuchPath else { return }
            await controller.state.save(wallTime: dependencies.wallTime())
        }
    }

    /// At a poll, whether another file stands at the config's path than the one last read: one the
    /// file watch did not tell (its directory, or a directory link above it, was swapped or made
    /// again) is reloaded. A config removed and not replaced is a warning, once, so it is known now
    /// and not at the next start (which it would fail). Looked at on the poll, not on the removal,
    /// and told only once the file has been gone for ``configRemovedGrace`` (at a later poll): an
    /// editor that renames the file away and writes it anew is done by then.
    private func configReplacedUnseen(_ controller: Controller) -> Bool {
        do throws(SystemError) {
            let version = try FileVersion(path: configPath)
            configMissing = false
            configMissingSince = nil
            return configRead != nil && version != configRead
        } catch {
            guard error.isNoSuchPath, !configMissing else { return false }
            let now = dependencies.clock.now()
            guard let since = configMissingSince, now - since >= Self.configRemovedGrace else {
                configMissingSince = configMissingSince ?? now
                return false
            }
            configMissing = true
            controller.logger.log(.warning, .configRemoved, [
                LogField("config", .string(configPath)),
                LogField("cause", .string("\(error.description(omitting: configPath)); the running config stays, "
                    + "and a start or a reload would fail until the file is back")),
            ])
            return false
        }
    }

    /// Stops watching and signalling, then `stopping` stops the controller.
    private func shutdown(_ controller: Controller, stopping: () async -> Void) async {
        controller.notify(["STOPPING=1"])
        timer?.cancel()
        watchdogTimer?.cancel()
        monitor?.cancel()
        signals?.stop()
        await stopping()
        stateLock?.release()
        wakeups.finish()
    }
}
