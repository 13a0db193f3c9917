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
            complete_words autoscaled help history ''
            complete_words autoscaled completion bash ''
            complete_words autoscaled ''
            """
        let run = ChildProcess("/bin/bash", ["-c", probe], captureIn: dir.path)
        #expect(await run.wait() == 0, "\(run.standardError)")
        #expect(run.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) == [
            "status simulate", "--config --json --help", "\(dir.path)/pool.conf", "\(dir.path)/pool.conf",
            "bash zsh fish --help", "export", "--config --since --until --format --help",
            "export", "--help", "run once check-config status simulate history tune pause resume completion help --help --version",
            "",
        ])
    }

    @Test("zsh offers help among the subcommands and a group's subcommand after help, as the parser takes them",
          .enabled(if: ExternalPeers.executable("zsh") != nil))
    func zshWords() async {
        let dir = Workspace()
        defer { dir.remove() }
        let script = await Self.script("zsh", in: dir)
        // The script without its last line (the call zsh's completion system makes), with the
        // completion builtins replaced by ones that print what they are offered.
        let probe = """
            source <(sed '$d' \(script))
            _describe() { local -a names; names=(${(P)${@[-1]}}); print -r -- ${names%%:*}; }
            compadd() { shift; print -r -- "$@"; }
            _arguments() { :; }
            complete_words() { words=("$@"); CURRENT=$#; _autoscaled; }
            complete_words autoscaled ''
            complete_words autoscaled help ''
            complete_words autoscaled help history ''
            """
        let run = ChildProcess(ExternalPeers.executable("zsh")!, ["-c", probe], captureIn: dir.path)
        #expect(await run.wait() == 0, "\(run.standardError)")
        #expect(run.standardOutput.split(separator: "\n").map(String.init) == [
            "run once check-config status simulate history tune pause resume completion help",
            "run once check-config status simulate history tune pause resume completion", "export",
        ])
    }

    @Test("fish completes a group's subcommand after help, one shell only, and nothing after help's subcommand",
          .enabled(if: ExternalPeers.executable("fish") != nil))
    func fishWords() async {
        let dir = Workspace()
        defer { dir.remove() }
        let script = await Self.script("fish", in: dir)
        let probe = """
            source \(script)
            for line in 'autoscaled help history ' 'autoscaled completion ' 'autoscaled completion bash ' 'autoscaled help run '
                echo (complete -C"$line" | string split -f1 \\t | string join ' ')
            end
            """
        let run = ChildProcess(ExternalPeers.executable("fish")!, ["-c", probe], captureIn: dir.path)
        #expect(await run.wait() == 0, "\(run.standardError)")
        #expect(run.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) == [
            "export", "bash fish zsh", "", "", "",
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
