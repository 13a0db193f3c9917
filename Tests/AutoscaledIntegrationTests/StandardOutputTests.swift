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

    @Test("pause and resume whose standard output fails say the change is made all the same")
    func pauseWithFullDisk() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        #expect(mkdir(dir.file("state"), 0o755) == 0)
        dir.writeAtomically(dir.statePath, #"{"version":1,"desired_replicas":3,"updated_at":"x"}"#)
        let pause = await Self.run(["pause", "--config", dir.configPath], shell: "exec >/dev/full;", in: dir)
        #expect(pause.status == 1)
        #expect(pause.stderr == "standard output: write: no space left on device (errno 28)\n"
            + "the pause is written to \(dir.statePath).pause: the daemon holds it, all the same\n")
        #expect(dir.read(dir.statePath + ".pause").contains(#""paused":true"#))
        let resume = await Self.run(["resume", "--config", dir.configPath], shell: "exec >/dev/full;", in: dir)
        #expect(resume.status == 1)
        #expect(resume.stderr == "standard output: write: no space left on device (errno 28)\n"
            + "the resume is written to \(dir.statePath).pause: the daemon follows the policy again, all the same\n")
    }

    @Test("a closed standard output is exit 1 saying so, and nothing meant for it lands in a descriptor opened later; a closed stdin changes nothing",
          arguments: [
              ["completion", "bash"], ["check-config", "--config", config], ["--version"],
              ["simulate", "--config", config, "--trace", "\(repositoryRoot)/config/traces/azure_llm_conv_2023_15min.csv",
               "--capacity", "1", "--startup-delay", "2min", "--quiet"],
          ])
    func closedOutput(arguments: [String]) async {
        let dir = Workspace()
        defer { dir.remove() }
        let closed = await Self.run(arguments, shell: "exec >&-;", in: dir)
        #expect(closed.status == 1)
        #expect(closed.stderr == "standard output: write: bad file descriptor (errno 9)\n")
        let others = await Self.run(arguments, shell: "exec <&- > \(dir.file("out"));", in: dir)
        #expect(others.status == 0, "\(others.stderr)")
        #expect(!dir.read(dir.file("out")).isEmpty)
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
