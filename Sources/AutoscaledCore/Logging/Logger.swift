import AutoscaledSystem

/// Filters records by level, encodes them and hands each line to a sink.
///
/// A value type: the daemon keeps one and replaces it when a reload changes `[log]`.
public struct Logger: Sendable {
    public var level: LogLevel
    public var encoder: LogEncoder
    public var sink: any LogSink
    /// Wall-clock source for timestamps (seconds since the epoch); injected so tests are exact.
    public var wallTime: @Sendable () -> Double

    public init(
        level: LogLevel, encoder: LogEncoder, sink: any LogSink,
        wallTime: @escaping @Sendable () -> Double = { WallClock.now() }
    ) {
        self.level = level
        self.encoder = encoder
        self.sink = sink
        self.wallTime = wallTime
    }

    /// A logger for `config`, writing to stderr.
    ///
    /// When `JOURNAL_STREAM` names stderr itself (systemd connected it to the journal), lines are in
    /// journal style (a `<N>` priority, no `ts`: journald stamps them) and records go to journald's
    /// native socket with their fields (see ``JournalSink``); stderr stays the fallback. Otherwise,
    /// `JOURNAL_STREAM` set or not (it may name stdout, with stderr sent to a file), every line is a
    /// plain one with its `ts`.
    public static func standardError(config: LogConfig, environment: [String: String]) -> Logger {
        var style = LogEncoder.Style.terminal
        var sink: any LogSink = StandardErrorSink()
        if let stream = environment["JOURNAL_STREAM"], StandardStream.isJournalStream(stream, fd: StandardStream.error) {
            style = .journal
            sink = JournalSink(socketPath: environment[JournalSink.socketVariable] ?? JournalSink.defaultSocketPath)
        }
        return Logger(level: config.level, encoder: LogEncoder(format: config.format, style: style), sink: sink)
    }

    /// The same logger with `[log]` settings from `config`.
    public func reconfigured(_ config: LogConfig) -> Logger {
        var copy = self
        copy.level = config.level
        copy.encoder.format = config.format
        return copy
    }

    public func isEnabled(_ level: LogLevel) -> Bool {
        level >= self.level
    }

    /// Writes `record` if its level is enabled. When the sink dropped lines before (its reader was
    /// slow or gone), a warning `log-dropped` with their count comes first, once writing works again.
    public func log(_ record: LogRecord) {
        guard isEnabled(record.level) else { return }
        sink.write(record, line: encoder.encode(record, wallTime: wallTime())) { count in
            guard isEnabled(.warning) else { return nil }
            return encoder.encode(LogRecord(.warning, .logDropped, [LogField("lines", .int(count))]), wallTime: wallTime())
        }
    }

    public func log(_ level: LogLevel, _ event: LogEvent, _ fields: [LogField] = []) {
        log(LogRecord(level, event, fields))
    }
}
