/// `autoscaled status`: what the daemon last saved.
public enum StatusCommand {
    public static func run(configPath: String, json: Bool, wallNow: Double = WallClock.now()) -> CommandOutput {
        CommandOutput(exitStatus: CommandOutput.runtimeFailure)
    }
}
