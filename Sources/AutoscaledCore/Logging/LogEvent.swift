/// Every event autoscaled logs, by its constant name (`event=…`): the one vocabulary of every log
/// call. Data goes in the fields; a new kind of line is a new case here.
public enum LogEvent: String, Sendable, Equatable, CaseIterable {
    /// The daemon started (`config`, `version`, `replicas`, `state`, `source`, `poll_interval`).
    case start
    /// The daemon stopped (`signal`, `replicas`).
    case stop
    case reload
    case reloadFailed = "reload-failed"
    /// A reload put off while the config file is being written.
    case reloadDeferred = "reload-deferred"
    case scaleUp = "scale-up"
    case scaleDown = "scale-down"
    case hold
    /// An evaluation left out because the load file was being written.
    case skip
    case sourceError = "source-error"
    case sourceDown = "source-down"
    case sourceUp = "source-up"
    case actuate
    case actuateFailed = "actuate-failed"
    case actuateCancelled = "actuate-cancelled"
    case stateInitial = "state-initial"
    case stateWriteFailed = "state-write-failed"
    /// The state file is there but cannot be read: the daemon does not start (or reload onto it).
    case stateReadFailed = "state-read-failed"
    /// Another process holds the state file's lock.
    case stateLocked = "state-locked"
    /// The state file's lock file was removed, moved or replaced while the daemon ran; its lock was taken again.
    case stateLockRestored = "state-lock-restored"
    /// A state file of unknown version was set aside, not resumed.
    case stateKeptAside = "state-kept-aside"
    /// A temporary file a killed writer left behind was removed.
    case tempRemoved = "temp-removed"
    case tempCleanupFailed = "temp-cleanup-failed"
    case configInsecure = "config-insecure"
    /// The actuator's program cannot be run now (`actuator`, `cause`): at start and at each reload.
    case actuatorCannotRun = "actuator-cannot-run"
    /// The config file was found gone at a poll; the running config stays.
    case configRemoved = "config-removed"
    case watchFailed = "watch-failed"
    case notifyFailed = "notify-failed"
    /// A read of the source may last longer than the watchdog allows between two pings.
    case watchdogAtRisk = "watchdog-at-risk"
    case metricsWriteFailed = "metrics-write-failed"
    /// A reload moved or dropped `[metrics] textfile`; the old file was removed (`path`).
    case metricsRemoved = "metrics-removed"
    /// A history record could not be written (`path`, `cause`).
    case historyWriteFailed = "history-write-failed"
    /// A write of the state file, the history or the metrics textfile succeeded after failing: the
    /// end of the `*-write-failed` lines before it (`file`: state, history or metrics).
    case writeRecovered = "write-recovered"
    /// The history segment being appended to was removed, moved or replaced (`path`, `segment`, `cause`);
    /// a new segment starts.
    case historySegmentLost = "history-segment-lost"
    /// The history's lock file was removed, moved or replaced while the daemon recorded, and its
    /// path is locked again (`path`, `lock`, `cause`).
    case historyLockRestored = "history-lock-restored"
    /// Log lines stderr could not take without waiting were dropped (`lines`); the first line out after.
    case logDropped = "log-dropped"
    /// SIGUSR1 or SIGUSR2 came: the daemon has no use for them and goes on.
    case signalIgnored = "signal-ignored"
    /// A rule holds the count away from what the policy wants (`want`, `held_by`, `left`, `replicas`, `reason`):
    /// logged when a rule starts holding and when another takes over.
    case limited
    /// An operator's pause took effect or was updated (`replicas`, `until`, `reason`, `updated`).
    case pause
    /// The pause ended (`cause`: `operator` or `expired`).
    case resume
    /// The pause file cannot be read; the pause stays as it was.
    case pauseFileInvalid = "pause-file-invalid"
    /// The pause file was removed while a pause was in force; it was written back (`path`, `cause`).
    case pauseFileRestored = "pause-file-restored"
}
