@testable import AutoscaledCore
@testable import AutoscaledSystem
import AutoscaledTestSupport
import Glibc
import Testing

struct ExecActuatorTests {
    private let request = ActuationRequest(
        replicas: 4, previous: 3, reason: "1 server above scale_up_threshold 50 (max a=55): +1", maxReplicas: 10)

    private func actuator(_ command: CommandTemplate, environment: [String: String] = ["PATH": "/usr/bin:/bin"],
                          timeout: Duration = .seconds(10)) -> ExecActuator {
        ExecActuator(command: command, runner: ProgramRunner(environment: environment, timeout: timeout))
    }

    @Test("hostile text next to placeholders reaches the program as written: nothing is interpreted")
    func hostileArguments() async throws {
        let fake = RecordingCommand()
        defer { fake.remove() }
        let line = "command = \(fake.path) --replicas={replicas} \"a b {previous}\" 'it''s' \"say \\\"hi\\\"\" "
            + "';{direction};' '$(touch \(fake.directory.file("pwned")))' '`touch \(fake.directory.file("pwned2"))`' "
            + "x\\ {replicas}\\ y '' {replicas}{previous}{direction} '|&>' $HOME"
        let config = try ConfigParsing.parse("[source]\npath = l\n[actuator]\ntype = exec\n\(line)").get()
        guard case let .exec(command) = config.actuator.kind else { Issue.record("not exec"); return }
        try await _ = actuator(command).apply(request)
        #expect(fake.arguments(ofCall: 1) == [
            fake.path, "--replicas=4", "a b 3", "its", #"say "hi""#, ";up;",
            "$(touch \(fake.directory.file("pwned")))", "`touch \(fake.directory.file("pwned2"))`",
            "x 4 y", "", "43up", "|&>", "$HOME",
        ])
        #expect(fake.directory.read("pwned") == nil && fake.directory.read("pwned2") == nil)
    }

    @Test("an argument may hold a newline; it stays one argument")
    func newlineArgument() async throws {
        let fake = RecordingCommand()
        defer { fake.remove() }
        let command = try CommandTemplate(arguments: [fake.path, "one\ntwo {replicas}\n", "\n"])
        try await _ = actuator(command).apply(request)
        #expect(fake.arguments(ofCall: 1) == [fake.path, "one\ntwo 4\n", "\n"])
    }

    @Test("the environment carries the values and the reason, and none of systemd's notify variables")
    func environment() async throws {
        let fake = RecordingCommand()
        defer { fake.remove() }
        let hostileReason = "it's \"bad\"; $(touch x) `id`\nsecond line"
        let base = ["PATH": "/usr/bin:/bin", "KEEP": "kept value", "NOTIFY_SOCKET": "/run/systemd/notify",
                    "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1", "AUTOSCALED_REPLICAS": "stale"]
        var down = request
        down.replicas = 2
        down.reason = hostileReason
        try await _ = actuator(try CommandTemplate(arguments: [fake.path]), environment: base).apply(down)
        #expect(fake.environment(ofCall: 1) == [
            "PATH": "/usr/bin:/bin", "KEEP": "kept value",
            "AUTOSCALED_REPLICAS": "2", "AUTOSCALED_PREVIOUS": "3", "AUTOSCALED_DIRECTION": "down",
            "AUTOSCALED_REASON": hostileReason,
        ])
    }

    @Test("a non-zero exit is a failure with the exit status and the tail of stderr")
    func nonZeroExit() async throws {
        let fake = RecordingCommand(plan: ["fail"])
        defer { fake.remove() }
        await #expect(throws: ActuationError.exited(program: fake.path, status: 3, standardError: "boom")) {
            try await actuator(try CommandTemplate(arguments: [fake.path])).apply(request)
        }
        let error = ActuationError.exited(program: fake.path, status: 3, standardError: "boom")
        #expect(error.description == "'\(fake.path)' exited with status 3")
    }

    @Test("a hung command is killed at the timeout with its grandchild, and nothing is left unreaped")
    func timeout() async throws {
        let fake = RecordingCommand(plan: ["hang"])
        defer { fake.remove() }
        // The fake records its call and starts its grandchild with a handful of short programs first:
        // the timeout must outlast that on a busy machine, or there is no grandchild to kill.
        let timedOut = ActuationError.timedOut(program: fake.path, after: .seconds(3), standardError: "")
        await #expect(throws: timedOut) {
            try await actuator(try CommandTemplate(arguments: [fake.path]), timeout: .seconds(3)).apply(request)
        }
        #expect(timedOut.description == "'\(fake.path)' timed out after 3s; its process group was killed")
        let child = try #require(fake.pid(ofCall: 1))
        #expect(ProcessTable.state(of: child) == nil, "the child was not reaped")
        let grandchild = try #require(fake.grandchild(ofCall: 1))
        #expect(await ProcessTable.waitUntilGone(grandchild))
    }

    @Test("a program that does not exist fails to spawn, naming it")
    func missingProgram() async throws {
        let error = ActuationError.spawnFailed(
            program: "/nonexistent/scale", cause: SystemError(call: "posix_spawn", subject: "/nonexistent/scale", errno: ENOENT))
        await #expect(throws: error) {
            try await actuator(try CommandTemplate(arguments: ["/nonexistent/scale", "{replicas}"])).apply(request)
        }
        #expect(error.description
            == "cannot run '/nonexistent/scale': posix_spawn(/nonexistent/scale): no such file or directory (errno 2)")
    }

    @Test("a script whose #! interpreter is missing is told as such, not as a missing script")
    func missingInterpreter() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("scale.sh", "#!/nonexistent/interpreter\n", mode: 0o755)
        let script = dir.file("scale.sh")
        let error = ActuationError.interpreterMissing(
            program: script, cause: SystemError(call: "posix_spawn", subject: script, errno: ENOENT))
        await #expect(throws: error) {
            try await actuator(try CommandTemplate(arguments: [script, "{replicas}"])).apply(request)
        }
        #expect(error.description == "cannot run '\(script)': posix_spawn(\(script)): no such file or directory (errno 2); "
            + "the program is there, so the interpreter its #! line names (or its loader) is missing")
    }

    @Test("a bare name found nowhere in PATH says where it was looked for, and which entries were skipped")
    func notFoundInPath() async throws {
        let runner = ProgramRunner(environment: ["PATH": ".:/nonexistent/bin::relative:/also/missing"], timeout: .seconds(5))
        let error = ActuationError.notFoundInPath(program: "scale-model", searched: ["/nonexistent/bin", "/also/missing"],
                                                  skipped: [".", "", "relative"])
        await #expect(throws: error) { try await runner.run(["scale-model", "3"]) }
        #expect(error.description == "cannot run 'scale-model': not found in PATH (searched /nonexistent/bin:/also/missing; "
            + "skipped, as not absolute: '.', '', 'relative')")
    }

    @Test("a program path that names a directory says so")
    func directoryAsProgram() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        #expect(mkdir(dir.file("scale"), 0o755) == 0)
        let runner = ProgramRunner(environment: [:], timeout: .seconds(5))
        await #expect(throws: ActuationError.isDirectory(program: dir.file("scale"))) { try await runner.run([dir.file("scale")]) }
        #expect(ActuationError.isDirectory(program: "/x/scale").description == "cannot run '/x/scale': it is a directory, not a program")
    }

    @Test("a program killed by a signal is told with the signal's name")
    func signalName() async throws {
        let runner = ProgramRunner(environment: [:], timeout: .seconds(5))
        await #expect(throws: ActuationError.signalled(program: "/bin/sh", signal: SIGSEGV, standardError: "")) {
            try await runner.runChecked(["/bin/sh", "-c", "kill -SEGV $$"])
        }
        #expect(ActuationError.signalled(program: "/bin/sh", signal: 11, standardError: "").description
            == "'/bin/sh' was killed by signal 11 (SIGSEGV)")
        #expect(ActuationError.signalled(program: "/bin/sh", signal: 40, standardError: "").description == "'/bin/sh' was killed by signal 40")
    }
}
