import AutoscaledBase
import AutoscaledSystem

/// `autoscaled pause` and `autoscaled resume`: write what the operator asks next to the state file,
/// where the running daemon (and a restarted one) reads it.
public enum PauseCommand {
    public static func pause(_ options: PauseOptions, wallNow: Double = WallClock.now()) -> CommandOutput {
        let target: Target
        // The command line must fit the config whatever the state file holds: a usage error, as
        // simulate's --min above max_replicas is, told before the state file is looked at.
        let fits = { (config: Config) -> CommandOutput? in
            let policy = config.policy
            guard let replicas = options.replicas, !(policy.minReplicas...policy.maxReplicas).contains(replicas) else { return nil }
            let error = UsageError("option '--replicas': \(replicas) is outside [min_replicas \(policy.minReplicas), "
                + "max_replicas \(policy.maxReplicas)] of \(TextEscaping.escaped(options.configPath))", subcommand: PauseOptions.spec.name)
            return CommandOutput(standardError: HelpText.usageError(error), exitStatus: CommandOutput.usageError)
        }
        switch Target.find(configPath: options.configPath, checking: fits) {
        case let .success(found): target = found
        case let .failure(failure): return failure.output
        }
        // A pause file that cannot be read asks for nothing the daemon takes up: this pause replaces it.
        let earlier: PauseFile?
        var warning = ""
        do { earlier = try PauseFile.load(target.pausePath) } catch {
            earlier = nil
            warning = CommandOutput.lines(["warning: \(error.description); this pause replaces it"])
        }
        let pause = PauseFile.pause(wallTime: wallNow, replicas: options.replicas, duration: options.duration,
                                    reason: options.reason)
        do { try pause.save(to: target.pausePath) } catch { return failure(error.description) }

        var text = earlier?.holds(at: wallNow) == true ? "Pause updated: " : "Paused: "
        if let replicas = options.replicas {
            text += "the daemon moves to \(replicas) replica\(replicas == 1 ? "" : "s") and holds there"
        } else {
            text += "the daemon holds the count (\(target.desiredReplicas) when it last saved)"
        }
        text += pause.until.map { " until \($0)" } ?? " until 'autoscaled resume'"
        text += options.reason.map { " (\(EscapedText.quoted($0)))" } ?? ""
        var output = CommandOutput(standardOutput: text + ".\n" + target.idleNote("the pause holds from its start"),
                                   standardError: warning, exitStatus: CommandOutput.success)
        output.doneBeforeOutput = "the pause is written to \(TextEscaping.escaped(target.pausePath)): the daemon holds it"
        return output
    }

    public static func resume(configPath: String, wallNow: Double = WallClock.now()) -> CommandOutput {
        let target: Target
        switch Target.find(configPath: configPath) {
        case let .success(found): target = found
        case let .failure(failure): return failure.output
        }
        let earlier: PauseFile?
        do { earlier = try PauseFile.load(target.pausePath) } catch let unreadable {
            // The daemon holds the pause it last read while the file cannot be read: a resume
            // replaces the file whatever it holds, so an operator can always resume.
            do { try PauseFile.resume(wallTime: wallNow).save(to: target.pausePath) } catch { return failure(error.description) }
            var output = CommandOutput(standardOutput: resumed + target.idleNote(resumedIdle),
                                       standardError: CommandOutput.lines(["warning: \(unreadable.description); this resume replaces it"]),
                                       exitStatus: CommandOutput.success)
            output.doneBeforeOutput = resumedNote(target)
            return output
        }
        guard let earlier, earlier.holds(at: wallNow) else {
            var text = "Not paused: nothing to resume"
            if let earlier, earlier.paused, let until = earlier.until { text += " (the pause ended at \(until))" }
            return CommandOutput(standardOutput: text + ".\n", exitStatus: CommandOutput.success)
        }
        do { try PauseFile.resume(wallTime: wallNow).save(to: target.pausePath) } catch { return failure(error.description) }
        var output = CommandOutput(standardOutput: resumed + target.idleNote(resumedIdle), exitStatus: CommandOutput.success)
        output.doneBeforeOutput = resumedNote(target)
        return output
    }

    private static let resumed = "Resumed: the daemon follows the policy again from its next evaluation.\n"
    private static let resumedIdle = "the next one started follows the policy"

    private static func resumedNote(_ target: Target) -> String {
        "the resume is written to \(TextEscaping.escaped(target.pausePath)): the daemon follows the policy again"
    }

    /// The config, its state file and the pause file next to it.
    struct Target {
        var configPath: String
        var config: Config
        var pausePath: String
        var desiredReplicas: Int
        /// Whether a daemon holds the state file's lock; `nil` when that cannot be seen.
        var daemonRuns: Bool?

        /// A line saying that no daemon runs now and what `then` happens, when none holds the lock.
        func idleNote(_ then: String) -> String {
            daemonRuns == false ? "No daemon runs with this config now: \(then).\n" : ""
        }

        /// The config at `configPath` and its state file; `checking` may refuse the config first.
        static func find(configPath: String, checking: (Config) -> CommandOutput? = { _ in nil }) -> Result<Target, Failure> {
            let config: Config
            switch ConfigLoader.load(path: configPath, disk: nil) {
            case let .success(loaded): config = loaded
            case let .failure(errors): return .failure(Failure(.invalidConfig(errors)))
            }
            if let refused = checking(config) { return .failure(Failure(refused)) }
            let path = config.state.path
            switch StateStore(path: path).load() {
            case .missing:
                return .failure(Failure(PauseCommand.failure(
                    StateStore.missingText(TextEscaping.escaped(path), whenIdle: "no daemon has run with \(TextEscaping.escaped(configPath)) (start it first)"))))
            case let .corrupt(cause), let .unreadable(cause):
                return .failure(Failure(PauseCommand.failure(cause)))
            case let .unknownVersion(version):
                return .failure(Failure(PauseCommand.failure(
                    "\(TextEscaping.escaped(path)): version \(version) is unknown to this autoscaled (it reads version \(StateFile.currentVersion))")))
            case let .found(file):
                let runs: Bool? = switch StateStore.lockHolder(forState: path) {
                case .process: true
                case .none: false
                case .unknown: nil
                }
                return .success(Target(configPath: configPath, config: config, pausePath: PauseFile.path(forState: path),
                                       desiredReplicas: file.desiredReplicas, daemonRuns: runs))
            }
        }
    }

    struct Failure: Error {
        var output: CommandOutput
        init(_ output: CommandOutput) { self.output = output }
    }

    static func failure(_ message: String) -> CommandOutput {
        CommandOutput.failure(message)
    }
}
