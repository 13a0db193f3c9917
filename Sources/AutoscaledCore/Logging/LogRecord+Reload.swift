extension LogRecord {
    /// `reload-failed` at error level: the config file at `config` was not applied, for `causes`
    /// (`errors=` counts them, `cause=` joins them with `; `).
    static func reloadFailed(config: String, causes: [String]) -> LogRecord {
        LogRecord(.error, .reloadFailed, [
            LogField("config", .string(config)), LogField("errors", .int(causes.count)),
            LogField("cause", .string(causes.joined(separator: "; "))),
        ])
    }
}
