@testable import AutoscaledSystem
import AutoscaledTestSupport
import Glibc
import Testing

struct SubprocessTests {
    private func sh(_ script: String, timeout: Duration = .seconds(10), environment: [String: String] = [:])
        async throws -> SubprocessResult
    {
        try await Subprocess.run(["/bin/sh", "-c", script], environment: environment, timeout: timeout)
    }

    @Test("a bare program name is looked for in the absolute directories of PATH only, never the working directory")
    func locate() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("myprog", "#!/bin/sh\necho ran\n", mode: 0o755)
        dir.write("plain", "not a program\n", mode: 0o644)
        #expect(Subprocess.locate("sh", searchPath: ":/nonexistent:.:/bin") == "/bin/sh")
        #expect(Subprocess.locate("myprog", searchPath: ":.:relative:\(dir.path)/") == dir.file("myprog"))
        #expect(Subprocess.locate("plain", searchPath: dir.path) == nil, "not executable")
        #expect(Subprocess.locate("sh", searchPath: nil) == "/bin/sh", "unset: /bin:/usr/bin")
        // Only relative entries: nothing is found, and nothing is run.
        await #expect(throws: SystemError(call: "posix_spawn", subject: "myprog", errno: ENOENT)) {
            _ = try await Subprocess.run(["myprog"], environment: ["PATH": ":."], timeout: .seconds(5))
        }
        let found = try await Subprocess.run(["myprog"], environment: ["PATH": "/nonexistent:\(dir.path)"], timeout: .seconds(5))
        #expect(found.standardOutput == Array("ran\n".utf8))
    }

    @Test("exit status, stdout and stderr come back, and the child is reaped")
    func exitAndOutput() async throws {
        let result = try await sh("echo out; echo err >&2; exit 7")
        #expect(result.termination == .exited(7))
        #expect(result.standardOutput == Array("out\n".utf8))
        #expect(result.standardErrorText == "err")
        #expect(ProcessTable.state(of: result.pid) == nil, "the child was not reaped")
    }

    @Test("the environment is exactly the one given")
    func exactEnvironment() async throws {
        let result = try await Subprocess.run(
            ["/usr/bin/env"], environment: ["B": "two words", "A": "1"], timeout: .seconds(10))
        #expect(String(decoding: result.standardOutput, as: UTF8.self) == "A=1\nB=two words\n")
    }

    @Test("stdout is drained past its cap and stderr keeps only its tail")
    func outputCaps() async throws {
        let result = try await sh("head -c 1000000 /dev/zero; head -c 100000 /dev/zero | tr '\\0' x >&2; echo end >&2")
        #expect(result.termination == .exited(0))
        #expect(result.standardOutput.count == Subprocess.outputLimit)
        #expect(result.standardErrorTail.count == Subprocess.errorTailLimit)
        #expect(result.standardErrorText.hasSuffix("xxxend"))
    }

    @Test("a descriptor open without close-on-exec in the daemon is not open in the child")
    func inheritedDescriptorClosed() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("held", "x")
        let held = open(dir.file("held"), O_RDONLY)  // no O_CLOEXEC: as a shell hands descriptors on
        try #require(held > 2)
        defer { close(held) }
        let result = try await sh("if [ -e /proc/self/fd/\(held) ]; then echo open; else echo closed; fi; ls /proc/$$/fd")
        #expect(result.standardOutput.starts(with: Array("closed\n".utf8)), "\(String(decoding: result.standardOutput, as: UTF8.self))")
        #expect(String(decoding: result.standardOutput, as: UTF8.self).split(separator: "\n").dropFirst() == ["0", "1", "2"])
    }

    @Test("a signal that ends the child is reported")
    func signalled() async throws {
        #expect(try await sh("kill -TERM $$").termination == .signalled(SIGTERM))
    }

    @Test("the signal mask of the spawning thread is not inherited")
    func signalMask() async throws {
        // Dispatch threads (where children are spawned) block most signals; the child must start with none blocked.
        let result = try await Subprocess.run(
            ["/bin/grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status"], environment: [:], timeout: .seconds(10))
        let masks = String(decoding: result.standardOutput, as: UTF8.self).split(separator: "\n").map { line in
            UInt64(line.split(separator: "\t").last ?? "", radix: 16) ?? .max
        }
        let mine: UInt64 = (1 << (UInt64(SIGHUP) - 1)) | (1 << (UInt64(SIGINT) - 1)) | (1 << (UInt64(SIGTERM) - 1))
        #expect(masks.count == 2)
        #expect(masks.allSatisfy { $0 & mine == 0 }, "SigBlk, SigIgn: \(masks.map { String($0, radix: 16) })")
    }

    @Test("at the timeout the whole process group is killed, a grandchild holding the output included")
    func timeoutKillsGroup() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let start = ContinuousClock.now
        let result = try await sh("sleep 1000 & echo $! > \(dir.file("grandchild")); wait", timeout: .milliseconds(300))
        let elapsed = ContinuousClock.now - start
        #expect(result.termination == .timedOut)
        // Far below the grandchild's 1000 s: the group was killed, not waited for. Loose: the time
        // includes waiting for a thread of the test runner's pool, which CPU-bound tests beside it
        // (and sanitizers) can hold for tens of seconds on two cores.
        #expect(elapsed >= .milliseconds(300) && elapsed < .seconds(120), "took \(elapsed)")
        #expect(ProcessTable.state(of: result.pid) == nil, "the child was not reaped")
        let grandchild = try #require(dir.read("grandchild").flatMap { Int32($0.split(separator: "\n").first ?? "") })
        #expect(await ProcessTable.waitUntilGone(grandchild), "the grandchild survived")
    }

    @Test("cancelling the task kills the process group and returns at once")
    func cancellation() async throws {
        let task = Task { try await sh("sleep 1000 & wait", timeout: .seconds(600)) }
        try await Task.sleep(for: .milliseconds(100))
        let start = ContinuousClock.now
        task.cancel()
        let result = try await task.value
        #expect(result.termination == .cancelled)
        // Below the 600 s timeout: cancelling killed the group (loose, as in `timeoutKillsGroup`).
        #expect(ContinuousClock.now - start < .seconds(300))
        #expect(ProcessTable.state(of: result.pid) == nil)
    }

    @Test("at the timeout and on cancellation the group is asked with SIGTERM first; what ignores it is killed once the child has exited",
          arguments: [false, true])
    func termBeforeKill(cancelling: Bool) async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        // The child cleans up on SIGTERM; a grandchild ignoring SIGTERM would run on without the SIGKILL.
        let script = """
            trap 'echo cleaned > \(dir.file("term")); exit 0' TERM
            (trap '' TERM; exec sleep 1000) & echo $! > \(dir.file("grandchild"))
            sleep 1000 & wait
            """
        let start = ContinuousClock.now
        let result: SubprocessResult
        if cancelling {
            let task = Task { try await sh(script, timeout: .seconds(600)) }
            // Its trap is set once it wrote the grandchild's pid.
            let deadline = ContinuousClock.now + .seconds(120)
            while dir.read("grandchild")?.hasSuffix("\n") != true, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            task.cancel()
            result = try await task.value
        } else {
            result = try await sh(script, timeout: .milliseconds(300))
        }
        #expect(result.termination == (cancelling ? .cancelled : .timedOut))
        #expect(dir.read("term") == "cleaned\n", "the child was not given SIGTERM")
        // Below the 600 s timeout and the grandchild's 1000 s (loose, as in `timeoutKillsGroup`).
        #expect(ContinuousClock.now - start < .seconds(300))
        #expect(ProcessTable.state(of: result.pid) == nil, "the child was not reaped")
        let grandchild = try #require(dir.read("grandchild").flatMap { Int32($0.split(separator: "\n").first ?? "") })
        #expect(await ProcessTable.waitUntilGone(grandchild), "the grandchild ignoring SIGTERM survived")
    }

    @Test("a child that ignores SIGTERM is killed with SIGKILL after the termination grace")
    func termIgnored() async throws {
        let start = ContinuousClock.now
        let result = try await sh("trap '' TERM; sleep 1000 & wait", timeout: .milliseconds(300))
        let elapsed = ContinuousClock.now - start
        #expect(result.termination == .timedOut)
        #expect(elapsed >= .milliseconds(300) + Subprocess.terminationGrace, "took \(elapsed)")
        #expect(elapsed < .seconds(120), "took \(elapsed)")
        #expect(ProcessTable.state(of: result.pid) == nil, "the child was not reaped")
    }

    @Test("a grandchild left holding the output after a normal exit delays the result by the drain grace only, and is killed")
    func lingeringGrandchild() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let start = ContinuousClock.now
        let result = try await sh("sleep 1000 & echo $! > \(dir.file("grandchild")); echo done")
        let grandchild = try #require(dir.read("grandchild").flatMap { Int32($0.split(separator: "\n").first ?? "") })
        #expect(result.termination == .exited(0))
        #expect(result.standardOutput == Array("done\n".utf8))
        // Far below the grandchild's 1000 s (loose, as in `timeoutKillsGroup`).
        #expect(ContinuousClock.now - start < Subprocess.drainGrace + .seconds(120))
        #expect(ProcessTable.state(of: result.pid) == nil)
        #expect(await ProcessTable.waitUntilGone(grandchild), "the grandchild outlived the child")
    }

    @Test("what a child leaves running in its process group, its output elsewhere, ends when the child exits; its status is its own",
          arguments: [0, 3])
    func backgroundedGrandchild(status: Int32) async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let result = try await sh("sleep 1000 >/dev/null 2>&1 </dev/null & echo $! > \(dir.file("grandchild")); exit \(status)")
        let grandchild = try #require(dir.read("grandchild").flatMap { Int32($0.split(separator: "\n").first ?? "") })
        #expect(result.termination == .exited(status))
        #expect(ProcessTable.state(of: result.pid) == nil)
        #expect(await ProcessTable.waitUntilGone(grandchild), "the grandchild outlived the child")
    }

    @Test("a process started through setsid -w (setsid -w sh -c 'cmd &'), in a script or as the command itself, has left the group and outlives it",
          arguments: [false, true])
    func detachedGrandchild(asTheCommand: Bool) async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let detach = "sleep 1000 >/dev/null 2>&1 </dev/null & echo $! > \(dir.file("detached"))"
        // As the command itself, setsid is a group leader: it forks, and -w waits for the child it made.
        let result = asTheCommand
            ? try await Subprocess.run(["/usr/bin/setsid", "-w", "sh", "-c", detach], environment: ["PATH": "/usr/bin:/bin"],
                                       timeout: .seconds(10))
            : try await sh("setsid -w sh -c '\(detach)'; exit 0")
        let detached = try #require(dir.read("detached").flatMap { Int32($0.split(separator: "\n").first ?? "") })
        defer {
            kill(detached, SIGKILL)
        }
        #expect(result.termination == .exited(0))
        #expect(ProcessTable.state(of: result.pid) == nil)
        #expect(ProcessTable.isRunning(detached), "the detached process was killed with the child's group")
        #expect(getpgid(detached) != result.pid)
    }

    @Test("a program that cannot be started is an error naming it")
    func spawnFailure() async {
        await #expect(throws: SystemError(call: "posix_spawn", subject: "/nonexistent/program", errno: ENOENT)) {
            try await Subprocess.run(["/nonexistent/program"], environment: [:], timeout: .seconds(1))
        }
    }
}
