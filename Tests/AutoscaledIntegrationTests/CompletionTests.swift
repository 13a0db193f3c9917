import Glibc
import Testing

@Suite("shell completion scripts from the real binary")
struct CompletionTests {
    /// Writes `autoscaled completion SHELL` into `dir` and returns the script's path.
    static func script(_ shell: String, in dir: Workspace) async -> String {
        let result = await ChildProcess.run(["completion", shell], in: dir.path)
        #expect(result.status == 0)
        #expect(result.stderr == "")
        let path = dir.file("completion.\(shell)")
        dir.writeAtomically(path, result.stdout)
        return path
    }

    @Test("`bash -n` accepts the bash script, and it completes subcommands, options and --config files")
    func bash() async {
        let dir = Workspace()
        defer { dir.remove() }
        let script = await Self.script("bash", in: dir)
        let syntax = ChildProcess("/bin/bash", ["-n", script], captureIn: dir.path)
        #expect(await syntax.wait() == 0, "\(syntax.standardError)")

        dir.writeAtomically(dir.file("pool.conf"), "")
        let probe = """
            source \(script)
            complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _autoscaled; echo "${COMPREPLY[*]}"; }
            complete_words autoscaled s
            complete_words autoscaled status --
            complete_words autoscaled run --config \(dir.path)/poo
            complete_words autoscaled once --config = \(dir.path)/poo
            complete_words autoscaled completion ''
            complete_words autoscaled history ''
            complete_words autoscaled history export --
            """
        let run = ChildProcess("/bin/bash", ["-c", probe], captureIn: dir.path)
        #expect(await run.wait() == 0, "\(run.standardError)")
        #expect(run.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) == [
            "status simulate", "--config --json --help", "\(dir.path)/pool.conf", "\(dir.path)/pool.conf",
            "bash zsh fish --help", "export", "--config --since --until --format --help", "",
        ])
    }

    static let shells = ["zsh", "fish"].filter { ExternalPeers.executable($0) != nil }

    @Test("zsh and fish accept their scripts (`-n`) where they are installed", arguments: shells)
    func otherShells(_ shell: String) async {
        let dir = Workspace()
        defer { dir.remove() }
        let script = await Self.script(shell, in: dir)
        let syntax = ChildProcess(ExternalPeers.executable(shell)!, ["-n", script], captureIn: dir.path)
        #expect(await syntax.wait() == 0, "\(syntax.standardError)")
    }
}
