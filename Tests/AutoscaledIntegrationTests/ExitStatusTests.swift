import Glibc
import Testing

/// Every command ends with a status its `--help` lists, for the cause the help gives.
@Suite("exit statuses of the real binary, as each command's help lists them")
struct ExitStatusTests {
    /// A command line, what to set up in the workspace first, and the status it must end with.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var setup: @Sendable (Workspace) -> Void
        var arguments: @Sendable (Workspace) -> [String]
        var status: Int32
        var testDescription: String { name }
    }

    /// The trace of three seconds at one request each.
    static func trace(_ dir: Workspace) -> String {
        let path = dir.file("t.csv")
        dir.write(path, "t_seconds,requests\n0,1\n1,1\n2,1\n")
        return path
    }

    /// A state file, as a daemon that ran with the config leaves it.
    static func state(_ dir: Workspace) {
        mkdir(dir.file("state"), 0o755)
        dir.writeAtomically(dir.statePath, #"{"version":1,"desired_replicas":3,"updated_at":"2026-11-30T00:00:00Z"}"#)
    }

    static let cases: [Case] = [
        Case(name: "check-config: a valid config is 0", setup: { $0.writeConfig() },
             arguments: { ["check-config", "--config", $0.configPath] }, status: 0),
        Case(name: "check-config: a missing config is 78", setup: { _ in },
             arguments: { ["check-config", "--config", $0.configPath] }, status: 78),
        Case(name: "check-config: an unknown option is 64", setup: { _ in },
             arguments: { _ in ["check-config", "-c", "x"] }, status: 64),
        Case(name: "status: no state file is 1", setup: { $0.writeConfig() },
             arguments: { ["status", "--config", $0.configPath] }, status: 1),
        Case(name: "pause: a missing config is 78", setup: { _ in },
             arguments: { ["pause", "--config", $0.configPath] }, status: 78),
        Case(name: "pause: no state file is 1", setup: { $0.writeConfig() },
             arguments: { ["pause", "--config", $0.configPath] }, status: 1),
        Case(name: "pause: --replicas outside the config's bounds is 64", setup: { $0.writeConfig(); state($0) },
             arguments: { ["pause", "--config", $0.configPath, "--replicas", "50"] }, status: 64),
        Case(name: "resume: a missing config is 78", setup: { _ in },
             arguments: { ["resume", "--config", $0.configPath] }, status: 78),
        Case(name: "resume: not paused is 0", setup: { $0.writeConfig(); state($0) },
             arguments: { ["resume", "--config", $0.configPath] }, status: 0),
        Case(name: "history export: a missing config is 78", setup: { _ in },
             arguments: { ["history", "export", "--config", $0.configPath] }, status: 78),
        Case(name: "history export: no history is 1", setup: { $0.writeConfig() },
             arguments: { ["history", "export", "--config", $0.configPath] }, status: 1),
        Case(name: "simulate: an SVG that cannot be written is 1", setup: { $0.writeConfig() },
             arguments: { ["simulate", "--config", $0.configPath, "--trace", trace($0), "--capacity", "1", "--quiet",
                           "--svg", "/nonexistent/x.svg"] }, status: 1),
        Case(name: "simulate: --min above the config's max_replicas is 64", setup: { $0.writeConfig() },
             arguments: { ["simulate", "--config", $0.configPath, "--trace", trace($0), "--capacity", "1", "--min", "50"] },
             status: 64),
        Case(name: "tune: a missing config is 78", setup: { _ in },
             arguments: { ["tune", "--config", $0.configPath, "--trace", trace($0), "--capacity", "1", "--startup-delay", "0",
                           "--max-over", "1"] }, status: 78),
        Case(name: "completion: an unknown shell is 64", setup: { _ in },
             arguments: { _ in ["completion", "tcsh"] }, status: 64),
    ]

    @Test("the status, and the command's help lists it", arguments: cases)
    func status(_ test: Case) async {
        let dir = Workspace()
        defer { dir.remove() }
        test.setup(dir)
        let arguments = test.arguments(dir)
        let result = await ChildProcess.run(arguments, in: dir.path)
        #expect(result.status == test.status, "\(result.stderr)")
        let command = Array(arguments.prefix(arguments.first == "history" ? 2 : 1))
        let help = await ChildProcess.run(command + ["--help"], in: dir.path)
        let listed = help.stdout.split(separator: "EXIT STATUS:\n").last?.split(separator: "\n")
            .compactMap { Int32($0.split(separator: " ").first ?? "") } ?? []
        #expect(listed.contains(test.status), "\(command) --help lists \(listed)")
    }

    @Test("pause --replicas outside [min_replicas, max_replicas] is a usage error that names the option, with a state file or without")
    func pauseReplicasOutside() async {
        let dir = Workspace()
        defer { dir.remove() }
        dir.writeConfig()
        for withState in [false, true] {
            if withState { Self.state(dir) }
            let result = await ChildProcess.run(["pause", "--config", dir.configPath, "--replicas", "50"], in: dir.path)
            #expect(result.status == 64, "state file: \(withState)")
            #expect(result.stdout == "")
            #expect(result.stderr.hasPrefix("Error: option '--replicas': 50 is outside [min_replicas 1, max_replicas 10] of "
                + "\(dir.configPath)\nUsage: autoscaled pause "), "\(result.stderr)")
            #expect(access(dir.statePath + ".pause", F_OK) != 0)
        }
    }
}
