import AutoscaledSystem

/// What the daemon does with its files before it uses a state file: takes the lock beside it,
/// reads it, and sets aside a file of unknown version so that it is never overwritten; at start it
/// also removes temporary files a killed writer left behind.
struct StateClaim {
    var lock: LockFile
    var loaded: StateStore.Loaded
    /// Where a state file of unknown version, or a damaged one, now is.
    var keptAside: String?
    /// The warning to log when the lock was taken but our pid could not be written into it.
    var pidNotWritten: LogRecord?

    /// Why a state file cannot be used: the record to log, and its cause in one phrase.
    struct Refusal: Error {
        var record: LogRecord
        var cause: String
    }

    /// Claims `store`'s file for this process. A refused claim holds no lock.
    /// - Parameter keepingDamaged: set a damaged state file aside too (at start: a reload sets aside
    ///   whatever it finds, as `before-reload`).
    static func claim(_ store: StateStore, keepingDamaged: Bool = false) throws(Refusal) -> StateClaim {
        let lock: LockFile
        do {
            lock = try LockFile.acquire(store.lockPath)
        } catch {
            throw lockRefusal(error, statePath: store.path, lockPath: store.lockPath)
        }
        let loaded = store.load()
        if case let .unreadable(cause) = loaded {
            lock.release()
            let why = "the state file is there but cannot be read (\(cause)): it may hold the count to resume from, so "
                + "it is neither written over nor replaced by initial_replicas; make it readable, or move it away"
            throw Refusal(record: LogRecord(.error, .stateReadFailed, [LogField("path", .string(store.path)), LogField("cause", .string(why))]),
                          cause: why)
        }
        var claim = StateClaim(lock: lock, loaded: loaded)
        claim.pidNotWritten = lock.pidWriteFailure.map { error in
            LogRecord(.warning, .stateWriteFailed, [
                LogField("path", .string(store.path)), LogField("lock", .string(store.lockPath)),
                LogField("cause", .string("\(error.description(omitting: store.lockPath)): the lock is held, but without this "
                    + "process's pid in it another autoscaled refused by it cannot say whose it is")),
            ])
        }
        // A file that is not resumed is kept, never written over: one of unknown version, for the
        // release that knows it; a damaged one, for whoever looks into what damaged it.
        let kept: (suffix: String, what: String)? = switch loaded {
        case let .unknownVersion(version): (StateStore.unknownVersionSuffix(version), "the state file of unknown version \(version)")
        case .corrupt where keepingDamaged: ("corrupt", "the state file that cannot be used")
        case .corrupt, .found, .missing, .unreadable: nil
        }
        if let kept {
            do {
                claim.keptAside = try store.setAside(as: kept.suffix)
            } catch {
                // Using the path would overwrite the file it could not keep.
                lock.release()
                throw Refusal(record: .stateWriteFailed(path: store.path, error), cause: "cannot set aside \(kept.what): \(error)")
            }
        }
        return claim
    }

    /// Removes leftovers, then claims the configured state file.
    /// - Returns: `nil`, after logging why at error level and a last `stop` line saying the daemon
    ///   did not start, when it must not start.
    static func atStart(_ config: Config, configPath: String, logger: Logger) -> StateClaim? {
        removeLeftovers(config, logger: logger)
        do {
            let claimed = try claim(StateStore(path: config.state.path), keepingDamaged: true)
            if let record = claimed.pidNotWritten { logger.log(record) }
            return claimed
        } catch {
            logger.log(error.record)
            logger.log(.error, .stop, [
                LogField("status", .int(1)), LogField("cause", .string("not started: " + config.state.fault(error.cause, configPath: configPath))),
            ])
            return nil
        }
    }

    /// Claims the state file a reload names; a file of unknown version set aside is logged. The
    /// running state is written there from now on: a state file already there (another run's, or
    /// a damaged one) is set aside first, as `<path>.before-reload`, and logged, never overwritten
    /// in silence; one that cannot be read fails the reload (``claim(_:keepingDamaged:)``).
    /// - Returns: `nil`, after logging `reload-failed` with the cause, when the reload must not apply.
    static func atReload(_ state: StateConfig, configPath: String, logger: Logger) -> StateClaim? {
        let path = state.path
        var claim: StateClaim
        do {
            claim = try self.claim(StateStore(path: path))
            if let record = claim.pidNotWritten { logger.log(record) }
        } catch {
            logger.log(error.record)
            logger.log(.reloadFailed(config: configPath, causes: [state.fault(error.cause, configPath: configPath)]))
            return nil
        }
        let why: String
        switch claim.loaded {
        case .missing:
            return claim
        case let .unknownVersion(version):
            why = "version \(version) is unknown to this autoscaled; not resumed"
        case let .found(file):
            why = "a state file was there (desired_replicas \(file.desiredReplicas), written \(file.updatedAt)); "
                + "the running state is written in its place, not resumed from it"
        case let .corrupt(cause), let .unreadable(cause):
            // (`claim` refuses one that cannot be read: only a damaged one comes here.)
            why = "a state file that cannot be used was there (\(cause)); the running state is written in its place"
        }
        if claim.keptAside == nil {
            do {
                claim.keptAside = try StateStore(path: path).setAside(as: "before-reload")
            } catch {
                claim.lock.release()
                logger.log(.stateWriteFailed(path: path, error))
                logger.log(.reloadFailed(config: configPath, causes: [
                    state.fault("cannot set aside the state file there: \(error)", configPath: configPath),
                ]))
                return nil
            }
        }
        logger.log(.warning, .stateKeptAside, [
            LogField("path", .string(path)), LogField("kept", .string(claim.keptAside ?? path)), LogField("cause", .string(why)),
        ])
        return claim
    }

    /// What became of a held lock, looked at again while the daemon runs.
    enum LockRecheck {
        /// Its file is still at its path.
        case inPlace
        /// Its file was removed, moved or replaced, and the lock was taken again at the path:
        /// `state-lock-restored`. The old lock is the caller's to release.
        case retaken(LockFile, LogRecord)
        /// Another process took the lock at the path meanwhile (`state-locked`): it now uses the
        /// state file, and this daemon must stop without writing it.
        case takenByAnother(LogRecord, cause: String)
        /// The lock could not be taken again (`state-write-failed`); the next look tries again.
        case failed(LogRecord)
    }

    /// Looks whether `lock`'s file still stands at its path, and takes the lock again when it does
    /// not: a second daemon started after the lock file was removed would otherwise share the state
    /// file with this one. A path that cannot be looked at counts as in place.
    static func recheck(_ lock: LockFile, statePath: String) -> LockRecheck {
        guard let what = (try? lock.placement())?.lockFileChange else { return .inPlace }
        do {
            let taken = try LockFile.acquire(lock.path)
            return .retaken(taken, LogRecord(.warning, .stateLockRestored, [
                LogField("path", .string(statePath)), LogField("lock", .string(lock.path)),
                LogField("cause", .string("\(what) while the daemon ran; the lock is taken again")),
            ]))
        } catch {
            let refusal = lockRefusal(error, statePath: statePath, lockPath: lock.path, after: "\(what) while the daemon ran")
            guard case .held = error else { return .failed(refusal.record) }
            return .takenByAnother(refusal.record, cause: refusal.cause)
        }
    }

    /// `state-locked` (another process holds the lock) or `state-write-failed` (the lock file could not be used).
    /// - Parameter after: what happened first, when the lock was held before (the cause then says so).
    private static func lockRefusal(
        _ error: LockFile.Failure, statePath: String, lockPath: String, after: String? = nil
    ) -> Refusal {
        switch error {
        case let .held(lockPath, pid):
            var fields = [LogField("path", .string(statePath)), LogField("lock", .string(lockPath))]
            if let pid { fields.append(LogField("pid", .int(Int(pid)))) }
            let user = "another autoscaled (pid \(pid.map(String.init) ?? "unknown")) is using this state file"
            let cause = after.map { "\($0), and \(user) now" } ?? user
            fields.append(LogField("cause", .string(cause)))
            return Refusal(record: LogRecord(.error, .stateLocked, fields), cause: cause)
        case let .file(cause):
            let text = errorText(cause, after: lockPath)
            let record = LogRecord(.error, .stateWriteFailed, [
                LogField("path", .string(statePath)), LogField("lock", .string(lockPath)), LogField("cause", .string(text)),
            ])
            return Refusal(record: record, cause: "cannot use its lock file \(lockPath): \(text)")
        }
    }

    /// Removes leftover temporary files beside every file the daemon writes; each removal is logged.
    static func removeLeftovers(_ config: Config, logger: Logger) {
        var paths = [config.state.path]
        if let textfile = config.metrics.textfile { paths.append(textfile) }
        if case let .file(path) = config.actuator.kind { paths.append(path) }
        for path in paths {
            // `path=` names the leftover that stays, as `temp-removed` names the one removed; or,
            // when its directory cannot be listed, the file whose leftovers were looked for.
            let failed = { (error: SystemError, named: String) in
                logger.log(.warning, .tempCleanupFailed, [
                    LogField("path", .string(named)), LogField("cause", .string(errorText(error, after: named))),
                ])
            }
            do {
                let leftovers = try AtomicFile.removeLeftovers(of: path)
                for removed in leftovers.removed { logger.log(.notice, .tempRemoved, [LogField("path", .string(removed))]) }
                for error in leftovers.failures { failed(error, error.subject) }
            } catch {
                failed(error, path)
            }
        }
    }
}

extension FilePlacement {
    /// What became of a held lock's file, in the words of the line that says it was taken again;
    /// `nil` in place.
    var lockFileChange: String? {
        switch self {
        case .inPlace: nil
        case .removed: "its lock file was removed"
        case .moved: "its lock file was moved away"
        case .replaced: "another file was put at its lock file's path"
        }
    }
}
