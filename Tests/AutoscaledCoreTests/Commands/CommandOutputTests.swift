import AutoscaledCore
import AutoscaledSystem
import Testing

/// What a command's outcome becomes when its standard output cannot be written.
struct CommandOutputTests {
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
