/// One event to log: its level, its constant name, and its fields in a fixed order.
public struct LogRecord: Sendable, Equatable {
    public var level: LogLevel
    /// The constant name (`scale-up`, `source-error`); data goes in `fields`.
    public var event: LogEvent
    public var fields: [LogField]

    public init(_ level: LogLevel, _ event: LogEvent, _ fields: [LogField] = []) {
        self.level = level
        self.event = event
        self.fields = fields
    }

    /// The same record at debug level: a failure told once is told again only at debug while it lasts.
    public var repeated: LogRecord {
        LogRecord(.debug, event, fields)
    }
}
