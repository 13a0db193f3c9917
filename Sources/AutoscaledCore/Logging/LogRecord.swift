/// One event to log: its level, its constant name, and its fields in a fixed order.
public struct LogRecord: Sendable, Equatable {
    public var level: LogLevel
    /// A constant name such as `scale-up` or `source-error`; data goes in `fields`.
    public var event: String
    public var fields: [LogField]

    public init(_ level: LogLevel, _ event: String, _ fields: [LogField] = []) {
        self.level = level
        self.event = event
        self.fields = fields
    }
}
