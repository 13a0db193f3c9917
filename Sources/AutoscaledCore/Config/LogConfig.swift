/// `[log]`: how much is logged and in which encoding.
public struct LogConfig: Sendable, Equatable {
    public var level: LogLevel
    public var format: LogFormat

    public init(level: LogLevel, format: LogFormat) {
        self.level = level
        self.format = format
    }
}
