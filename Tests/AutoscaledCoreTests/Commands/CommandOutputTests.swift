import AutoscaledCore
import AutoscaledSystem
import Testing

/// What a command's outcome shows on a terminal, and what it becomes when its standard output
/// cannot be written.
struct CommandOutputTests {
    @Test("stderr reaches a terminal with no character raw that does not show as itself; newlines, tabs and backslashes stay")
    func standardErrorDefanged() {
        var output = CommandOutput(standardError: "a\u{1B}[2Jb\u{202E}\n\tc\\d\n", exitStatus: CommandOutput.runtimeFailure)
        #expect(output.standardError == #"a\u{1b}[2Jb\u{202e}"# + "\n\tc\\d\n")
        output.standardError += "\u{7}"
        #expect(output.standardError.hasSuffix(#"\u{7}"#))
        #expect(CommandOutput(standardError: "plain é\n", exitStatus: 0).standardError == "plain é\n")
    }

    @Test("a failure's message is one line whatever it took in: a line break in it is written \\n; several messages, a line each")
    func failureMessagesStayOneLine() {
        let failed = CommandOutput.failure("/srv/a\nb/state.json: not a valid state file")
        #expect(failed.standardError == #"/srv/a\nb/state.json: not a valid state file"# + "\n")
        #expect(failed.exitStatus == CommandOutput.runtimeFailure)
        #expect(CommandOutput.failure(lines: ["one\ttab", "two\r"]).standardError == "one\ttab\n" + #"two\r"# + "\n")
        #expect(CommandOutput.lines([]) == "")
    }

    @Test("a failed write of standard output is exit 1 and named on stderr; a closed pipe is exit 1 without a message",
          arguments: [
              (28, 0, "standard output: write: no space left on device (errno 28)\n", 1),
              (27, 0, "standard output: write: file too large (errno 27)\n", 1),
              (5, 0, "standard output: write: input/output error (errno 5)\n", 1),
              (32, 0, "", 1),
              (28, 64, "standard output: write: no space left on device (errno 28)\n", 64),
          ] as [(Int32, Int32, String, Int32)])
    func failedWrite(errno: Int32, status: Int32, message: String, exitStatus: Int32) {
        let output = CommandOutput(standardOutput: "text\n", exitStatus: status)
            .standardOutputFailed(SystemError(call: "write", subject: CommandOutput.standardOutputName, errno: errno))
        #expect(output == CommandOutput(standardError: message, exitStatus: exitStatus))
    }
}
