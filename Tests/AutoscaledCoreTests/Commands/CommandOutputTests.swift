import AutoscaledCore
import Testing

struct CommandOutputTests {
    @Test("stderr reaches a terminal with no character raw that does not show as itself; newlines, tabs and backslashes stay")
    func standardErrorDefanged() {
        var output = CommandOutput(standardError: "a\u{1B}[2Jb\u{202E}\n\tc\\d\n", exitStatus: CommandOutput.runtimeFailure)
        #expect(output.standardError == #"a\u{1b}[2Jb\u{202e}"# + "\n\tc\\d\n")
        output.standardError += "\u{7}"
        #expect(output.standardError.hasSuffix(#"\u{7}"#))
        #expect(CommandOutput(standardError: "plain é\n", exitStatus: 0).standardError == "plain é\n")
    }
}
