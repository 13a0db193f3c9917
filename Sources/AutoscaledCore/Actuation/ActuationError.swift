import AutoscaledBase
import AutoscaledSystem

/// Why an actuation did not apply the count.
///
/// Shape: `'/usr/local/bin/scale-model' exited with status 3`; the tail of the program's stderr,
/// when it wrote any, is kept apart (``standardError``) and logged as its own field.
public enum ActuationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The program could not be started (not found, not executable, …).
    case spawnFailed(program: String, cause: SystemError)
    /// A bare program name found in no absolute directory of `PATH` (`searched`); `skipped`: the
    /// entries of `PATH` not searched (empty or relative).
    case notFoundInPath(program: String, searched: [String], skipped: [String])
    /// The program's path names a directory.
    case isDirectory(program: String)
    /// The program is there, but the kernel found no file to run it with: the interpreter its `#!`
    /// line names (or its ELF loader) is missing.
    case interpreterMissing(program: String, cause: SystemError)
    /// The program exited with a status other than 0.
    case exited(program: String, status: Int32, standardError: String)
    /// A signal the daemon did not send ended the program.
    case signalled(program: String, signal: Int32, standardError: String)
    /// The program ran past `timeout`; its process group was killed.
    case timedOut(program: String, after: Duration, standardError: String)
    /// The program succeeded but printed something the actuator cannot use.
    case unexpectedOutput(program: String, detail: String, standardError: String)
    /// Writing the count to a file failed.
    case writeFailed(FileWriteError)
    /// The count is more than the actuator can carry (e.g. instances of one systemd template unit).
    case tooManyReplicas(Int, limit: Int)
    /// The daemon stopped the actuation (shutdown, or `[actuator]` changed on reload).
    case cancelled

    public var description: String {
        switch self {
        case let .spawnFailed(program, cause): "cannot run '\(program)': \(cause)"
        case let .notFoundInPath(program, searched, skipped):
            "cannot run '\(program)': not found in PATH (searched \(searched.isEmpty ? "no directory" : searched.joined(separator: ":"))"
                + (skipped.isEmpty ? "" : "; skipped, as not absolute: \(skipped.map { EscapedText.quoted($0) }.joined(separator: ", "))")
                + ")"
        case let .isDirectory(program): "cannot run '\(program)': it is a directory, not a program"
        case let .interpreterMissing(program, cause):
            "cannot run '\(program)': \(cause); the program is there, so the interpreter its #! line names "
                + "(or its loader) is missing"
        case let .exited(program, status, _): "'\(program)' exited with status \(status)"
        case let .signalled(program, signal, _): "'\(program)' was killed by signal \(signal)\(Self.signalName(signal).map { " (\($0))" } ?? "")"
        case let .timedOut(program, after, _):
            "'\(program)' timed out after \(DurationText.format(after)); its process group was killed"
        case let .unexpectedOutput(program, detail, _): "'\(program)' \(detail)"
        case let .writeFailed(cause): cause.description
        case let .tooManyReplicas(count, limit): "\(count) replicas is more than the \(limit) this actuator runs"
        case .cancelled: "cancelled"
        }
    }

    /// The last lines the program wrote to stderr; empty when none or not applicable.
    public var standardError: String {
        switch self {
        case let .exited(_, _, text), let .signalled(_, _, text), let .timedOut(_, _, text),
             let .unexpectedOutput(_, _, text): text
        case .spawnFailed, .notFoundInPath, .isDirectory, .interpreterMissing, .writeFailed, .tooManyReplicas, .cancelled: ""
        }
    }

    /// The name of a standard signal on Linux (x86-64 and arm64 number them alike), `nil` for another.
    static func signalName(_ signal: Int32) -> String? {
        let names = ["SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
                     "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP",
                     "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH",
                     "SIGIO", "SIGPWR", "SIGSYS"]
        return (1...names.count).contains(Int(signal)) ? names[Int(signal) - 1] : nil
    }

    /// Maps how `result` ended to an error; `nil` for exit status 0.
    static func from(_ result: SubprocessResult, program: String, timeout: Duration) -> ActuationError? {
        let stderr = result.standardErrorText
        switch result.termination {
        case .exited(0): return nil
        case let .exited(status): return .exited(program: program, status: status, standardError: stderr)
        case let .signalled(signal): return .signalled(program: program, signal: signal, standardError: stderr)
        case .timedOut: return .timedOut(program: program, after: timeout, standardError: stderr)
        case .cancelled: return .cancelled
        }
    }
}
