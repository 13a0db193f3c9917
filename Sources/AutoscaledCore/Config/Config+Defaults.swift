// The defaults of the config types, built from the schema's defaults (the one place they are stated):
// for code that needs a config without a file, such as tests, benchmarks and fuzzing.

extension ConfigSchema {
    /// Every key at its default, whether or not it applies to the default source and actuator.
    static let defaultValues: ParsedValues = keys.reduce(into: ParsedValues()) { values, spec in
        values.setDefault(of: spec)
    }

    /// `build` applied to ``defaultValues``, with `more` set first. Every key `build` reads has a
    /// default (or is in `more`), so a failure is a fault of the table and stops the program.
    static func defaults<T>(
        _ build: (ParsedValues) throws(ParsedValues.Missing) -> T, with more: [ConfigKey: TypedValue] = [:]
    ) -> T {
        var values = defaultValues
        for (key, value) in more { values.set(key, to: value, line: nil) }
        do {
            return try build(values)
        } catch {
            preconditionFailure("[\(error.key.section)] \(error.key.name) has no default")
        }
    }
}

extension Config {
    /// Every key at its default, reading loads from the file at `sourcePath` (the one key of the
    /// default source without a default).
    public static func defaults(sourcePath: String) -> Config {
        ConfigSchema.defaults(Config.init(values:), with: [.sourcePath: .string(sourcePath)])
    }
}

extension PolicyConfig {
    /// Every `[policy]` key at its default.
    public static let defaults = ConfigSchema.defaults(PolicyConfig.init(values:))
}

extension SocketLimits {
    /// `connect_timeout`, `read_timeout` and `max_response_bytes` at their defaults.
    public static let defaults = ConfigSchema.defaults(SocketLimits.init(values:))
}

extension StateConfig {
    /// `[state] path` at its default.
    public static let defaults = ConfigSchema.defaults(StateConfig.init(values:))
}

extension HistoryConfig {
    /// Every `[history]` key at its default (the directory beside the default state file).
    public static let defaults = ConfigSchema.defaults(HistoryConfig.init(values:))
}

extension LogConfig {
    /// Every `[log]` key at its default.
    public static let defaults = ConfigSchema.defaults(LogConfig.init(values:))
}

extension MetricsConfig {
    /// Every `[metrics]` key at its default: no textfile.
    public static let defaults = ConfigSchema.defaults(MetricsConfig.init(values:))
}

extension ActuatorConfig {
    /// Every `[actuator]` key at its default: type `none`.
    public static let defaults = ConfigSchema.defaults(ActuatorConfig.init(values:))
}
