import AutoscaledBase
import AutoscaledSystem

/// `autoscaled once`: reads the source once and prints `Servers to scale: X`, then the decision
/// the daemon would take from the saved (or initial) count and what it saved of its memory. Writes nothing.
public enum OnceCommand {
    public static func run(
        config: Config, clock: any MonotonicClock = SystemMonotonicClock(), wallNow: Double = WallClock.now()
    ) async -> CommandOutput {
        let reader = makeLoadReader(config.source)
        let reading: LoadReading
        switch await reader.read(wallNow: wallNow) {
        case let .success(value): reading = value
        case let .failure(error):
            return CommandOutput(standardError: "\(config.source.location): \(error)\n", exitStatus: CommandOutput.runtimeFailure)
        }
        let restored = RestoredState.restore(
            from: StateStore(path: config.state.path).load(), policy: config.policy, path: config.state.path)
        // What the daemon learned and saved (seasonal peaks, rises) counts, as it would on a restart.
        let now = clock.now()
        let memory = PolicyMemory(starting: restored, policy: config.policy, now: now, wallTime: wallNow)
        let decision = ThresholdPolicy(config: config.policy).decide(.loads(reading.snapshot), memory: memory, now: now)
        // A decision made from loads always counts the servers above scale_up_threshold.
        let serversToScale = decision.serversToScale.map(String.init) ?? "none (no load data)"
        let output = """
            Servers to scale: \(serversToScale)
            Decision: \(decision.action.rawValue) from \(decision.from) to \(decision.to) (\(decision.reason))

            """
        return CommandOutput(standardOutput: output, exitStatus: CommandOutput.success)
    }
}
