import AutoscaledSystem

/// `autoscaled check-config`: validates a config file and prints `ok` or every error.
public enum CheckConfigCommand {
    public static func run(configPath: String) -> CommandOutput {
        switch ConfigLoader.load(path: configPath) {
        case let .success(config):
            // What the host makes of it follows `ok` on standard error: the config is valid all the same.
            let warnings = HostWarning.all(for: config, configPath: absolutePath(configPath))
            return CommandOutput(standardOutput: "ok\n", standardError: CommandOutput.lines(warnings.map { "warning: \($0.text)" }),
                                 exitStatus: CommandOutput.success)
        case let .failure(errors): return .invalidConfig(errors)
        }
    }
}
