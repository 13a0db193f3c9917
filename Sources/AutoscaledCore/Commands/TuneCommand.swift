import AutoscaledBase
import AutoscaledSystem

/// `autoscaled tune`: searches the `[policy]` keys and `poll_interval` with the simulator for the
/// cheapest setting that meets a service goal on a trace, and shows it beside the config's own.
public enum TuneCommand {
    /// Candidates per batch: fixed (not the processor count) so that a seed gives the same search
    /// on any machine.
    static let batchSize = 32

    /// Runs the search; `progress` (when given) is told a line after every batch, `elapsed` tells
    /// the time since the start (for `--time-limit`).
    public static func run(
        _ options: TuneOptions, progress: ((String) -> Void)? = nil, elapsed: @escaping @Sendable () -> Duration = Self.stopwatch()
    ) -> CommandOutput {
        let config: Config, trace: Trace
        switch SimulateCommand.readInputs(configPath: options.configPath, tracePath: options.tracePath,
                                          outputs: options.outputFiles, subcommand: "tune") {
        case let .success(read): (config, trace) = read
        case let .failure(refused): return refused.output
        }
        guard case .offeredLoad = trace.series else {
            return usage("tune needs an offered-load trace ('t_seconds,requests'); this one has per-server loads "
                + "(from the daemon's history: autoscaled history export --format offered)")
        }
        let setup: SimulationSetup
        switch SimulateCommand.makeSetup(options.simulateOptions, config: config, trace: trace) {
        case let .success(made): setup = made
        case let .failure(error): return usage(error.message)
        }
        // Fail before the search, not after it: each output's directory must exist and be writable.
        for (option, path) in [("--write", options.writePath), ("--svg", options.svgPath)] {
            guard let path else { continue }
            do throws(FileWriteError) {
                try OutputFile.checkWritable(path)
            } catch {
                return .failure("\(option) \(TextEscaping.escaped(path)): \(error.description(omitting: path))")
            }
        }
        let split = trace.holdOutStart
        let tuning = trace.bins(0..<split)
        let heldOut = trace.bins(split..<trace.binCount)
        let search = TuneSearch(trace: tuning, base: setup, goal: options.maxOverPercent, budget: options.settings,
                                seed: options.seed, batchSize: batchSize)
        let timeLimit = options.timeLimit
        let result = search.run(shouldStop: { timeLimit.map { elapsed() >= $0 } ?? false }) { tried, best in
            progress?("tune: \(tried) of \(options.settings) settings, best \(best.score.replicaSeconds) replica-s at "
                + "\(DecimalText.format(best.score.overPercent, .fixed(2))) % over")
        }
        let report = TuneReport(trace: trace, traceName: baseName(of: options.tracePath), setup: setup, options: options,
                                config: config.policy, tuning: tuning, heldOut: heldOut, result: result)
        progress?("tune: \(result.tried.count) settings in \(DecimalText.format(elapsed().seconds, .fixed(2))) s\n")
        var text = report.text()
        do {
            if let path = options.writePath {
                try write(report, to: path, options: options)
                text += "\nwritten: \(TextEscaping.escaped(path))\n"
            }
            if let path = options.svgPath {
                do throws(FileWriteError) {
                    try OutputFile.write(TunePicture(report: report).rendered(), to: path)
                } catch {
                    throw WriteFailure(message: "--svg \(TextEscaping.escaped(path)): \(error.description(omitting: path))")
                }
                text += "\(options.writePath == nil ? "\n" : "")drawn: \(TextEscaping.escaped(path))\n"
            }
        } catch {
            // The search's result is printed all the same: only the file is lost.
            let message = (error as? WriteFailure)?.message ?? "\(error)"
            return CommandOutput(standardOutput: text, standardError: message + "\n", exitStatus: CommandOutput.runtimeFailure)
        }
        return CommandOutput(standardOutput: text, exitStatus: CommandOutput.success)
    }

    /// A clock started now: the time since.
    public static func stopwatch() -> @Sendable () -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        return { clock.now - start }
    }

    private struct WriteFailure: Error {
        var message: String
    }

    /// Writes the config with the winning setting; it must parse, or nothing is written.
    private static func write(_ report: TuneReport, to path: String, options: TuneOptions) throws {
        let original: String
        do {
            let bytes = try RegularFile.read(absolutePath(options.configPath), limit: ConfigLoader.sizeLimit).bytes
            original = String(decoding: bytes, as: UTF8.self)
        } catch {
            throw WriteFailure(message: "\(TextEscaping.escaped(options.configPath)): \(errorText(error, after: absolutePath(options.configPath)))")
        }
        let text = TunedConfigText.config(original, policy: report.written, pollSeconds: report.result.best.pollSeconds,
                                          note: report.writtenNote)
        if case let .failure(errors) = ConfigParser.parse(text, file: path, directory: parentDirectory(of: absolutePath(path))) {
            throw WriteFailure(message: "--write \(TextEscaping.escaped(path)): not written, the tuned config would not be valid:\n\(errors)")
        }
        do throws(FileWriteError) {
            try OutputFile.write(Array(text.utf8), to: path)
        } catch {
            throw WriteFailure(message: "--write \(TextEscaping.escaped(path)): \(error.description(omitting: path))")
        }
    }

    private static func usage(_ message: String) -> CommandOutput {
        CommandOutput(standardError: HelpText.usageError(UsageError(message, subcommand: "tune")), exitStatus: CommandOutput.usageError)
    }
}
