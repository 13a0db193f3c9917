import AutoscaledBase
import AutoscaledSystem

/// What the host makes of a valid config, told as warnings and never as errors, since the host may
/// be put right after the config: a config file every user may write, an actuator's program that
/// cannot be run now. The daemon logs them at start and at each reload; `check-config` prints them
/// on standard error after `ok`.
public struct HostWarning: Sendable, Equatable {
    /// The daemon's log line.
    public var record: LogRecord
    /// `check-config`'s line, after `warning: `.
    public var text: String

    /// The warnings for `config`, read from `configPath`, with `PATH` as `searchPath`.
    public static func all(
        for config: Config, configPath: String, searchPath: String? = ProcessEnvironment.current()["PATH"]
    ) -> [HostWarning] {
        var warnings: [HostWarning] = []
        if let mode = permissionBits(of: configPath), mode & 0o002 != 0 {
            let cause = "the config file is writable by every user, who can then change what the daemon does"
            warnings.append(HostWarning(
                record: LogRecord(.warning, .configInsecure, [
                    LogField("config", .string(configPath)), LogField("mode", .string(String(mode, radix: 8))),
                    LogField("cause", .string(cause)),
                ]),
                text: "\(configPath): mode \(String(mode, radix: 8)): \(cause)"))
        }
        if !config.actuator.dryRun, let problem = config.actuator.runProblem(searchPath: searchPath) {
            let cause = "\(problem): every actuation fails until it can be run"
            warnings.append(HostWarning(
                record: LogRecord(.warning, .actuatorCannotRun, [
                    LogField("actuator", .string(config.actuator.kind.name)), LogField("cause", .string(cause)),
                ]),
                text: "[actuator] \(cause)"))
        }
        return warnings
    }
}
