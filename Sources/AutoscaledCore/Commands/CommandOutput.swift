import AutoscaledBase
import AutoscaledSystem

/// What a one-shot command produced: text for stdout and stderr, and the exit status. No
/// character of stderr that does not show as itself (but a newline or a tab) reaches a terminal
/// raw (``TextEscaping/defanged(_:)``), whatever a message took in.
public struct CommandOutput: Sendable, Equatable {
    public var standardOutput: String
    public var standardError: String {
        didSet { standardError = TextEscaping.defanged(standardError) }
    }
    public var exitStatus: Int32
    /// What the command changed before printing (`the pause is written …`): said on stderr when
    /// standard output then fails, so a failed status is not read as a change not made.
    public var doneBeforeOutput: String?

    public init(standardOutput: String = "", standardError: String = "", exitStatus: Int32) {
        self.standardOutput = standardOutput
        self.standardError = TextEscaping.defanged(standardError)
        self.exitStatus = exitStatus
    }

    /// Exit statuses, as in sysexits.h where one applies.
    public static let success: Int32 = 0
    public static let runtimeFailure: Int32 = 1
    public static let usageError: Int32 = 64
    public static let configError: Int32 = 78

    /// `message`, one line, on stderr; exit 1.
    public static func failure(_ message: String) -> CommandOutput {
        failure(lines: [message])
    }

    /// `messages` on stderr, each one line; exit 1.
    public static func failure(lines messages: [String]) -> CommandOutput {
        CommandOutput(standardError: lines(messages), exitStatus: runtimeFailure)
    }

    /// Each message as one line of stderr: a line break a message took in from a path, a file's
    /// name or its contents is written `\n`, so that no message reads as two.
    public static func lines(_ messages: [String]) -> String {
        messages.map { TextEscaping.defanged($0, keepingLineBreaks: false) + "\n" }.joined()
    }

    /// Every config error, one per line, on stderr; exit 78.
    public static func invalidConfig(_ errors: ConfigErrors) -> CommandOutput {
        CommandOutput(standardError: errors.description + "\n", exitStatus: configError)
    }

    /// This output once writing its standard output failed with `error`: exit 1 (a failing status
    /// is kept), and on stderr `standard output: write: <reason> (errno N)`, except for `EPIPE` (the
    /// reader went away, as `| head` does: not worth a message, but the output was cut short).
    public func standardOutputFailed(_ error: SystemError) -> CommandOutput {
        var failed = self
        failed.standardOutput = ""
        if failed.exitStatus == Self.success { failed.exitStatus = Self.runtimeFailure }
        if !error.isBrokenPipe {
            failed.standardError += "\(Self.standardOutputName): \(error.description(omitting: Self.standardOutputName))\n"
        }
        if let done = doneBeforeOutput { failed.standardError += "\(done), all the same\n" }
        return failed
    }

    /// How messages name the process's standard output.
    public static let standardOutputName = "standard output"
}
