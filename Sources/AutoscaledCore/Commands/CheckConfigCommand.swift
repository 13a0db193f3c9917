/// `autoscaled check-config`: validates a config file and prints `ok` or every error.
public enum CheckConfigCommand {
    public static func run(configPath: String) -> CommandOutput {
        switch ConfigLoader.load(path: configPath) {
        case .success: CommandOutput(standardOutput: "ok\n", exitStatus: CommandOutput.success)
        case let .failure(errors): .invalidConfig(errors)
        }
    }
}
