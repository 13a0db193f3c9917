extension LogRecord {
    /// `reload-failed` at error level: the config file at `config` was not applied, for `causes`
    /// (`errors=` counts them, or is `count` when some were only counted; `cause=` joins them with `; `).
    static func reloadFailed(config: String, causes: [String], count: Int? = nil) -> LogRecord {
        LogRecord(.error, .reloadFailed, [
            LogField("config", .string(config)), LogField("errors", .int(count ?? causes.count)),
            LogField("cause", .string(causes.joined(separator: "; "))), keptField,
        ])
    }

    /// What a refused reload leaves in force, said on its line: `kept="the running config"`.
    static let keptField = LogField("kept", "the running config")
}
