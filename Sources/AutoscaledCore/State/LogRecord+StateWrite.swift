import AutoscaledSystem

extension LogRecord {
    /// `write-recovered`: the writes of `file` (state, history or metrics) at `path` succeed again.
    static func writeRecovered(_ file: String, path: String) -> LogRecord {
        LogRecord(.notice, .writeRecovered, [LogField("path", .string(path)), LogField("file", .string(file))])
    }

    /// `state-write-failed`: the state file at `path` could not be written, and why.
    static func stateWriteFailed(path: String, _ error: FileWriteError) -> LogRecord {
        LogRecord(.error, .stateWriteFailed, [LogField("path", .string(path)), LogField("cause", .string(errorText(error, after: path)))])
    }
}
