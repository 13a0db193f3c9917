import AutoscaledSystem

extension LogRecord {
    /// `state-write-failed`: the state file at `path` could not be written, and why.
    static func stateWriteFailed(path: String, _ error: FileWriteError) -> LogRecord {
        LogRecord(.error, .stateWriteFailed, [LogField("path", .string(path)), LogField("cause", .string(errorText(error, after: path)))])
    }
}
