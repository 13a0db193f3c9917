import AutoscaledSystem

/// Keeps the counters of the metrics textfile and writes the file after every evaluation.
///
/// The file is replaced atomically (temporary file + `rename`, mode 0644) so node_exporter never
/// reads half of it; it is not `fsync`ed, since metrics need not survive a power loss. A symlink
/// (or anything but a regular file) at the path is refused, never written through. A write
/// that fails is worth one warning (`metrics-write-failed`); further failures are logged at debug
/// level until a write succeeds again.
public struct MetricsExporter: Sendable {
    public private(set) var config: MetricsConfig
    public private(set) var scaleUps = 0
    public private(set) var scaleDowns = 0
    public private(set) var sourceErrors = 0
    /// Whether the last reload asked for was applied; see ``MetricsSample/lastReloadSuccessful``.
    public var lastReloadSuccessful = true
    private var failing = false
    private let write: @Sendable (String, String) throws(FileWriteError) -> Void

    /// Replaces the file at `path` with `text`, atomically, mode 0644, without `fsync`.
    @Sendable
    public static func writeFile(_ path: String, _ text: String) throws(FileWriteError) {
        try AtomicFile.write(Array(text.utf8), to: path, mode: 0o644, durable: false)
    }

    /// Removes the textfile at `path`, written before a reload moved or dropped `[metrics] textfile`,
    /// so a collector does not go on serving its last values. Nothing there is fine; anything but a
    /// regular file (a symlink, a directory) is not ours and is left.
    /// - Returns: whether a file was removed (none is there when every write failed).
    @discardableResult
    public static func removeFile(_ path: String) throws(FileWriteError) -> Bool {
        try FileWriteError.wrapping { () throws(SystemError) -> Bool in
            let directory: Directory
            do throws(SystemError) {
                directory = try Directory.open(parentDirectory(of: path))
            } catch {
                if error.isNoSuchPath { return false }  // No directory, so no file: the writes failed, and said so.
                throw error
            }
            defer { directory.close() }
            let name = baseName(of: path)
            guard try directory.kind(of: name) == .regularFile else { return false }
            try directory.unlink(name)
            return true
        }
    }

    /// - Parameter write: replaces the file at a path with a text; ``writeFile(_:_:)`` by default.
    public init(
        config: MetricsConfig, write: @escaping @Sendable (String, String) throws(FileWriteError) -> Void = writeFile
    ) {
        self.config = config
        self.write = write
    }

    /// Uses `config` from now on (a reload); the counters carry on.
    public mutating func configure(_ config: MetricsConfig) {
        if config.textfile != self.config.textfile { failing = false }
        self.config = config
    }

    /// Counts one evaluation — `input` read, `decision` taken (with what holds it, and whether an
    /// operator paused) — and writes the textfile if one is set.
    /// - Parameter logLinesDropped: the log sink's count of lines it could not write.
    /// - Returns: the log record of a failed write, or of the first that succeeds after failing, if any.
    public mutating func record(
        _ input: PolicyInput, _ decision: ScalingDecision, appliedReplicas: Int? = nil, actuationFailures: Int? = nil,
        logLinesDropped: Int = 0, paused: Bool = false, wallTime: Double
    ) -> LogRecord? {
        if decision.to > decision.from { scaleUps += 1 }
        if decision.to < decision.from { scaleDowns += 1 }
        var servers: [ServerLoad] = []
        var hasData = true
        switch input {
        case let .loads(snapshot): servers = snapshot.servers
        case .unavailable, .sourceDown:
            sourceErrors += 1
            hasData = false
        }
        guard let path = config.textfile else { return nil }
        let sample = MetricsSample(
            desiredReplicas: decision.to, appliedReplicas: appliedReplicas, serversToScale: decision.serversToScale,
            servers: servers, scaleUps: scaleUps, scaleDowns: scaleDowns, sourceErrors: sourceErrors,
            logLinesDropped: logLinesDropped, evaluatedAt: wallTime,
            // Where nothing holds the count, it is what the policy wants; without data there is no wish.
            wantedReplicas: hasData ? decision.wanted ?? (decision.heldBy == nil ? decision.to : nil) : nil,
            heldBy: decision.heldBy?.name,
            paused: paused, lastReloadSuccessful: lastReloadSuccessful, actuationFailures: actuationFailures)
        do {
            try write(path, MetricsText.render(sample, maxSeries: config.maxSeries))
            defer { failing = false }
            return failing ? .writeRecovered("metrics", path: path) : nil
        } catch {
            defer { failing = true }
            return LogRecord(failing ? .debug : .warning, .metricsWriteFailed, [
                LogField("path", .string(path)), LogField("cause", .string(errorText(error, after: path))),
            ])
        }
    }
}
