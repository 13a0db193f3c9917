import AutoscaledTestSupport
import Glibc
import Testing

@Suite("writing standard output, against the real binary")
struct StandardOutputTests {
    static let config = "\(repositoryRoot)/config/autoscaled.conf"

    /// Runs the binary with `arguments` through `sh -c`, after `setup` (a redirection, a limit).
    static func run(_ arguments: [String], shell: String, in dir: Workspace) async -> (status: Int32?, stderr: String) {
        let child = ChildProcess("/bin/sh", ["-c", shell + " \"$0\" \"$@\""] + [autoscaledBinary()] + arguments,
                                 captureIn: dir.path)
        return (await child.wait(), child.standardError)
    }

    @Test("a full disk under standard output is exit 1 with the error on stderr, whatever the command",
          arguments: [
              ["completion", "bash"], ["check-config", "--config", config], ["--version"],
              ["simulate", "--config", config, "--trace", "\(repositoryRoot)/config/traces/azure_llm_conv_2023_15min.csv",
               "--capacity", "1", "--startup-delay", "2min", "--quiet"],
          ])
    func fullDisk(arguments: [String]) async {
        let dir = Workspace()
        defer { dir.remove() }
        let result = await Self.run(arguments, shell: "exec >/dev/full;", in: dir)
        #expect(result.status == 1)
        #expect(result.stderr == "standard output: write: no space left on device (errno 28)\n")
    }

    /// ThreadSanitizer's runtime dies of SIGBUS in a process whose file-size limit is small (`ulimit -f
    /// 100` is enough), before the program writes a byte; the CI's ThreadSanitizer run says it is one.
    static let underThreadSanitizer = getenv("AUTOSCALED_SANITIZER").map { String(cString: $0) } == "thread"

    @Test("output cut short by the file-size limit is exit 1 with the error on stderr",
          .disabled(if: underThreadSanitizer, "ThreadSanitizer's runtime cannot run under a small file-size limit"))
    func fileSizeLimit() async {
        let dir = Workspace()
        defer { dir.remove() }
        let result = await Self.run(["completion", "bash"], shell: "ulimit -f 1; exec >\(dir.file("out"));", in: dir)
        #expect(result.status == 1)
        #expect(result.stderr == "standard output: write: file too large (errno 27)\n")
        #expect(dir.read(dir.file("out")).utf8.count == 512)
    }
}
