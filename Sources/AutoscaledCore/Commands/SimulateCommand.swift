import AutoscaledBase
import AutoscaledSystem

/// `autoscaled simulate`: replays a trace through the policy of a config and prints the decision
/// lines (unless quiet) and the summary.
public enum SimulateCommand {
    /// The largest trace file read.
    public static let traceSizeLimit = 256 << 20

    public static func run(_ options: SimulateOptions) -> CommandOutput {
        let config: Config, trace: Trace
        switch readInputs(configPath: options.configPath, tracePath: options.tracePath, outputs: options.outputFiles,
                          subcommand: "simulate") {
        case let .success(read): (config, trace) = read
        case let .failure(refused): return refused.output
        }
        let setup: SimulationSetup
        switch makeSetup(options, config: config, trace: trace) {
        case let .success(made): setup = made
        case let .failure(error): return CommandOutput(standardError: HelpText.usageError(error), exitStatus: CommandOutput.usageError)
        }
        let csv: BufferedFileWriter?
        do {
            csv = try options.csvPath.map { path throws(SystemError) in try BufferedFileWriter(path: path) }
        } catch {
            return .failure("--csv \(TextEscaping.escaped(options.csvPath ?? "")): \(error.description(omitting: options.csvPath))")
        }
        var output = SimulationOutput(log: options.quiet ? nil : config.log, csv: csv)
        let traceName = baseName(of: options.tracePath)
        if options.svgPath != nil {
            output.picture = SimulationPicture(spanSeconds: trace.spanSeconds,
                                               title: "\(traceName): \(SimulationReport.scalerName(setup))")
        }
        let summary = Simulation.replay(trace, setup: setup, observer: &output)
        do {
            try csv?.finish()
        } catch {
            return .failure("--csv \(TextEscaping.escaped(options.csvPath ?? "")): \(error.description(omitting: options.csvPath))")
        }
        if let path = options.svgPath, var picture = output.picture {
            do {
                try OutputFile.write(picture.rendered(hasRequests: trace.totalRequests != nil), to: path)
            } catch {
                return .failure("--svg \(TextEscaping.escaped(path)): \(error.description(omitting: path))")
            }
        }
        let report = SimulationReport.text(summary, trace: trace, traceName: traceName, setup: setup)
        return CommandOutput(standardOutput: output.log + (output.log.isEmpty ? "" : "\n") + report,
                             exitStatus: CommandOutput.success)
    }

    /// The setup from the config and the options; a usage error when they do not fit the trace.
    static func makeSetup(_ options: SimulateOptions, config: Config, trace: Trace) -> Result<SimulationSetup, UsageError> {
        var policy = config.policy
        policy.minReplicas = options.minReplicas ?? policy.minReplicas
        policy.maxReplicas = options.maxReplicas ?? policy.maxReplicas
        policy.initialReplicas = options.initialReplicas ?? policy.initialReplicas
        guard policy.minReplicas <= policy.maxReplicas else {
            return .failure(usage("min_replicas \(policy.minReplicas) is above max_replicas \(policy.maxReplicas)"))
        }
        guard (policy.minReplicas...policy.maxReplicas).contains(policy.initialReplicas) else {
            return .failure(usage("initial_replicas \(policy.initialReplicas) is not within min_replicas "
                + "\(policy.minReplicas) and max_replicas \(policy.maxReplicas) (set --initial)"))
        }
        // The rule is the config's policy's; a reference model does not run it.
        if options.reference == nil, let after = policy.scaleToZeroAfter, policy.minReplicas != 0 {
            return .failure(usage("scale_to_zero_after \(DurationText.format(after)) needs min_replicas 0, "
                + "not \(policy.minReplicas) (--min)"))
        }
        // The config's policy steps on the replay's whole seconds; a reference model keeps its own
        // period and ignores poll_interval.
        let poll = config.source.pollInterval
        let pollSeconds: Int
        if options.reference != nil {
            pollSeconds = max(1, Int(poll.components.seconds))
        } else if let seconds = SimulationSetup.pollSeconds(of: poll) {
            pollSeconds = seconds
        } else {
            return .failure(usage("\(TextEscaping.escaped(options.configPath)): \(SimulationSetup.notWholeSeconds(poll))"))
        }
        let delay = Int(options.startupDelay?.components.seconds ?? 0)
        switch trace.series {
        case let .offeredLoad(requests):
            guard let capacity = options.capacity else {
                return .failure(usage("an offered-load trace needs --capacity (requests/s one replica serves at load 100)"))
            }
            // A replica's load is at most 100 × requests/s ÷ capacity (all on one replica, or on the
            // activator): it must be a load a source could report.
            let peak = (requests.max() ?? 0) / Double(trace.binSeconds)
            let peakLoad = 100 * peak / capacity
            guard peakLoad <= LoadSnapshot.maxLoad else {
                let typed = EscapedText.quoted(options.capacityText ?? DecimalText.format(capacity))
                return .failure(usage("option '--capacity': \(typed) is too small for this trace: its peak of "
                    + "\(DecimalText.format(peak, .atMost(2))) requests/s would put a load of "
                    + "\(DecimalText.format(peakLoad)) on one replica, above \(LoadSnapshot.maxLoadText)"))
            }
            if case .hpa? = options.reference, policy.minReplicas == 0 {
                return .failure(usage("--policy hpa keeps at least 1 replica, as Kubernetes' HPA does (at 0 it stops "
                    + "scaling): set --min 1 or more (min_replicas is 0)"))
            }
            return .success(SimulationSetup(policy: policy, pollSeconds: pollSeconds,
                                            capacity: capacity, startupDelaySeconds: delay,
                                            scaler: options.reference.map { .reference($0) } ?? .policy))
        case .serverLoads:
            guard options.capacity == nil, options.startupDelay == nil else {
                return .failure(usage("--capacity and --startup-delay apply to offered-load traces only "
                    + "(this trace has per-server loads)"))
            }
            guard options.reference == nil else {
                return .failure(usage("--policy hpa and kpa replay offered-load traces only "
                    + "(this trace has per-server loads)"))
            }
            return .success(SimulationSetup(policy: policy, pollSeconds: pollSeconds))
        }
    }

    private static func usage(_ message: String) -> UsageError {
        UsageError(message, subcommand: "simulate")
    }
}

extension SimulateCommand {
    /// Why ``readInputs(configPath:tracePath:outputs:subcommand:)`` refused the config or the trace: the
    /// command's output that says so.
    struct Refused: Error {
        let output: CommandOutput
    }

    /// What a replay reads first, `simulate`'s and `tune`'s alike: the config at `configPath` (its files
    /// checked against the command's `outputs`) and the trace at `tracePath`, or why either is refused.
    static func readInputs(configPath: String, tracePath: String, outputs: [OptionFiles.Named],
                           subcommand: String) -> Result<(Config, Trace), Refused> {
        let config: Config
        switch ConfigLoader.load(path: configPath, disk: nil) {
        case let .success(loaded): config = loaded
        case let .failure(errors): return .failure(Refused(output: .invalidConfig(errors)))
        }
        do throws(UsageError) {
            try OptionFiles(inputs: OptionFiles.daemonFiles(of: config), outputs: outputs,
                            directories: OptionFiles.daemonDirectories(of: config)).check(subcommand: subcommand)
        } catch {
            return .failure(Refused(output: CommandOutput(standardError: HelpText.usageError(error),
                                                          exitStatus: CommandOutput.usageError)))
        }
        do {
            let contents = try RegularFile.read(tracePath, limit: traceSizeLimit)
            return .success((config, try TraceParser.parse(contents.bytes)))
        } catch {
            return .failure(Refused(output: .failure("\(TextEscaping.escaped(tracePath)): \(errorText(error, after: tracePath))")))
        }
    }
}
