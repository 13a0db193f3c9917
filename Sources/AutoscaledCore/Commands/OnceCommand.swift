import AutoscaledBase
import AutoscaledSystem

/// `autoscaled once`: reads the source once and prints `Servers to scale: X`, then the decision
/// the daemon would take from the saved (or initial) count and what it saved of its memory. Writes nothing.
///
/// A state file that is there but cannot be used (corrupt, of unknown version, partly unusable) and a
/// pause file that cannot be read are each a `warning:` line on stderr; a pause in force adds a
/// `Paused:` line to stdout, after the decision, saying what the daemon does instead.
public enum OnceCommand {
    public static func run(
        config: Config, clock: any MonotonicClock = SystemMonotonicClock(), wallNow: Double = WallClock.now()
    ) async -> CommandOutput {
        let reader = makeLoadReader(config.source)
        let reading: LoadReading
        switch await reader.read(wallNow: wallNow) {
        case let .success(value): reading = value
        case let .failure(error):
            return CommandOutput(standardError: "\(TextEscaping.escaped(config.source.location)): \(error)\n", exitStatus: CommandOutput.runtimeFailure)
        }
        var warnings: [String] = []
        let loaded = StateStore(path: config.state.path).load()
        let restored = RestoredState.restore(from: loaded, policy: config.policy, path: config.state.path)
        // No state file is how every daemon starts: nothing to warn about.
        if case .missing = loaded {} else if let warning = restored.warning { warnings.append(warning) }
        // What the daemon learned and saved (seasonal peaks, rises) counts, as it would on a restart.
        let now = clock.now()
        let memory = PolicyMemory(starting: restored, policy: config.policy, now: now, wallTime: wallNow)
        let decision = ThresholdPolicy(config: config.policy).decide(.loads(reading.snapshot), memory: memory, now: now)
        // A decision made from loads always counts the servers above scale_up_threshold.
        let serversToScale = decision.serversToScale.map(String.init) ?? "none (no load data)"
        var output = """
            Servers to scale: \(serversToScale)
            Decision: \(decision.action.rawValue) from \(decision.from) to \(decision.to) (\(decision.reason))

            """
        switch pauseLine(statePath: config.state.path, decision: decision, policy: config.policy, wallNow: wallNow) {
        case let .success(line?): output += line + "\n"
        case .success(nil): break
        case let .failure(error): warnings.append("\(error); the decision is shown as if not paused")
        }
        return CommandOutput(standardOutput: output, standardError: CommandOutput.lines(warnings.map { "warning: \($0)" }),
                             exitStatus: CommandOutput.success)
    }

    /// `Paused: the daemon holds at 3 instead until 'autoscaled resume' ('incident 42').` when a pause
    /// is in force at `wallNow`, as ``PauseControl`` applies it to `decision`; `nil` when none is.
    static func pauseLine(
        statePath: String, decision: ScalingDecision, policy: PolicyConfig, wallNow: Double
    ) -> Result<String?, PauseFileError> {
        var control = PauseControl(path: PauseFile.path(forState: statePath))
        do {
            _ = control.take(try PauseFile.load(control.path), wallNow: wallNow)
        } catch {
            return .failure(error)
        }
        guard let pause = control.active else { return .success(nil) }
        let held = control.apply(decision, bounds: policy.minReplicas...policy.maxReplicas)
        var text = "Paused: the daemon "
        if case let .moving(target, asked, _)? = held.reason.pause {
            if target == asked {
                text += "moves to the pause's \(target) replica\(target == 1 ? "" : "s") and holds there"
            } else {
                text += "moves to \(asked > target ? "max_replicas" : "min_replicas") \(target) (the pause would hold \(asked)) and holds there"
            }
        } else {
            text += "holds at \(held.to)"
        }
        if held.to != decision.to { text += " instead" }
        text += pause.until.map { " until \($0)" } ?? " until 'autoscaled resume'"
        text += pause.reason.map { " (\(EscapedText.quoted($0)))" } ?? ""
        return .success(text + ".")
    }
}
