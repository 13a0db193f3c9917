import AutoscaledBase
import AutoscaledCore
import AutoscaledSystem

/// Parses the command line, runs the command, maps the outcome to an exit status.
@main
struct Autoscaled {
    static func main() async {
        _ = StandardStream.closedAtStart
        checkAddressSpace()
        checkThreads()
        SignalWatcher.ignoreBrokenPipe()
        SignalWatcher.ignoreFileSizeLimit()
        let environment = ProcessEnvironment.current()
        let command = parsedCommandLine()
        // From here a signal to the daemon is recorded until its handlers are in place.
        if case .run = command { SignalWatcher.recordUntilWatched() }
        reserveDescriptors(for: command)
        await run(command, environment: environment)
    }

    /// The command the arguments name; a usage error ends the process.
    static func parsedCommandLine() -> Command {
        let arguments: [String]
        do throws(ProcessArguments.Failure) {
            arguments = try ProcessArguments.current()
        } catch .unreadable {
            finish(CommandOutput(standardError: "\(ProcessArguments.Failure.unreadable)\n", exitStatus: CommandOutput.runtimeFailure))
        } catch {
            StandardStream.write(HelpText.usageError(UsageError(error.description)), to: StandardStream.error)
            ProcessExit.exit(CommandOutput.usageError)
        }
        do {
            return try CommandLineParser.parse(arguments)
        } catch {
            StandardStream.write(HelpText.usageError(error), to: StandardStream.error)
            ProcessExit.exit(CommandOutput.usageError)
        }
    }

    /// Room for the runtime's threads, before it starts any; a shortage ends the process.
    static func checkAddressSpace() {
        do throws(AddressSpaceBudget.Shortage) {
            try AddressSpaceBudget.check()
        } catch {
            finish(CommandOutput(standardError: "\(error)\n", exitStatus: CommandOutput.runtimeFailure))
        }
    }

    /// Room for the runtime's threads under a limit on processes; a shortage ends the process.
    static func checkThreads() {
        do throws(ThreadBudget.Shortage) {
            try ThreadBudget.check()
        } catch {
            finish(CommandOutput(standardError: "\(error)\n", exitStatus: CommandOutput.runtimeFailure))
        }
    }

    /// For the commands that run the loop, the descriptors it needs, reserved before any file,
    /// socket or Dispatch source is opened; a shortage ends the process.
    static func reserveDescriptors(for command: Command) {
        switch command {
        case .once, .run:
            do throws(DescriptorBudget.Shortage) {
                try DescriptorBudget.reserve(DescriptorBudget.daemonNeeds)
            } catch {
                finish(CommandOutput(standardError: "\(error)\n", exitStatus: CommandOutput.runtimeFailure))
            }
        default:
            break
        }
    }

    /// Runs `command` and ends the process with its exit status.
    static func run(_ command: Command, environment: [String: String]) async -> Never {
        switch command {
        case let .help(text):
            finish(CommandOutput(standardOutput: text, exitStatus: CommandOutput.success))
        case .version:
            finish(CommandOutput(standardOutput: "autoscaled \(AutoscaledVersion.current)\n", exitStatus: CommandOutput.success))
        case let .checkConfig(path):
            finish(CheckConfigCommand.run(configPath: path))
        case let .status(path, json):
            finish(StatusCommand.run(configPath: path, json: json))
        case let .simulate(options):
            finish(SimulateCommand.run(options))
        case let .historyExport(options):
            finish(HistoryExportCommand.run(options))
        case let .tune(options):
            let progress: ((String) -> Void)? = Terminal.standardErrorIsTerminal ? { Terminal.progress($0) } : nil
            finish(TuneCommand.run(options, progress: progress))
        case let .pause(options):
            finish(PauseCommand.pause(options))
        case let .resume(path):
            finish(PauseCommand.resume(configPath: path))
        case let .completion(shell):
            finish(CommandOutput(standardOutput: CompletionScript.text(for: shell), exitStatus: CommandOutput.success))
        case let .once(path):
            switch ConfigLoader.load(path: path, disk: .source) {
            case let .success(config): finish(await OnceCommand.run(config: config))
            case let .failure(errors): finish(.invalidConfig(errors))
            }
        case let .run(path):
            let version = Daemon.configVersion(at: path)
            switch ConfigLoader.load(path: path) {
            case let .success(config):
                MallocOptions.returnLargeBlocksWhenFreed(environment: environment)
                let logger = Logger.standardError(config: config.log, environment: environment)
                let daemon = Daemon(
                    configPath: path, config: config, logger: logger, configVersion: version,
                    notifier: SystemdNotifier(environment: environment))
                ProcessExit.exit(await daemon.run())
            case let .failure(errors): finish(.invalidConfig(errors))
            }
        }
    }

    /// Writes `output` and exits with its status; a failed or short write of standard output
    /// (a full disk, the file-size limit, a closed pipe) makes it a failure.
    static func finish(_ output: CommandOutput) -> Never {
        var output = output
        do throws(SystemError) {
            try StandardStream.writeOutput(output.standardOutput, subject: CommandOutput.standardOutputName)
        } catch {
            output = output.standardOutputFailed(error)
        }
        StandardStream.write(output.standardError, to: StandardStream.error)
        ProcessExit.exit(output.exitStatus)
    }
}
