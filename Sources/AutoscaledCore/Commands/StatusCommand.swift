import AutoscaledBase
import AutoscaledSystem

/// `autoscaled status`: what the daemon last saved in its state file, for people or (`--json`) scripts.
public enum StatusCommand {
    public static func run(configPath: String, json: Bool, wallNow: Double = WallClock.now()) -> CommandOutput {
        let config: Config
        switch ConfigLoader.load(path: configPath, disk: nil) {
        case let .success(loaded): config = loaded
        case let .failure(errors): return .invalidConfig(errors)
        }
        let path = config.state.path
        switch StateStore(path: path).load() {
        case .missing:
            return CommandOutput(standardError: StateStore.missingText(TextEscaping.escaped(path), whenIdle: "the daemon has not run with this config yet") + "\n",
                                 exitStatus: CommandOutput.runtimeFailure)
        case let .corrupt(cause), let .unreadable(cause):
            return .failure(cause)
        case let .unknownVersion(version):
            return CommandOutput(
                standardError: "\(TextEscaping.escaped(path)): version \(version) is unknown to this autoscaled (it reads version \(StateFile.currentVersion))\n",
                exitStatus: CommandOutput.runtimeFailure)
        case let .found(file):
            // A pause file that cannot be read hides nothing else: the state is shown, and why.
            let pause = Result { () throws(PauseFileError) in try PauseFile.load(PauseFile.path(forState: path)) }
            let report = StatusReport(file, path: path, wallNow: wallNow, failureThreshold: config.source.failureThreshold,
                                      pause: pause, bounds: config.policy.minReplicas...config.policy.maxReplicas,
                                      lockHolder: StateStore.lockHolder(forState: path), actuatorActs: config.actuator.acts)
            return CommandOutput(standardOutput: json ? report.json() : report.text(), exitStatus: CommandOutput.success)
        }
    }
}
